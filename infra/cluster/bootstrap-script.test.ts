import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderK3sAgentConfig } from "./k3s-config.js";
import { K3S_VERSION } from "./k3s-version.js";
import { renderNodeBootstrap, renderNodeUninstall } from "./bootstrap-script.js";
import type { ClusterNode } from "./node-model.js";

const VERSION = K3S_VERSION;
const TOKEN = "K10abcdef0123456789::server:0123456789abcdef";

const pi: ClusterNode = {
  name: "pi-lab-1",
  provider: "on-prem",
  role: "sensor",
  region: "lab",
  location: "lab",
  arch: "arm64",
  reach: { mode: "nat" },
  raspberryPi: true,
};
const gpu: ClusterNode = { ...pi, name: "gpu-lab-1", role: "gpu", arch: "amd64", raspberryPi: false };

/** Stubbed system commands: each records its call; installers create what they install. */
const STUBS: Record<string, string> = {
  uname: 'echo "$STUB_MACHINE"',
  "apt-get": `for a in "$@"; do
  case "$a" in wireguard-tools) printf '#!/bin/sh\\n' >"$STUB_BIN/wg"; chmod +x "$STUB_BIN/wg";;
    nvidia-container-toolkit) printf '#!/bin/sh\\n' >"$STUB_BIN/nvidia-ctk"; chmod +x "$STUB_BIN/nvidia-ctk";; esac
done`,
  systemctl: "true",
  reboot: "true",
  gpg: 'while [ $# -gt 0 ]; do [ "$1" = -o ] && { mkdir -p "$(dirname "$2")"; cat >"$2"; }; shift; done',
  "nvidia-smi": "true",
  curl: `case "$*" in
  *get.k3s.io*) cat <<'INSTALLER'
mkdir -p "$HDP_ROOT/usr/local/bin"
printf '#!/bin/sh\\necho "k3s version %s (stub)"\\n' "$INSTALL_K3S_VERSION" >"$HDP_ROOT/usr/local/bin/k3s"
chmod +x "$HDP_ROOT/usr/local/bin/k3s"
INSTALLER
  ;;
  *) echo "deb https://nvidia.github.io/libnvidia-container/stable/deb/amd64 /" ;;
esac`,
};

interface Sandbox {
  readonly root: string;
  readonly bin: string;
  readonly calls: string;
}

async function sandbox(machine: string): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), "hdp-bootstrap-"));
  const root = join(dir, "root");
  const bin = join(dir, "bin");
  const calls = join(dir, "calls.log");
  await mkdir(bin, { recursive: true });
  await mkdir(join(root, "boot/firmware"), { recursive: true });
  await writeFile(
    join(root, "boot/firmware/cmdline.txt"),
    "console=serial0,115200 root=PARTUUID=1234-02 rootwait\n",
  );
  for (const [name, body] of Object.entries(STUBS)) {
    const file = join(bin, name);
    await writeFile(file, `#!/usr/bin/env bash\necho "${name} $*" >>"${calls}"\n${body}\n`);
    await chmod(file, 0o755);
  }
  await writeFile(join(dir, "machine"), machine);
  return { root, bin, calls };
}

function run(box: Sandbox, script: string, machine: string, stdin = `${TOKEN}\n`) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const child = execFile(
      "bash",
      ["-c", script],
      {
        env: {
          PATH: `${box.bin}:/usr/bin:/bin`,
          HDP_ROOT: box.root,
          HDP_REBOOT_DELAY: "0",
          STUB_BIN: box.bin,
          STUB_MACHINE: machine,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
    child.stdin!.end(stdin);
  });
}

/** Every file under the sandbox root with a hash of its content and its mode. */
async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const hash = createHash("sha256")
          .update(await readFile(path))
          .digest("hex")
          .slice(0, 16);
        out[relative(root, path)] = `${hash} ${((await stat(path)).mode & 0o777).toString(8)}`;
      }
    }
  }
  await walk(root);
  return out;
}

const readCalls = async (box: Sandbox) =>
  (await readFile(box.calls, "utf8").catch(() => "")).trim().split("\n").filter(Boolean);
const MUTATING = /^(apt-get|systemctl|reboot|gpg)|get\.k3s\.io/;

