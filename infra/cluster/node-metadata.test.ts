import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseStackConfig, readStackFile } from "../config/index.js";
import { kiloAnnotations, nodeLabels, nodeTaints } from "./node-metadata.js";
import { clusterNodes, locationLeaders, type ClusterNode } from "./node-model.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function stackNodes(stack: string): Promise<ClusterNode[]> {
  const file = await readStackFile(`${ROOT}/Pulumi.${stack}.yaml`);
  return clusterNodes(parseStackConfig(file.settings, file.stack));
}

const byName = (nodes: ClusterNode[], name: string) => nodes.find((n) => n.name === name)!;

describe("node labels, taints and Kilo annotations (dev stack)", () => {
  it("lists the cloud nodes first, then the on-premises nodes", async () => {
    expect((await stackNodes("dev")).map((n) => `${n.provider}:${n.name}`)).toEqual([
      "digitalocean:k3s-server-1",
      "hetzner:k3s-worker-1",
      "on-prem:gpu-lab-1",
      "on-prem:pi-lab-1",
    ]);
  });

  it("taints the server against workloads and the Pi for sensor workloads only", async () => {
    const nodes = await stackNodes("dev");
    expect(nodeTaints(byName(nodes, "k3s-server-1"))).toEqual([
      { key: "dedicated", value: "master", effect: "NoSchedule" },
    ]);
    expect(nodeTaints(byName(nodes, "pi-lab-1"))).toEqual([
      { key: "dedicated", value: "pi", effect: "NoSchedule" },
    ]);
    expect(nodeTaints(byName(nodes, "gpu-lab-1"))).toEqual([]);
    expect(nodeTaints(byName(nodes, "k3s-worker-1"))).toEqual([]);
  });

  it("labels role, region and architecture", async () => {
    const nodes = await stackNodes("dev");
    expect(nodeLabels(byName(nodes, "pi-lab-1"))).toEqual({
      "node-role.kubernetes.io/sensor": "true",
      "hdp.io/role": "sensor",
      "topology.kubernetes.io/region": "lab",
      "kubernetes.io/arch": "arm64",
    });
    expect(nodeLabels(byName(nodes, "k3s-worker-1"))["topology.kubernetes.io/region"]).toBe("nbg1");
    expect(nodeLabels(byName(nodes, "k3s-server-1"))["node-role.kubernetes.io/control-plane"]).toBe("true");
  });

  it("gives keepalive behind NAT, force-endpoint only on the forwarded node, and one leader per location", async () => {
    const nodes = await stackNodes("dev");
    const leaders = locationLeaders(nodes);
    expect(kiloAnnotations(byName(nodes, "gpu-lab-1"), leaders)).toEqual({
      "kilo.squat.ai/persistent-keepalive": "25",
      "kilo.squat.ai/force-endpoint": "lab.example.net:51821",
      "kilo.squat.ai/leader": "true",
    });
    expect(kiloAnnotations(byName(nodes, "pi-lab-1"), leaders)).toEqual({
      "kilo.squat.ai/persistent-keepalive": "25",
    });
    expect(kiloAnnotations(byName(nodes, "k3s-worker-1"), leaders)).toEqual({});
  });
});

describe("prod stack", () => {
  it("has exactly one leader per on-premises location, and it is reachable", async () => {
    const nodes = await stackNodes("prod");
    const leaders = locationLeaders(nodes);
    for (const location of ["hq", "plant"]) {
      const led = nodes.filter(
        (n) => n.location === location && kiloAnnotations(n, leaders)["kilo.squat.ai/leader"],
      );
      expect(led).toHaveLength(1);
      expect(led[0]!.reach.mode).not.toBe("nat");
    }
  });

  it("never puts force-endpoint on a node the router does not forward to", async () => {
    const nodes = await stackNodes("prod");
    const leaders = locationLeaders(nodes);
    for (const node of nodes) {
      const forced = "kilo.squat.ai/force-endpoint" in kiloAnnotations(node, leaders);
      expect(forced, node.name).toBe(node.reach.mode === "forwarded");
    }
  });
});
