// The `archive` settings and `backups` on the archive's store: defaults, every validation with the message
// that names the key, the secrets each store needs, and where the database backups and etcd snapshots go.
import { describe, expect, it } from "vitest";
import { archivePrefix, backupStore, offClusterSnapshotStore } from "./archive.js";
import { parseStackConfig } from "./parse.js";
import { requiredSecrets } from "./pulumi-config.js";
import { problemsOf, validSettings } from "./test-fixture.js";

const withSettings = (extra: Record<string, unknown>) => ({ ...validSettings(), ...extra });
const external = { endpoint: "https://fra1.digitaloceanspaces.com", region: "fra1" };
const ownBackups = { endpoint: "https://s3.example.net", bucket: "hdp-backups" };

describe("archive settings", () => {
  it("are off unless set", () => {
    expect(parseStackConfig(validSettings(), "dev").archive).toBeUndefined();
  });

  it("default to the in-cluster store, bucket hdp-archive, 20 GiB, 72 hours, keys under <stack>/", () => {
    const config = parseStackConfig(withSettings({ archive: {} }), "dev");
    expect(config.archive).toEqual({
      store: "in-cluster",
      bucket: "hdp-archive",
      storageGi: 20,
      lookbackHours: 72,
    });
    expect(archivePrefix(config.archive!, "dev")).toBe("dev/");
    expect(archivePrefix({ prefix: "" }, "dev")).toBe("");
    expect(archivePrefix({ prefix: "lake/hdp/" }, "dev")).toBe("lake/hdp/");
  });

  it("take an external store, its region defaulting to us-east-1", () => {
    const config = parseStackConfig(
      withSettings({ archive: { store: { endpoint: external.endpoint }, bucket: "hdp-dev-archive" } }),
      "dev",
    );
    expect(config.archive?.store).toEqual({ endpoint: external.endpoint, region: "us-east-1" });
  });

  it.each<[string, unknown, string]>([
    [
      "a store given as another word",
      { store: "minio" },
      'archive.store: must be in-cluster or an object with keys endpoint, region, got string "minio"',
    ],
    [
      "an external store over plain HTTP",
      { store: { endpoint: "http://s3.example.net" } },
      "archive.store.endpoint: must be the store's https URL",
    ],
    [
      "an external store without its endpoint",
      { store: { region: "fra1" } },
      "archive.store: must be in-cluster or an object with keys endpoint, region, got an object",
    ],
    [
      "a region with upper case",
      { store: { ...external, region: "EU-West" } },
      "archive.store.region: must be a region name such as us-east-1 or fra1",
    ],
    [
      "a bucket with upper case",
      { bucket: "HDP_Archive" },
      "archive.bucket: must be a bucket name (3 to 63 of a-z, 0-9, '.' and '-')",
    ],
    [
      "a prefix without its trailing slash",
      { prefix: "dev" },
      'archive.prefix: must be empty or end with "/", without a leading "/" (e.g. "dev/" or "archive/dev/")',
    ],
    [
      "a prefix with a leading slash",
      { prefix: "/dev/" },
      'archive.prefix: must be empty or end with "/", without a leading "/" (e.g. "dev/" or "archive/dev/")',
    ],
    [
      "a prefix that climbs",
      { prefix: "dev/../prod/" },
      'archive.prefix: must be empty or end with "/", without a leading "/" (e.g. "dev/" or "archive/dev/")',
    ],
    ["a volume of 0 GiB", { storageGi: 0 }, "archive.storageGi: must be at least 1, got number 0"],
    [
      "a volume size given as a quantity",
      { storageGi: "20Gi" },
      'archive.storageGi: must be an integer from 1 to 1000, got string "20Gi"',
    ],
    [
      "a look-back of more than 31 days",
      { lookbackHours: 745 },
      "archive.lookbackHours: must be at most 744, got number 745",
    ],
  ])("refuse %s, naming the key", (_, archive, problem) => {
    expect(problemsOf(withSettings({ archive }))).toEqual([problem]);
  });

  it("refuse the in-cluster store on a stack without cloud workers, naming archive.store", () => {
    const settings = withSettings({ archive: {}, monitoring: { enabled: false } });
    (settings.workers as Record<string, unknown>).count = 0;
    expect(problemsOf(settings)).toEqual([
      "archive.store: the in-cluster store keeps its volume on a cloud worker, and the stack has none: " +
        "give it a worker (workers.count) or set archive.store to an external endpoint ({ endpoint, region })",
    ]);
    expect(problemsOf({ ...settings, archive: { store: external } })).toEqual([]);
  });

  it("need the archive's keys as secrets with an external store only", () => {
    const secrets = (archive: unknown) => requiredSecrets(parseStackConfig(withSettings({ archive }), "dev"));
    expect(secrets({})).not.toContain("archiveAccessKeyId");
    expect(secrets({ store: external })).toEqual(
      expect.arrayContaining(["archiveAccessKeyId", "archiveSecretAccessKey"]),
    );
  });
});

