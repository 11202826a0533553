// The metric-name check of the rules and dashboards, as pure functions: the series a documented metric
// stores, the names known from the READMEs and exporter lists, Grafana variables made parseable, and the
// verdict on inspected expressions — including the failures.
import { describe, expect, it } from "vitest";
import {
  expressionProblems,
  seriesNames,
  substituteGrafanaVariables,
  type InspectedExpression,
} from "./expression-check.js";
import { knownMetricNames } from "./test-support.js";

describe("seriesNames", () => {
  it.each([
    ["counter", "a_total", ["a_total"]],
    ["gauge", "a", ["a"]],
    ["histogram", "a_seconds", ["a_seconds_bucket", "a_seconds_sum", "a_seconds_count"]],
    ["summary", "a_seconds", ["a_seconds", "a_seconds_sum", "a_seconds_count"]],
  ] as const)("a %s is stored as its series", (type, name, series) => {
    expect(seriesNames({ name, type })).toEqual(series);
  });
});

describe("knownMetricNames", () => {
  it("holds the services' documented series and the pinned exporters' names", () => {
    const known = knownMetricNames();
    for (const name of [
      "processing_bars_stored_total",
      "processing_bar_freshness_seconds_bucket",
      "api_last_bar_age_seconds",
      "sensor_cpu_temperature_celsius",
      "kafka_consumergroup_lag_sum",
      "kube_node_status_condition",
    ]) {
      expect(known, name).toContain(name);
    }
    expect(known).not.toContain("processing_bar_freshness_seconds");
  });
});

describe("substituteGrafanaVariables", () => {
  it.each([
    ["rate(x[$__rate_interval])", "rate(x[5m])"],
    ["increase(x[${__range}])", "increase(x[1h])"],
    ["x > $__range_s", "x > 3600"],
    ['max(x{ticker=~"$ticker"})', 'max(x{ticker=~"grafana_variable"})'],
    [
      'max(x{node=~"${node:regex}", topic="[[topic]]"})',
      'max(x{node=~"grafana_variable", topic="grafana_variable"})',
    ],
    ["sum(x)", "sum(x)"],
  ])("%s → %s", (expr, substituted) => {
    expect(substituteGrafanaVariables(expr)).toBe(substituted);
  });
});

describe("expressionProblems", () => {
  const known = new Set(["processing_bars_stored_total", "api_last_bar_age_seconds", "up"]);
  const inspected = (metrics: string[], error?: string): InspectedExpression => ({
    where: 'dashboard hdp-pipeline, panel "Bars"',
    expr: "sum(rate(x[5m]))",
    metrics,
    ...(error ? { error } : {}),
  });

  it.each([
    ["a known service metric", inspected(["processing_bars_stored_total"]), []],
    ["two known metrics", inspected(["api_last_bar_age_seconds", "up"]), []],
    [
      "a misspelt metric",
      inspected(["processing_bar_stored_total"]),
      [
        'dashboard hdp-pipeline, panel "Bars": processing_bar_stored_total is neither in a service\'s ## Metrics nor in a pinned exporter list (in: sum(rate(x[5m])))',
      ],
    ],
    [
      "an exporter metric nobody pinned",
      inspected(["up", "node_memory_Active_bytes"]),
      [
        'dashboard hdp-pipeline, panel "Bars": node_memory_Active_bytes is neither in a service\'s ## Metrics nor in a pinned exporter list (in: sum(rate(x[5m])))',
      ],
    ],
    [
      "an expression that does not parse",
      inspected([], "1:5: parse error: unclosed left parenthesis"),
      [
        'dashboard hdp-pipeline, panel "Bars": does not parse: 1:5: parse error: unclosed left parenthesis (in: sum(rate(x[5m])))',
      ],
    ],
  ])("%s", (_, expression, problems) => {
    expect(expressionProblems([expression], known)).toEqual(problems);
  });
});
