// database.restore: the rendered Cluster, its check against the pinned CloudNativePG CRD, and the refusals.
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { restoreProblems, restoredServerName } from "../config/database.js";
import { parseStackConfig, readStackFile, type StackFile } from "../config/index.js";
import { requireCrds } from "./crds/test-support.js";
import { checkSchemas } from "../plan/manifest-rules.js";
import type { DeployedState } from "../config/deployed.js";
import { comparableInputs, evaluateStack, type Evaluation } from "../plan/evaluate.js";
import { manifestObjects } from "../plan/write.js";
import { postgresObjects } from "./render.js";

const prod = await readStackFile("Pulumi.prod.yaml");
const withRestore = (file: StackFile, restore: unknown): StackFile => ({
  ...file,
  settings: { ...file.settings, database: { restore } },
});
const backup = {
  endpoint: "https://s3.example.net",
  bucket: "hdp-backups",
  retentionDays: 30,
  credentialsSecret: "pg-backup-credentials",
};
const platform = parseStackConfig(prod.settings, "prod").platform;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const clusterSpec = (objects: ReturnType<typeof postgresObjects>): any =>
  objects.find((o) => o.kind === "Cluster")!.spec;

describe("a Cluster restored from the backups", () => {
  it("recovers to a point in time from the source's server name, and archives under a new one", () => {
    const restore = { source: "pg", targetTime: "2026-12-01T09:30:00Z" };
    const spec = clusterSpec(postgresObjects(platform, backup, restore));
    expect(spec.bootstrap).toEqual({
      recovery: {
        source: "pg",
        database: "hdp",
        owner: "hdp",
        secret: { name: "pg-app-credentials" },
        recoveryTarget: { targetTime: "2026-12-01T09:30:00Z" },
      },
    });
    expect(spec.externalClusters).toEqual([
      {
        name: "pg",
        barmanObjectStore: {
          destinationPath: "s3://hdp-backups/pg",
          endpointURL: "https://s3.example.net",
          serverName: "pg",
          s3Credentials: {
            accessKeyId: { name: "pg-backup-credentials", key: "ACCESS_KEY_ID" },
            secretAccessKey: { name: "pg-backup-credentials", key: "ACCESS_SECRET_KEY" },
          },
        },
      },
    ]);
    const serverName = spec.backup.barmanObjectStore.serverName;
    expect(serverName).toMatch(/^pg-r[0-9a-f]{8}$/);
    expect(serverName).toBe(restoredServerName(restore));
    expect(spec.backup.barmanObjectStore.destinationPath).toBe("s3://hdp-backups/pg");
  });

  it("recovers to the last archived WAL without targetTime, under another server name", () => {
    const spec = clusterSpec(postgresObjects(platform, backup, { source: "pg" }));
    expect(spec.bootstrap.recovery.recoveryTarget).toBeUndefined();
    expect(spec.bootstrap.recovery.source).toBe("pg");
    expect(spec.backup.barmanObjectStore.serverName).toBe(restoredServerName({ source: "pg" }));
    expect(restoredServerName({ source: "pg" })).not.toBe(
      restoredServerName({ source: "pg", targetTime: "2026-12-01T09:30:00Z" }),
    );
  });

  it("starts empty (initdb), with the cluster's own server name, without a restore", () => {
    const spec = clusterSpec(postgresObjects(platform, backup));
    expect(Object.keys(spec.bootstrap)).toEqual(["initdb"]);
    expect(spec.backup.barmanObjectStore.serverName).toBeUndefined();
    expect(spec.externalClusters).toBeUndefined();
  });
});