describe("on-premises bootstrap script", () => {
  let server: Server;
  let port: number;
  const script = (node: ClusterNode, serverPort = port) =>
    renderNodeBootstrap({
      node,
      k3sVersion: VERSION,
      k3sConfig: renderK3sAgentConfig({
        nodeName: node.name,
        serverUrl: `https://127.0.0.1:${serverPort}`,
        labels: {},
        taints: [],
      }),
      server: { host: "127.0.0.1", port: serverPort },
    });

  beforeAll(async () => {
    server = createServer((socket) => socket.end()).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("passes shellcheck", () => {
    const checked = spawnSync("shellcheck", ["-s", "bash", "-"], {
      input: script(gpu) + renderNodeUninstall(),
      encoding: "utf8",
    });
    if (checked.error && process.env.CI !== "true") return; // shellcheck not installed here; CI installs it
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.status).toBe(0);
  });

  it("never holds the join token: it comes on standard input", () => {
    expect(script(pi)).not.toContain(TOKEN);
  });

  it("on a Raspberry Pi: enables memory cgroups, installs k3s, reboots; a second run after the reboot changes nothing", async () => {
    const box = await sandbox("aarch64");
    const first = await run(box, script(pi), "aarch64");
    expect(first.code, first.out).toBe(0);
    expect(await readFile(join(box.root, "boot/firmware/cmdline.txt"), "utf8")).toContain(
      "cgroup_memory=1 cgroup_enable=memory",
    );
    expect(await readFile(join(box.root, "etc/rancher/k3s/token"), "utf8")).toBe(`${TOKEN}\n`);
    expect(((await stat(join(box.root, "etc/rancher/k3s/token"))).mode & 0o777).toString(8)).toBe("600");
    await new Promise((r) => setTimeout(r, 200));
    expect(await readCalls(box)).toEqual(expect.arrayContaining([expect.stringMatching(/^reboot/)]));

    // The reboot brought the memory controller up.
    await mkdir(join(box.root, "sys/fs/cgroup"), { recursive: true });
    await writeFile(join(box.root, "sys/fs/cgroup/cgroup.controllers"), "cpuset cpu io memory pids\n");
    const before = await tree(box.root);
    await writeFile(box.calls, "");
    const second = await run(box, script(pi), "aarch64");
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain("already up to date");
    expect((await readCalls(box)).filter((c) => MUTATING.test(c))).toEqual([]);
    expect(await tree(box.root)).toEqual(before);
    await rm(join(box.root, ".."), { recursive: true, force: true });
  });

  it("on the GPU workstation: installs the NVIDIA toolkit before k3s; a second run changes nothing", async () => {
    const box = await sandbox("x86_64");
    const first = await run(box, script(gpu), "x86_64");
    expect(first.code, first.out).toBe(0);
    const calls = await readCalls(box);
    const toolkit = calls.findIndex(
      (c) => c.includes("nvidia-container-toolkit") && c.startsWith("apt-get install"),
    );
    const k3s = calls.findIndex((c) => c.includes("get.k3s.io"));
    expect(toolkit).toBeGreaterThanOrEqual(0);
    expect(toolkit).toBeLessThan(k3s);
    const before = await tree(box.root);
    await writeFile(box.calls, "");
    const second = await run(box, script(gpu), "x86_64");
    expect(second.code, second.out).toBe(0);
    expect((await readCalls(box)).filter((c) => MUTATING.test(c))).toEqual([]);
    expect(await tree(box.root)).toEqual(before);
    await rm(join(box.root, ".."), { recursive: true, force: true });
  });

  it.each([
    ["kept when the upgrade Plans moved it past the install version", "v1.99.9+k3s1", false],
    ["kept at the install version", VERSION, false],
    ["installed when older than the install version", "v1.20.1+k3s1", true],
  ])("k3s on the node is %s", async (_name, installed, installs) => {
    const box = await sandbox("x86_64");
    await mkdir(join(box.root, "usr/local/bin"), { recursive: true });
    const k3s = join(box.root, "usr/local/bin/k3s");
    await writeFile(k3s, `#!/bin/sh\necho "k3s version ${installed} (stub)"\n`);
    await chmod(k3s, 0o755);
    const result = await run(box, script(gpu), "x86_64");
    expect(result.code, result.out).toBe(0);
    expect((await readCalls(box)).some((c) => c.includes("get.k3s.io"))).toBe(installs);
    const version = spawnSync(k3s, ["--version"], { encoding: "utf8" }).stdout;
    expect(version).toContain(installs ? VERSION : installed);
    await rm(join(box.root, ".."), { recursive: true, force: true });
  });

  it.each([
    [
      "the wrong architecture",
      "x86_64",
      () => script(pi),
      "wrong architecture: this node is x86_64, the stack declares aarch64",
    ],
    ["no route to the server", "aarch64", () => script(pi, 1), "no route to the k3s server at 127.0.0.1:1"],
  ])("fails pre-flight with a clear message on %s", async (_name, machine, render, message) => {
    const box = await sandbox(machine);
    const result = await run(box, render(), machine);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(message);
    expect((await readCalls(box)).filter((c) => MUTATING.test(c))).toEqual([]);
    await rm(join(box.root, ".."), { recursive: true, force: true });
  });

  it("fails when memory cgroups are still missing after the reboot", async () => {
    const box = await sandbox("aarch64");
    await writeFile(
      join(box.root, "boot/firmware/cmdline.txt"),
      "root=PARTUUID=1 cgroup_memory=1 cgroup_enable=memory\n",
    );
    const result = await run(box, script(pi), "aarch64");
    expect(result.code).not.toBe(0);
    expect(result.out).toContain("memory cgroups are still unavailable after a reboot");
  });

  it("uses the older /boot/cmdline.txt layout when there is no /boot/firmware", async () => {
    const box = await sandbox("aarch64");
    await rm(join(box.root, "boot/firmware"), { recursive: true });
    await writeFile(join(box.root, "boot/cmdline.txt"), "root=PARTUUID=1 rootwait\n");
    const result = await run(box, script(pi), "aarch64");
    expect(result.code, result.out).toBe(0);
    expect(await readFile(join(box.root, "boot/cmdline.txt"), "utf8")).toContain("cgroup_memory=1");
  });
});
