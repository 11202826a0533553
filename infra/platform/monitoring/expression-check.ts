/**
 * The check that the alert rules and dashboards name only metrics someone exports: our services' documented
 * metrics (the `## Metrics` table of each service's README, read by test/support/metrics-contract.ts) and
 * the pinned exporter lists (`exporter-metrics.ts`). Prometheus's own parser (promql-inspect) tells which
 * metrics an expression names; the functions here expand documented metrics to their series, make Grafana
 * queries parseable, and compare.
 */

/** A metric's type, as the services' READMEs document it. */
export type MetricType = "counter" | "gauge" | "histogram" | "summary";

/** The series names Prometheus stores for a documented metric. */
export function seriesNames(metric: { readonly name: string; readonly type: MetricType }): string[] {
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
