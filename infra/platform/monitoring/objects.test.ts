// The monitoring stack's own objects: its namespaces' Pod Security levels, the UIs' Ingresses and
// middleware, and the values k3s's Traefik is given for its metrics.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MONITORING_AGENT_NEEDS } from "../../cluster/pod-security.js";
import { parseStackConfig } from "../../config/index.js";
import { validSettings } from "../../config/test-fixture.js";
import { uiAuthMiddlewares, monitoringNamespaces, traefikMetricsConfig, uiIngresses } from "./objects.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const config = parseStackConfig(validSettings(), "dev");

describe("the monitoring namespaces", () => {
  it("enforce restricted for the stack, privileged for the node agents, for the reasons stated", () => {
    expect(
      monitoringNamespaces().map((n) => [
        n.metadata.name,
        n.metadata.labels?.["pod-security.kubernetes.io/enforce"],
      ]),
    ).toEqual([
      ["hdp-monitoring", "restricted"],
      ["hdp-node-metrics", "privileged"],
    ]);
    expect(Object.keys(MONITORING_AGENT_NEEDS)).toEqual(["node-exporter", "dcgm-exporter"]);
  });
});

describe("the UIs behind the ingress", () => {
  const [grafana, alertmanager] = uiIngresses(config) as Obj[];

  it("route each host to its Service's web port, on the TLS entry point with the stack's issuer", () => {
    expect(grafana!.spec.rules).toEqual([
      {
        host: "grafana.dev.example.net",
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: "grafana", port: { name: "http-web" } } },
            },
          ],
        },
      },
    ]);
    expect(alertmanager!.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: "monitoring-alertmanager",
      port: { name: "http-web" },
    });
    for (const i of [grafana!, alertmanager!]) {
      expect(i.metadata.namespace).toBe("hdp-monitoring");
      expect(i.metadata.annotations).toMatchObject({
        "cert-manager.io/cluster-issuer": "letsencrypt-staging",
        "traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
      });
    }
  });

  it("put basic authentication with the Kafka UI's users, a middleware of the Ingress's own namespace, in front of both", () => {
    expect(alertmanager!.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(
      "hdp-monitoring-alertmanager-auth@kubernetescrd",
    );
    expect(grafana!.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(
      "hdp-monitoring-grafana-auth@kubernetescrd",
    );
    expect(uiAuthMiddlewares()).toMatchObject([
      {
        metadata: { name: "grafana-auth", namespace: "hdp-monitoring" },
        // Grafana's auth proxy reads the user from this header, which Traefik sets (overwriting a client's).
        spec: {
          basicAuth: { secret: "monitoring-ui-users", removeHeader: true, headerField: "X-WebAuth-User" },
        },
      },
      {
        metadata: { name: "alertmanager-auth", namespace: "hdp-monitoring" },
        spec: { basicAuth: { secret: "monitoring-ui-users", removeHeader: true } },
      },
    ]);
    expect(uiAuthMiddlewares()[1]!.spec).not.toHaveProperty("basicAuth.headerField");
  });
});

describe("Traefik's metrics", () => {
  it("are configured on k3s's own HelmChart, by entry point, router and service", () => {
    const config = traefikMetricsConfig() as Obj;
    expect(config.metadata).toEqual({ name: "traefik", namespace: "kube-system" });
    expect(parse(config.spec.valuesContent)).toEqual({
      metrics: {
        prometheus: {
          entryPoint: "metrics",
          addEntryPointsLabels: true,
          addRoutersLabels: true,
          addServicesLabels: true,
        },
      },
    });
  });
});
