import type { ClusterNode } from "./node-model.js";

const id = (text: string) => text.replace(/[^A-Za-z0-9]/g, "_");

/**
 * A Mermaid diagram of the mesh: one box per location with its nodes (leaders
 * marked), one WireGuard link between the leaders of every two locations —
 * Kilo's `location` granularity — and a `local` link from every other node to its
 * location's leader, through which its traffic to other locations goes. Leaders are
 * never `nat` (the config refuses a location without a reachable node), so every
 * WireGuard link can be dialled from both ends. {@link TOPOLOGY_LEGEND} explains it.
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
  for (const node of nodes) {
    const leader = leaders.get(node.location);
    if (leader && leader !== node.name) lines.push(`  ${id(node.name)} ---|local| ${id(leader)}`);
  }
  for (let i = 0; i < locations.length; i++) {
    for (let j = i + 1; j < locations.length; j++) {
      const [a, b] = [leaders.get(locations[i]!), leaders.get(locations[j]!)];
      if (!a || !b) continue;
      lines.push(`  ${id(a)} ===|WireGuard| ${id(b)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** What the diagram's marks mean: printed under it in the plan's `topology.md`. */
export const TOPOLOGY_LEGEND = `How to read it:

| mark | meaning |
| --- | --- |
| box | a location (Kilo's \`kilo.squat.ai/location\`): nodes that reach each other directly on their own network |
| \`public\` | the node has a public address of its own; other locations dial its WireGuard port (51820/udp) there |
| \`forwarded\` | behind NAT, and the router forwards a UDP port to it; other locations dial the router's public address and that port |
| \`nat\` | behind NAT without a forward: nobody outside can dial it, so it reaches the other locations through its location's leader |
| ★ leader | the node that carries its location's WireGuard traffic to every other location: a cloud location's first node, an on-premises location's first \`public\` or \`forwarded\` node (annotated \`kilo.squat.ai/leader\`); a location needs one |
| \`WireGuard\` link (thick) | a tunnel between two locations' leaders, one per pair of locations |
| \`local\` link (thin) | a node to its location's leader on the location's own network; its traffic to other locations goes through the leader |
`;
