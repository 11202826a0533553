// The alert table and its renderers, without Prometheus: the PrometheusRule objects kube-prometheus-stack
// loads, the promtool rule file, the runbook sections they point to, and the synthetic cases of every alert.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ALERT_CASES } from "./alert-cases.js";
import { ALERTS, alertRuleFile, prometheusRuleObjects } from "./alerts.js";
import { MONITOR_LABELS } from "./names.js";
import { OPERATOR_GUIDE, ruleGroups, type RuleGroup } from "./prometheus-rules.js";
import { expandLabels, unsupportedTemplates } from "./promtool-tests.js";
import { REPO_ROOT } from "./test-support.js";

const THE_ISSUE_S_ALERTS = [
  "BarsNotStored",
  "DeadLettersRecent",
  "ConsumerLagGrowing",
  "AnalyticsFailing",
  // Not in the issue's list: without it a dead API silences BarsNotStored.
  "ServiceDown",
  "NodeNotReady",
  "KiloPeerHandshakeStale",
  "PiOverheating",
  "GpuNotAllocatable",
  "CertificateExpiringSoon",
  "PersistentVolumeFilling",
  "PostgresNotReady",
  "PostgresReplicationLagging",
  "IngestionCronJobFailing",
  // Issue 13: the hourly archive.
  "ArchiveNotSucceeding",
];

describe("the alert table", () => {
  it("has every alert the issue lists, each once", () => {
    expect(ALERTS.map((a) => a.name)).toEqual(THE_ISSUE_S_ALERTS);
  });

  it.each(ALERTS.map((a) => [a.name, a] as const))(
    "%s: a severity, a duration, annotations Prometheus can fill from its labels",
    (_, alert) => {
      expect(["critical", "warning"]).toContain(alert.severity);
      expect(alert.for).toMatch(/^\d+[smh]$/);
      expect(alert.runbook).toBe(alert.name.toLowerCase());
      expect(unsupportedTemplates(alert.summary)).toEqual([]);
      expect(unsupportedTemplates(alert.description)).toEqual([]);
    },
  );

  it("only {{ $labels.<name> }} templates are filled for the promtool expectations", () => {
    expect(unsupportedTemplates("{{ $labels.node }} at {{ $value | humanize }}")).toEqual([
      "{{ $value | humanize }}",
    ]);
    expect(
      expandLabels("{{ $labels.node }}/{{$labels.pod}} {{ $labels.none }}!", { node: "n", pod: "p" }),
    ).toBe("n/p !");
  });
});

describe("PrometheusRule objects", () => {
  const objects = prometheusRuleObjects("hdp-monitoring");

  it("one per group, in the namespace, labelled for kube-prometheus-stack's rule selector", () => {
    expect(objects.map((o) => [o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name])).toEqual([
      ["monitoring.coreos.com/v1", "PrometheusRule", "hdp-monitoring", "hdp-pipeline"],
      ["monitoring.coreos.com/v1", "PrometheusRule", "hdp-monitoring", "hdp-cluster"],
      ["monitoring.coreos.com/v1", "PrometheusRule", "hdp-monitoring", "hdp-data-stores"],
    ]);
    for (const o of objects) expect(o.metadata.labels).toMatchObject(MONITOR_LABELS);
  });

  it("holds every alert once, with its expression, duration, severity and annotations", () => {
    const rules = objects.flatMap((o) => (o.spec as { groups: RuleGroup[] }).groups.flatMap((g) => g.rules));
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(THE_ISSUE_S_ALERTS));
    expect(rules).toHaveLength(ALERTS.length);
    const bars = rules.find((r) => r.alert === "BarsNotStored")!;
    expect(bars).toEqual({
      alert: "BarsNotStored",
      expr: ALERTS[0].expr,
      for: "1m",
      labels: { severity: "critical" },
      annotations: {
        summary: ALERTS[0].summary,
        description: ALERTS[0].description,
        runbook_url: `${OPERATOR_GUIDE}#barsnotstored`,
      },
    });
  });

  it("leaves out a zero `for`, which is Prometheus's default", () => {
    const rules = ruleGroups(ALERTS).flatMap((g) => g.rules);
    expect(rules.find((r) => r.alert === "DeadLettersRecent")).not.toHaveProperty("for");
    expect(rules.find((r) => r.alert === "NodeNotReady")?.for).toBe("5m");
  });

  it("points the runbooks at another base when told", () => {
    const [first] = prometheusRuleObjects("m", { runbookBase: "https://example.test/guide" });
    const [group] = (first!.spec as { groups: RuleGroup[] }).groups;
    expect(group!.rules[0]!.annotations.runbook_url).toBe("https://example.test/guide#barsnotstored");
  });
});

describe("the promtool rule file", () => {
  it("is the same groups as the PrometheusRules, as YAML", () => {
    const specs = prometheusRuleObjects("x").flatMap((o) => (o.spec as { groups: RuleGroup[] }).groups);
    expect(parse(alertRuleFile())).toEqual({ groups: specs });
  });
});

describe("runbooks", () => {
  const guide = readFileSync(join(REPO_ROOT, OPERATOR_GUIDE), "utf8");
  const alertsPart = guide.split(/^## Alerts$/m)[1]?.split(/^## /m)[0] ?? "";
  const sections = [...alertsPart.matchAll(/^### (.+)$/gm)].map((m) => m[1]!.trim());

  it("the operator's guide has an Alerts part with one section per alert, in the table's order", () => {
    expect(sections).toEqual(ALERTS.map((a) => a.name));
  });

  // GitHub's anchor of a heading: lower case, spaces to hyphens, other punctuation dropped.
  const anchors = sections.map((s) =>
    s
      .toLowerCase()
      .replace(/[^\w\- ]/g, "")
      .replace(/ /g, "-"),
  );

  it.each(ALERTS.map((a) => [a.name, a.runbook] as const))(
    "%s's runbook_url anchor is a section",
    (_, anchor) => {
      expect(anchors).toContain(anchor);
    },
  );
});

describe("synthetic cases", () => {
  it.each(ALERTS.map((a) => [a.name] as const))(
    "%s fires in one case at least and stays quiet in another",
    (name) => {
      const cases = ALERT_CASES[name];
      expect(cases.fires.length).toBeGreaterThan(0);
      expect(cases.quiet.length).toBeGreaterThan(0);
      for (const c of cases.fires)
        expect(
          c.expect.some((e) => e.firing.length > 0),
          c.name,
        ).toBe(true);
      for (const c of cases.quiet)
        expect(
          c.expect.every((e) => e.firing.length === 0),
          c.name,
        ).toBe(true);
    },
  );
});
