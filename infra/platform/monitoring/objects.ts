/**
 * The monitoring stack's own objects beside its Helm releases: its namespaces, the UIs behind the ingress
 * (both behind the Kafka UI's basic authentication), and the metrics of k3s's Traefik.
 * Pure.
 */
import { stringify } from "yaml";
import type { KubeObject } from "../../cluster/kilo-manifests.js";
import { podSecurityLabels } from "../../cluster/pod-security.js";
import type { StackConfig } from "../../config/index.js";
import { renderIngress } from "../../services/workload.js";
import { issuerName, middlewareRef } from "../render.js";
import {
  GRAFANA_USER_HEADER,
  UI_AUTH_MIDDLEWARES,
  UI_AUTH_SECRET,
  MONITORING_NAMESPACE,
  NODE_METRICS_NAMESPACE,
  UI_SERVICES,
} from "./names.js";

const PART_OF = { "app.kubernetes.io/part-of": "monitoring" };

/**
 * The stack's namespace enforces `restricted` (the charts' pods run as non-root users with no capabilities);
 * the node agents' enforces `privileged` (MONITORING_AGENT_NEEDS in infra/cluster/pod-security.ts). Both deny
 * inbound traffic but what infra/platform/network.ts admits.
 */
export function monitoringNamespaces(): KubeObject[] {
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: MONITORING_NAMESPACE,
        labels: { "hdp.io/tier": "monitoring", ...podSecurityLabels("restricted") },
      },
    },
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: NODE_METRICS_NAMESPACE,
        labels: { "hdp.io/tier": "monitoring", ...podSecurityLabels("privileged") },
      },
    },
  ];
}

/**
 * Basic authentication (the Kafka UI's users) in front of both UIs. Alertmanager has no login of its own;
 * Grafana gets the authenticated user in a header and signs them in as its user of that name (auth proxy).
 */
export function uiAuthMiddlewares(): KubeObject[] {
  const middleware = (name: string, basicAuth: Record<string, unknown>): KubeObject => ({
    apiVersion: "traefik.io/v1alpha1",
    kind: "Middleware",
    metadata: { name, namespace: MONITORING_NAMESPACE, labels: PART_OF },
    spec: { basicAuth: { secret: UI_AUTH_SECRET, removeHeader: true, ...basicAuth } },
  });
  return [
    middleware(UI_AUTH_MIDDLEWARES.grafana, { headerField: GRAFANA_USER_HEADER }),
    middleware(UI_AUTH_MIDDLEWARES.alertmanager, {}),
  ];
}

/**
 * The Ingresses of Grafana and Alertmanager, behind basic authentication (the Kafka UI's users), each on
 * its host with a certificate from the stack's issuer.
 */
export function uiIngresses(config: Pick<StackConfig, "dns" | "tls">): KubeObject[] {
  const ingress = (name: keyof typeof UI_SERVICES, host: string, middlewares: string[] = []) =>
    renderIngress({
      metadata: { name, namespace: MONITORING_NAMESPACE, labels: PART_OF },
      service: { name: UI_SERVICES[name].service, port: UI_SERVICES[name].portName },
      routes: [{ host, path: "/", middlewares }],
      clusterIssuer: issuerName(config.tls),
    });
  return [
    ingress("grafana", config.dns.grafana, [
      middlewareRef(UI_AUTH_MIDDLEWARES.grafana, MONITORING_NAMESPACE),
    ]),
    ingress("alertmanager", config.dns.alertmanager, [
      middlewareRef(UI_AUTH_MIDDLEWARES.alertmanager, MONITORING_NAMESPACE),
    ]),
  ];
}

/**
 * k3s's bundled Traefik (its HelmChart `traefik` in kube-system) with Prometheus metrics on its `metrics`
 * entry point (port 9100), labelled by entry point, router and service (Traefik leaves out routers by
 * default): k3s merges these values into the chart's.
 */
export function traefikMetricsConfig(): KubeObject {
  return {
    apiVersion: "helm.cattle.io/v1",
    kind: "HelmChartConfig",
    metadata: { name: "traefik", namespace: "kube-system" },
    spec: {
      valuesContent: stringify({
        metrics: {
          prometheus: {
            entryPoint: "metrics",
            addEntryPointsLabels: true,
            addRoutersLabels: true,
            addServicesLabels: true,
          },
        },
      }),
    },
  };
}
