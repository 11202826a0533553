import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../config/index.js";
import { validSettings } from "../config/test-fixture.js";
import { clusterNodes, locationLeaders } from "./node-model.js";
import { renderTopologyDiagram } from "./topology-diagram.js";

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
});
