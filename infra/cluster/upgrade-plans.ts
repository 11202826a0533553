import type { KubeObject } from "./kilo-manifests.js";
import { SERVER_TAINT } from "./node-metadata.js";
import { podSecurityLabels } from "./pod-security.js";

/**
 * Rancher's system-upgrade-controller (https://github.com/rancher/system-upgrade-controller) and the two
 * `Plan`s that upgrade k3s from inside the cluster: the servers first, one at a time and cordoned, then the
 * agents, drained, once the server Plan is complete. Changing `k3sVersion` changes the Plans' `version` and
 * nothing else; the controller runs one Job per node with `rancher/k3s-upgrade` at that version, which
 * replaces the k3s binary and restarts k3s (the node, its volumes and its bootstrap stay).
 *
 * The controller's objects are declared here (as Kilo's are) from its release's manifests, since its Go
 * module is not on the registries this project builds from. At start the controller also applies its own,
 * complete `plans.upgrade.cattle.io` CRD; the one declared here covers the fields the program sets, so that
 * the offline plan and the API server check the Plans against it.
 */

/** Pinned release of the controller, and the kubectl image its cordon and drain Jobs run (the release's default). */
export const SYSTEM_UPGRADE_CONTROLLER = {
  version: "v0.20.1",
  image: "docker.io/rancher/system-upgrade-controller:v0.20.1",
  kubectlImage: "docker.io/rancher/kubectl:v1.30.3",
  /** The controller tags it with each Plan's `version` (`+` becomes `-`). */
  k3sUpgradeImage: "docker.io/rancher/k3s-upgrade",
} as const;

/** Where the controller and its upgrade Jobs run. */
export const UPGRADE_NAMESPACE = "system-upgrade";

/**
 * Why the upgrade namespace enforces `privileged`: the upgrade Jobs replace the k3s binary on the host and
 * restart its service. The controller itself runs restricted.
 */
export const UPGRADE_JOB_NEEDS =
  "the upgrade Jobs run privileged in the host's PID and network namespaces, with the host's root filesystem " +
  "mounted, to replace the k3s binary and restart k3s";

/** A node the Plans leave alone while it carries this label with the value `false` (an operator's hold). */
export const UPGRADE_HOLD_LABEL = "hdp.io/k3s-upgrade";

const SERVICE_ACCOUNT = "system-upgrade";
const CONTROLLER = "system-upgrade-controller";
const CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

export interface UpgradePlanArgs {
  /** The k3s release every node converges to. */
  readonly k3sVersion: string;
  /** Agents upgraded at the same time. */
  readonly agentConcurrency: number;
  /** How long an agent's drain may take before its upgrade Job fails (and retries). */
  readonly drainTimeoutSeconds: number;
}

/**
 * A Plan chooses its nodes by label; no taint may keep one of them from its upgrade (the servers' and the
 * Pis' taints from the program, a GPU taint an operator adds by hand). The upgrade Job is bound to its node,
 * so tolerating every taint places it nowhere else.
 */
const EVERY_TAINT = [{ operator: "Exists" }];

/** The servers, or the agents, that the Plans upgrade (a held node excepted). */
function selector(servers: boolean): Record<string, unknown> {
  return {
    matchExpressions: [
      { key: CONTROL_PLANE_LABEL, operator: servers ? "Exists" : "DoesNotExist" },
      { key: UPGRADE_HOLD_LABEL, operator: "NotIn", values: ["false"] },
    ],
  };
}

export const SERVER_PLAN = "k3s-server";
export const AGENT_PLAN = "k3s-agent";

/** The two Plans of a k3s release: servers one at a time (cordoned), then agents (drained) after them. */
export function k3sUpgradePlans(args: UpgradePlanArgs): KubeObject[] {
  const plan = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: "upgrade.cattle.io/v1",
    kind: "Plan",
    metadata: { name, namespace: UPGRADE_NAMESPACE, labels: { "app.kubernetes.io/part-of": "k3s-upgrade" } },
    spec: {
      version: args.k3sVersion,
      serviceAccountName: SERVICE_ACCOUNT,
      upgrade: { image: SYSTEM_UPGRADE_CONTROLLER.k3sUpgradeImage },
      ...spec,
    },
  });
  return [
    plan(SERVER_PLAN, {
      concurrency: 1,
      cordon: true,
      nodeSelector: selector(true),
      tolerations: EVERY_TAINT,
    }),
    plan(AGENT_PLAN, {
      concurrency: args.agentConcurrency,
      nodeSelector: selector(false),
      tolerations: EVERY_TAINT,
      // Waits until the server Plan has upgraded every server: an agent is never newer than the control plane.
      prepare: { image: SYSTEM_UPGRADE_CONTROLLER.k3sUpgradeImage, args: ["prepare", SERVER_PLAN] },
      drain: {
        // A string: the controller reads an integer as nanoseconds.
        timeout: `${args.drainTimeoutSeconds}s`,
        ignoreDaemonSets: true,
        deleteEmptydirData: true,
        // Pods that no controller owns would block the drain for good; they are deleted.
        force: true,
        // Honours PodDisruptionBudgets this long per pod, then moves on.
        skipWaitForDeleteTimeout: 60,
      },
    }),
  ];
}

