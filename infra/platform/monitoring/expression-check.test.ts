// The metric-name check of the rules and dashboards, as pure functions: reading a README's metrics table,
// the series a documented metric stores, Grafana variables made parseable, and the verdict on inspected
// expressions — including the failures.
import { describe, expect, it } from "vitest";
import {
  expressionProblems,
  MetricsTableError,
  parseMetricsSection,
  seriesNames,
  substituteGrafanaVariables,
  type InspectedExpression,
} from "./expression-check.js";

const readme = (table: string) =>
  `# processing\n\nSome text.\n\n## Metrics\n\n${table}\n\n## Configuration\n\n| a | b |\n`;
const HEADER = "| metric | type | labels | meaning |\n| ------ | ---- | ------ | ------- |";

describe("parseMetricsSection", () => {
  it("reads each row: name, type, comma-separated labels, meaning", () => {
    const text = readme(
      [
        HEADER,
        "| `processing_bars_stored_total` | counter | `source` | bars written, by source |",
        "| `processing_dead_letters_total` | counter | `topic,reason` | refused messages |",
        "| `processing_readings_stored_total` | counter | – | readings written |",
        "| `processing_bar_freshness_seconds` | histogram | `source` | bar end to stored |",
      ].join("\n"),
    );
    expect(parseMetricsSection(text, "services/processing/README.md")).toEqual([
      {
        name: "processing_bars_stored_total",
        type: "counter",
        labels: ["source"],
        meaning: "bars written, by source",
      },
      {
        name: "processing_dead_letters_total",
        type: "counter",
        labels: ["topic", "reason"],
        meaning: "refused messages",
      },
      { name: "processing_readings_stored_total", type: "counter", labels: [], meaning: "readings written" },
      {
        name: "processing_bar_freshness_seconds",
        type: "histogram",
        labels: ["source"],
        meaning: "bar end to stored",
      },
    ]);
  });

  it("labels in separate backticks are read too", () => {
    const [row] = parseMetricsSection(readme(`${HEADER}\n| \`a_total\` | counter | \`x\`, \`y\` | m |`), "R");
    expect(row?.labels).toEqual(["x", "y"]);
  });

  it("a README without the section documents no metrics", () => {
    expect(parseMetricsSection("# frontend\n\n## Usage\n", "services/frontend/README.md")).toEqual([]);
  });

  it.each([
    [
      "a table with other columns",
      "| name | kind |\n| --- | --- |\n| `a` | counter |",
      /must hold a table \| metric \| type \| labels \| meaning \|/,
    ],
    ["a row with three cells", `${HEADER}\n| \`a_total\` | counter | m |`, /a metrics row needs four cells/],
    [
      "an unknown type",
      `${HEADER}\n| \`a_total\` | count | – | m |`,
      /a_total has type count, not one of counter, gauge, histogram, summary/,
    ],
    [
      "a name Prometheus refuses",
      `${HEADER}\n| \`bars-stored\` | counter | – | m |`,
      /bars-stored is not a Prometheus metric name/,
    ],
  ])("refuses %s, naming the README", (_, table, message) => {
    const parse = () => parseMetricsSection(readme(table), "services/processing/README.md");
    expect(parse).toThrow(MetricsTableError);
    expect(parse).toThrow(/^services\/processing\/README\.md: /);
    expect(parse).toThrow(message);
  });
});

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
