/**
 * The dashboards the program provisions, generated with Grafana's Foundation SDK: pipeline overview,
 * cluster & nodes, Kafka, PostgreSQL and API. Each becomes a ConfigMap that Grafana's dashboard sidecar
 * loads (label `grafana_dashboard: "1"`).
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { KubeObject } from "../../../cluster/kilo-manifests.js";
import { DASHBOARD_FOLDER_ANNOTATION } from "../contract.js";
import { DASHBOARD_LABEL } from "../names.js";
import { apiDashboard } from "./api.js";
import { clusterDashboard } from "./cluster.js";
import { kafkaDashboard } from "./kafka.js";
import { pipelineDashboard } from "./pipeline.js";
import { postgresDashboard } from "./postgres.js";

export { DASHBOARD_TAG } from "./panels.js";

/** Every dashboard's JSON model, as Grafana stores it. */
export const DASHBOARDS: readonly Dashboard[] = [
  pipelineDashboard(),
  clusterDashboard(),
  kafkaDashboard(),
  postgresDashboard(),
  apiDashboard(),
];

/** One ConfigMap per dashboard in `namespace`, holding `<uid>.json`. */
export function dashboardConfigMaps(
  namespace: string,
  dashboards: readonly Dashboard[] = DASHBOARDS,
): KubeObject[] {
  return dashboards.map((d) => {
    if (!d.uid) throw new Error(`dashboard "${d.title}" has no uid`);
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: `dashboard-${d.uid}`,
        namespace,
        labels: { ...DASHBOARD_LABEL, "app.kubernetes.io/part-of": "hdp-monitoring" },
        annotations: { [DASHBOARD_FOLDER_ANNOTATION.key]: DASHBOARD_FOLDER_ANNOTATION.value },
      },
      data: { [`${d.uid}.json`]: JSON.stringify(d) },
    };
  });
}

/** A PromQL expression of a dashboard and where it is. */
export interface DashboardExpression {
  /** `dashboard <uid>, panel "<title>"` or `dashboard <uid>, variable <name>`. */
  readonly where: string;
  readonly expr: string;
}

interface PanelLike {
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly panels?: readonly PanelLike[];
}

/**
 * Every PromQL expression of the dashboards: each query of each panel, and the series selector of each
 * `label_values(<series>, <label>)` variable. Grafana's variables are left in; substitute them before parsing.
 */
export function dashboardExpressions(dashboards: readonly Dashboard[] = DASHBOARDS): DashboardExpression[] {
  return dashboards.flatMap((d) => {
    const panels = (d.panels ?? []) as readonly PanelLike[];
    const all = panels.flatMap((p) => [p, ...(p.panels ?? [])]);
    const queries = all.flatMap((p) =>
      (p.targets ?? [])
        .filter((t) => t.expr !== undefined)
        .map((t) => ({ where: `dashboard ${d.uid}, panel "${p.title ?? ""}"`, expr: t.expr! })),
    );
    const variables = (d.templating?.list ?? []).flatMap((v) => {
      const match =
        v.type === "query" && typeof v.query === "string" && /^label_values\((.+),\s*\w+\)$/.exec(v.query);
      return match ? [{ where: `dashboard ${d.uid}, variable ${v.name}`, expr: match[1]! }] : [];
    });
    return [...queries, ...variables];
  });
}
