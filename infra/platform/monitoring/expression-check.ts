/**
 * The check that the alert rules and dashboards name only metrics someone exports: our services' documented
 * metrics (the `## Metrics` table of each service's README) and the pinned exporter lists
 * (`exporter-metrics.ts`). Prometheus's own parser (promql-inspect) tells which metrics an expression
 * names; the functions here read the READMEs, make Grafana queries parseable, and compare.
 */

export type MetricType = "counter" | "gauge" | "histogram" | "summary";
const METRIC_TYPES: readonly MetricType[] = ["counter", "gauge", "histogram", "summary"];

/** One row of a README's `## Metrics` table. */
export interface DocumentedMetric {
  readonly name: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  readonly meaning: string;
}

/** A README whose metrics table is malformed. */
export class MetricsTableError extends Error {
  override readonly name = "MetricsTableError";
}

const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());

const unquote = (cell: string): string => cell.replace(/`/g, "").trim();

/**
 * The rows of the `## Metrics` section of a README (`| metric | type | labels | meaning |`, labels
 * comma-separated, `–` for none). `file` names the README in errors. A README without the section has none.
 */
export function parseMetricsSection(markdown: string, file: string): DocumentedMetric[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^##\s+Metrics\s*$/.test(line));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
  const rows = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter((line) => line.trim().startsWith("|"));
  const [header, separator, ...body] = rows;
  const expected = ["metric", "type", "labels", "meaning"];
  if (!header || cells(header).join(",").toLowerCase() !== expected.join(",") || !separator) {
    throw new MetricsTableError(`${file}: ## Metrics must hold a table | ${expected.join(" | ")} |`);
  }
  return body.map((row) => {
    const [name, type, labels, meaning, ...extra] = cells(row).map(unquote);
    if (!name || !type || labels === undefined || meaning === undefined || extra.length > 0) {
      throw new MetricsTableError(`${file}: a metrics row needs four cells: ${row.trim()}`);
    }
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) {
      throw new MetricsTableError(`${file}: ${name} is not a Prometheus metric name`);
    }
    if (!METRIC_TYPES.includes(type as MetricType)) {
      throw new MetricsTableError(`${file}: ${name} has type ${type}, not one of ${METRIC_TYPES.join(", ")}`);
    }
    const none = labels === "" || labels === "–" || labels === "-";
    return {
      name,
      type: type as MetricType,
      labels: none ? [] : labels.split(",").map((label) => label.trim()),
      meaning,
    };
  });
}

/** The series names Prometheus stores for a documented metric. */
export function seriesNames(metric: Pick<DocumentedMetric, "name" | "type">): string[] {
  switch (metric.type) {
    case "counter":
    case "gauge":
      return [metric.name];
    case "histogram":
      return [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
    case "summary":
      return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
    default: {
      const never: never = metric.type;
      return never;
    }
  }
}

/**
 * Grafana's variables replaced by values Prometheus parses: the interval and range variables by durations
 * (or numbers for their `_ms` and `_s` forms), every other variable (`$ticker`, `${node:regex}`,
 * `[[topic]]`) by a plain word, which is valid wherever such a variable may stand (a label value).
 */
export function substituteGrafanaVariables(expr: string): string {
  const builtins: Record<string, string> = {
    __rate_interval: "5m",
    __interval: "1m",
    __range: "1h",
    __interval_ms: "60000",
    __range_ms: "3600000",
    __range_s: "3600",
  };
  const value = (name: string) => builtins[name] ?? "grafana_variable";
  return expr
    .replace(/\$\{(\w+)(?::[^}]*)?\}/g, (_, name: string) => value(name))
    .replace(/\[\[(\w+)(?::[^\]]*)?\]\]/g, (_, name: string) => value(name))
    .replace(/\$(\w+)/g, (_, name: string) => value(name));
}

/** What promql-inspect reports for one expression, and where the expression comes from. */
export interface InspectedExpression {
  /** E.g. `alert BarsNotStored` or `dashboard hdp-pipeline, panel "Bars stored"`. */
  readonly where: string;
  readonly expr: string;
  readonly error?: string;
  readonly metrics: readonly string[];
}

/**
 * Every problem with the inspected expressions: one that does not parse, and each metric it names that is
 * not in `known`. Empty when all is well.
 */
export function expressionProblems(
  inspected: readonly InspectedExpression[],
  known: ReadonlySet<string>,
): string[] {
  return inspected.flatMap((e) => {
    if (e.error) return [`${e.where}: does not parse: ${e.error} (in: ${e.expr})`];
    return e.metrics
      .filter((metric) => !known.has(metric))
      .map(
        (metric) =>
          `${e.where}: ${metric} is neither in a service's ## Metrics nor in a pinned exporter list (in: ${e.expr})`,
      );
  });
}
