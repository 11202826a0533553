/**
 * Real Prometheus tools for test suites: promtool, our promql-inspect, and Prometheus servers on loopback.
 * The vitest global setup (test/setup/global.ts) finds the binaries in the tool cache once per run when a
 * selected test file uses this helper (building them first in CI, see scripts/prometheus/binaries.ts) and
 * provides their paths; suites ask for them here:
 *
 *   const tools = await requirePrometheusTools();
 *   describe.skipIf(!tools)("…", () => { … checkRules(file) … startPrometheus({ … }) … });
 */
import { inject } from "vitest";
import type { ToolResult } from "../../infra/plan/run-tool.js";
import type { PrometheusBinaries } from "../../scripts/prometheus/binaries.js";
import * as promtool from "../../scripts/prometheus/promtool.js";
import type { PromqlInspection } from "../../scripts/prometheus/promtool.js";
import * as server from "../../scripts/prometheus/server.js";
import type { PrometheusOptions, PrometheusServer } from "../../scripts/prometheus/server.js";

export type { ToolResult } from "../../infra/plan/run-tool.js";
export type { PrometheusBinaries } from "../../scripts/prometheus/binaries.js";
export type { PromqlInspection } from "../../scripts/prometheus/promtool.js";
export type {
  Alert,
  PrometheusOptions,
  PrometheusServer,
  Sample,
  ScrapeJob,
  Target,
} from "../../scripts/prometheus/server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Prometheus tools found (or built) by the global setup; undefined when there are none. */
    prometheusTools: PrometheusBinaries | undefined;
    /** Why there are none, for the notice. */
    prometheusToolsMissing: string | undefined;
  }
}

let noticeShown = false;

/**
 * The Prometheus tools. Without them it throws in CI (`CI=true`), and elsewhere prints a notice once and
 * returns undefined so that the suite can be skipped (until `npm run prometheus:build` has built them).
 */
export async function requirePrometheusTools(): Promise<PrometheusBinaries | undefined> {
  const provided = inject("prometheusTools");
  if (provided) return provided;
  const why = inject("prometheusToolsMissing") ?? "the global setup did not look for them";
  if (process.env.CI === "true") throw new Error(`Prometheus tools required in CI: ${why}`);
  if (!noticeShown) {
    noticeShown = true;
    console.error(`\n*** Prometheus suites SKIPPED — ${why}\n`);
  }
  return undefined;
}

/** The provided tools; a suite that did not skip on {@link requirePrometheusTools} has them. */
function tools(): PrometheusBinaries {
  const provided = inject("prometheusTools");
  if (!provided) {
    throw new Error(
      `no Prometheus tools (${inject("prometheusToolsMissing") ?? "not provided"}): ` +
        "skip the suite when requirePrometheusTools() returns undefined",
    );
  }
  return provided;
}

/** `promtool check rules <file>`: `code` 0 when every rule group is valid. */
export function checkRules(file: string): Promise<ToolResult> {
  return promtool.checkRules(tools(), file);
}

/** `promtool test rules <file>` (rule files relative to the test file): `code` 0 when every case passes. */
export function testRules(file: string): Promise<ToolResult> {
  return promtool.testRules(tools(), file);
}

/** Each expression parsed by Prometheus's parser: its error, or the metric names its selectors name. */
export function inspectPromql(exprs: readonly string[]): Promise<PromqlInspection[]> {
  return promtool.inspectPromql(tools(), exprs);
}

/** A Prometheus server on 127.0.0.1 with these jobs and rules; `stop()` it in `afterAll`. */
export function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  return server.startPrometheus(tools(), options);
}
