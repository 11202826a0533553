// The monitoring component as the stacks declare it (mocked Pulumi runtime): its exact children, the key
// inputs of its releases and Secrets, its outputs, and a stack without GPUs or without monitoring.
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseStackConfig, readStackFile, type StackConfig, type StackFile } from "../../config/index.js";
import { evaluateStack, type Evaluation, type PlannedResource } from "../../plan/evaluate.js";
import { manifestObjects } from "../../plan/write.js";
import { ALERTS } from "./alerts.js";
import { DASHBOARDS } from "./dashboards/index.js";
import { OPERATORS_RECEIVER, UI_ONLY_RECEIVER } from "./alertmanager-config.js";
import { KAFKA_UI_USER } from "../platform.js";
import { GRAFANA_ADMIN_USER, MONITOR_LABELS } from "./names.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Declared {
  file: StackFile;
  config: StackConfig;
  ev: Evaluation;
}
const stacks: Record<string, Declared> = {};
beforeAll(async () => {
  for (const stack of ["dev", "prod"]) {
    const file = await readStackFile(`Pulumi.${stack}.yaml`);
    stacks[stack] = { file, config: parseStackConfig(file.settings, stack), ev: await evaluateStack(file) };
  }
});

const COMPONENT = "hdp:platform:Monitoring::monitoring";
const children = (ev: Evaluation) => ev.resources.filter((r) => r.parent === COMPONENT);
const release = (ev: Evaluation, name: string) =>
  ev.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === name) as
    (PlannedResource & { inputs: Obj }) | undefined;
const objects = (ev: Evaluation) =>
  manifestObjects(ev)
    .filter((m) => m.resource.parent === COMPONENT)
    .map((m) => m.object as Obj);
const secretNamed = (ev: Evaluation, name: string) =>
  ev.resources.find(
    (r) => r.type === "kubernetes:core/v1:Secret" && (r.inputs.metadata as Obj).name === name,
  ) as (PlannedResource & { inputs: Obj }) | undefined;

