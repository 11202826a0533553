/**
 * The few panel shapes our dashboards use, built with Grafana's Foundation SDK: a dashboard of rows, time
 * series and single stats, every query on the Prometheus data source chosen by the `datasource` variable
 * (which defaults to the provisioned one, `PROMETHEUS_DATASOURCE_UID`).
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { PROMETHEUS_DATASOURCE_UID } from "../names.js";

/** Every panel and query names the data source through this variable. */
const DATASOURCE: common.DataSourceRef = { type: "prometheus", uid: "${datasource}" };

/** One PromQL query of a panel; `legend` is Grafana's legend format (`{{ticker}}`). */
export interface Query {
  readonly expr: string;
  readonly legend?: string;
}

export const query = (expr: string, legend?: string): Query => ({ expr, ...(legend ? { legend } : {}) });

/** A threshold step: from `value` on (null: from minus infinity), this colour. */
export type Step = readonly [value: number | null, color: string];

/** Green below `warn`, orange from it, red from `bad`. */
export const trafficLight = (warn: number, bad: number): Step[] => [
  [null, "green"],
  [warn, "orange"],
  [bad, "red"],
];

export interface PanelOptions {
  readonly description?: string;
  /** Grafana unit id, e.g. `s`, `percentunit`, `bytes`, `celsius`, `reqps`. @default "short" */
  readonly unit?: string;
  /** Width in grid columns (24 across). @default 12 for time series, 6 for stats */
  readonly span?: number;
  readonly min?: number;
  readonly max?: number;
  readonly thresholds?: readonly Step[];
  /** Stat only: a text for each exact value (e.g. 1 → Open). */
  readonly mappings?: Readonly<Record<string, string>>;
}

function targets(queries: readonly Query[]): prometheus.DataqueryBuilder[] {
  return queries.map((q, i) => {
    const target = new prometheus.DataqueryBuilder()
      .datasource(DATASOURCE)
      .refId(String.fromCharCode(65 + i))
      .expr(q.expr);
    return q.legend ? target.legendFormat(q.legend) : target;
  });
}

const thresholdsOf = (steps: readonly Step[]) =>
  new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));

/** A time series of one or more queries. */
export function timeseries(
  title: string,
  queries: readonly Query[],
  options: PanelOptions = {},
): TimeseriesBuilder {
  let panel = new TimeseriesBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .unit(options.unit ?? "short")
    .span(options.span ?? 12)
    .height(8)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .placement(common.LegendPlacement.Bottom)
        .displayMode(common.LegendDisplayMode.List),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
  for (const target of targets(queries)) panel = panel.withTarget(target);
  if (options.description) panel = panel.description(options.description);
  if (options.min !== undefined) panel = panel.min(options.min);
  if (options.max !== undefined) panel = panel.max(options.max);
  if (options.thresholds) {
    panel = panel
      .thresholds(thresholdsOf(options.thresholds))
      .thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
      );
  }
  return panel;
}

/** A single value: the last of the query, coloured by the thresholds. */
export function stat(title: string, q: Query, options: PanelOptions = {}): StatBuilder {
  let panel = new StatBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .unit(options.unit ?? "short")
    .span(options.span ?? 6)
    .height(4)
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]));
  for (const target of targets([q])) panel = panel.withTarget(target);
  if (options.description) panel = panel.description(options.description);
  if (options.thresholds) panel = panel.thresholds(thresholdsOf(options.thresholds));
  if (options.mappings) {
    panel = panel.mappings([
      {
        type: dashboard.MappingType.ValueToText,
        options: Object.fromEntries(
          Object.entries(options.mappings).map(([value, text], index) => [value, { text, index }]),
        ),
      },
    ]);
  }
  return panel;
}

/** A dashboard variable whose values are a label's values (`label_values(<series>, <label>)`). */
export function labelVariable(name: string, label: string, series: string, title: string) {
  return new dashboard.QueryVariableBuilder(name)
    .label(title)
    .datasource(DATASOURCE)
    .query(`label_values(${series}, ${label})`)
    .definition(`label_values(${series}, ${label})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ selected: true, text: "All", value: "$__all" });
}

export interface Row {
  readonly title: string;
  readonly panels: readonly (TimeseriesBuilder | StatBuilder)[];
}

export interface DashboardSpec {
  /** Grafana uid, stable across renders (links and bookmarks use it). */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables?: readonly ReturnType<typeof labelVariable>[];
  readonly rows: readonly Row[];
}

/** Tag of every dashboard the program provisions. */
export const DASHBOARD_TAG = "hdp";

/** The dashboard's JSON model: panels numbered in order, the data source variable first. */
export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  let builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([DASHBOARD_TAG])
    .readonly()
    .timezone("browser")
    .time({ from: "now-6h", to: "now" })
    .refresh("1m")
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(
      new dashboard.DatasourceVariableBuilder("datasource")
        .label("Data source")
        .type("prometheus")
        .current({ selected: true, text: "Prometheus", value: PROMETHEUS_DATASOURCE_UID }),
    );
  for (const variable of spec.variables ?? []) builder = builder.withVariable(variable);
  let id = 1;
  for (const row of spec.rows) {
    builder = builder.withRow(new dashboard.RowBuilder(row.title).id(id++));
    for (const panel of row.panels) builder = builder.withPanel(panel.id(id++));
  }
  return builder.build();
}
