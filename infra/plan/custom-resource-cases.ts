// One broken field per custom resource kind the program declares, for the offline check
// (infra/plan/custom-resources.test.ts) and for the API server (test/cluster/): the stack, the object, the
// change, the path of the field, and the one violation the offline schema check reports.
export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface BrokenField {
  readonly stack: string;
  readonly kind: string;
  readonly name: string;
  readonly change: (o: Obj) => void;
  /** The path of the broken field, as both checks name it. */
  readonly path: string;
  /** What the offline check says. */
  readonly offline: string;
}

export const BROKEN_FIELDS: readonly BrokenField[] = [
  {
    stack: "dev",
    kind: "Kafka",
    name: "kafka",
    change: (o) => (o.spec.kafka.listeners[0].type = "public"),
    path: "spec.kafka.listeners[0].type",
    offline:
      "Kafka hdp-data/kafka: spec.kafka.listeners[0].type: must be one of internal, route, loadbalancer, nodeport, ingress, cluster-ip",
  },
  {
    stack: "dev",
    kind: "KafkaNodePool",
    name: "combined",
    change: (o) => (o.spec.replicas = "3"),
    path: "spec.replicas",
    offline: "KafkaNodePool hdp-data/combined: spec.replicas: must be integer, not string",
  },
  {
    stack: "dev",
    kind: "KafkaTopic",
    name: "news.articles.v1",
    change: (o) => (o.spec.partitionCount = 3),
    path: "spec.partitionCount",
    offline: "KafkaTopic hdp-data/news.articles.v1: spec.partitionCount: unknown field",
  },
  {
    stack: "dev",
    kind: "Cluster",
    name: "pg",
    change: (o) => (o.spec.primaryUpdateStrategy = "automatic"),
    path: "spec.primaryUpdateStrategy",
    offline: "Cluster hdp-data/pg: spec.primaryUpdateStrategy: must be one of unsupervised, supervised",
  },
  {
    // Only prod configures backups.
    stack: "prod",
    kind: "ScheduledBackup",
    name: "pg-daily",
    change: (o) => (o.spec.backupOwnerReference = "owner"),
    path: "spec.backupOwnerReference",
    offline:
      "ScheduledBackup hdp-data/pg-daily: spec.backupOwnerReference: must be one of none, self, cluster",
  },
  {
    stack: "dev",
    kind: "ClusterIssuer",
    name: "letsencrypt-staging",
    change: (o) => (o.spec.acme.solvers[0].http01.ingress.ingressClass = "traefik"),
    path: "spec.acme.solvers[0].http01.ingress.ingressClass",
    offline:
      "ClusterIssuer letsencrypt-staging: spec.acme.solvers[0].http01.ingress.ingressClass: unknown field",
  },
  {
    stack: "dev",
    kind: "Middleware",
    name: "kafka-ui-auth",
    change: (o) => (o.spec.basicAuth.removeHeader = "yes"),
    path: "spec.basicAuth.removeHeader",
    offline: "Middleware hdp-apps/kafka-ui-auth: spec.basicAuth.removeHeader: must be boolean, not string",
  },
  {
    stack: "dev",
    kind: "PodMonitor",
    name: "processing",
    change: (o) => (o.spec.podMetricsEndpoints[0].scheme = "tcp"),
    path: "spec.podMetricsEndpoints[0].scheme",
    offline:
      "PodMonitor hdp-monitoring/processing: spec.podMetricsEndpoints[0].scheme: must be one of http, https",
  },
  {
    stack: "dev",
    kind: "PrometheusRule",
    name: "hdp-pipeline",
    change: (o) => (o.spec.groups[0].rules[0].for = "five minutes"),
    path: "spec.groups[0].rules[0].for",
    offline:
      'PrometheusRule hdp-monitoring/hdp-pipeline: spec.groups[0].rules[0].for: must match pattern "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"',
  },
  {
    stack: "dev",
    kind: "HelmChartConfig",
    name: "traefik",
    change: (o) => (o.spec.failurePolicy = "ignore"),
    path: "spec.failurePolicy",
    offline:
      "HelmChartConfig kube-system/traefik: spec.failurePolicy: must be one of abort, reinstall, retry",
  },
  {
    stack: "dev",
    kind: "Plan",
    name: "k3s-agent",
    change: (o) => (o.spec.concurrency = "2"),
    path: "spec.concurrency",
    offline: "Plan system-upgrade/k3s-agent: spec.concurrency: must be integer, not string",
  },
];
