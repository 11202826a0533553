// The alert rules against Prometheus's own tools: promtool checks the rendered rule file and runs the
// synthetic cases of every alert (fires in one, quiet in another), and Prometheus's parser confirms that
// each expression names only metrics our services document or a pinned exporter exports.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkRules,
  inspectPromql,
  requirePrometheusTools,
  testRules,
} from "../../../test/setup/prometheus.js";
import { ALERT_CASES } from "./alert-cases.js";
import { ALERTS, alertRuleFile, type AlertRule } from "./alerts.js";
import { expressionProblems } from "./expression-check.js";
import { alertingRule, renderRuleFile } from "./prometheus-rules.js";
import { promtoolTestFile, type AlertCase } from "./promtool-tests.js";
import { knownMetricNames } from "./test-support.js";

const tools = await requirePrometheusTools();

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hdp-alerts-"));
  await writeFile(join(dir, "rules.yaml"), alertRuleFile());
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rendered = (alert: AlertRule) => ({ alert, annotations: alertingRule(alert).annotations });

/** promtool's verdict on a test file of these cases, against rules.yaml. */
async function runCases(file: string, cases: { alert: AlertRule; cases: readonly AlertCase[] }[]) {
  await writeFile(
    join(dir, file),
    promtoolTestFile(
      "rules.yaml",
      cases.map((c) => ({ rendered: rendered(c.alert), cases: c.cases })),
    ),
  );
  return testRules(join(dir, file));
}

describe.skipIf(!tools)("alert rules under promtool", () => {
  it("promtool check rules accepts the rendered rule file", async () => {
    const result = await checkRules(join(dir, "rules.yaml"));
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(result.code).toBe(0);
  });

  it("promtool check rules refuses a rule that does not parse", async () => {
    const [first] = ALERTS;
    const broken = renderRuleFile([
      { name: "broken", rules: [{ ...alertingRule(first), expr: "min(api_last_bar_age_seconds" }] },
    ]);
    await writeFile(join(dir, "broken.yaml"), broken);
    const result = await checkRules(join(dir, "broken.yaml"));
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/unclosed left parenthesis|parse error/);
  });

  it.each(ALERTS.map((a) => [a.name, a] as const))(
    "%s fires on its firing series and stays quiet on the others (promtool test rules)",
    async (name, alert) => {
      const { fires, quiet } = ALERT_CASES[name];
      const result = await runCases(`${name}.test.yaml`, [{ alert, cases: [...fires, ...quiet] }]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
    },
  );

  it("promtool test rules fails a case whose expectation is wrong (a closed market expected to fire)", async () => {
    const alert = ALERTS[0];
    const closed = ALERT_CASES.BarsNotStored.quiet[0]!;
    const wrong: AlertCase = { ...closed, expect: [{ at: "10m", firing: [{}] }] };
    const result = await runCases("wrong.test.yaml", [{ alert, cases: [wrong] }]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("BarsNotStored");
  });

  it("every alert expression parses and names only documented or pinned metrics", async () => {
    const inspected = await inspectPromql(ALERTS.map((a) => a.expr));
    const problems = expressionProblems(
      inspected.map((i, n) => ({ ...i, where: `alert ${ALERTS[n]!.name}` })),
      knownMetricNames(),
    );
    expect(problems).toEqual([]);
    expect(inspected.every((i) => i.metrics.length > 0)).toBe(true);
  });
});
