import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { publicKubeconfig, readKubeconfigCommand, waitForNodeCommand } from "./kubeconfig.js";

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