describe.each(["dev", "prod"])("stack %s", (stack) => {
  it("declares the monitoring component as a child of the platform", () => {
    const { ev } = stacks[stack]!;
    const component = ev.resources.find((r) => `${r.type}::${r.name}` === COMPONENT);
    expect(component?.component).toBe(true);
    expect(component?.parent).toBe("hdp:platform:Platform::platform");
  });

  it("has exactly its namespaces, Secrets, releases, monitors, rules, dashboards, policies, Traefik's config and the UIs' ingress", () => {
    const { ev } = stacks[stack]!;
    const kinds = new Map<string, number>();
    for (const r of children(ev)) kinds.set(r.type, (kinds.get(r.type) ?? 0) + 1);
    const monitors = objects(ev).filter((o) => o.kind === "PodMonitor");
    const policies = objects(ev).filter((o) => o.kind === "NetworkPolicy");
    expect(Object.fromEntries(kinds)).toEqual({
      "kubernetes:core/v1:Namespace": 2,
      "random:index/randomPassword:RandomPassword": 1,
      "kubernetes:core/v1:Secret": 3,
      "kubernetes:helm.sh/v3:Release": 2,
      "kubernetes:monitoring.coreos.com/v1:PodMonitor": monitors.length,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": policies.length,
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule": new Set(ALERTS.map((a) => a.group)).size,
      "kubernetes:core/v1:ConfigMap": DASHBOARDS.length,
      "kubernetes:helm.cattle.io/v1:HelmChartConfig": 1,
      "kubernetes:traefik.io/v1alpha1:Middleware": 2,
      "kubernetes:networking.k8s.io/v1:Ingress": 2,
    });
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(
      [
        "analytics",
        "dcgm-exporter",
        "ingestion-sensors",
        "kafka",
        "kafka-exporter",
        "kilo",
        "middle-tier",
        "postgres",
        "processing",
        "traefik",
        "wireguard",
      ].sort(),
    );
  });

  it("pins kube-prometheus-stack and dcgm-exporter, in the namespaces the program labels", () => {
    const { ev } = stacks[stack]!;
    expect(release(ev, "kube-prometheus-stack")?.inputs).toMatchObject({
      chart: "kube-prometheus-stack",
      version: "77.14.0",
      namespace: "hdp-monitoring",
      createNamespace: false,
      atomic: true,
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
    });
    expect(release(ev, "dcgm-exporter")?.inputs).toMatchObject({
      chart: "dcgm-exporter",
      version: "4.8.2",
      namespace: "hdp-node-metrics",
      repositoryOpts: { repo: "https://nvidia.github.io/dcgm-exporter/helm-charts" },
    });
    const namespaces = objects(ev).filter((o) => o.kind === "Namespace");
    expect(
      namespaces.map((n) => [n.metadata.name, n.metadata.labels["pod-security.kubernetes.io/enforce"]]),
    ).toEqual([
      ["hdp-monitoring", "restricted"],
      ["hdp-node-metrics", "privileged"],
    ]);
  });

  it("sizes Prometheus as the stack file says, on the cloud workers", () => {
    const { ev, config } = stacks[stack]!;
    const values = release(ev, "kube-prometheus-stack")!.inputs.values;
    const spec = values.prometheus.prometheusSpec;
    const { retention, storageGi, resources } = config.monitoring;
    expect(spec.retention).toBe(retention);
    expect(spec.retentionSize).toBe(`${Math.floor(storageGi * 0.8)}GB`);
    expect(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe(`${storageGi}Gi`);
    expect(spec.resources).toEqual({
      requests: { cpu: resources.cpu, memory: resources.memory },
      limits: { memory: resources.memoryLimit },
    });
    const cloudWorkers = {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: "hdp.io/role", operator: "In", values: ["worker"] },
            { key: "topology.kubernetes.io/region", operator: "In", values: [config.workers.location] },
          ],
        },
      ],
    };
    for (const affinity of [
      spec.affinity,
      values.alertmanager.alertmanagerSpec.affinity,
      values.grafana.affinity,
      values.prometheusOperator.affinity,
      values["kube-state-metrics"].affinity,
    ]) {
      expect(affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual(cloudWorkers);
    }
  });

  it("selects every PodMonitor and PrometheusRule of ours, and the chart's own", () => {
    const { ev } = stacks[stack]!;
    const spec = release(ev, "kube-prometheus-stack")!.inputs.values.prometheus.prometheusSpec;
    for (const kind of ["rule", "serviceMonitor", "podMonitor"]) {
      expect(spec[`${kind}SelectorNilUsesHelmValues`], kind).toBe(false);
      expect(spec[`${kind}Selector`], kind).toEqual({ matchLabels: MONITOR_LABELS });
      expect(spec[`${kind}NamespaceSelector`], kind).toEqual({});
    }
    const selected = objects(ev).filter((o) => ["PodMonitor", "PrometheusRule"].includes(o.kind));
    expect(selected.length).toBeGreaterThan(10);
    for (const o of selected) expect(o.metadata.labels, o.metadata.name).toMatchObject(MONITOR_LABELS);
  });

  it("gives Grafana its generated admin from a Secret, the Prometheus data source's fixed uid and the dashboards' label", () => {
    const { ev } = stacks[stack]!;
    const grafana = release(ev, "kube-prometheus-stack")!.inputs.values.grafana;
    expect(grafana.admin).toEqual({
      existingSecret: "grafana-admin",
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    expect(grafana.sidecar.datasources).toMatchObject({ uid: "prometheus", isDefaultDatasource: true });
    expect(grafana.sidecar.dashboards).toMatchObject({
      label: "grafana_dashboard",
      labelValue: "1",
      searchNamespace: "hdp-monitoring",
      folderAnnotation: "grafana_folder",
      provider: { foldersFromFilesStructure: true },
    });
    const dashboards = objects(ev).filter((o) => o.kind === "ConfigMap");
    for (const d of dashboards) {
      expect(d.metadata.labels.grafana_dashboard).toBe("1");
      expect(Object.keys(d.metadata.annotations)).toContain("grafana_folder");
    }
    const admin = secretNamed(ev, "grafana-admin");
    expect(admin?.secretInputs).toContain("stringData");
    expect(admin?.inputs.stringData).toEqual({
      "admin-user": "admin",
      "admin-password": ev.secretValues.generatedPassword,
    });
  });

  it("outputs Grafana's admin, its password only as a secret, and the UIs' URLs in clear", () => {
    const { ev, config } = stacks[stack]!;
    expect(ev.outputs.grafanaAdminUser).toEqual({ value: "admin", secret: false });
    expect(ev.outputs.grafanaAdminPassword).toEqual({
      value: ev.secretValues.generatedPassword,
      secret: true,
    });
    expect(ev.outputs.urls?.value).toMatchObject({
      grafana: `https://${config.dns.grafana}`,
      alertmanager: `https://${config.dns.alertmanager}`,
    });
    const clear = JSON.stringify(Object.values(ev.outputs).filter((o) => !o.secret));
    expect(clear).not.toContain(ev.secretValues.generatedPassword);
  });

  it("runs node-exporter on every node, whatever its taints, in the node agents' namespace", () => {
    const { ev } = stacks[stack]!;
    const exporter = release(ev, "kube-prometheus-stack")!.inputs.values["prometheus-node-exporter"];
    expect(exporter.namespaceOverride).toBe("hdp-node-metrics");
    expect(exporter.tolerations).toEqual([{ operator: "Exists" }]);
    expect(exporter.nodeSelector).toBeUndefined();
    expect(exporter.affinity).toBeUndefined();
  });

  it("allow-lists the node role for kube-state-metrics", () => {
    const { ev } = stacks[stack]!;
    const ksm = release(ev, "kube-prometheus-stack")!.inputs.values["kube-state-metrics"];
    expect(ksm.metricLabelsAllowlist).toEqual(["nodes=[hdp.io/role]"]);
  });

  it("runs dcgm-exporter on the GPU nodes only, with the NVIDIA runtime", () => {
    const { ev } = stacks[stack]!;
    const values = release(ev, "dcgm-exporter")!.inputs.values;
    expect(values).toMatchObject({
      runtimeClassName: "nvidia",
      nodeSelector: { "hdp.io/role": "gpu" },
      serviceMonitor: { enabled: false },
    });
  });

  it("puts Grafana (its own login) and Alertmanager (the Kafka UI's basic auth) behind the ingress with TLS", () => {
    const { ev, config } = stacks[stack]!;
    const ingresses = objects(ev).filter((o) => o.kind === "Ingress");
    const byName = Object.fromEntries(ingresses.map((i) => [i.metadata.name, i]));
    expect(byName.grafana.spec.tls).toEqual([{ hosts: [config.dns.grafana], secretName: "grafana-tls" }]);
    expect(byName.grafana.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(
      "hdp-monitoring-grafana-auth@kubernetescrd",
    );
    expect(byName.alertmanager.spec.tls).toEqual([
      { hosts: [config.dns.alertmanager], secretName: "alertmanager-tls" },
    ]);
    expect(byName.alertmanager.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(
      "hdp-monitoring-alertmanager-auth@kubernetescrd",
    );
    for (const i of ingresses) {
      expect(i.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe(
        `letsencrypt-${config.tls.issuer}`,
      );
    }
    const kafkaUsers = secretNamed(ev, "kafka-ui-users")!.inputs.stringData.users;
    expect(secretNamed(ev, "monitoring-ui-users")?.inputs.stringData).toEqual({ users: kafkaUsers });
    expect(secretNamed(ev, "monitoring-ui-users")?.secretInputs).toContain("stringData");
    // Grafana signs in the ingress's user as its own user of that name, and knows only its admin.
    expect(KAFKA_UI_USER).toBe(GRAFANA_ADMIN_USER);
  });

  it("renders the Alertmanager configuration into a Secret, with the stack's receivers", () => {
    const { ev, config } = stacks[stack]!;
    const secret = secretNamed(ev, "alertmanager-config");
    expect(secret?.secretInputs).toContain("stringData");
    const am = parse(secret!.inputs.stringData["alertmanager.yaml"]) as Obj;
    const { webhook, email } = config.monitoring.alerting;
    if (webhook || email) {
      expect(am.route.receiver).toBe(OPERATORS_RECEIVER);
      expect(am.receivers[0].webhook_configs?.[0].url).toBe(
        webhook ? ev.secretValues.alertWebhookUrl : undefined,
      );
      expect(am.receivers[0].email_configs?.[0].to).toBe(email?.to);
    } else {
      expect(am.route.receiver).toBe(UI_ONLY_RECEIVER);
      expect(am.receivers).toEqual([{ name: UI_ONLY_RECEIVER }]);
    }
    const values = release(ev, "kube-prometheus-stack")!.inputs.values.alertmanager.alertmanagerSpec;
    expect(values).toMatchObject({ useExistingSecret: true, configSecret: "alertmanager-config" });
  });
});

describe("the stack files", () => {
  it("alert by webhook and e-mail in prod, in the UIs only in dev", () => {
    expect(stacks.prod!.config.monitoring.alerting).toMatchObject({
      webhook: true,
      email: { to: "ops@example.net" },
    });
    expect(stacks.dev!.config.monitoring.alerting).toEqual({ webhook: false });
  });
});

/** A stack file of dev with some settings replaced. */
async function devWith(settings: Record<string, unknown>): Promise<Evaluation> {
  const file = await readStackFile("Pulumi.dev.yaml");
  return evaluateStack({ ...file, settings: { ...file.settings, ...settings } });
}

describe("a stack without a GPU node", () => {
  it("has no dcgm-exporter, its PodMonitor or its NetworkPolicy", async () => {
    const file = await readStackFile("Pulumi.dev.yaml");
    // The workstation without its GPU: a worker.
    const nodes = (file.settings.onPremNodes as Obj[]).map((n) =>
      n.role === "gpu" ? { ...n, role: "worker" } : n,
    );
    const ev = await devWith({ onPremNodes: nodes, services: { analyticsOnGpu: false } });
    expect(release(ev, "dcgm-exporter")).toBeUndefined();
    expect(release(ev, "kube-prometheus-stack")).toBeDefined();
    expect(JSON.stringify(objects(ev))).not.toContain("dcgm");
  });
});

describe("a stack with monitoring off", () => {
  it("has no monitoring component, no scrape policies, no WireGuard exporter and no monitoring outputs", async () => {
    const ev = await devWith({ monitoring: { enabled: false } });
    expect(ev.resources.some((r) => r.type === "hdp:platform:Monitoring")).toBe(false);
    const all = manifestObjects(ev).map((m) => m.object as Obj);
    expect(all.filter((o) => /from-prometheus/.test(o.metadata.name))).toEqual([]);
    const kilo = all.find((o) => o.kind === "DaemonSet" && o.metadata.name === "kilo");
    expect(kilo?.spec.template.spec.containers.map((c: Obj) => c.name)).toEqual(["kilo"]);
    expect(ev.outputs.urls?.value).not.toHaveProperty("grafana");
    expect(ev.outputs.grafanaAdminPassword?.value).toBeUndefined();
  });
});
