import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../config/index.js";
import { validSettings } from "../config/test-fixture.js";
import { clusterNodes, locationLeaders } from "./node-model.js";
import { TOPOLOGY_LEGEND, renderTopologyDiagram } from "./topology-diagram.js";

const config = parseStackConfig({ ...validSettings(), workers: { location: "nbg1", count: 2 } }, "dev");

describe("renderTopologyDiagram", () => {
  const nodes = clusterNodes(config);
  const diagram = renderTopologyDiagram(nodes, locationLeaders(nodes));

  it("draws one box per location holding its nodes", () => {
    expect(diagram.match(/subgraph /g)).toHaveLength(3);
    for (const node of nodes) expect(diagram).toContain(`["${node.name}<br/>`);
  });

  it("links the leaders of every two locations once, and only the leaders", () => {
    const links = diagram.split("\n").filter((l) => l.includes("|WireGuard|"));
    expect(links).toHaveLength(3);
    expect(diagram).toContain('gpu_lab_1["gpu-lab-1<br/>gpu, forwarded ★ leader"]');
    expect(links.some((l) => l.includes("pi_lab_1"))).toBe(false);
    expect(links.some((l) => l.includes("k3s_worker_2"))).toBe(false);
  });

  it("links every node that is not a leader to its location's leader, and no leader to itself", () => {
    const leaders = locationLeaders(nodes);
    const local = diagram.split("\n").filter((l) => l.includes("|local|"));
    const followers = nodes.filter((n) => leaders.get(n.location) !== n.name);
    expect(followers.map((n) => n.name).sort()).toEqual(["k3s-worker-2", "pi-lab-1"]);
    expect(local).toHaveLength(followers.length);
    for (const node of followers) {
      const leader = leaders.get(node.location)!.replace(/[^A-Za-z0-9]/g, "_");
      expect(local).toContain(`  ${node.name.replace(/[^A-Za-z0-9]/g, "_")} ---|local| ${leader}`);
    }
  });

  it("explains every reach mode and mark it uses in its legend", () => {
    for (const mode of new Set(nodes.map((n) => n.reach.mode)))
      expect(TOPOLOGY_LEGEND).toContain(`| \`${mode}\` |`);
    for (const mark of ["★ leader", "`WireGuard` link", "`local` link", "box"])
      expect(TOPOLOGY_LEGEND).toContain(`| ${mark}`);
    expect(TOPOLOGY_LEGEND).toContain("`nat`");
  });
});
