// The dashboards as rendered, without Grafana: the five the issue asks for with the panels it names, every
// query on the provisioned Prometheus through the data-source variable, and the ConfigMaps the sidecar loads.
import { describe, expect, it } from "vitest";
import { DASHBOARD_FOLDER_ANNOTATION } from "../contract.js";
import { DASHBOARD_LABEL, PROMETHEUS_DATASOURCE_UID } from "../names.js";
import { DASHBOARDS, dashboardConfigMaps, dashboardExpressions } from "./index.js";

interface Panel {
  id?: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; refId?: string; datasource?: { uid?: string } }[];
  gridPos?: { x: number; y: number; w: number; h: number };
}
const panelsOf = (uid: string): Panel[] => (DASHBOARDS.find((d) => d.uid === uid)?.panels ?? []) as Panel[];
const titles = (uid: string) => panelsOf(uid).map((p) => p.title);

describe("dashboards", () => {
  it("pipeline overview, cluster & nodes, Kafka, PostgreSQL and API, with stable uids", () => {
    expect(DASHBOARDS.map((d) => [d.uid, d.title])).toEqual([
      ["hdp-pipeline", "Pipeline overview"],
      ["hdp-cluster", "Cluster & nodes"],
      ["hdp-kafka", "Kafka"],
      ["hdp-postgres", "PostgreSQL"],
      ["hdp-api", "API"],
    ]);
  });

  it.each(DASHBOARDS.map((d) => [d.uid!, d] as const))(
    "%s: every query goes to the data source variable, which defaults to the provisioned Prometheus",
    (uid, d) => {
      const variable = d.templating?.list?.find((v) => v.name === "datasource");
      expect(variable).toMatchObject({
        type: "datasource",
        query: "prometheus",
        current: { value: PROMETHEUS_DATASOURCE_UID },
      });
      const panels = panelsOf(uid).filter((p) => p.type !== "row");
      expect(panels.length).toBeGreaterThan(3);
      for (const panel of panels) {
        expect(panel.datasource, panel.title).toEqual({ type: "prometheus", uid: "${datasource}" });
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect(target.datasource?.uid, panel.title).toBe("${datasource}");
          expect(target.expr, panel.title).toMatch(/\S/);
        }
        expect(new Set(panel.targets?.map((t) => t.refId)).size, panel.title).toBe(panel.targets?.length);
      }
    },
  );

  it.each(DASHBOARDS.map((d) => [d.uid!] as const))(
    "%s: panel ids are unique and panels fit the 24-column grid",
    (uid) => {
      const panels = panelsOf(uid);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const p of panels) expect(p.gridPos!.x + p.gridPos!.w, p.title).toBeLessThanOrEqual(24);
    },
  );

  it("the pipeline overview shows freshness, stored per source, dead letters, lag, analytics and the session", () => {
    expect(titles("hdp-pipeline")).toEqual(
      expect.arrayContaining([
        "Market session",
        "Newest bar",
        "Bar freshness: bar end to stored",
        "Bars stored per minute, by source",
        "Articles stored per minute, by source",
        "Dead letters, by topic and reason",
        "Consumer lag as processing sees it",
        "Scoring request latency (processing → analytics)",
        "Scoring failures, by reason",
      ]),
    );
  });

  it("cluster & nodes covers CPU, memory, readiness, the Pis' temperature, the GPU and Kilo handshakes", () => {
    expect(titles("hdp-cluster")).toEqual(
      expect.arrayContaining([
        "Ready, by node",
        "CPU busy",
        "Memory used",
        "CPU temperature",
        "GPU utilisation",
        "Since the last WireGuard handshake, by peer",
      ]),
    );
  });

  it("the API dashboard shows latency by route, error rate, stream clients and cache hits", () => {
    expect(titles("hdp-api")).toEqual(
      expect.arrayContaining([
        "Latency p95, by route",
        "Server errors",
        "Live-stream clients",
        "Cache hit ratio, by cache",
      ]),
    );
  });

  it("lists every panel query and variable selector for the metric check, saying where each is", () => {
    const expressions = dashboardExpressions();
    const queries = DASHBOARDS.flatMap((d) => (d.panels as Panel[]).flatMap((p) => p.targets ?? []));
    expect(expressions.filter((e) => e.where.includes("panel"))).toHaveLength(queries.length);
    expect(expressions).toContainEqual({
      where: "dashboard hdp-pipeline, variable ticker",
      expr: "api_last_bar_age_seconds",
    });
    expect(expressions).toContainEqual({
      where: 'dashboard hdp-pipeline, panel "Newest bar"',
      expr: "min(api_last_bar_age_seconds)",
    });
  });
});

describe("dashboard ConfigMaps", () => {
  const maps = dashboardConfigMaps("hdp-monitoring");

  it("one per dashboard, labelled for Grafana's sidecar, in our folder", () => {
    expect(maps.map((m) => [m.kind, m.metadata.namespace, m.metadata.name])).toEqual(
      DASHBOARDS.map((d) => ["ConfigMap", "hdp-monitoring", `dashboard-${d.uid}`]),
    );
    for (const m of maps) {
      expect(m.metadata.labels).toMatchObject(DASHBOARD_LABEL);
      expect(m.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
      expect(m.metadata.annotations).toEqual({
        [DASHBOARD_FOLDER_ANNOTATION.key]: DASHBOARD_FOLDER_ANNOTATION.value,
      });
    }
  });

  it("holds each dashboard's JSON model, well under a ConfigMap's 1 MiB", () => {
    maps.forEach((m, i) => {
      const data = m.data as Record<string, string>;
      const uid = DASHBOARDS[i]!.uid!;
      expect(Object.keys(data)).toEqual([`${uid}.json`]);
      expect(JSON.parse(data[`${uid}.json`]!)).toEqual(JSON.parse(JSON.stringify(DASHBOARDS[i])));
      expect(Buffer.byteLength(data[`${uid}.json`]!)).toBeLessThan(256 * 1024);
    });
  });

  it("refuses a dashboard without a uid (Grafana would give it a new one on every load)", () => {
    expect(() => dashboardConfigMaps("m", [{ ...DASHBOARDS[0]!, uid: undefined }])).toThrow(
      'dashboard "Pipeline overview" has no uid',
    );
  });
});
