/**
 * Alert rules rendered two ways from one set of rule groups: PrometheusRule objects for the Prometheus
 * Operator (one per group, labelled `MONITOR_LABELS`, which Prometheus's rule selector matches), and a plain Prometheus rule
 * file for promtool. The table itself is `ALERTS` in alerts.ts.
 */
import { stringify } from "yaml";
import type { KubeObject } from "../../cluster/kilo-manifests.js";
import type { AlertGroup, AlertRule } from "./alerts.js";
import { MONITOR_LABELS } from "./names.js";

/** Where the runbooks are: the operator's guide, relative to the repository root. */
export const OPERATOR_GUIDE = "docs/operator-guide.md";

export interface RuleOptions {
  /**
   * Prefix of the `runbook_url` annotations, to which `#<anchor>` is appended: e.g. the guide's URL on
   * the repository host. @default "docs/operator-guide.md"
   */
  readonly runbookBase?: string;
}

/** One rule as Prometheus reads it (`groups[].rules[]` of a rule file, and of a PrometheusRule's spec). */
export interface PrometheusAlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly PrometheusAlertingRule[];
}

/** The name of a group's rule group and PrometheusRule. */
export const ruleGroupName = (group: AlertGroup): string => `hdp-${group}`;

/** `runbook_url` of an alert. */
export const runbookUrl = (alert: Pick<AlertRule, "runbook">, base: string = OPERATOR_GUIDE): string =>
  `${base}#${alert.runbook}`;

/** One alert as a Prometheus alerting rule; a `for` of zero is left out (Prometheus's default). */
export function alertingRule(alert: AlertRule, options: RuleOptions = {}): PrometheusAlertingRule {
  return {
    alert: alert.name,
    expr: alert.expr,
    ...(/^0[smh]$/.test(alert.for) ? {} : { for: alert.for }),
    labels: { severity: alert.severity },
    annotations: {
      summary: alert.summary,
      description: alert.description,
      runbook_url: runbookUrl(alert, options.runbookBase),
    },
  };
}

/** The alerts in rule groups, one per {@link AlertGroup}, in the table's order. */
export function ruleGroups(alerts: readonly AlertRule[], options: RuleOptions = {}): RuleGroup[] {
  const groups = new Map<AlertGroup, PrometheusAlertingRule[]>();
  for (const alert of alerts) {
    const rules = groups.get(alert.group) ?? [];
    rules.push(alertingRule(alert, options));
    groups.set(alert.group, rules);
  }
  return [...groups].map(([group, rules]) => ({ name: ruleGroupName(group), rules }));
}

/** Alerts as PrometheusRule objects (monitoring.coreos.com/v1) in `namespace`, one per group. */
export function prometheusRulesOf(
  alerts: readonly AlertRule[],
  namespace: string,
  options: RuleOptions = {},
): KubeObject[] {
  return ruleGroups(alerts, options).map((group) => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: group.name,
      namespace,
      labels: { ...MONITOR_LABELS, "app.kubernetes.io/part-of": "hdp-monitoring" },
    },
    spec: { groups: [group] },
  }));
}

/** A Prometheus rule file (`promtool check rules`, `rule_files` of a promtool test) of these groups. */
export function renderRuleFile(groups: readonly RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}
