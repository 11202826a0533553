import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudInit, type CloudInitArgs } from "./cloud-init.js";
import {
  ETCD_S3_CREDENTIALS_PATH,
  etcdS3Target,
  renderEtcdS3Credentials,
  type EtcdSnapshotSettings,
} from "./etcd-snapshots.js";
import { K3S_CONFIG_PATH, K3S_TOKEN_FILE, renderK3sServerConfig } from "./k3s-config.js";
import { K3S_VERSION } from "./k3s-version.js";

const s3Snapshots: EtcdSnapshotSettings = {
  schedule: "0 */6 * * *",
  retention: 28,
  s3: etcdS3Target({ endpoint: "https://fra1.digitaloceanspaces.com", bucket: "hdp-backups" }, "dev"),
};

const serverArgs = (snapshots: EtcdSnapshotSettings = { schedule: "0 */6 * * *", retention: 28 }) => ({
  k3sRole: "server" as const,
  k3sVersion: K3S_VERSION,
  k3sConfig: renderK3sServerConfig({
    nodeName: "k3s-server-1",
    publicAddress: "203.0.113.5",
    mode: "single",
    labels: {},
    taints: [{ key: "dedicated", value: "master", effect: "NoSchedule" }],
    snapshots,
  }),
  token: "K10secret-token",
  sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8e1aZ4v9c0uJb4m3C7m1yK0q ops@laptop"],
});

const userData = renderCloudInit(serverArgs());
const credentials = renderEtcdS3Credentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI" });
const s3Args: CloudInitArgs = { ...serverArgs(s3Snapshots), etcdS3Credentials: credentials };
const SNAPSHOT = "etcd-snapshot-k3s-server-1-1733212800";

interface UserDataDoc {
  write_files: { path: string; permissions: string; content: string }[];
  runcmd: string[][];
  ssh_pwauth: boolean;
}

/** `cloud-init schema` on a user data text: undefined when cloud-init is not installed (outside CI). */
async function cloudInitSchema(text: string) {
  const dir = await mkdtemp(join(tmpdir(), "hdp-cloud-init-"));
  const file = join(dir, "user-data.yaml");
  await writeFile(file, text);
  const checked = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
  await rm(dir, { recursive: true, force: true });
  if (checked.error && process.env.CI !== "true") return undefined; // CI installs it
  return checked;
}

describe("renderCloudInit", () => {
  it.each<[string, CloudInitArgs]>([
    ["a server", serverArgs()],
    ["a server with S3 snapshot keys", s3Args],
    ["a first server restoring a snapshot", { ...s3Args, restoreSnapshot: SNAPSHOT }],
  ])("is valid cloud-config according to cloud-init's own schema: %s", async (_, args) => {
    const checked = await cloudInitSchema(renderCloudInit(args));
    if (!checked) return;
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/Valid cloud-config/);
  });

  it("writes the k3s config and the token readable by root only, then installs the pinned k3s", () => {
    const doc = parse(userData) as UserDataDoc;
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    expect(doc.write_files.map((f) => [f.path, f.permissions])).toEqual([
      [K3S_CONFIG_PATH, "0600"],
      [K3S_TOKEN_FILE, "0600"],
    ]);
    expect(doc.runcmd[0]![2]).toContain(`INSTALL_K3S_VERSION='${K3S_VERSION}'`);
    expect(doc.runcmd[0]![2]).toContain("INSTALL_K3S_EXEC='server'");
    expect(doc.ssh_pwauth).toBe(false);
  });

  it("writes the etcd S3 keys to a k3s config drop-in of their own, root only, and not into config.yaml", () => {
    const doc = parse(renderCloudInit(s3Args)) as UserDataDoc;
    expect(doc.write_files.map((f) => [f.path, f.permissions])).toEqual([
      [K3S_CONFIG_PATH, "0600"],
      [K3S_TOKEN_FILE, "0600"],
      [ETCD_S3_CREDENTIALS_PATH, "0600"],
    ]);
    expect(ETCD_S3_CREDENTIALS_PATH).toMatch(/^\/etc\/rancher\/k3s\/config\.yaml\.d\/[^/]+\.yaml$/);
    expect(doc.write_files[2]?.content).toBe(credentials);
    expect(doc.write_files[0]?.content).toContain("etcd-s3: true");
    expect(doc.write_files[0]?.content).not.toContain("AKIDEXAMPLE");
    expect(doc.write_files[0]?.content).not.toContain("wJalrXUtnFEMI");
  });

  it("writes no drop-in without S3 keys", () => {
    const doc = parse(userData) as UserDataDoc;
    expect(doc.write_files.map((f) => f.path)).not.toContain(ETCD_S3_CREDENTIALS_PATH);
  });

  it("restores a snapshot once, before k3s first starts: install without starting, reset, then start", () => {
    const doc = parse(renderCloudInit({ ...s3Args, restoreSnapshot: SNAPSHOT })) as UserDataDoc;
    expect(doc.runcmd).toHaveLength(1);
    const steps = doc.runcmd[0]![2]!.split(" && ");
    expect(steps).toHaveLength(3);
    expect(steps[0]).toMatch(/^curl -sfL https:\/\/get\.k3s\.io \| .*INSTALL_K3S_SKIP_START=true sh -s -$/);
    expect(steps[0]).toContain(`INSTALL_K3S_VERSION='${K3S_VERSION}'`);
    expect(steps[1]).toBe(`k3s server --cluster-reset --cluster-reset-restore-path='${SNAPSHOT}'`);
    expect(steps[2]).toBe("systemctl start k3s");
    // Never in the config k3s reads on every start.
    expect(doc.write_files.map((f) => f.content).join("\n")).not.toContain("cluster-reset");
  });

  it("starts k3s from the installer, with no reset, when there is nothing to restore", () => {
    const script = (parse(renderCloudInit(s3Args)) as UserDataDoc).runcmd[0]![2]!;
    expect(script).not.toContain("INSTALL_K3S_SKIP_START");
    expect(script).not.toContain("cluster-reset");
    expect(script).not.toContain("systemctl start");
  });

  it("refuses a restore on an agent", () => {
    expect(() => renderCloudInit({ ...serverArgs(), k3sRole: "agent", restoreSnapshot: SNAPSHOT })).toThrow(
      /only a server restores/,
    );
  });
});
