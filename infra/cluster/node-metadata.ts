import type { ClusterNode } from "./node-model.js";

/** A Kubernetes taint. */
export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

const KILO = "kilo.squat.ai";

/** Seconds between WireGuard keepalives from a node behind NAT (keeps its NAT mapping open). */
export const PERSISTENT_KEEPALIVE_SECONDS = 25;

/** WireGuard's port on nodes that are reached directly. */
export const WIREGUARD_PORT = 51820;

/** Labels of a node: its role (as a node-role label and `hdp.io/role`), region and architecture. */
export function nodeLabels(node: ClusterNode): Record<string, string> {
  return {
    [`node-role.kubernetes.io/${node.role === "server" ? "control-plane" : node.role}`]: "true",
    "hdp.io/role": node.role,
    "topology.kubernetes.io/region": node.region,
    "kubernetes.io/arch": node.arch,
  };
}

/** The k3s servers' taint: the control plane takes no workloads. */
export const SERVER_TAINT: Taint = { key: "dedicated", value: "master", effect: "NoSchedule" };
/** The Raspberry Pis' taint: only sensor workloads. */
export const PI_TAINT: Taint = { key: "dedicated", value: "pi", effect: "NoSchedule" };

/** Taints: the control plane takes no workloads; Raspberry Pis only sensor workloads. */
export function nodeTaints(node: Pick<ClusterNode, "role" | "raspberryPi">): Taint[] {
  if (node.role === "server") return [SERVER_TAINT];
  if (node.raspberryPi) return [PI_TAINT];
  return [];
}

/**
 * Kilo annotations of a node: its location where it differs from the region,
 * `persistent-keepalive` behind NAT, `force-endpoint` only where a router forwards a
 * UDP port to it, and `leader` on the chosen leader of an on-premises location.
 * See https://kilo.squat.ai/docs/annotations
 */
export function kiloAnnotations(
  node: ClusterNode,
  leaders: ReadonlyMap<string, string>,
): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (node.location !== node.region) annotations[`${KILO}/location`] = node.location;
  if (node.reach.mode !== "public")
    annotations[`${KILO}/persistent-keepalive`] = String(PERSISTENT_KEEPALIVE_SECONDS);
  if (node.reach.mode === "forwarded" && node.reach.endpoint) {
    annotations[`${KILO}/force-endpoint`] = `${node.reach.endpoint}:${node.reach.udpPort}`;
  }
  if (node.provider === "on-prem" && leaders.get(node.location) === node.name)
    annotations[`${KILO}/leader`] = "true";
  return annotations;
}
