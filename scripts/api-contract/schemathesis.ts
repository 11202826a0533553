/**
 * schemathesis (from PyPI) in a virtual environment of the tool cache, `toolCacheDir("schemathesis",
 * <version>)`, installed from `requirements.txt` (every package pinned with its hashes) and reused while
 * that file is unchanged; and a run of it against an OpenAPI document.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolCacheDir } from "../../infra/plan/tool-cache.js";
import { buildInto, isBuilt, MissingToolError, runChecked, which, type Log } from "../lib/go-build.js";

const here = dirname(fileURLToPath(import.meta.url));
const REQUIREMENTS = join(here, "requirements.txt");
/** The checks, phases and limits of the run, each with its reason. */
export const SCHEMATHESIS_CONFIG = join(here, "schemathesis.toml");

/** The schemathesis version `requirements.txt` pins. */
export function schemathesisVersion(requirements = readFileSync(REQUIREMENTS, "utf8")): string {
  const match = /^schemathesis==(\S+)/m.exec(requirements);
  if (!match?.[1]) throw new Error(`${REQUIREMENTS}: no schemathesis==<version> line`);
  return match[1];
}

/** The Python that makes the environment: `python3` on PATH, able to make a virtual environment. */
async function python(): Promise<string> {
  const found = which("python3");
  const remedy = "install Python 3.10 or later with its venv module (apt-get install python3 python3-venv)";
  if (!found) throw new MissingToolError("python3", remedy);
  await runChecked(found, ["-c", "import ensurepip, venv"]).catch(() => {
    throw new MissingToolError("python3 -m venv", remedy);
  });
  return found;
}

/**
 * The environment's Python, with schemathesis installed: made on first use (about a minute) and when
 * `requirements.txt` changes. Scripts of a virtual environment name the folder it was made in, so the
 * tool is run as `python -m schemathesis.cli`, which survives the move from the staging folder.
 */
export async function ensureSchemathesis(log: Log): Promise<{ python: string; version: string }> {
  const requirements = readFileSync(REQUIREMENTS, "utf8");
  const version = schemathesisVersion(requirements);
  const dir = toolCacheDir("schemathesis", version);
  const installed = join(dir, "requirements.txt");
  const current = isBuilt(dir) && existsSync(installed) && readFileSync(installed, "utf8") === requirements;
  if (!current) {
    const base = await python();
    log(`api-contract: installing schemathesis ${version} into ${dir}…`);
    await buildInto(
      dir,
      { log, prefix: "api-contract", what: `schemathesis ${version}` },
      async (staging) => {
        await runChecked(base, ["-m", "venv", staging]);
        const pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes"];
        await runChecked(join(staging, "bin", "python"), [...pip, "--no-deps", "-r", REQUIREMENTS]);
        await copyFile(REQUIREMENTS, join(staging, "requirements.txt"));
      },
    );
  }
  return { python: join(dir, "bin", "python"), version };
}

export interface SchemathesisRun {
  readonly python: string;
  /** URL of the OpenAPI document; the API's base URL is taken from it. */
  readonly schemaUrl: string;
  /** Folder of the reports (`junit.xml`, `report.json`). */
  readonly reportDir: string;
  /** Test cases per operation and phase. */
  readonly maxExamples: number;
  readonly seed: number;
  /** The run is ended past this (it is also bounded by `maxExamples` and the request timeout). */
  readonly timeoutMs: number;
}

/** Runs `schemathesis run` with its output on this process's; resolves with its exit code. */
export function runSchemathesis(run: SchemathesisRun): Promise<number> {
  const args = [
    ...["-m", "schemathesis.cli", "--config-file", SCHEMATHESIS_CONFIG, "--no-color", "run", run.schemaUrl],
    ...["--max-examples", String(run.maxExamples), "--seed", String(run.seed)],
    ...["--report", "junit,json", "--report-dir", run.reportDir],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(run.python, args, { stdio: ["ignore", "inherit", "inherit"] });
    const timer = setTimeout(() => {
      process.stderr.write(
        `api-contract: schemathesis still running after ${run.timeoutMs / 1000} s; stopping it\n`,
      );
      child.kill("SIGTERM");
    }, run.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 124 : 1));
    });
  });
}
