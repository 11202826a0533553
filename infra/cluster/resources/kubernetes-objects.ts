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
  "apps/v1/DaemonSet": k8s.apps.v1.DaemonSet,
};

/**
 * Declares a rendered object as its typed resource (never as untyped YAML fetched at
 * deploy time). The logical name is `<prefix>-<kind>-<name>`, lower case.
 */
export function declareObject(
  prefix: string,
  object: KubeObject,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const key = `${object.apiVersion}/${object.kind}`;
  const Typed = TYPED[key];
  if (!Typed) throw new Error(`declareObject: no typed resource for ${key}`);
  const name = `${prefix}-${object.kind}-${object.metadata.name}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  return new Typed(name, object as never, opts);
}
