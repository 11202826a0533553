// What the rule and dashboard tests share: the metric names that may be used, from the services' READMEs
// (read with the metrics contract's own parser) and the pinned exporter lists.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseMetricsTable, type DocumentedMetric } from "../../../test/support/metrics-contract.js";
import { exporterMetricNames } from "./exporter-metrics.js";
import { seriesNames } from "./expression-check.js";

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Every service's documented metrics, by README (relative path). A README without a `## Metrics` section
 * (the shared library's) documents none; test/metrics-contract.test.ts holds each service to having one.
 */
export function documentedServiceMetrics(root: string = REPO_ROOT): Map<string, DocumentedMetric[]> {
  const services = join(root, "services");
  const out = new Map<string, DocumentedMetric[]>();
  for (const name of readdirSync(services).sort()) {
    const file = `services/${name}/README.md`;
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    if (!/^## Metrics\s*$/m.test(text)) continue;
    try {
      out.set(file, parseMetricsTable(text));
    } catch (error) {
      throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
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
