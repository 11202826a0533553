import type { KubeObject } from "../cluster/kilo-manifests.js";
import { systemAgentPod } from "../cluster/system-agent.js";
import {
  MONITORING_NAMESPACE,
  NODE_METRICS_NAMESPACE,
  PROMETHEUS_POD_LABELS,
  UI_SERVICES,
} from "./monitoring/names.js";
import type { ScrapeTarget } from "./monitoring/scrape-targets.js";
import {
  BUCKET_JOB_LABELS,
  INTERNAL_PORTS,
  OBJECT_STORE_NAMESPACE,
  SEAWEEDFS_PORTS,
  SERVER_LABELS,
} from "./object-storage.js";
import { COMPONENTS, KAFKA_CLUSTER, NAMESPACES, POSTGRES_CLUSTER, VERSIONS } from "./render.js";

type Peer = Record<string, unknown>;
type Port = { protocol: "TCP" | "UDP"; port: number };

const tcp = (port: number): Port => ({ protocol: "TCP", port });
const inNamespace = (namespace: string, pods: Record<string, string>): Peer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
  podSelector: { matchLabels: pods },
});
const component = (name: string) => ({ "app.kubernetes.io/component": name });
const app = (name: string): Peer => ({ podSelector: { matchLabels: component(name) } });

const KAFKA = inNamespace(NAMESPACES.data, {
  "strimzi.io/cluster": KAFKA_CLUSTER,
  "strimzi.io/kind": "Kafka",
});
const POSTGRES = inNamespace(NAMESPACES.data, { "cnpg.io/cluster": POSTGRES_CLUSTER });
const TRAEFIK = inNamespace("kube-system", { "app.kubernetes.io/name": "traefik" });
const OBJECT_STORE = inNamespace(OBJECT_STORE_NAMESPACE, SERVER_LABELS);
const DNS = {
  to: [inNamespace("kube-system", { "k8s-app": "kube-dns" })],
  ports: [tcp(53), { protocol: "UDP" as const, port: 53 }],
};
/** The public internet: everything but private, loopback and link-local networks. */
const INTERNET: Peer = {
  ipBlock: {
    cidr: "0.0.0.0/0",
    except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"],
  },
};

function policy(
  namespace: string,
  name: string,
  podSelector: Record<string, unknown>,
  rules: { ingress?: { from: Peer[]; ports?: Port[] }[]; egress?: { to: Peer[]; ports?: Port[] }[] },
): KubeObject {
  const policyTypes = [...(rules.ingress ? ["Ingress"] : []), ...(rules.egress ? ["Egress"] : [])];
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace },
    spec: { podSelector, policyTypes, ...rules },
  };
}

/**
 * The stack's NetworkPolicies. The apps namespace denies all traffic both ways, then
 * allows: DNS for every pod; the internet (443) for ingestion only; Kafka for
 * ingestion, processing and the Kafka UI; PostgreSQL for processing and the API;
 * analytics for processing; and only the ingress controller to the web page, the API
 * and the Kafka UI. The data namespace denies all inbound traffic but its own, its
 * operators' and those clients' (with the archive, its job too). The archive's are {@link archivePolicies} and
 * {@link objectStorePolicies}; the monitoring stack's {@link scrapePolicies}. Kilo
 * enforces none of this: kube-router does ({@link kubeRouterObjects}).
 */
