import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../config/index.js";
import { clusterNodes, locationLeaders } from "./node-model.js";
import { renderTopologyDiagram } from "./topology-diagram.js";

const config = parseStackConfig(
  {
    k3sVersion: "v1.31.4+k3s1",
    server: { region: "nyc3" },
    workers: { location: "nbg1", count: 2 },
    onPremNodes: [
      {
        name: "gpu-lab-1",
        role: "gpu",
        ssh: { host: "lab.example.net" },
        location: "lab",
        reach: { mode: "forwarded", udpPort: 51821 },
      },
      {
        name: "pi-lab-1",
        role: "sensor",
        hardware: "raspberry-pi",
        ssh: { host: "10.0.0.2" },
        location: "lab",
        reach: { mode: "nat" },
      },
    ],
    adminCidrs: ["198.51.100.0/24"],
    sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8e1aZ4v9c0uJb4m3C7m1yK0q ops@laptop"],
    dns: { web: "dev.example.net", api: "api.dev.example.net", kafkaUi: "kafka.dev.example.net" },
  },
  "dev",
);

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
