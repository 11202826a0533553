import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudInit } from "./cloud-init.js";
import { K3S_CONFIG_PATH, K3S_TOKEN_FILE, renderK3sServerConfig } from "./k3s-config.js";
import { K3S_VERSION } from "./k3s-version.js";

const userData = renderCloudInit({
  k3sRole: "server",
  k3sVersion: K3S_VERSION,
  k3sConfig: renderK3sServerConfig({
    nodeName: "k3s-server-1",
    publicAddress: "203.0.113.5",
    mode: "single",
    labels: {},
    taints: [{ key: "dedicated", value: "master", effect: "NoSchedule" }],
  }),
  token: "K10secret-token",
  sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8e1aZ4v9c0uJb4m3C7m1yK0q ops@laptop"],
});

describe("renderCloudInit", () => {
  it("is valid cloud-config according to cloud-init's own schema", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hdp-cloud-init-"));
    const file = join(dir, "user-data.yaml");
    await writeFile(file, userData);
    const checked = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
    await rm(dir, { recursive: true, force: true });
    if (checked.error && process.env.CI !== "true") return; // cloud-init not installed here; CI installs it
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/Valid cloud-config/);
  });

  it("writes the k3s config and the token readable by root only, then installs the pinned k3s", () => {
    const doc = parse(userData) as {
      write_files: { path: string; permissions: string }[];
      runcmd: string[][];
      ssh_pwauth: boolean;
    };
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    expect(doc.write_files.map((f) => [f.path, f.permissions])).toEqual([
      [K3S_CONFIG_PATH, "0600"],
      [K3S_TOKEN_FILE, "0600"],
    ]);
    expect(doc.runcmd[0]![2]).toContain(`INSTALL_K3S_VERSION='${K3S_VERSION}'`);
    expect(doc.runcmd[0]![2]).toContain("INSTALL_K3S_EXEC='server'");
    expect(doc.ssh_pwauth).toBe(false);
  });
});
