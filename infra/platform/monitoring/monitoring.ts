import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { declareObject } from "../../cluster/resources/kubernetes-objects.js";
import type { StackConfig, StackInputs } from "../../config/index.js";
import { chartRelease } from "../helm-release.js";
import { scrapePolicies } from "../network.js";
import { VERSIONS } from "../render.js";
import { prometheusRuleObjects } from "./alerts.js";
import { renderAlertmanagerConfig } from "./alertmanager-config.js";
import { dashboardConfigMaps } from "./dashboards/index.js";
import {
  UI_AUTH_SECRET,
  ALERTMANAGER_CONFIG_SECRET,
  DCGM_RELEASE,
  GRAFANA_ADMIN_SECRET,
  GRAFANA_ADMIN_USER,
  MONITORING_NAMESPACE,
  NODE_METRICS_NAMESPACE,
  STACK_RELEASE,
} from "./names.js";
import { uiAuthMiddlewares, monitoringNamespaces, traefikMetricsConfig, uiIngresses } from "./objects.js";
import { hasGpuNodes, podMonitors, scrapeTargets } from "./scrape-targets.js";
import { dcgmExporterValues, kubePrometheusStackValues } from "./stack-values.js";

export interface MonitoringArgs {
  readonly config: StackConfig;
  /** The alert receivers' secrets (`alertWebhookUrl`, `alertSmtpPassword`), when set. */
  readonly secrets: StackInputs["secrets"];
  readonly provider: k8s.Provider;
  /** The Kafka UI's basic-auth users (`user:bcrypt` lines, secret): the Alertmanager UI takes the same. */
  readonly basicAuthUsers: pulumi.Output<string>;
}

/**
 * The monitoring stack: kube-prometheus-stack (pinned Helm release; Prometheus, Alertmanager and Grafana on the
 * cloud workers, node-exporter on every node) and, with GPU nodes, NVIDIA's dcgm-exporter; a PodMonitor for
 * every scrape target of ours, our alert rules and dashboards, Traefik's metrics, and Grafana and
 * Alertmanager behind the ingress with TLS. Grafana's admin password is generated; the Alertmanager
 * configuration, which holds the receivers' secrets, is a Secret.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** Grafana's administrator. */
  readonly grafanaAdminUser: string = GRAFANA_ADMIN_USER;
  /** Its generated password (secret). */
  readonly grafanaAdminPassword: pulumi.Output<string>;
  /** The UIs' addresses. */
  readonly urls: { readonly grafana: string; readonly alertmanager: string };
  /** The monitoring namespaces, which the NetworkPolicies in them wait for. */
  readonly namespaces: pulumi.Resource[];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:platform:Monitoring", name, {}, opts);
    const { config, provider, secrets } = args;
    const k8sOpts = { parent: this, provider };
    this.namespaces = monitoringNamespaces().map((ns) => declareObject(name, ns, k8sOpts));
    const secret = <T extends Record<string, string>>(
      id: string,
      metadataName: string,
      data: pulumi.Output<T>,
    ) =>
      new k8s.core.v1.Secret(
        `${name}-${id}`,
        {
          metadata: { name: metadataName, namespace: MONITORING_NAMESPACE },
          type: "Opaque",
          stringData: pulumi.secret(data),
        },
        { ...k8sOpts, dependsOn: this.namespaces },
      );

    const password = new random.RandomPassword(
      `${name}-grafana-admin-password`,
      { length: 24, special: false },
      { parent: this },
    );
    this.grafanaAdminPassword = password.result;
    const grafanaAdmin = secret(
      "grafana-admin",
      GRAFANA_ADMIN_SECRET,
      password.result.apply((p) => ({ "admin-user": GRAFANA_ADMIN_USER, "admin-password": p })),
    );
    const alerting = config.monitoring.alerting;
    const alertmanagerConfig = secret(
      "alertmanager-config",
      ALERTMANAGER_CONFIG_SECRET,
      pulumi
        .all([secrets.alertWebhookUrl ?? "", secrets.alertSmtpPassword ?? ""])
        .apply(([webhookUrl, smtpPassword]) => ({
          "alertmanager.yaml": renderAlertmanagerConfig(alerting, {
            ...(webhookUrl ? { webhookUrl } : {}),
            ...(smtpPassword ? { smtpPassword } : {}),
          }),
        })),
    );
    const uiUsers = secret(
      "ui-users",
      UI_AUTH_SECRET,
      args.basicAuthUsers.apply((users) => ({ users })),
    );

    const stack = chartRelease(
      name,
      {
        id: STACK_RELEASE,
        chart: "kube-prometheus-stack",
        version: VERSIONS.kubePrometheusStackChart,
        repo: "https://prometheus-community.github.io/helm-charts",
        namespace: MONITORING_NAMESPACE,
        createNamespace: false,
        values: kubePrometheusStackValues({
          monitoring: config.monitoring,
          workerRegion: config.workers.location,
          dns: config.dns,
        }),
        // CRDs, a StatefulSet with its volume each for Prometheus and Alertmanager: more than an operator.
        timeout: 900,
      },
      { ...k8sOpts, dependsOn: [...this.namespaces, grafanaAdmin, alertmanagerConfig] },
    );
    if (hasGpuNodes(config)) {
      chartRelease(
        name,
        {
          id: DCGM_RELEASE,
          chart: "dcgm-exporter",
          version: VERSIONS.dcgmExporterChart,
          repo: "https://nvidia.github.io/dcgm-exporter/helm-charts",
          namespace: NODE_METRICS_NAMESPACE,
          createNamespace: false,
          values: dcgmExporterValues(),
        },
        { ...k8sOpts, dependsOn: this.namespaces },
      );
    }

    // The operator's CRDs come with the chart.
    const afterStack = { ...k8sOpts, dependsOn: [stack] };
    const targets = scrapeTargets(config);
    for (const o of podMonitors(targets)) declareObject(name, o, afterStack);
    // Named by namespace too: several namespaces have a policy of the same name.
    for (const o of scrapePolicies(targets)) {
      declareObject(`${name}-${o.metadata.namespace}`, o, { ...k8sOpts, dependsOn: this.namespaces });
    }
    for (const o of prometheusRuleObjects(MONITORING_NAMESPACE)) declareObject(name, o, afterStack);
    for (const o of dashboardConfigMaps(MONITORING_NAMESPACE)) {
      declareObject(name, o, { ...k8sOpts, dependsOn: this.namespaces });
    }
    declareObject(name, traefikMetricsConfig(), k8sOpts);
    const auth = uiAuthMiddlewares().map((o) =>
      declareObject(name, o, { ...k8sOpts, dependsOn: [...this.namespaces, uiUsers] }),
    );
    for (const o of uiIngresses(config)) declareObject(name, o, { ...k8sOpts, dependsOn: [stack, ...auth] });

    this.urls = {
      grafana: `https://${config.dns.grafana}`,
      alertmanager: `https://${config.dns.alertmanager}`,
    };
    this.registerOutputs({});
  }
}
