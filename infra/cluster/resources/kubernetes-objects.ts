import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubeObject } from "../kilo-manifests.js";

type Constructor = new (
  name: string,
  args: never,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/** The typed `@pulumi/kubernetes` resource of each kind the program declares. */
const TYPED: Record<string, Constructor> = {
  "apiextensions.k8s.io/v1/CustomResourceDefinition": k8s.apiextensions.v1.CustomResourceDefinition,
  "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
  "v1/ConfigMap": k8s.core.v1.ConfigMap,
  "rbac.authorization.k8s.io/v1/ClusterRole": k8s.rbac.v1.ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": k8s.rbac.v1.ClusterRoleBinding,
  "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
  "apps/v1/DaemonSet": k8s.apps.v1.DaemonSet,
  "apps/v1/Deployment": k8s.apps.v1.Deployment,
  "apps/v1/StatefulSet": k8s.apps.v1.StatefulSet,
  "batch/v1/CronJob": k8s.batch.v1.CronJob,
  "batch/v1/Job": k8s.batch.v1.Job,
  "v1/Namespace": k8s.core.v1.Namespace,
  "v1/Service": k8s.core.v1.Service,
  "networking.k8s.io/v1/Ingress": k8s.networking.v1.Ingress,
  "networking.k8s.io/v1/NetworkPolicy": k8s.networking.v1.NetworkPolicy,
  "autoscaling/v2/HorizontalPodAutoscaler": k8s.autoscaling.v2.HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget,
};

/** Built-in API groups: their kinds must be typed above; other groups are custom resources. */
const BUILT_IN = /^(v1|(apps|batch|policy|autoscaling)\/v\d+|[a-z.]*k8s\.io\/v\d+)$/;

/**
 * Declares a rendered object as its typed resource (never as untyped YAML fetched at
 * deploy time), or as a custom resource of an operator's API group. The logical name
 * is `<prefix>-<kind>-<name>`, lower case.
 */
export function declareObject(
  prefix: string,
  object: KubeObject,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const key = `${object.apiVersion}/${object.kind}`;
  const name = `${prefix}-${object.kind}-${object.metadata.name}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const Typed = TYPED[key];
  if (Typed) return new Typed(name, object as never, opts);
  if (BUILT_IN.test(object.apiVersion)) throw new Error(`declareObject: no typed resource for ${key}`);
  // An operator's custom resource (Strimzi, CloudNativePG, cert-manager, Traefik).
  return new k8s.apiextensions.CustomResource(name, object as never, opts);
}
