import type { ClusterNode } from "./node-model.js";

const id = (text: string) => text.replace(/[^A-Za-z0-9]/g, "_");

/**
 * A Mermaid diagram of the mesh: one box per location with its nodes (leaders
 * marked), and one WireGuard link between the leaders of every two locations —
 * Kilo's `location` granularity. Links to a location behind NAT are drawn dashed:
 * that side keeps them open with keepalives.
 */
export function renderTopologyDiagram(
  nodes: readonly ClusterNode[],
  leaders: ReadonlyMap<string, string>,
): string {
  const locations = [...new Set(nodes.map((n) => n.location))];
  const lines = ["flowchart LR"];
  for (const location of locations) {
    lines.push(`  subgraph ${id(location)}["${location}"]`);
    for (const node of nodes.filter((n) => n.location === location)) {
      const leader = leaders.get(location) === node.name ? " ★ leader" : "";
      lines.push(`    ${id(node.name)}["${node.name}<br/>${node.role}, ${node.reach.mode}${leader}"]`);
    }
    lines.push("  end");
  }
  for (let i = 0; i < locations.length; i++) {
    for (let j = i + 1; j < locations.length; j++) {
      const [a, b] = [leaders.get(locations[i]!), leaders.get(locations[j]!)];
      if (!a || !b) continue;
      const natted = [a, b].some((name) => nodes.find((n) => n.name === name)?.reach.mode === "nat");
      lines.push(`  ${id(a)} ${natted ? "-.-" : "---"}|WireGuard| ${id(b)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