const str = { type: "string" };
const int = { type: "integer" };
const bool = { type: "boolean" };
const open = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
const labelSelector = {
  type: "object",
  properties: {
    matchLabels: { type: "object", additionalProperties: str },
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        required: ["key", "operator"],
        properties: { key: str, operator: str, values: { type: "array", items: str } },
      },
    },
  },
};
const container = {
  type: "object",
  required: ["image"],
  properties: {
    image: str,
    command: { type: "array", items: str },
    args: { type: "array", items: str },
    envs: { type: "array", items: open },
    envFrom: { type: "array", items: open },
    volumes: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "source", "destination"],
        properties: { name: str, source: str, destination: str },
      },
    },
    securityContext: open,
  },
};

/** `plans.upgrade.cattle.io`, the fields of the controller's `PlanSpec` at the pinned release. */
function planCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "plans.upgrade.cattle.io" },
    spec: {
      group: "upgrade.cattle.io",
      names: { kind: "Plan", listKind: "PlanList", plural: "plans", singular: "plan" },
      scope: "Namespaced",
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Version", type: "string", jsonPath: ".spec.version" },
            {
              name: "Complete",
              type: "string",
              jsonPath: ".status.conditions[?(@.type=='Complete')].status",
            },
            { name: "Applying", type: "string", jsonPath: ".status.applying", priority: 10 },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description:
                "A set of Jobs that apply an upgrade (or another operation) to the nodes it selects.",
              properties: {
                spec: {
                  type: "object",
                  required: ["upgrade"],
                  properties: {
                    concurrency: { type: "integer", minimum: 0 },
                    jobActiveDeadlineSecs: int,
                    nodeSelector: labelSelector,
                    serviceAccountName: str,
                    channel: str,
                    version: str,
                    secrets: {
                      type: "array",
                      items: {
                        type: "object",
                        required: ["name", "path"],
                        properties: { name: str, path: str, ignoreUpdates: bool, defaultMode: int },
                      },
                    },
                    tolerations: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          key: str,
                          operator: str,
                          value: str,
                          effect: str,
                          tolerationSeconds: int,
                        },
                      },
                    },
                    exclusive: bool,
                    window: {
                      type: "object",
                      properties: {
                        days: { type: "array", items: str },
                        startTime: str,
                        endTime: str,
                        timeZone: str,
                      },
                    },
                    prepare: container,
                    upgrade: container,
                    cordon: bool,
                    drain: {
                      type: "object",
                      properties: {
                        timeout: { "x-kubernetes-int-or-string": true },
                        gracePeriod: int,
                        deleteLocalData: bool,
                        deleteEmptydirData: bool,
                        ignoreDaemonSets: bool,
                        force: bool,
                        disableEviction: bool,
                        skipWaitForDeleteTimeout: int,
                        podSelector: labelSelector,
                      },
                    },
                    imagePullSecrets: { type: "array", items: { type: "object", properties: { name: str } } },
                    postCompleteDelay: str,
                    priorityClassName: str,
                    postCompleteLabels: { type: "object", additionalProperties: str },
                  },
                },
                status: open,
              },
            },
          },
        },
      ],
    },
  };
}

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames ? { resourceNames } : {}),
});

/**
 * The controller: its namespace (privileged, for the upgrade Jobs), service account, RBAC (the release's,
 * drain rights included), settings and Deployment on the control plane, and the Plan CRD. In apply order.
 * `kubectlImage` replaces the release's image of the cordon and drain Jobs (`upgrades.kubectlImage`).
 */
