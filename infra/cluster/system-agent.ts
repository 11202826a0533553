/**
 * The pod of a node-level system agent (Kilo, kube-router): on the host's network, on
 * every node whatever its taints (control plane, Raspberry Pis), critical priority.
 */
export function systemAgentPod(spec: {
  readonly serviceAccountName: string;
  readonly [field: string]: unknown;
}): Record<string, unknown> {
  return {
    hostNetwork: true,
    priorityClassName: "system-node-critical",
    tolerations: [
      { operator: "Exists", effect: "NoSchedule" },
      { operator: "Exists", effect: "NoExecute" },
    ],
    ...spec,
  };
}
