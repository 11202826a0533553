import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/** What `npm run api:contract` reports of schemathesis' JSON run report (`--report json`). */
const runReportSchema = z.object({
  schemathesis_version: z.string(),
  complete: z.boolean(),
  operations: z.object({ total: z.number(), tested: z.number() }),
  test_cases: z.object({ generated: z.number(), unique_failures: z.number(), errored: z.number() }),
  errors: z.array(z.unknown()),
});

export interface ContractFigures {
  readonly version: string;
  readonly operations: number;
  readonly tested: number;
  readonly cases: number;
  /** Unique failures and errors (a request that could not be made or checked). */
  readonly findings: number;
  /** The run went through every phase (not stopped by the time limit). */
  readonly complete: boolean;
}

/** The figures of the one JSON run report in `reportDir`. */
export async function readContractFigures(reportDir: string): Promise<ContractFigures> {
  const name = (await readdir(reportDir)).find((file) => /^json-.*\.json$/.test(file));
  if (name === undefined) throw new Error(`${reportDir}: no JSON run report (did schemathesis start?)`);
  const report = runReportSchema.parse(JSON.parse(await readFile(join(reportDir, name), "utf8")));
  return {
    version: report.schemathesis_version,
    operations: report.operations.total,
    tested: report.operations.tested,
    cases: report.test_cases.generated,
    findings: report.test_cases.unique_failures + report.test_cases.errored + report.errors.length,
    complete: report.complete,
  };
}

/** One line for the log: `12/12 operations, 653 test cases, 0 findings`. */
export function describeFigures(figures: ContractFigures): string {
  const incomplete = figures.complete ? "" : " (incomplete: stopped before the end)";
  return (
    `schemathesis ${figures.version}: ${figures.tested}/${figures.operations} operations, ` +
    `${figures.cases} test cases, ${figures.findings} findings${incomplete}`
  );
}

/** Whether the run passes: complete, every operation tested, nothing found. */
export const passes = (figures: ContractFigures): boolean =>
  figures.complete && figures.findings === 0 && figures.tested === figures.operations;
