import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** A pinned chart of a Helm repository, installed as one release. */
export interface ChartRelease {
  /** The release's name (and the last part of the resource's). */
  readonly id: string;
  readonly chart: string;
  /** The exact chart version. */
  readonly version: string;
  readonly repo: string;
  readonly namespace: string;
  readonly values?: Record<string, unknown>;
  /** Let Helm create the namespace (the operators'); the program declares its own. @default true */
  readonly createNamespace?: boolean;
  /** Seconds Helm waits for the release's resources. @default 600 */
  readonly timeout?: number;
}

/**
 * A Helm release `<prefix>-<id>`, atomic: a failed install or upgrade is rolled back, and `pulumi up` fails
 * with Helm's reason.
 */
export function chartRelease(
  prefix: string,
  release: ChartRelease,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    `${prefix}-${release.id}`,
    {
      name: release.id,
      chart: release.chart,
      version: release.version,
      namespace: release.namespace,
      createNamespace: release.createNamespace ?? true,
      repositoryOpts: { repo: release.repo },
      values: release.values ?? {},
      atomic: true,
      timeout: release.timeout ?? 600,
    },
    opts,
  );
}
