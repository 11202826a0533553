import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  deleteNodeCommand,
  drainNodeCommand,
  publicKubeconfig,
  readKubeconfigCommand,
  waitForNodeCommand,
} from "./kubeconfig.js";

const K3S_YAML = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0E=
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
`;

describe("publicKubeconfig", () => {
  it("points at the public address and names cluster, user and context after the stack", () => {
    const doc = parse(publicKubeconfig(K3S_YAML, "203.0.113.9", "hdp-dev")) as {
      clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
      users: { name: string; user: Record<string, string> }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
      "current-context": string;
    };
    expect(doc.clusters[0]).toEqual({
      name: "hdp-dev",
      cluster: { server: "https://203.0.113.9:6443", "certificate-authority-data": "Q0E=" },
    });
    expect(doc.users[0]).toEqual({
      name: "hdp-dev",
      user: { "client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ" },
    });
    expect(doc.contexts).toEqual([{ name: "hdp-dev", context: { cluster: "hdp-dev", user: "hdp-dev" } }]);
    expect(doc["current-context"]).toBe("hdp-dev");
  });

  it("brackets an IPv6 address", () => {
    expect(publicKubeconfig(K3S_YAML, "2001:db8::9", "hdp")).toContain("server: https://[2001:db8::9]:6443");
  });

  it("refuses text that is not a kubeconfig, without echoing it", () => {
    expect(() => publicKubeconfig("cat: /etc/rancher/k3s/k3s.yaml: secret-ish", "203.0.113.9", "x")).toThrow(
      /not a kubeconfig/,
    );
    try {
      publicKubeconfig("secret-ish: 1", "203.0.113.9", "x");
    } catch (error) {
      expect(String(error)).not.toContain("secret-ish");
    }
  });
});

describe("server-side commands", () => {
  it("waits for k3s.yaml with a bounded time and a clear message", () => {
    const cmd = readKubeconfigCommand(60);
    expect(cmd).toMatch(/^timeout 60 /);
    expect(cmd).toContain("journalctl -u k3s");
    expect(cmd).toMatch(/cat \/etc\/rancher\/k3s\/k3s\.yaml$/);
  });

  it("waits for a node by its name and refuses a name that could inject shell", () => {
    expect(waitForNodeCommand("pi-lab-1", 30)).toContain("k3s kubectl get node pi-lab-1");
    expect(() => waitForNodeCommand("pi; rm -rf /")).toThrow(/invalid node name/);
  });
});

describe("the commands a node's removal runs on the server", () => {
  /** Runs `script` with a stub `k3s` that logs its arguments; `get node` succeeds when `registered`, drain as told. */
  function run(script: string, stub: { registered: boolean; drains: boolean }) {
    const dir = mkdtempSync(join(tmpdir(), "hdp-leave-"));
    try {
      writeFileSync(
        join(dir, "k3s"),
        `#!/bin/sh\necho "$*" >>"${dir}/calls"\ncase "$2" in get) exit ${stub.registered ? 0 : 1};; drain) exit ${stub.drains ? 0 : 1};; esac\n`,
      );
      chmodSync(join(dir, "k3s"), 0o755);
      const result = spawnSync("sh", ["-c", script], {
        encoding: "utf8",
        env: { PATH: `${dir}:/usr/bin:/bin` },
      });
      const calls = (() => {
        try {
          return readFileSync(join(dir, "calls"), "utf8").trim().split("\n");
        } catch {
          return [];
        }
      })();
      return { status: result.status, output: result.stdout + result.stderr, calls };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("drains a registered node with the timeout", () => {
    const result = run(drainNodeCommand("pi-lab-2", 120), { registered: true, drains: true });
    expect(result.status).toBe(0);
    expect(result.calls).toContain(
      "kubectl drain pi-lab-2 --ignore-daemonsets --delete-emptydir-data --timeout=120s",
    );
  });

  it("stops the removal with the reason when the drain does not finish", () => {
    const result = run(drainNodeCommand("pi-lab-2", 120), { registered: true, drains: false });
    expect(result.status).toBe(1);
    expect(result.output).toContain("node pi-lab-2 did not drain within 120 s");
  });

  it("has nothing to drain for a node that never registered", () => {
    const result = run(drainNodeCommand("pi-lab-2", 120), { registered: false, drains: false });
    expect(result.status).toBe(0);
    expect(result.calls.some((c) => c.startsWith("kubectl drain"))).toBe(false);
  });

  it("deletes the Node object and k3s's password secret of it, both idempotently", () => {
    const result = run(deleteNodeCommand("pi-lab-2"), { registered: true, drains: true });
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      "kubectl delete node pi-lab-2 --ignore-not-found --wait=true",
      "kubectl -n kube-system delete secret pi-lab-2.node-password.k3s --ignore-not-found",
    ]);
  });

  it("refuses a name that is not a node name", () => {
    expect(() => drainNodeCommand("x; reboot", 60)).toThrow(/invalid node name/);
    expect(() => deleteNodeCommand("x; reboot")).toThrow(/invalid node name/);
  });
});