describe("refusals of database.restore, naming the key", () => {
  const now = new Date("2026-12-03T08:00:00Z");
  const config = (restore: { source: string; targetTime?: string }, backups = true) => ({
    ...(backups ? { backups: {} } : {}),
    database: { restore },
  });

  it("refuses a restore without backups configured", () => {
    expect(restoreProblems(config({ source: "pg" }, false), undefined, now)).toEqual([
      {
        key: "database.restore",
        reason: "restores from the backups' bucket, and backups are not configured: set backups too",
      },
    ]);
  });

  it("refuses a point in time before the first backup", () => {
    const problems = restoreProblems(
      config({ source: "pg", targetTime: "2026-11-01T00:00:00Z" }),
      "2026-11-20T10:00:00.000Z",
      now,
    );
    expect(problems).toEqual([
      {
        key: "database.restore.targetTime",
        reason:
          "2026-11-01T00:00:00Z is before the first backup (backups since 2026-11-20T10:00:00.000Z): nothing to recover to",
      },
    ]);
  });

  it("refuses a point in time in the future", () => {
    const [problem] = restoreProblems(
      config({ source: "pg", targetTime: "2026-12-04T00:00:00Z" }),
      undefined,
      now,
    );
    expect(problem?.key).toBe("database.restore.targetTime");
    expect(problem?.reason).toMatch(/is in the future/);
  });

  it("accepts a point in time between the first backup and now", () => {
    expect(
      restoreProblems(
        config({ source: "pg", targetTime: "2026-12-01T09:30:00+01:00" }),
        "2026-11-20T10:00:00Z",
        now,
      ),
    ).toEqual([]);
  });

  it("refuses a target time without offset, by the schema, naming the key", async () => {
    await expect(
      evaluateStack(withRestore(prod, { source: "pg", targetTime: "2026-12-01 09:30" })),
    ).rejects.toThrow(/database\.restore\.targetTime: must be an ISO 8601 instant with offset/);
  });

  it("refuses, through the program, a restore on a stack without backups (dev)", async () => {
    const dev = await readStackFile("Pulumi.dev.yaml");
    await expect(evaluateStack(withRestore(dev, { source: "pg" }))).rejects.toThrow(
      /database\.restore: restores from the backups' bucket, and backups are not configured/,
    );
  });

  it("refuses, through the program, a point in time before the stack's first backup", async () => {
    const deployed = { k3sVersion: "v1.36.3+k3s1", nodes: {}, backupsSince: "2026-11-20T10:00:00.000Z" };
    await expect(
      evaluateStack(withRestore(prod, { source: "pg", targetTime: "2026-11-01T00:00:00Z" }), { deployed }),
    ).rejects.toThrow(/database\.restore\.targetTime: 2026-11-01T00:00:00Z is before the first backup/);
  });
});

describe("after a restore (prod, through the program)", () => {
  const now = new Date("2026-12-03T08:00:00Z");
  const restore = { source: "pg", targetTime: "2026-12-01T09:30:00Z" };
  const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster::postgres-cluster-pg";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cluster = (ev: Evaluation): any => comparableInputs(ev).get(CLUSTER);
  const recorded = (ev: Evaluation) => ev.outputs.deployed?.value as DeployedState;
  const restored = async () => {
    // The stack was first deployed, with its backups, before the point in time restored to.
    const first = await evaluateStack(prod, { now: new Date("2026-11-20T10:00:00Z") });
    return evaluateStack(withRestore(prod, restore), { now, deployed: recorded(first) });
  };

  it("records the restore the cluster was made from", async () => {
    const ev = await restored();
    expect(recorded(ev).restoredFrom).toEqual(restore);
    expect(cluster(ev).spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: restore.targetTime });
  });

  it("keeps the restored cluster when the setting is removed: no resource changes, the record stays", async () => {
    const ev = await restored();
    const removed = await evaluateStack(prod, { now, deployed: recorded(ev) });
    const before = comparableInputs(ev);
    const after = comparableInputs(removed);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...after].filter(([key, inputs]) => !isDeepStrictEqual(inputs, before.get(key)));
    expect(changed.map(([key]) => key)).toEqual([]);
    expect(cluster(removed).spec.backup.barmanObjectStore.serverName).toBe(restoredServerName(restore));
    expect(recorded(removed).restoredFrom).toEqual(restore);
  });

  it("replaces it with the next restore, which is then the one recorded", async () => {
    const ev = await restored();
    const next = { source: restoredServerName(restore) };
    const again = await evaluateStack(withRestore(prod, next), { now, deployed: recorded(ev) });
    expect(cluster(again).spec.bootstrap.recovery.source).toBe(next.source);
    expect(cluster(again).spec.bootstrap.recovery.recoveryTarget).toBeUndefined();
    expect(cluster(again).spec.externalClusters[0].barmanObjectStore.serverName).toBe(next.source);
    expect(recorded(again).restoredFrom).toEqual(next);
  });

  it("refuses to remove backups under a restored cluster, naming the key", async () => {
    const ev = await restored();
    const { backups: _, ...withoutBackups } = prod.settings;
    await expect(
      evaluateStack({ ...prod, settings: withoutBackups }, { now, deployed: recorded(ev) }),
    ).rejects.toThrow(/backups: the running PostgreSQL cluster was restored from the backups of "pg"/);
  });
});

const crdSet = await requireCrds();
describe.skipIf(!crdSet)("the restored Cluster through the plan (prod)", () => {
  it("renders, and matches the pinned CloudNativePG CRD", async () => {
    const ev = await evaluateStack(withRestore(prod, { source: "pg", targetTime: "2026-12-01T09:30:00Z" }), {
      now: new Date("2026-12-03T08:00:00Z"),
    });
    const objects = manifestObjects(ev).map((m) => m.object);
    const cluster = objects.find((o) => o.kind === "Cluster" && o.metadata.name === "pg");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((cluster?.spec as any).bootstrap.recovery.recoveryTarget.targetTime).toBe("2026-12-01T09:30:00Z");
    const result = await checkSchemas(objects, crdSet!.crds);
    expect(result.violations).toEqual([]);
    expect(result.outside).toEqual([]);
  });
});