export function systemUpgradeControllerManifests(
  options: { readonly kubectlImage?: string | undefined } = {},
): KubeObject[] {
  const namespace = UPGRADE_NAMESPACE;
  const labels = { "app.kubernetes.io/name": CONTROLLER, "app.kubernetes.io/part-of": "k3s-upgrade" };
  const subjects = [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace }];
  const kubectlImage = options.kubectlImage ?? SYSTEM_UPGRADE_CONTROLLER.kubectlImage;
  return [
    planCrd(),
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { ...podSecurityLabels("privileged"), ...labels } },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: SERVICE_ACCOUNT, namespace, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: CONTROLLER, labels },
      rules: [
        rule(["batch"], ["jobs"], ["get", "list", "watch"]),
        rule(
          ["apiextensions.k8s.io"],
          ["customresourcedefinitions"],
          ["get", "list", "watch", "create", "patch", "update"],
        ),
        rule([""], ["namespaces", "nodes"], ["get", "list", "watch"]),
        rule([""], ["nodes"], ["update"]),
        rule([""], ["events"], ["get", "create", "patch", "update"]),
        rule(["coordination.k8s.io"], ["leases"], ["create"]),
        rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [CONTROLLER]),
        rule(
          ["upgrade.cattle.io"],
          ["plans", "plans/status"],
          ["get", "list", "watch", "create", "patch", "update", "delete"],
        ),
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: `${CONTROLLER}-drainer`, labels },
      rules: [
        rule([""], ["pods/eviction"], ["create"]),
        rule([""], ["pods"], ["get", "list", "delete"]),
        rule([""], ["nodes"], ["get", "patch"]),
        rule(["apps"], ["statefulsets", "daemonsets", "replicasets"], ["get", "list"]),
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: CONTROLLER, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: CONTROLLER },
      subjects,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `${CONTROLLER}-drainer`, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `${CONTROLLER}-drainer` },
      subjects,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: CONTROLLER, namespace, labels },
      rules: [
        rule(
          ["batch"],
          ["jobs"],
          ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"],
        ),
        rule([""], ["secrets"], ["get", "list", "watch"]),
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: CONTROLLER, namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: CONTROLLER },
      subjects,
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "default-controller-env", namespace, labels },
      data: {
        SYSTEM_UPGRADE_CONTROLLER_DEBUG: "false",
        SYSTEM_UPGRADE_CONTROLLER_THREADS: "2",
        SYSTEM_UPGRADE_CONTROLLER_LEADER_ELECT: "true",
        SYSTEM_UPGRADE_JOB_ACTIVE_DEADLINE_SECONDS: "900",
        SYSTEM_UPGRADE_JOB_BACKOFF_LIMIT: "99",
        SYSTEM_UPGRADE_JOB_IMAGE_PULL_POLICY: "IfNotPresent",
        SYSTEM_UPGRADE_JOB_KUBECTL_IMAGE: kubectlImage,
        SYSTEM_UPGRADE_JOB_PRIVILEGED: "true",
        SYSTEM_UPGRADE_JOB_TTL_SECONDS_AFTER_FINISH: "900",
        SYSTEM_UPGRADE_PLAN_POLLING_INTERVAL: "15m",
      },
    },
    controllerDeployment(namespace, labels),
  ];
}

function controllerDeployment(namespace: string, labels: Record<string, string>): KubeObject {
  const selectorLabels = { "upgrade.cattle.io/controller": CONTROLLER };
  const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: CONTROLLER, namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels },
      template: {
        // The controller's own label keeps its pod out of the drains it runs.
        metadata: { labels: { ...labels, ...selectorLabels } },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: CONTROL_PLANE_LABEL, operator: "Exists" }] }],
              },
            },
          },
          // The servers' own taint, and the control plane's usual ones.
          tolerations: [
            {
              key: SERVER_TAINT.key,
              operator: "Equal",
              value: SERVER_TAINT.value,
              effect: SERVER_TAINT.effect,
            },
            { key: "CriticalAddonsOnly", operator: "Exists" },
            { key: CONTROL_PLANE_LABEL, operator: "Exists", effect: "NoSchedule" },
          ],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            runAsGroup: 65534,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: CONTROLLER,
              image: SYSTEM_UPGRADE_CONTROLLER.image,
              envFrom: [{ configMapRef: { name: "default-controller-env" } }],
              env: [
                {
                  name: "SYSTEM_UPGRADE_CONTROLLER_NAME",
                  ...fieldRef("metadata.labels['upgrade.cattle.io/controller']"),
                },
                { name: "SYSTEM_UPGRADE_CONTROLLER_NAMESPACE", ...fieldRef("metadata.namespace") },
                { name: "SYSTEM_UPGRADE_CONTROLLER_NODE_NAME", ...fieldRef("spec.nodeName") },
              ],
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          // No host paths: the Plans name a version, so the controller never fetches a channel URL.
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}