describe("backups on the archive's store", () => {
  it("default to the bucket hdp-backups, with no keys of their own", () => {
    const config = parseStackConfig(
      withSettings({ archive: {}, backups: { store: "archive", retentionDays: 7 } }),
      "dev",
    );
    expect(backupStore(config)).toEqual({ kind: "archive-in-cluster", bucket: "hdp-backups" });
    expect(requiredSecrets(config)).not.toContain("backupAccessKeyId");
    expect(requiredSecrets(config)).not.toContain("archiveAccessKeyId");
  });

  it("use the external store's endpoint and its keys", () => {
    const config = parseStackConfig(
      withSettings({
        archive: { store: external },
        backups: { store: "archive", bucket: "hdp-dev-backups" },
      }),
      "dev",
    );
    expect(backupStore(config)).toEqual({
      kind: "archive-external",
      endpoint: external.endpoint,
      bucket: "hdp-dev-backups",
    });
    expect(requiredSecrets(config)).toEqual(expect.arrayContaining(["archiveAccessKeyId"]));
    expect(requiredSecrets(config)).not.toContain("backupAccessKeyId");
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "without the archive",
      { backups: { store: "archive" } },
      'backups.store: "archive" puts the backups on the archive\'s store, and archive is not configured: set archive too',
    ],
    [
      "with an endpoint too",
      { archive: {}, backups: { store: "archive", ...ownBackups } },
      '"archive" puts the backups on the archive\'s store, and backups.endpoint names another: set one of the two',
    ],
    [
      "in the archive's bucket",
      { archive: { bucket: "hdp-lake" }, backups: { store: "archive", bucket: "hdp-lake" } },
      'backups.bucket: "hdp-lake" is the archive\'s bucket (archive.bucket): the backups need a bucket of their own (default "hdp-backups")',
    ],
    [
      "given as another store's name",
      { archive: {}, backups: { store: "s3" } },
      'backups.store: must be archive, got string "s3"',
    ],
  ])("are refused %s, naming the key", (_, extra, problem) => {
    expect(problemsOf(withSettings(extra)).join("\n")).toContain(problem);
  });

  it("are refused with neither an endpoint nor a store, and a bucket is required with an endpoint", () => {
    expect(problemsOf(withSettings({ backups: { retentionDays: 7 } }))).toEqual([
      'backups: needs endpoint (an S3-compatible store of its own, keys backupAccessKeyId and backupSecretAccessKey) or store: "archive" (the archive\'s store)',
    ]);
    expect(problemsOf(withSettings({ backups: { endpoint: ownBackups.endpoint } }))).toEqual([
      "backups.bucket: is required with backups.endpoint",
    ]);
  });
});

describe("the control plane's snapshots and the archive's store", () => {
  const restore = { restore: { snapshot: "etcd-snapshot-k3s-server-1-1733212800" } };

  it("upload to the backups' own store, or to the archive's external store with its keys", () => {
    const own = parseStackConfig(withSettings({ backups: ownBackups }), "dev");
    expect(offClusterSnapshotStore(own)).toEqual({ ...ownBackups, keys: "backup" });
    const archived = parseStackConfig(
      withSettings({ archive: { store: external }, backups: { store: "archive" } }),
      "dev",
    );
    expect(offClusterSnapshotStore(archived)).toEqual({
      endpoint: external.endpoint,
      bucket: "hdp-backups",
      keys: "archive",
    });
  });

  it("stay on the servers with the backups on the in-cluster store: it would be inside the cluster it restores", () => {
    const config = parseStackConfig(withSettings({ archive: {}, backups: { store: "archive" } }), "dev");
    expect(offClusterSnapshotStore(config)).toBeUndefined();
    expect(offClusterSnapshotStore(parseStackConfig(withSettings({ archive: {} }), "dev"))).toBeUndefined();
  });

  it("refuse a restore by snapshot name from the in-cluster store, naming controlPlane.restore.snapshot and why", () => {
    const problems = problemsOf(
      withSettings({ archive: {}, backups: { store: "archive" }, controlPlane: restore }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^controlPlane\.restore\.snapshot: "etcd-snapshot-k3s-server-1-1733212800"/);
    expect(problems[0]).toContain("the cluster being restored would hold its own snapshot");
    const local = { restore: { snapshot: "/var/lib/rancher/k3s/server/db/snapshots/s-1" } };
    expect(
      problemsOf(withSettings({ archive: {}, backups: { store: "archive" }, controlPlane: local })),
    ).toEqual([]);
    expect(
      problemsOf(
        withSettings({ archive: { store: external }, backups: { store: "archive" }, controlPlane: restore }),
      ),
    ).toEqual([]);
  });
});
