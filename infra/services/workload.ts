import type { KubeObject } from "../cluster/kilo-manifests.js";
import { GPU_RESOURCE } from "../cluster/nvidia-device-plugin.js";

/** User and group the containers run as (the images create it). */
export const APP_UID = 10001;

/** An environment variable's source. */
export type EnvSource =
  | string
  | { readonly secret: string; readonly key: string; readonly optional?: boolean }
  | { readonly field: string };

export interface Toleration {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule";
}

export interface IngressRoute {
  readonly host: string;
  readonly path: string;
  /** Traefik middlewares (`<namespace>-<name>@kubernetescrd`) applied on this host. */
  readonly middlewares?: readonly string[];
}

/**
 * One containerized workload, whatever it is: the building block every service
 * component (and the Kafka UI) is made of. {@link renderWorkload} turns it into
 * hardened Kubernetes objects.
 */
export interface WorkloadSpec {
  readonly name: string;
  readonly namespace: string;
  /** `app.kubernetes.io/part-of`. */
  readonly partOf: string;
  /** `app.kubernetes.io/component`: what the network policies select (one per service). */
  readonly component: string;
  readonly image: string;
  readonly kind: "Deployment" | "DaemonSet" | "CronJob";
  /** The container's command, in place of the image's ENTRYPOINT. @default the image's */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Deployment replicas. @default 1 */
  readonly replicas?: number;
  /** CronJob schedule, in `timeZone`. */
  readonly schedule?: string;
  readonly timeZone?: string;
  /** Longest run of a CronJob's job, seconds. @default 300 */
  readonly deadlineSeconds?: number;
  /**
   * Exit codes after which a CronJob's job fails at once instead of being retried (a configuration error
   * fails every retry alike); its pods then restart never, each retry a new pod. @default none: retried
   */
  readonly failFastExitCodes?: readonly number[];
  /** The HTTP port the container listens on (health endpoints, Service), named `http`. */
  readonly port?: number;
  /**
   * A port of its own for `/metrics`, named `metrics` (Prometheus's PodMonitor names it): on the container
   * only, never on the Service, so that an Ingress cannot reach it.
   */
  readonly metricsPort?: number;
  /** HTTP probe paths: liveness and readiness, on the named port. @default port "http" */
  readonly probes?: {
    readonly liveness: string;
    readonly readiness: string;
    readonly port?: "http" | "metrics";
  };
  /** Longest start-up before liveness counts, seconds. @default 60 */
  readonly startupSeconds?: number;
  readonly env?: Readonly<Record<string, EnvSource>>;
  readonly resources: {
    readonly cpu: string;
    readonly memory: string;
    readonly cpuLimit?: string;
    readonly memoryLimit: string;
  };
  /** Node architectures the image is built for. */
  readonly architectures: readonly string[];
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  /** GPU: the runtime class and the number of `nvidia.com/gpu`. */
  readonly gpu?: { readonly runtimeClassName: string; readonly count: number };
  /** A ClusterIP Service on `port`. */
  readonly service?: boolean;
  readonly ingress?: { readonly routes: readonly IngressRoute[]; readonly clusterIssuer: string };
  /** HorizontalPodAutoscaler bounds (Deployment). */
  readonly autoscale?: { readonly min: number; readonly max: number; readonly cpuPercent: number };
  /** PodDisruptionBudget (Deployment). */
  readonly minAvailable?: number;
}

function labelsOf(spec: WorkloadSpec): Record<string, string> {
  return {
    "app.kubernetes.io/name": spec.name,
    "app.kubernetes.io/component": spec.component,
    "app.kubernetes.io/part-of": spec.partOf,
  };
}

function envVar(name: string, source: EnvSource): Record<string, unknown> {
  if (typeof source === "string") return { name, value: source };
  if ("field" in source) return { name, valueFrom: { fieldRef: { fieldPath: source.field } } };
  return {
    name,
    valueFrom: {
      secretKeyRef: { name: source.secret, key: source.key, ...(source.optional ? { optional: true } : {}) },
    },
  };
}

function podSpec(spec: WorkloadSpec, restartPolicy?: "OnFailure" | "Never"): Record<string, unknown> {
  const httpGet = (path: string) => ({ httpGet: { path, port: spec.probes?.port ?? "http" } });
  const ports = [
    ...(spec.port ? [{ name: "http", containerPort: spec.port, protocol: "TCP" }] : []),
    ...(spec.metricsPort ? [{ name: "metrics", containerPort: spec.metricsPort, protocol: "TCP" }] : []),
  ];
  const limits: Record<string, string> = {
    memory: spec.resources.memoryLimit,
    ...(spec.resources.cpuLimit ? { cpu: spec.resources.cpuLimit } : {}),
    ...(spec.gpu ? { [GPU_RESOURCE]: String(spec.gpu.count) } : {}),
  };
  const container: Record<string, unknown> = {
    name: spec.name,
    image: spec.image,
    imagePullPolicy: "IfNotPresent",
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    env: Object.entries(spec.env ?? {}).map(([name, source]) => envVar(name, source)),
    resources: { requests: { cpu: spec.resources.cpu, memory: spec.resources.memory }, limits },
    ...(spec.probes
      ? {
          livenessProbe: { ...httpGet(spec.probes.liveness), periodSeconds: 10, failureThreshold: 3 },
          readinessProbe: { ...httpGet(spec.probes.readiness), periodSeconds: 5, failureThreshold: 3 },
          startupProbe: {
            ...httpGet(spec.probes.liveness),
            periodSeconds: 5,
            failureThreshold: Math.ceil((spec.startupSeconds ?? 60) / 5),
          },
        }
      : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: APP_UID,
      runAsGroup: APP_UID,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...(restartPolicy ? { restartPolicy } : {}),
    ...(spec.gpu ? { runtimeClassName: spec.gpu.runtimeClassName } : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: APP_UID,
      runAsGroup: APP_UID,
      fsGroup: APP_UID,
      seccompProfile: { type: "RuntimeDefault" },
    },
    ...(spec.nodeSelector ? { nodeSelector: { ...spec.nodeSelector } } : {}),
    ...(spec.tolerations?.length ? { tolerations: spec.tolerations.map((t) => ({ ...t })) } : {}),
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "kubernetes.io/arch", operator: "In", values: [...spec.architectures] },
              ],
            },
          ],
        },
        // A workload not pinned to a node class prefers the general workers: otherwise the scheduler, which
        // favours the emptiest node, sends it to the GPU workstation (the largest machine, on premises,
        // behind NAT) and every request to it crosses the WireGuard tunnel.
        ...(spec.nodeSelector
          ? {}
          : {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  preference: {
                    matchExpressions: [{ key: "hdp.io/role", operator: "In", values: ["worker"] }],
                  },
                },
              ],
            }),
      },
    },
    containers: [container],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
  };
}

