// The platform and the services as the two stacks declare them (mocked Pulumi runtime).
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { parseStackConfig, readStackFile, type StackConfig } from "../config/index.js";
import { evaluateStack, type Evaluation } from "../plan/evaluate.js";
import { manifestObjects } from "../plan/write.js";
import { SERVICE_NAMES, SERVICES } from "../services/catalog.js";
import { strimziOperatorValues } from "./render.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Declared {
  config: StackConfig;
  ev: Evaluation;
  objects: KubeObject[];
}
const stacks: Record<string, Declared> = {};
beforeAll(async () => {
  for (const stack of ["dev", "prod"]) {
    const file = await readStackFile(`Pulumi.${stack}.yaml`);
    const ev = await evaluateStack(file);
    stacks[stack] = {
      config: parseStackConfig(file.settings, stack),
      ev,
      objects: manifestObjects(ev).map((m) => m.object),
    };
  }
});

const find = (d: Declared, kind: string, name: string) =>
  d.objects.find((o) => o.kind === kind && o.metadata.name === name) as (KubeObject & Obj) | undefined;
const all = (d: Declared, kind: string) => d.objects.filter((o) => o.kind === kind) as (KubeObject & Obj)[];

describe.each(["dev", "prod"])("stack %s", (stack) => {
  it("runs Kafka in KRaft mode with the configured brokers, replication and topics", () => {
    const d = stacks[stack]!;
    const brokers = d.config.platform.kafkaBrokers;
    const pool = find(d, "KafkaNodePool", "combined");
    expect(pool?.spec.replicas).toBe(brokers);
    expect(pool?.spec.roles).toEqual(["controller", "broker"]);
    expect(pool?.spec.storage.volumes[0].size).toBe(`${d.config.platform.kafkaStorageGi}Gi`);
    const kafka = find(d, "Kafka", "kafka");
    expect(kafka?.metadata.annotations).toMatchObject({ "strimzi.io/kraft": "enabled" });
    // Its metrics: the brokers' JMX exporter (rules in a ConfigMap beside it) and consumer lag.
    expect(kafka?.spec.kafka.metricsConfig.valueFrom.configMapKeyRef.name).toBe("kafka-metrics");
    expect(find(d, "ConfigMap", "kafka-metrics")?.metadata.namespace).toBe("hdp-data");
    expect(kafka?.spec.kafkaExporter).toMatchObject({ groupRegex: ".*", topicRegex: ".*" });
    const expected = brokers >= 3 ? { rf: 3, isr: 2 } : { rf: 1, isr: 1 };
    expect(kafka?.spec.kafka.config["default.replication.factor"]).toBe(expected.rf);
    expect(kafka?.spec.kafka.config["min.insync.replicas"]).toBe(expected.isr);
    const topics = all(d, "KafkaTopic");
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual(
      [
        "market.candles.1m.v1",
        "market.candles.1m.v1.dlq",
        "news.articles.v1",
        "news.articles.v1.dlq",
        "sensor.readings.v1",
        "sensor.readings.v1.dlq",
      ].sort(),
    );
    for (const t of topics) {
      expect(t.spec.partitions).toBe(d.config.platform.kafkaPartitions);
      expect(t.spec.replicas).toBe(expected.rf);
    }
    const bars = topics.find((t) => t.spec.topicName === "market.candles.1m.v1");
    expect(bars?.spec.config["retention.ms"]).toBe(String(d.config.platform.kafkaRetentionHours * 3_600_000));
  });

  it("runs PostgreSQL with the configured instances and storage, credentials only in Secrets", () => {
    const d = stacks[stack]!;
    const pg = find(d, "Cluster", "pg");
    expect(pg?.spec.instances).toBe(d.config.platform.postgresInstances);
    expect(pg?.spec.storage.size).toBe(`${d.config.platform.postgresStorageGi}Gi`);
    expect(pg?.spec.bootstrap.initdb.secret.name).toBe("pg-app-credentials");
    expect(Boolean(pg?.spec.backup)).toBe(Boolean(d.config.backups));
    expect(all(d, "ScheduledBackup")).toHaveLength(d.config.backups ? 1 : 0);
    const secrets = d.ev.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
    for (const r of secrets) expect(r.secretInputs, r.name).toContain("stringData");
    const outputs = JSON.stringify(
      Object.entries(d.ev.outputs)
        .filter(([, o]) => !o.secret)
        .map(([, o]) => o.value),
    );
    expect(outputs).not.toContain(d.ev.secretValues.generatedPassword);
    expect(d.ev.outputs.kafkaUiPassword?.secret).toBe(true);
  });

  it("issues certificates from the configured Let's Encrypt environment for every host", () => {
    const d = stacks[stack]!;
    const issuer = all(d, "ClusterIssuer")[0];
    expect(issuer?.spec.acme.server).toContain(
      d.config.tls.issuer === "production" ? "acme-v02.api" : "acme-staging-v02.api",
    );
    const hosts = all(d, "Ingress").flatMap((i) => {
      expect(i.metadata.annotations?.["cert-manager.io/cluster-issuer"]).toBe(issuer?.metadata.name);
      return i.spec.tls.flatMap((t: Obj) => t.hosts);
    });
    const { web, api, kafkaUi, grafana, alertmanager } = d.config.dns;
    expect(new Set(hosts)).toEqual(new Set([web, api, kafkaUi, grafana, alertmanager]));
  });

  it("puts the Kafka UI behind basic authentication, reachable only through the ingress", () => {
    const d = stacks[stack]!;
    const ingress = find(d, "Ingress", "kafka-ui");
    expect(ingress?.metadata.annotations?.["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(
      "hdp-apps-kafka-ui-auth@kubernetescrd",
    );
    expect(find(d, "Middleware", "kafka-ui-auth")?.spec.basicAuth.secret).toBe("kafka-ui-users");
    expect(find(d, "Service", "kafka-ui")?.spec.type).toBe("ClusterIP");
    expect(
      find(d, "NetworkPolicy", "kafka-ui-from-ingress")?.spec.ingress[0].from[0].podSelector.matchLabels,
    ).toEqual({
      "app.kubernetes.io/name": "traefik",
    });
  });

  it("serves the API's /metrics on a port of its own, for Prometheus only, off the Service the ingress routes to", () => {
    const d = stacks[stack]!;
    const container = find(d, "Deployment", "middle-tier")?.spec.template.spec.containers[0];
    expect(container.ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "metrics", containerPort: 9102, protocol: "TCP" },
    ]);
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: "METRICS_PORT", value: "9102" },
        { name: "METRICS_HOST", value: "0.0.0.0" },
      ]),
    );
    expect(find(d, "Service", "middle-tier")?.spec.ports).toEqual([
      { name: "http", port: 8080, targetPort: "http", protocol: "TCP" },
    ]);
    const backends = find(d, "Ingress", "middle-tier")?.spec.rules.flatMap((r: Obj) =>
      r.http.paths.map((p: Obj) => p.backend.service),
    );
    expect(backends).toEqual([
      { name: "middle-tier", port: { name: "http" } },
      { name: "middle-tier", port: { name: "http" } },
    ]);
    expect(find(d, "PodMonitor", "middle-tier")?.spec.podMetricsEndpoints[0].port).toBe("metrics");
    // Into the API's pods: Prometheus on the metrics port only, the ingress controller on the API port only.
    const admitted = all(d, "NetworkPolicy")
      .filter((p) => p.spec.podSelector.matchLabels?.["app.kubernetes.io/component"] === "middle-tier")
      .flatMap((p) => (p.spec.ingress ?? []).map((rule: Obj) => [p.metadata.name, rule.ports]));
    expect(admitted).toEqual([
      ["middle-tier-from-ingress", [{ protocol: "TCP", port: 8080 }]],
      ["middle-tier-metrics-from-prometheus", [{ protocol: "TCP", port: 9102 }]],
    ]);
  });

  it("schedules the ingestion CronJobs in exchange time, without overlap, bounded", () => {
    const d = stacks[stack]!;
    const market = find(d, "CronJob", "ingestion-market");
    const news = find(d, "CronJob", "ingestion-news");
    expect(market?.spec.schedule).toBe("* 9-16 * * 1-5");
    expect(news?.spec.schedule).toBe("*/5 * * * *");
    for (const job of [market, news]) {
      expect(job?.spec.timeZone).toBe("America/New_York");
      expect(job?.spec.concurrencyPolicy).toBe("Forbid");
      expect(job?.spec.jobTemplate.spec.backoffLimit).toBeLessThanOrEqual(3);
      expect(job?.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    }
  });

  it("runs the sensor agent on sensor nodes only, tolerating the Pi taint, without host paths (restricted)", () => {
    const d = stacks[stack]!;
    const agent = find(d, "DaemonSet", "ingestion-sensors");
    const pod = agent?.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "hdp.io/role": "sensor" });
    expect(pod.tolerations).toEqual([
      { key: "dedicated", operator: "Equal", value: "pi", effect: "NoSchedule" },
    ]);
    // sysfs and /proc/loadavg are the host's in any container: no hostPath, which `restricted` forbids.
    expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    expect(pod.containers[0].env.map((e: Obj) => e.name)).not.toContain("SENSOR_THERMAL_PATH");
    // Its metrics, for Prometheus in the monitoring namespace; its probes on the same port.
    expect(pod.containers[0].ports).toEqual([{ name: "metrics", containerPort: 9102, protocol: "TCP" }]);
    expect(pod.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: "METRICS_PORT", value: "9102" },
        { name: "METRICS_HOST", value: "0.0.0.0" },
      ]),
    );
    expect(pod.containers[0].livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(
      pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
        .matchExpressions[0].values,
    ).toEqual(["amd64", "arm64", "arm"]);
  });

  it("has every workload not pinned to a node class prefer the general workers", () => {
    const d = stacks[stack]!;
    const workloads = d.objects.filter((o: Obj) => ["Deployment", "DaemonSet", "CronJob"].includes(o.kind));
    const pods = workloads
      .filter((o: Obj) => o.metadata.namespace === "hdp-apps")
      .map((o: Obj) => [
        o.metadata.name,
        (o.kind === "CronJob" ? o.spec.jobTemplate.spec : o.spec).template.spec,
      ]);
    expect(pods.length).toBeGreaterThan(5);
    for (const [name, pod] of pods) {
      const preferred = pod.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
      if (pod.nodeSelector) expect(preferred, name).toBeUndefined();
      else
        expect(preferred, name).toEqual([
          {
            weight: 100,
            preference: { matchExpressions: [{ key: "hdp.io/role", operator: "In", values: ["worker"] }] },
          },
        ]);
    }
  });

  it("places analytics on the GPU exactly when configured, and scales the API and processing as configured", () => {
    const d = stacks[stack]!;
    const analytics = find(d, "Deployment", "analytics")?.spec.template.spec;
    if (d.config.services.analyticsOnGpu) {
      expect(analytics.runtimeClassName).toBe("nvidia");
      expect(analytics.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
      expect(analytics.nodeSelector).toEqual({ "hdp.io/role": "gpu" });
    } else {
      expect(analytics.runtimeClassName).toBeUndefined();
      expect(JSON.stringify(analytics)).not.toContain("nvidia.com/gpu");
    }
    const { apiReplicas, apiMaxReplicas, processingReplicas } = d.config.services;
    const hpa = find(d, "HorizontalPodAutoscaler", "middle-tier");
    if (apiMaxReplicas > apiReplicas)
      expect([hpa?.spec.minReplicas, hpa?.spec.maxReplicas]).toEqual([apiReplicas, apiMaxReplicas]);
    else expect(hpa).toBeUndefined();
    const processing = find(d, "Deployment", "processing");
    expect(processing?.spec.replicas).toBe(processingReplicas);
    // Its health server waits for Kafka: liveness only counts after a generous start-up.
    const startup = processing?.spec.template.spec.containers[0].startupProbe;
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(Boolean(find(d, "PodDisruptionBudget", "processing"))).toBe(processingReplicas > 1);
  });

  it("declares every service of the catalog as its own component, images from the configured registry and tag", () => {
    const d = stacks[stack]!;
    const components = d.ev.resources.filter(
      (r) => r.component && r.type.startsWith("hdp:services:") && r.type !== "hdp:services:Workload",
    );
    expect(components.map((c) => c.name).sort()).toEqual([...SERVICE_NAMES].sort());
    const images = d.objects.flatMap((o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? []);
    for (const name of SERVICE_NAMES) {
      expect(images).toContain(
        `"image":"${d.config.images.registry}/${SERVICES[name].image}:${d.config.images.tag}"`,
      );
    }
  });

  it("tells the Strimzi operator the Kubernetes minor of the k3s pin, which it cannot read on 1.33+", () => {
    const d = stacks[stack]!;
    const release = d.ev.resources.find(
      (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "strimzi",
    );
    const minor = /^v1\.(\d+)\./.exec(d.config.k3sVersion)![1];
    expect((release?.inputs.values as Obj).extraEnvs).toContainEqual({
      name: "STRIMZI_KUBERNETES_VERSION",
      value: `major=1,minor=${minor}`,
    });
  });

  it("outputs the URLs of the web page, the API docs, the Kafka UI, Grafana and Alertmanager", () => {
    const d = stacks[stack]!;
    expect(d.ev.outputs.urls?.value).toEqual({
      web: `https://${d.config.dns.web}`,
      api: `https://${d.config.dns.api}`,
      apiDocs: `https://${d.config.dns.api}/docs`,
      kafkaUi: `https://${d.config.dns.kafkaUi}`,
      grafana: `https://${d.config.dns.grafana}`,
      alertmanager: `https://${d.config.dns.alertmanager}`,
    });
    expect(d.ev.outputs.urls?.secret).toBe(false);
  });
});

describe("dev and prod", () => {
  it("differ as configured: brokers, instances, issuer, GPU placement, autoscaling", () => {
    const summary = (d: Declared) => ({
      brokers: find(d, "KafkaNodePool", "combined")?.spec.replicas,
      minInSync: find(d, "Kafka", "kafka")?.spec.kafka.config["min.insync.replicas"],
      instances: find(d, "Cluster", "pg")?.spec.instances,
      issuer: all(d, "ClusterIssuer")[0]?.metadata.name,
      gpu: find(d, "Deployment", "analytics")?.spec.template.spec.runtimeClassName ?? "none",
      hpa: Boolean(find(d, "HorizontalPodAutoscaler", "middle-tier")),
    });
    expect(summary(stacks.dev!)).toEqual({
      brokers: 1,
      minInSync: 1,
      instances: 1,
      issuer: "letsencrypt-staging",
      gpu: "none",
      hpa: false,
    });
    expect(summary(stacks.prod!)).toEqual({
      brokers: 3,
      minInSync: 2,
      instances: 3,
      issuer: "letsencrypt-production",
      gpu: "nvidia",
      hpa: true,
    });
  });
});

describe("the Strimzi operator's values", () => {
  it.each([
    ["v1.36.3+k3s1", "major=1,minor=36"],
    ["v1.33.0+k3s2", "major=1,minor=33"],
  ])(
    "give k3s %s as STRIMZI_KUBERNETES_VERSION %s, beside the restricted pod security provider",
    (k3s, value) => {
      expect(strimziOperatorValues(k3s)).toEqual({
        watchNamespaces: ["hdp-data"],
        extraEnvs: [
          { name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" },
          { name: "STRIMZI_KUBERNETES_VERSION", value },
        ],
      });
    },
  );

  it("refuse a version that is not a k3s release", () => {
    expect(() => strimziOperatorValues("1.36")).toThrow("not a k3s release: 1.36");
  });
});
