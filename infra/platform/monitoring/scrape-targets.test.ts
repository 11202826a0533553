// What Prometheus scrapes: each target of ours selects pods that serve the named port, its PodMonitor says
// so, and the NetworkPolicies admit exactly these scrapes from Prometheus's pods and nothing broader.
import { describe, expect, it } from "vitest";
import { kiloManifests, type KubeObject } from "../../cluster/kilo-manifests.js";
import { parseStackConfig } from "../../config/index.js";
import { validSettings } from "../../config/test-fixture.js";
import { serviceSpecs } from "../../services/specs.js";
import { renderWorkload } from "../../services/workload.js";
import { scrapePolicies } from "../network.js";
import { WIREGUARD_EXPORTER } from "./contract.js";
import { MONITORING_NAMESPACE, NODE_METRICS_NAMESPACE, PROMETHEUS_POD_LABELS } from "./names.js";
import { podMonitors, scrapeTargets, type ScrapeTarget } from "./scrape-targets.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const config = parseStackConfig(validSettings(), "dev");
const targets = scrapeTargets(config);
const target = (name: string) => targets.find((t) => t.name === name)!;
const matches = (selector: Readonly<Record<string, string>>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The pod templates of objects: labels and containers. */
function pods(objects: readonly KubeObject[]) {
  return objects.flatMap((o) => {
    const spec = o.spec as Obj | undefined;
    const template = o.kind === "CronJob" ? spec?.jobTemplate.spec.template : spec?.template;
    return template
      ? [{ owner: `${o.kind} ${o.metadata.name}`, namespace: o.metadata.namespace, ...template }]
      : [];
  }) as { owner: string; namespace?: string; metadata: { labels: Record<string, string> }; spec: Obj }[];
}

/** The workloads a target selects, each with whether it declares the target's named port. */
function selected(t: ScrapeTarget, objects: readonly KubeObject[]) {
  return pods(objects)
    .filter((p) => p.namespace === t.namespace && matches(t.pods, p.metadata.labels))
    .map((p) => ({
      owner: p.owner,
      serves: (p.spec.containers as Obj[]).some((c) =>
        (c.ports ?? []).some(
          (port: Obj) => port.name === t.port.name && port.containerPort === t.port.number,
        ),
      ),
    }));
}

describe("scrape targets", () => {
  const ours = Object.values(serviceSpecs(config, "dev")).flat().flatMap(renderWorkload);

  it.each([
    ["processing", ["Deployment processing"]],
    ["analytics", ["Deployment analytics"]],
    ["middle-tier", ["Deployment middle-tier"]],
    ["ingestion-sensors", ["DaemonSet ingestion-sensors"]],
  ])("%s selects exactly the pods that serve its metrics port", (name, owners) => {
    expect(selected(target(name), ours)).toEqual(owners.map((owner) => ({ owner, serves: true })));
  });

  it("Kilo's and the WireGuard exporter's select Kilo's pods, which serve both ports", () => {
    const kilo = kiloManifests({
      image: "docker.io/squat/kilo:0.6.0",
      serviceCidr: "10.43.0.0/16",
      wireguardExporter: WIREGUARD_EXPORTER,
    });
    for (const name of ["kilo", "wireguard"]) {
      expect(selected(target(name), kilo), name).toEqual([{ owner: "DaemonSet kilo", serves: true }]);
    }
  });

  it("tells the sensor agent to serve its metrics on every interface, on the port the target names", () => {
    const sensors = serviceSpecs(config, "dev").ingestion.find((s) => s.name === "ingestion-sensors")!;
    expect(sensors.env).toMatchObject({ METRICS_PORT: "9102", METRICS_HOST: "0.0.0.0" });
    expect(target("ingestion-sensors").port).toEqual({ name: "metrics", number: 9102 });
  });

  it("scrape the middle-tier on its metrics port, which it serves on every interface, not on the API port", () => {
    const [api] = serviceSpecs(config, "dev")["middle-tier"];
    expect(api?.env).toMatchObject({ PORT: "8080", METRICS_PORT: "9102", METRICS_HOST: "0.0.0.0" });
    expect(target("middle-tier").port).toEqual({ name: "metrics", number: 9102 });
    expect((podMonitors([target("middle-tier")])[0] as Obj).spec.podMetricsEndpoints[0]).toMatchObject({
      port: "metrics",
      path: "/metrics",
    });
  });

  it("include dcgm-exporter only on a stack with GPU nodes", () => {
    expect(targets.map((t) => t.name)).toContain("dcgm-exporter");
    const noGpu = scrapeTargets({ onPremNodes: config.onPremNodes.filter((n) => n.role !== "gpu") });
    expect(noGpu.map((t) => t.name)).not.toContain("dcgm-exporter");
    expect(noGpu).toHaveLength(targets.length - 1);
  });

  it("become PodMonitors in the monitoring namespace that name the job and the node", () => {
    const [processing] = podMonitors([target("processing")]) as Obj[];
    expect(processing).toEqual({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: {
        name: "processing",
        namespace: MONITORING_NAMESPACE,
        labels: { release: "kube-prometheus-stack", "app.kubernetes.io/part-of": "monitoring" },
      },
      spec: {
        namespaceSelector: { matchNames: ["hdp-apps"] },
        selector: { matchLabels: { "app.kubernetes.io/component": "processing" } },
        podMetricsEndpoints: [
          {
            port: "http",
            path: "/metrics",
            relabelings: [
              { action: "replace", targetLabel: "job", replacement: "processing" },
              { action: "replace", sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node" },
            ],
          },
        ],
      },
    });
  });
});

describe("the NetworkPolicies of the scrapes", () => {
  const policies = scrapePolicies(targets) as (KubeObject & { spec: Obj })[];
  const fromPrometheus = (p: Obj) =>
    (p.spec.ingress ?? []).some((rule: Obj) =>
      (rule.from ?? []).some((peer: Obj) => matches(PROMETHEUS_POD_LABELS, peer.podSelector?.matchLabels)),
    );

  it("admit Prometheus's pods, and only them, to each target in a namespace that denies inbound traffic, on its port only", () => {
    const guarded = targets.filter((t) =>
      ["hdp-apps", "hdp-data", NODE_METRICS_NAMESPACE].includes(t.namespace),
    );
    expect(guarded.map((t) => t.name).sort()).toEqual(
      [
        "analytics",
        "dcgm-exporter",
        "ingestion-sensors",
        "kafka",
        "kafka-exporter",
        "middle-tier",
        "postgres",
        "processing",
      ].sort(),
    );
    for (const t of guarded) {
      const policy = policies.find((p) => p.metadata.name === `${t.name}-metrics-from-prometheus`);
      expect(policy?.metadata.namespace, t.name).toBe(t.namespace);
      expect(policy?.spec.podSelector, t.name).toEqual({ matchLabels: t.pods });
      expect(policy?.spec.ingress, t.name).toEqual([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": MONITORING_NAMESPACE } },
              podSelector: { matchLabels: PROMETHEUS_POD_LABELS },
            },
          ],
          ports: [{ protocol: "TCP", port: t.port.number }],
        },
      ]);
    }
  });

  it("admit Prometheus to the middle-tier on its metrics port, not on the API port the ingress uses", () => {
    const policy = policies.find((p) => p.metadata.name === "middle-tier-metrics-from-prometheus");
    expect(policy?.spec.ingress.flatMap((rule: Obj) => rule.ports)).toEqual([
      { protocol: "TCP", port: 9102 },
    ]);
  });

  it("admit nothing from Prometheus beyond the targets, and nothing into kube-system", () => {
    const scrapes = policies.filter(fromPrometheus);
    expect(scrapes).toHaveLength(8);
    expect(policies.filter((p) => p.metadata.namespace === "kube-system")).toEqual([]);
  });

  it("deny inbound traffic in the monitoring namespaces but their own and the ingress controller's to the UIs", () => {
    const inNamespace = (ns: string) =>
      policies.filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name);
    expect(inNamespace(MONITORING_NAMESPACE)).toEqual([
      "default-deny-ingress",
      "allow-same-namespace",
      "grafana-from-ingress",
      "alertmanager-from-ingress",
    ]);
    expect(inNamespace(NODE_METRICS_NAMESPACE)).toEqual([
      "dcgm-exporter-metrics-from-prometheus",
      "default-deny-ingress",
    ]);
    const ui = (name: string) => policies.find((p) => p.metadata.name === `${name}-from-ingress`)!.spec;
    expect(ui("grafana").ingress[0].ports).toEqual([{ protocol: "TCP", port: 3000 }]);
    expect(ui("alertmanager").ingress[0].ports).toEqual([{ protocol: "TCP", port: 9093 }]);
    expect(ui("grafana").ingress[0].from[0].podSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "traefik",
    });
  });
});
