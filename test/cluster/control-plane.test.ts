// The test control plane is the cluster's Kubernetes: built at the pinned k3s's version, and saying so.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { K3S_VERSION, KUBERNETES_VERSION, minorOf } from "../../infra/cluster/index.js";
import { parseStackConfig, readStackFile } from "../../infra/config/index.js";
import { stackNames } from "../../infra/plan/stacks.js";
import {
  BUILD_MODULE,
  requiredVersion,
  versionLdflags,
  wrapperKubernetesVersion,
} from "../../scripts/k8s/binaries.js";
import { componentArgs } from "../../scripts/k8s/control-plane.js";
import { KubeClient } from "../../scripts/k8s/client.js";
import { requireControlPlane } from "../setup/k8s.js";

const credentials = await requireControlPlane();
const stacks = await stackNames(".");

describe("the control plane's versions", () => {
  it("builds k8s.io/kubernetes at the Kubernetes release of the pinned k3s", () => {
    expect(K3S_VERSION).toMatch(/^v1\.\d+\.\d+\+k3s\d+$/);
    expect(wrapperKubernetesVersion()).toBe(KUBERNETES_VERSION);
  });

  it("replaces every staging module of k8s.io/kubernetes with its published v0.<minor>.<patch>", () => {
    const goMod = readFileSync(`${BUILD_MODULE}/go.mod`, "utf8");
    const staging = `v0${KUBERNETES_VERSION.slice(2)}`;
    const replaced = [...goMod.matchAll(/^\s+(k8s\.io\/[\w-]+) => (k8s\.io\/[\w-]+) (v\S+)$/gm)];
    expect(replaced.length).toBeGreaterThanOrEqual(31);
    for (const [, from, to, version] of replaced) {
      expect(to).toBe(from);
      expect(version, from).toBe(staging);
    }
    expect(requiredVersion(`${BUILD_MODULE}/go.mod`, "k8s.io/api")).toBe(staging);
  });

  it.each(stacks)("runs stack %s at the control plane's Kubernetes minor", async (stack) => {
    const file = await readStackFile(`Pulumi.${stack}.yaml`);
    const config = parseStackConfig(file.settings, stack);
    expect(minorOf(config.k3sVersion)).toBe(minorOf(KUBERNETES_VERSION));
  });

  it("stamps the version into the binaries and their clients", () => {
    const flags = versionLdflags("v1.36.3");
    for (const pkg of ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]) {
      expect(flags).toContain(`-X ${pkg}.gitVersion=v1.36.3`);
      expect(flags).toContain(`-X ${pkg}.gitMinor=36`);
    }
  });

  it("listens on loopback only", () => {
    const args = componentArgs({
      dir: "/cp",
      etcdPort: 1,
      etcdPeerPort: 2,
      apiPort: 3,
      kwokPort: 4,
      binaries: { kwokStages: "/cp/stages.yaml" },
    });
    const addresses = Object.values(args)
      .flat()
      .flatMap((a) => [...a.matchAll(/(?:https?:\/\/)?(\d+\.\d+\.\d+\.\d+)(?::\d+)?/g)].map((m) => m[1]));
    const listening = Object.values(args)
      .flat()
      .filter((a) => /--(listen|bind|advertise|server-address|node-ip)/.test(a));
    expect(listening.length).toBeGreaterThan(5);
    for (const a of listening) expect(a, a).toMatch(/127\.0\.0\.1/);
    expect(addresses.every((a) => a === "127.0.0.1" || a?.startsWith("10.4"))).toBe(true);
  });
});

describe.skipIf(!credentials)("a running control plane", () => {
  it("reports the pinned Kubernetes version", async () => {
    const client = new KubeClient(credentials!);
    try {
      const response = await client.request("GET", "/version");
      expect((response.body as { gitVersion: string }).gitVersion).toBe(KUBERNETES_VERSION);
    } finally {
      client.close();
    }
  });
});
