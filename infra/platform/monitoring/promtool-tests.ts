/**
 * Unit tests of alert rules in promtool's format (`promtool test rules`): synthetic input series, and the
 * alerts expected to fire at given times. The expected annotations are the alert's own, with the
 * `{{ $labels.<name> }}` templates filled from the expected labels, so that promtool also checks that the
 * templates render.
 */
import { stringify } from "yaml";
import type { AlertRule, Duration } from "./alerts.js";

/** One input series: `metric{labels}` and its values in promtool's notation (`0+60x20`, `1x10`, `_`). */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** At `at` (from the start of the series), exactly these alerts fire: the labels of each. */
export interface Expectation {
  readonly at: Duration;
  readonly firing: readonly Readonly<Record<string, string>>[];
}

export interface AlertCase {
  /** What the series show, e.g. "bars stop arriving during a session". */
  readonly name: string;
  /** Step between the values. @default "1m" */
  readonly interval?: Duration;
  readonly series: readonly InputSeries[];
  readonly expect: readonly Expectation[];
}

/** The cases of one alert: some where it fires, some where it stays quiet. */
export interface AlertCases {
  readonly fires: readonly AlertCase[];
  readonly quiet: readonly AlertCase[];
}

const TEMPLATE = /\{\{\s*\$labels\.(\w+)\s*\}\}/g;

/** Template actions other than `{{ $labels.<name> }}`, which {@link expandLabels} cannot fill. */
export function unsupportedTemplates(text: string): string[] {
  return [...text.matchAll(/\{\{.*?\}\}/g)]
    .map((m) => m[0])
    .filter((t) => !new RegExp(TEMPLATE.source).test(t));
}

/** `{{ $labels.x }}` replaced by the label's value (empty when the alert has no such label, as in Prometheus). */
export function expandLabels(text: string, labels: Readonly<Record<string, string>>): string {
  return text.replace(TEMPLATE, (_, name: string) => labels[name] ?? "");
}

/** The expected annotations of one firing alert. */
export function expectedAnnotations(
  annotations: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).map(([key, text]) => [key, expandLabels(text, labels)]),
  );
}

/** What the test file needs of an alert: its name, severity and rendered annotations. */
export interface RenderedAlert {
  readonly alert: AlertRule;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A promtool test file: every case of every alert, against the rule file `ruleFile` (next to it). */
export function promtoolTestFile(
  ruleFile: string,
  cases: readonly { readonly rendered: RenderedAlert; readonly cases: readonly AlertCase[] }[],
): string {
  const tests = cases.flatMap(({ rendered, cases: list }) =>
    list.map((c) => ({
      name: `${rendered.alert.name}: ${c.name}`,
      interval: c.interval ?? "1m",
      input_series: c.series.map((s) => ({ series: s.series, values: s.values })),
      alert_rule_test: c.expect.map((e) => ({
        eval_time: e.at,
        alertname: rendered.alert.name,
        exp_alerts: e.firing.map((labels) => ({
          exp_labels: { ...labels, severity: rendered.alert.severity },
          exp_annotations: expectedAnnotations(rendered.annotations, labels),
        })),
      })),
    })),
  );
  return stringify({ rule_files: [ruleFile], evaluation_interval: "1m", tests }, { lineWidth: 0 });
}
