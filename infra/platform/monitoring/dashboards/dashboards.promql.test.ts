// Every PromQL expression of the dashboards, with Grafana's variables substituted, through Prometheus's own
// parser: it parses, and names only metrics our services document or a pinned exporter exports.
import { describe, expect, it } from "vitest";
import { inspectPromql, requirePrometheusTools } from "../../../../test/setup/prometheus.js";
import { expressionProblems, substituteGrafanaVariables } from "../expression-check.js";
import { knownMetricNames } from "../test-support.js";
import { dashboardExpressions, type DashboardExpression } from "./index.js";

const tools = await requirePrometheusTools();

async function problems(expressions: readonly DashboardExpression[]): Promise<string[]> {
  const inspected = await inspectPromql(expressions.map((e) => substituteGrafanaVariables(e.expr)));
  return expressionProblems(
    inspected.map((i, n) => ({ ...i, where: expressions[n]!.where, expr: expressions[n]!.expr })),
    knownMetricNames(),
  );
}

describe.skipIf(!tools)("dashboard expressions under Prometheus's parser", () => {
  it("every panel query and variable selector parses and names only documented or pinned metrics", async () => {
    const expressions = dashboardExpressions();
    expect(expressions.length).toBeGreaterThan(50);
    expect(await problems(expressions)).toEqual([]);
  });

  it("a panel naming a metric nobody exports fails the check, naming the panel and the metric", async () => {
    const found = await problems([
      {
        where: 'dashboard hdp-pipeline, panel "Bars"',
        expr: "sum(rate(processing_bar_stored_total[$__rate_interval]))",
      },
    ]);
    expect(found).toEqual([
      expect.stringMatching(/^dashboard hdp-pipeline, panel "Bars": processing_bar_stored_total is neither/),
    ]);
  });

  it("a query that does not parse fails the check", async () => {
    const found = await problems([
      {
        where: 'dashboard x, panel "y"',
        expr: 'sum by (ticker (api_last_bar_age_seconds{ticker=~"$ticker"})',
      },
    ]);
    expect(found).toEqual([expect.stringMatching(/^dashboard x, panel "y": does not parse: /)]);
  });
});
