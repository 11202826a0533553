// kube-prometheus-stack's and dcgm-exporter's values: where each part may run, on the stacks' own nodes
// (their labels and taints as the program sets them), and the sizes that follow from the config.
import { describe, expect, it } from "vitest";
import { clusterNodes, nodeLabels, nodeTaints, type ClusterNode } from "../../cluster/index.js";
import { parseStackConfig, readStackFile, type StackConfig } from "../../config/index.js";
import { validSettings } from "../../config/test-fixture.js";
import {
  cloudWorkerAffinity,
  dcgmExporterValues,
  kubePrometheusStackValues,
  retentionSize,
} from "./stack-values.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Expression {
  key: string;
  operator: "In" | "NotIn" | "Exists";
  values?: string[];
}
interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: string;
}

/** Whether a node's labels satisfy a required node affinity (any term, every expression), as the scheduler does. */
function affinityAdmits(affinity: Obj | undefined, labels: Record<string, string>): boolean {
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as
    { matchExpressions: Expression[] }[] | undefined;
  if (!terms) return true;
  return terms.some((t) =>
    t.matchExpressions.every((e) => {
      const value = labels[e.key];
      if (e.operator === "Exists") return value !== undefined;
      const listed = value !== undefined && (e.values ?? []).includes(value);
      return e.operator === "In" ? listed : !listed;
    }),
  );
}

/** Whether the tolerations cover every NoSchedule/NoExecute taint of a node. */
function tolerates(tolerations: readonly Toleration[] | undefined, node: ClusterNode): boolean {
  return nodeTaints(node).every((taint) =>
    (tolerations ?? []).some(
      (t) =>
        (t.effect === undefined || t.effect === taint.effect) &&
        (t.operator === "Exists"
          ? t.key === undefined || t.key === taint.key
          : t.key === taint.key && t.value === taint.value),
    ),
  );
}

const schedulable = (
  node: ClusterNode,
  pod: { affinity?: Obj; nodeSelector?: Obj; tolerations?: Toleration[] },
) =>
  affinityAdmits(pod.affinity, nodeLabels(node)) &&
  Object.entries(pod.nodeSelector ?? {}).every(([k, v]) => nodeLabels(node)[k] === v) &&
  tolerates(pod.tolerations, node);

const valuesOf = (config: StackConfig) =>
  kubePrometheusStackValues({
    monitoring: config.monitoring,
    workerRegion: config.workers.location,
    dns: config.dns,
  }) as Obj;

describe.each(["dev", "prod"])("on the %s stack's nodes", (stack) => {
  it("runs Prometheus, Alertmanager, Grafana, the operator and kube-state-metrics on the cloud workers only", async () => {
    const file = await readStackFile(`Pulumi.${stack}.yaml`);
    const config = parseStackConfig(file.settings, stack);
    const values = valuesOf(config);
    const nodes = clusterNodes(config);
    const cloudWorkers = nodes
      .filter((n) => n.role === "worker" && n.provider === "hetzner")
      .map((n) => n.name);
    expect(cloudWorkers.length).toBeGreaterThan(0);
    for (const [part, pod] of Object.entries({
      prometheus: values.prometheus.prometheusSpec,
      alertmanager: values.alertmanager.alertmanagerSpec,
      grafana: values.grafana,
      operator: values.prometheusOperator,
      "kube-state-metrics": values["kube-state-metrics"],
    })) {
      expect(
        nodes.filter((n) => schedulable(n, pod)).map((n) => n.name),
        part,
      ).toEqual(cloudWorkers);
    }
  });

  it("runs node-exporter on every node, the server, the Pis and the GPU workstation included", async () => {
    const file = await readStackFile(`Pulumi.${stack}.yaml`);
    const config = parseStackConfig(file.settings, stack);
    const nodes = clusterNodes(config);
    expect(nodes.some((n) => n.raspberryPi) && nodes.some((n) => n.role === "server")).toBe(true);
    const exporter = valuesOf(config)["prometheus-node-exporter"];
    expect(nodes.filter((n) => !schedulable(n, exporter)).map((n) => n.name)).toEqual([]);
  });

  it("runs dcgm-exporter on the GPU nodes only", async () => {
    const file = await readStackFile(`Pulumi.${stack}.yaml`);
    const nodes = clusterNodes(parseStackConfig(file.settings, stack));
    const gpus = nodes.filter((n) => n.role === "gpu").map((n) => n.name);
    expect(gpus.length).toBeGreaterThan(0);
    expect(nodes.filter((n) => schedulable(n, dcgmExporterValues())).map((n) => n.name)).toEqual(gpus);
  });
});