/**
 * An Ingress through k3s's Traefik on its TLS entry point, with a certificate from cert-manager's issuer
 * (secret `<name>-tls`) for every host of its routes, and the routes' Traefik middlewares. Pure.
 */
export function renderIngress(args: {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Record<string, string>;
  };
  /** The Service every route goes to, and the name of its port. */
  readonly service: { readonly name: string; readonly port: string };
  readonly routes: readonly IngressRoute[];
  readonly clusterIssuer: string;
}): KubeObject {
  const middlewares = [...new Set(args.routes.flatMap((r) => r.middlewares ?? []))];
  const hosts = [...new Set(args.routes.map((r) => r.host))];
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      ...args.metadata,
      annotations: {
        "cert-manager.io/cluster-issuer": args.clusterIssuer,
        "traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
        ...(middlewares.length
          ? { "traefik.ingress.kubernetes.io/router.middlewares": middlewares.join(",") }
          : {}),
      },
    },
    spec: {
      ingressClassName: "traefik",
      tls: [{ hosts, secretName: `${args.metadata.name}-tls` }],
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: args.routes
            .filter((r) => r.host === host)
            .map((r) => ({
              path: r.path,
              pathType: "Prefix",
              backend: { service: { name: args.service.name, port: { name: args.service.port } } },
            })),
        },
      })),
    },
  };
}

/**
 * The Kubernetes objects of a workload: its Deployment, DaemonSet or CronJob with a
 * hardened pod (non-root, read-only root filesystem, no capabilities, RuntimeDefault
 * seccomp, no service-account token, requests and limits, probes where given), and,
 * as asked, a Service, an Ingress, an autoscaler and a disruption budget. Pure.
 */
export function renderWorkload(spec: WorkloadSpec): KubeObject[] {
  const probed = spec.probes && (spec.probes.port ?? "http") === "http";
  if ((spec.service || spec.ingress || probed) && !spec.port) {
    throw new Error(`workload ${spec.name}: a Service, an Ingress or probes need a port`);
  }
  if (spec.probes?.port === "metrics" && !spec.metricsPort) {
    throw new Error(`workload ${spec.name}: probes on the metrics port need a metricsPort`);
  }
  if (spec.kind === "CronJob" && !spec.schedule)
    throw new Error(`workload ${spec.name}: a CronJob needs a schedule`);
  const labels = labelsOf(spec);
  const metadata = { name: spec.name, namespace: spec.namespace, labels };
  const template = { metadata: { labels }, spec: podSpec(spec) };
  const objects: KubeObject[] = [];

  if (spec.kind === "Deployment") {
    objects.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        ...(spec.autoscale ? {} : { replicas: spec.replicas ?? 1 }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template,
      },
    });
  } else if (spec.kind === "DaemonSet") {
    objects.push({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata,
      spec: { selector: { matchLabels: labels }, updateStrategy: { type: "RollingUpdate" }, template },
    });
  } else {
    objects.push({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata,
      spec: {
        schedule: spec.schedule,
        ...(spec.timeZone ? { timeZone: spec.timeZone } : {}),
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 60,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: spec.deadlineSeconds ?? 300,
            ttlSecondsAfterFinished: 3600,
            // A pod failure policy needs pods that are never restarted in place.
            ...(spec.failFastExitCodes?.length
              ? {
                  podFailurePolicy: {
                    rules: [
                      {
                        action: "FailJob",
                        onExitCodes: {
                          containerName: spec.name,
                          operator: "In",
                          values: [...spec.failFastExitCodes],
                        },
                      },
                    ],
                  },
                }
              : {}),
            template: {
              metadata: { labels },
              spec: podSpec(spec, spec.failFastExitCodes?.length ? "Never" : "OnFailure"),
            },
          },
        },
      },
    });
  }

  if (spec.service) {
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: {
        type: "ClusterIP",
        selector: labels,
        ports: [{ name: "http", port: spec.port, targetPort: "http", protocol: "TCP" }],
      },
    });
  }
  if (spec.ingress) {
    objects.push(renderIngress({ metadata, service: { name: spec.name, port: "http" }, ...spec.ingress }));
  }
  if (spec.autoscale && spec.kind === "Deployment") {
    objects.push({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: spec.name },
        minReplicas: spec.autoscale.min,
        maxReplicas: spec.autoscale.max,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: spec.autoscale.cpuPercent },
            },
          },
        ],
      },
    });
  }
  if (spec.minAvailable !== undefined && spec.kind === "Deployment") {
    objects.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata,
      spec: { minAvailable: spec.minAvailable, selector: { matchLabels: labels } },
    });
  }
  return objects;
}
