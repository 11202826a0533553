// What the rule and dashboard tests share: the metric names that may be used, read from the services'
// READMEs and the pinned exporter lists, and promql-inspect's verdict on a set of expressions.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exporterMetricNames } from "./exporter-metrics.js";
import { parseMetricsSection, seriesNames, type DocumentedMetric } from "./expression-check.js";

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Every service's documented metrics, by README (relative path). */
export function documentedServiceMetrics(root: string = REPO_ROOT): Map<string, DocumentedMetric[]> {
  const services = join(root, "services");
  const out = new Map<string, DocumentedMetric[]>();
  for (const name of readdirSync(services).sort()) {
    const readme = join(services, name, "README.md");
    if (!existsSync(readme)) continue;
    const file = `services/${name}/README.md`;
    out.set(file, parseMetricsSection(readFileSync(readme, "utf8"), file));
  }
  return out;
}

/** The series names the rules and dashboards may use: our services' and the pinned exporters'. */
export function knownMetricNames(root: string = REPO_ROOT): Set<string> {
  const names = exporterMetricNames();
  for (const metrics of documentedServiceMetrics(root).values()) {
    for (const metric of metrics) for (const series of seriesNames(metric)) names.add(series);
  }
  return names;
}
