import type { KubeObject } from "./kilo-manifests.js";

/** A Pod Security Standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** The namespace of the system agents: Kilo, kube-router and the NVIDIA device plugin. */
export const SYSTEM_NAMESPACE = "kube-system";

/**
 * Why the system agents' namespace enforces `privileged`, agent by agent: each needs host access that
 * `baseline` forbids. Every other namespace the program places pods in enforces `restricted`, but the monitoring
 * stack's node agents' ({@link MONITORING_AGENT_NEEDS}).
 */
export const SYSTEM_AGENT_NEEDS: Readonly<Record<string, string>> = {
  kilo:
    "the CNI and WireGuard: host network, NET_ADMIN, privileged, hostPath for CNI config and /lib/modules; " +
    "with monitoring, the WireGuard exporter beside it reads the tunnels with NET_ADMIN",
  "kube-router": "enforces NetworkPolicies in the host's iptables: host network, privileged, hostPath",
  "nvidia-device-plugin":
    "registers GPUs with kubelet through a hostPath socket (/var/lib/kubelet/device-plugins)",
};

/**
 * The monitoring stack's node agents, in a namespace of their own that enforces `privileged` (the rest of the
 * stack's namespace enforces `restricted`): each needs host access that `baseline` forbids.
 */
export const MONITORING_AGENT_NEEDS: Readonly<Record<string, string>> = {
  "node-exporter":
    "reads the host's /proc, /sys and root filesystem and its network statistics: host network, host PID, hostPath",
  "dcgm-exporter":
    "reads the GPUs through DCGM as root with SYS_ADMIN (profiling counters), and kubelet's pod-resources socket (hostPath)",
};

/** Pod Security Admission labels that enforce `level`, at the server's latest version of the standard. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
  };
}

/**
 * The labels the program sets on `kube-system` (k3s creates the namespace; the program patches it): it says
 * out loud that the system agents need `privileged`, whatever the cluster's default level.
 */
export function systemNamespacePatch(): KubeObject & { apiVersion: "v1"; kind: "Namespace" } {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: SYSTEM_NAMESPACE, labels: podSecurityLabels("privileged") },
  };
}
