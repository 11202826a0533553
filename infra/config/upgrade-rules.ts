import type { DeployedState } from "./deployed.js";
import type { Problem } from "./rules.js";
import type { StackConfig } from "./schema.js";

/** `v1.36.3+k3s1` → [36, 3, 1]: minor, patch and k3s revision, which order k3s releases. */
function releaseOf(version: string): [number, number, number] | undefined {
  const match = /^v1\.(\d+)\.(\d+)\+k3s(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
function compareReleases(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * The k3s version against the last deployment's: Kubernetes supports neither a downgrade nor skipping a minor
 * (the control plane steps through each one, and its storage migrations with it), so a change of
 * `k3sVersion` is refused when it goes back, or forward by more than one minor, naming both versions.
 */
export function k3sVersionProblems(config: StackConfig, deployed: DeployedState | undefined): Problem[] {
  if (!deployed || deployed.k3sVersion === config.k3sVersion) return [];
  const wanted = releaseOf(config.k3sVersion);
  const current = releaseOf(deployed.k3sVersion);
  // The schema has already refused a malformed k3sVersion; an unreadable deployed one is reported here.
  if (!wanted) return [];
  if (!current) {
    return [
      {
        key: "k3sVersion",
        reason: `the last deployment recorded "${deployed.k3sVersion}", which is not a k3s release; cannot check the change to ${config.k3sVersion}`,
      },
    ];
  }
  if (compareReleases(wanted, current) < 0) {
    return [
      {
        key: "k3sVersion",
        reason:
          `${config.k3sVersion} is older than ${deployed.k3sVersion}, the version deployed: k3s cannot be ` +
          `downgraded in place (restore a control-plane snapshot taken before the upgrade instead)`,
      },
    ];
  }
  if (wanted[0] - current[0] > 1) {
    return [
      {
        key: "k3sVersion",
        reason:
          `${config.k3sVersion} is ${wanted[0] - current[0]} minors past ${deployed.k3sVersion}, the version ` +
          `deployed: upgrade one minor at a time (first to a v1.${current[0] + 1} release)`,
      },
    ];
  }
  return [];
}
