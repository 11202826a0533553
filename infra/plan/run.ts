import { join } from "node:path";
import { readStackFile } from "../config/index.js";
import { CrdFetchError, ensureCrds } from "../platform/crds/index.js";
import { evaluateStack, type Evaluation } from "./evaluate.js";
import { stackFilePath } from "./stacks.js";
import {
  MissingToolError,
  planTable,
  validatePlan,
  writePlan,
  type CheckResult,
  type PlanFiles,
} from "./write.js";

export interface PlanOptions {
  readonly stack: string;
  /** Folder holding `Pulumi.<stack>.yaml`. */
  readonly projectDir: string;
  /** The plan goes to `<outDir>/<stack>/`. */
  readonly outDir: string;
  /** Validate: cloud-init schema, shellcheck, every object against its schema (fetches the operators' CRDs). @default true */
  readonly validate?: boolean;
  readonly log?: (line: string) => void;
}

export interface PlanResult {
  readonly evaluation: Evaluation;
  readonly files: PlanFiles;
  readonly checks: readonly CheckResult[];
  /** Whether every check passed. */
  readonly ok: boolean;
}

/** The operators' CRDs (fetched once, then cached); a missing fetch tool is reported like a missing validator. */
async function operatorCrds(log: (line: string) => void) {
  try {
    return (await ensureCrds({ log })).crds;
  } catch (error) {
    if (error instanceof CrdFetchError && error.missingTool) {
      throw new MissingToolError(error.missingTool.tool, error.missingTool.debianPackage);
    }
    throw error;
  }
}

/**
 * The offline plan of one stack: evaluate the program with the runtime mocked, print
 * what it would create, write the rendered files, validate them.
 */
export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const log = options.log ?? (() => {});
  const path = await stackFilePath(options.projectDir, options.stack);
  const evaluation = await evaluateStack(await readStackFile(path));
  log(planTable(evaluation));
  log(`evaluated in ${Math.round(evaluation.durationMs)} ms`);
  const files = await writePlan(evaluation, join(options.outDir, options.stack));
  log(`wrote ${files.files.length} files to ${files.dir}`);
  const checks =
    options.validate === false
      ? []
      : await validatePlan(files, Object.values(evaluation.secretValues), await operatorCrds(log));
  for (const check of checks) {
    const detail = check.ok
      ? check.output && check.tool.endsWith("schema")
        ? ` (${check.output})`
        : ""
      : `\n${check.output}`;
    log(`${check.ok ? "ok  " : "FAIL"} ${check.tool} ${check.file}${detail}`);
  }
  return { evaluation, files, checks, ok: checks.every((c) => c.ok) };
}
