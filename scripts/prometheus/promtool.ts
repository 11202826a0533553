/**
 * promtool and promql-inspect, run on files and expressions (see binaries.ts for where they come from).
 * promtool's verdict is its exit code; callers read stdout and stderr for the reason.
 */
import { runTool, type ToolResult } from "../../infra/plan/run-tool.js";
import type { PrometheusBinaries } from "./binaries.js";

/** What promql-inspect says of one expression. */
export interface PromqlInspection {
  readonly expr: string;
  /** The parser's message, when the expression does not parse (then `metrics` is empty). */
  readonly error?: string;
  /**
   * The distinct metric names of every vector and matrix selector, in order of first appearance; a
   * selector without a fixed name (`{__name__=~"…"}`) names none.
   */
  readonly metrics: readonly string[];
}

/** `promtool check rules <file>`: exit code 0 when every rule group is valid. */
export function checkRules(
  binaries: Pick<PrometheusBinaries, "promtool">,
  file: string,
): Promise<ToolResult> {
  return runTool(binaries.promtool, ["check", "rules", file]);
}

/**
 * `promtool test rules <file>`: runs the unit tests of a test file (its `rule_files` are relative to the
 * file's folder); exit code 0 when every case passes.
 */
export function testRules(binaries: Pick<PrometheusBinaries, "promtool">, file: string): Promise<ToolResult> {
  return runTool(binaries.promtool, ["test", "rules", file]);
}

/** Parses each expression with Prometheus's parser (as a server without feature flags would). */
export async function inspectPromql(
  binaries: Pick<PrometheusBinaries, "promqlInspect">,
  exprs: readonly string[],
): Promise<PromqlInspection[]> {
  const result = await runTool(binaries.promqlInspect, [], { input: JSON.stringify(exprs) });
  if (result.code !== 0) {
    throw new Error(`promql-inspect failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  const inspections = JSON.parse(result.stdout) as PromqlInspection[];
  if (inspections.length !== exprs.length) {
    throw new Error(`promql-inspect answered ${inspections.length} of ${exprs.length} expressions`);
  }
  return inspections;
}
