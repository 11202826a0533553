/**
 * The contract check of `npm run api:contract`: schemathesis (installed on first use) against the
 * OpenAPI document of a local run of the middle-tier over a replayed session.
 */
import { mkdir, rm } from "node:fs/promises";
import type { Log } from "../lib/go-build.js";
import { describeFigures, passes, readContractFigures, type ContractFigures } from "./report.js";
import { ensureSchemathesis, runSchemathesis } from "./schemathesis.js";
import { startContractTarget } from "./target.js";

export interface ContractCheckOptions {
  /** Test cases per operation and phase. */
  readonly maxExamples: number;
  readonly seed: number;
  /** schemathesis is stopped past this. */
  readonly timeoutMs: number;
  /** Emptied, then given schemathesis' JUnit and JSON reports. */
  readonly reportDir: string;
  readonly log: Log;
}

export interface ContractCheckResult {
  readonly figures: ContractFigures;
  /** Complete, every operation tested, no finding, and schemathesis exited 0. */
  readonly passed: boolean;
}

/** Runs the check; throws `MissingToolError` when no Python can make schemathesis' environment. */
export async function checkApiContract(options: ContractCheckOptions): Promise<ContractCheckResult> {
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const tool = await ensureSchemathesis(options.log);
  options.log(`api-contract: schemathesis ${tool.version}; starting the local run…`);
  const target = await startContractTarget();
  try {
    options.log(`api-contract: API at ${target.url} over ${target.stored} (ready in ${seconds()})`);
    await rm(options.reportDir, { recursive: true, force: true });
    await mkdir(options.reportDir, { recursive: true });
    const code = await runSchemathesis({
      python: tool.python,
      schemaUrl: `${target.url}/openapi.json`,
      reportDir: options.reportDir,
      maxExamples: options.maxExamples,
      seed: options.seed,
      timeoutMs: options.timeoutMs,
    });
    const figures = await readContractFigures(options.reportDir);
    options.log(`api-contract: ${describeFigures(figures)} in ${seconds()}; reports in ${options.reportDir}`);
    return { figures, passed: code === 0 && passes(figures) };
  } finally {
    await target.stop();
  }
}