export function networkPolicies(options: { readonly archive?: boolean } = {}): KubeObject[] {
  const apps = NAMESPACES.apps;
  const data = NAMESPACES.data;
  const dns = DNS;
  return [
    policy(apps, "default-deny", {}, { ingress: [], egress: [] }),
    policy(apps, "allow-dns", {}, { egress: [dns] }),
    policy(
      apps,
      "ingestion-egress",
      { matchLabels: component(COMPONENTS.ingestion) },
      {
        egress: [
          { to: [INTERNET], ports: [tcp(443)] },
          { to: [KAFKA], ports: [tcp(9092)] },
        ],
      },
    ),
    policy(
      apps,
      "processing-egress",
      { matchLabels: component(COMPONENTS.processing) },
      {
        egress: [
          { to: [KAFKA], ports: [tcp(9092)] },
          { to: [POSTGRES], ports: [tcp(5432)] },
          { to: [app(COMPONENTS.analytics)], ports: [tcp(8082)] },
        ],
      },
    ),
    policy(
      apps,
      "analytics-ingress",
      { matchLabels: component(COMPONENTS.analytics) },
      {
        ingress: [{ from: [app(COMPONENTS.processing)], ports: [tcp(8082)] }],
      },
    ),
    policy(
      apps,
      "middle-tier-egress",
      { matchLabels: component(COMPONENTS.middleTier) },
      {
        egress: [{ to: [POSTGRES], ports: [tcp(5432)] }],
      },
    ),
    policy(
      apps,
      "kafka-ui-egress",
      { matchLabels: component(COMPONENTS.kafkaUi) },
      {
        egress: [{ to: [KAFKA], ports: [tcp(9092)] }],
      },
    ),
    ...(
      [
        [COMPONENTS.frontend, 8080],
        [COMPONENTS.middleTier, 8080],
        [COMPONENTS.kafkaUi, 9000],
      ] as const
    ).map(([name, port]) =>
      policy(
        apps,
        `${name}-from-ingress`,
        { matchLabels: component(name) },
        {
          ingress: [{ from: [TRAEFIK], ports: [tcp(port)] }],
        },
      ),
    ),

    policy(data, "default-deny-ingress", {}, { ingress: [] }),
    policy(data, "allow-same-namespace", {}, { ingress: [{ from: [{ podSelector: {} }] }] }),
    policy(
      data,
      "allow-operators",
      {},
      {
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "strimzi" } } },
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } } },
            ],
          },
        ],
      },
    ),
    policy(
      data,
      "postgres-clients",
      { matchLabels: { "cnpg.io/cluster": POSTGRES_CLUSTER } },
      {
        ingress: [
          {
            from: [
              inNamespace(apps, component(COMPONENTS.processing)),
              inNamespace(apps, component(COMPONENTS.middleTier)),
              ...(options.archive ? [inNamespace(apps, component(COMPONENTS.archive))] : []),
            ],
            ports: [tcp(5432)],
          },
        ],
      },
    ),
  ];
}

/** Where the archive job writes: the in-cluster store, or an external endpoint's port on the internet. */
export type ArchiveStoreTarget =
  { readonly kind: "in-cluster" } | { readonly kind: "external"; readonly port: number };

/**
 * The archive job's egress (the apps namespace denies all): PostgreSQL and its store only, DNS from
 * `allow-dns`. An external store is reached on its port anywhere on the public internet (its address is not
 * known here); PostgreSQL admits the job in `postgres-clients` ({@link networkPolicies}).
 */
export function archivePolicies(store: ArchiveStoreTarget): KubeObject[] {
  return [
    policy(
      NAMESPACES.apps,
      "archive-egress",
      { matchLabels: component(COMPONENTS.archive) },
      {
        egress: [
          { to: [POSTGRES], ports: [tcp(5432)] },
          store.kind === "in-cluster"
            ? { to: [OBJECT_STORE], ports: [tcp(SEAWEEDFS_PORTS.s3)] }
            : { to: [INTERNET], ports: [tcp(store.port)] },
        ],
      },
    ),
  ];
}

/**
 * The in-cluster store's namespace denies all traffic both ways, then allows: DNS; the S3 port of the server
 * from the archive job's pods and, when the database backups use the store, the PostgreSQL cluster's pods; the
 * server's other ports (master, volume, filer and their gRPC) from the store's own pods only (the server and
 * the bucket Job).
 */
export function objectStorePolicies(clients: { readonly postgres: boolean }): KubeObject[] {
  const ns = OBJECT_STORE_NAMESPACE;
  const server = { podSelector: { matchLabels: { ...SERVER_LABELS } } };
  const bucketJob = { podSelector: { matchLabels: { ...BUCKET_JOB_LABELS } } };
  const internal = INTERNAL_PORTS.map(tcp);
  return [
    policy(ns, "default-deny", {}, { ingress: [], egress: [] }),
    policy(ns, "allow-dns", {}, { egress: [DNS] }),
    policy(
      ns,
      "seaweedfs-s3-clients",
      { matchLabels: { ...SERVER_LABELS } },
      {
        ingress: [
          {
            from: [
              inNamespace(NAMESPACES.apps, component(COMPONENTS.archive)),
              ...(clients.postgres ? [POSTGRES] : []),
            ],
            ports: [tcp(SEAWEEDFS_PORTS.s3)],
          },
        ],
      },
    ),
    policy(
      ns,
      "seaweedfs-internal",
      { matchLabels: { ...SERVER_LABELS } },
      {
        ingress: [{ from: [server, bucketJob], ports: internal }],
        egress: [{ to: [server], ports: internal }],
      },
    ),
    policy(
      ns,
      "seaweedfs-buckets-egress",
      { matchLabels: { ...BUCKET_JOB_LABELS } },
      { egress: [{ to: [server], ports: internal }] },
    ),
  ];
}

