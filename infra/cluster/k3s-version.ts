/**
 * The k3s release both stacks pin, and the Kubernetes release inside it. The test control plane
 * (scripts/k8s/) is built at the same Kubernetes version, so that what the tests admit is what the
 * cluster's API server admits. k3s names its releases `v<kubernetes>+k3s<n>`.
 *
 * Kubernetes 1.36 is within upstream support (each minor gets about 14 months of patches).
 */
export const K3S_VERSION = "v1.36.3+k3s1";

/** `v1.36.3+k3s1` → `v1.36.3`. Throws on a name that is not a k3s release. */
export function kubernetesVersionOf(k3sVersion: string): string {
  const match = /^(v1\.\d+\.\d+)\+k3s\d+$/.exec(k3sVersion);
  if (!match?.[1]) throw new Error(`not a k3s release: ${k3sVersion} (expected e.g. ${K3S_VERSION})`);
  return match[1];
}

/** `v1.36.3` → `1.36`: the minor that k3s upgrades must step through one at a time. */
export function minorOf(version: string): string {
  const match = /^v?(1\.\d+)\./.exec(version);
  if (!match?.[1]) throw new Error(`not a Kubernetes version: ${version}`);
  return match[1];
}

/** The Kubernetes release of {@link K3S_VERSION}. */
export const KUBERNETES_VERSION = kubernetesVersionOf(K3S_VERSION);
