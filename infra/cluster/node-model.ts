import type { OnPremNode, Reach, StackConfig } from "../config/index.js";
import { cloudNodeNames } from "../config/index.js";

/** Where a node runs. */
export type NodeProvider = "digitalocean" | "hetzner" | "on-prem";

/** Kubernetes role of a node: the control plane, or what its workloads are. */
export type NodeRole = "server" | "worker" | "gpu" | "sensor";

/**
 * The one description every node component shares, whatever the provider: what the
 * labels, taints, Kilo annotations and bootstrap scripts are derived from.
 */
export interface ClusterNode {
  readonly name: string;
  readonly provider: NodeProvider;
  readonly role: NodeRole;
  /** `topology.kubernetes.io/region`: the cloud region, or the on-premises location. */
  readonly region: string;
  /** Kilo location: nodes of one location share one WireGuard leader. */
  readonly location: string;
  readonly arch: "amd64" | "arm64" | "arm";
  readonly reach: Reach;
  readonly raspberryPi: boolean;
}

function onPremNode(node: OnPremNode): ClusterNode {
  return {
    name: node.name,
    provider: "on-prem",
    role: node.role,
    region: node.location,
    location: node.location,
    arch: node.arch ?? (node.hardware === "raspberry-pi" ? "arm64" : "amd64"),
    // A forwarded port is on the router in front of the node; without a name for it, the SSH host is that router.
    reach:
      node.reach.mode === "forwarded"
        ? { ...node.reach, endpoint: node.reach.endpoint ?? node.ssh.host }
        : node.reach,
    raspberryPi: node.hardware === "raspberry-pi",
  };
}

/** Every node of the stack, cloud nodes first, in a stable order. */
export function clusterNodes(config: StackConfig): ClusterNode[] {
  const names = cloudNodeNames(config);
  const cloud: ClusterNode[] = names.map((name) => {
    const server = name.startsWith("k3s-server-");
    const region = server ? config.server.region : config.workers.location;
    return {
      name,
      provider: server ? "digitalocean" : "hetzner",
      role: server ? "server" : "worker",
      region,
      location: region,
      arch: "amd64",
      reach: { mode: "public" },
      raspberryPi: false,
    };
  });
  return [...cloud, ...config.onPremNodes.map(onPremNode)];
}

/**
 * The Kilo leader of each location: the first node, by name, that other locations can
 * reach (public or forwarded). Cloud locations lead with their first node.
 */
export function locationLeaders(nodes: readonly ClusterNode[]): Map<string, string> {
  const leaders = new Map<string, string>();
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  for (const node of sorted) {
    if (node.reach.mode !== "nat" && !leaders.has(node.location)) leaders.set(node.location, node.name);
  }
  return leaders;
}