const PROMETHEUS = inNamespace(MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS);
/** Namespaces of ours that deny inbound traffic: a scrape of a pod there needs a policy of its own. */
const DENYING = new Set<string>([NAMESPACES.apps, NAMESPACES.data, NODE_METRICS_NAMESPACE]);

/**
 * The monitoring stack's policies. Every scrape target in a namespace that denies inbound traffic admits
 * Prometheus's pods, and only them, on its metrics port only (Kilo's and Traefik's pods are in kube-system,
 * which denies nothing; Kilo's are on the host's network, where no policy applies). Strimzi's own policy for
 * the brokers opens their metrics port to every pod (its KafkaCluster network policy), which ours cannot
 * narrow. The monitoring and node metrics namespaces deny inbound traffic but their own (Grafana → Prometheus
 * → Alertmanager) and the ingress controller to Grafana and Alertmanager; node-exporter is on the host's
 * network.
 */
export function scrapePolicies(targets: readonly ScrapeTarget[]): KubeObject[] {
  const ui = (name: keyof typeof UI_SERVICES) =>
    policy(
      MONITORING_NAMESPACE,
      `${name}-from-ingress`,
      { matchLabels: { ...UI_SERVICES[name].pods } },
      { ingress: [{ from: [TRAEFIK], ports: [tcp(UI_SERVICES[name].podPort)] }] },
    );
  return [
    ...targets
      .filter((t) => DENYING.has(t.namespace) && !t.hostNetwork)
      .map((t) =>
        policy(
          t.namespace,
          `${t.name}-metrics-from-prometheus`,
          { matchLabels: { ...t.pods } },
          { ingress: [{ from: [PROMETHEUS], ports: [tcp(t.port.number)] }] },
        ),
      ),
    ...[MONITORING_NAMESPACE, NODE_METRICS_NAMESPACE].map((ns) =>
      policy(ns, "default-deny-ingress", {}, { ingress: [] }),
    ),
    policy(MONITORING_NAMESPACE, "allow-same-namespace", {}, { ingress: [{ from: [{ podSelector: {} }] }] }),
    ui("grafana"),
    ui("alertmanager"),
  ];
}

/**
 * kube-router in firewall-only mode: enforces NetworkPolicies (k3s's own controller is
 * off, and Kilo, the CNI, enforces none). A privileged system agent in kube-system.
 */
export function kubeRouterObjects(): KubeObject[] {
  const labels = { "app.kubernetes.io/name": "kube-router" };
  const ns = "kube-system";
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "kube-router", namespace: ns, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "kube-router", labels },
      rules: [
        {
          apiGroups: [""],
          resources: ["namespaces", "pods", "services", "nodes", "endpoints"],
          verbs: ["list", "get", "watch"],
        },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["list", "get", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "get", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "kube-router", labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "kube-router" },
      subjects: [{ kind: "ServiceAccount", name: "kube-router", namespace: ns }],
    },
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "kube-router", namespace: ns, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: systemAgentPod({
            serviceAccountName: "kube-router",
            containers: [
              {
                name: "kube-router",
                image: VERSIONS.kubeRouterImage,
                args: [
                  "--run-router=false",
                  "--run-firewall=true",
                  "--run-service-proxy=false",
                  "--health-port=20244",
                ],
                env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
                livenessProbe: {
                  httpGet: { path: "/healthz", port: 20244 },
                  initialDelaySeconds: 10,
                  periodSeconds: 10,
                },
                resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                // iptables and ipsets on the host.
                securityContext: { privileged: true },
                volumeMounts: [
                  { name: "lib-modules", mountPath: "/lib/modules", readOnly: true },
                  { name: "xtables-lock", mountPath: "/run/xtables.lock" },
                ],
              },
            ],
            volumes: [
              { name: "lib-modules", hostPath: { path: "/lib/modules" } },
              { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
            ],
          }),
        },
      },
    },
  ];
}