describe("the affinity of the cloud workers", () => {
  it("admits a worker in the workers' region, and neither an on-premises worker nor a Pi", () => {
    const affinity = cloudWorkerAffinity("nbg1");
    expect(
      affinityAdmits(affinity, { "hdp.io/role": "worker", "topology.kubernetes.io/region": "nbg1" }),
    ).toBe(true);
    expect(
      affinityAdmits(affinity, { "hdp.io/role": "worker", "topology.kubernetes.io/region": "lab" }),
    ).toBe(false);
    expect(
      affinityAdmits(affinity, { "hdp.io/role": "sensor", "topology.kubernetes.io/region": "nbg1" }),
    ).toBe(false);
  });
});

describe("kube-prometheus-stack's values", () => {
  const config = parseStackConfig(validSettings(), "dev");

  it.each([
    [20, "16GB"],
    [10, "8GB"],
    [2, "1GB"],
    [50, "40GB"],
  ])("keep the samples of a %i GiB volume under %s", (gi, size) => {
    expect(retentionSize(gi)).toBe(size);
  });

  it("leave out the chart's rules and dashboards, and the scrapes k3s has nothing for", () => {
    const values = valuesOf(config);
    expect(values.defaultRules).toEqual({ create: false });
    expect(values.grafana.defaultDashboardsEnabled).toBe(false);
    for (const part of ["kubeControllerManager", "kubeScheduler", "kubeProxy", "kubeEtcd"]) {
      expect(values[part], part).toEqual({ enabled: false });
    }
  });

  it("give Alertmanager its configuration from the program's Secret and its public URL", () => {
    expect(valuesOf(config).alertmanager.alertmanagerSpec).toMatchObject({
      useExistingSecret: true,
      configSecret: "alertmanager-config",
      externalUrl: "https://alerts.dev.example.net",
    });
  });

  it("serve Grafana at its host, with sign-up and anonymous access off", () => {
    const ini = valuesOf(config).grafana["grafana.ini"];
    expect(ini.server.root_url).toBe("https://grafana.dev.example.net/");
    expect(ini.users.allow_sign_up).toBe(false);
    expect(ini["auth.anonymous"].enabled).toBe(false);
  });

  it("sign Grafana's users in from the ingress's basic authentication, existing users only", () => {
    expect(valuesOf(config).grafana["grafana.ini"]["auth.proxy"]).toEqual({
      enabled: true,
      header_name: "X-WebAuth-User",
      header_property: "username",
      auto_sign_up: false,
    });
  });

  it("give every container they configure requests and a memory limit", () => {
    const values = valuesOf(config);
    for (const [part, resources] of Object.entries({
      prometheus: values.prometheus.prometheusSpec.resources,
      alertmanager: values.alertmanager.alertmanagerSpec.resources,
      grafana: values.grafana.resources,
      "grafana sidecars": values.grafana.sidecar.resources,
      operator: values.prometheusOperator.resources,
      "kube-state-metrics": values["kube-state-metrics"].resources,
      "node-exporter": values["prometheus-node-exporter"].resources,
      "dcgm-exporter": dcgmExporterValues().resources,
    })) {
      expect(resources, part).toMatchObject({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { memory: expect.any(String) },
      });
    }
  });
});
