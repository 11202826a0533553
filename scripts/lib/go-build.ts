/**
 * Building Go programs into the tool cache (`infra/plan/tool-cache.ts`), shared by the test control plane
 * (`scripts/k8s/binaries.ts`) and the Prometheus tools (`scripts/prometheus/binaries.ts`): each is built
 * from a wrapper Go module that pins its version, into a versioned folder that holds a `ready` marker once
 * the build is complete.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { runTool } from "../../infra/plan/run-tool.js";

/** Receives one human-readable progress line. */
export type Log = (line: string) => void;

/** A tool the build or a test component needs is missing; says what to install. */
export class MissingToolError extends Error {
  constructor(tool: string, remedy: string) {
    super(`${tool} not found: ${remedy}`);
    this.name = "MissingToolError";
  }
}

/** The file whose presence says that a cache folder is complete. */
const READY = "ready";

/** Whether `dir` holds a complete build. */
export const isBuilt = (dir: string): boolean => existsSync(join(dir, READY));

/** The version of `module` that a wrapper go.mod requires. */
export function requiredVersion(goModPath: string, module: string): string {
  const goMod = readFileSync(goModPath, "utf8");
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped} (v[^\\s/]+)`, "m").exec(goMod);
  if (!match?.[1]) throw new Error(`${goModPath}: no requirement of ${module}`);
  return match[1];
}

/** Finds an executable on PATH (or at an absolute path). */
export function which(command: string, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...extraDirs].filter(Boolean);
  if (command.includes("/")) return existsSync(command) ? command : undefined;
  return dirs.map((d) => join(d, command)).find((p) => existsSync(p));
}

/** The Go command, from PATH or the usual install folder; throws with the remedy, naming `purpose`. */
export function goCommand(purpose: string): string {
  const go = which("go", ["/usr/local/go/bin"]);
  if (!go)
    throw new MissingToolError("go", `install Go 1.26 or later (https://go.dev/dl/) to build ${purpose}`);
  return go;
}

/** Runs a command; resolves with its standard output, rejects with its last error lines when it fails. */
export async function runChecked(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const result = await runTool(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${result.code}):\n${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

/** How long since `since` (a `Date.now()`), for log lines. */
export const secondsSince = (since: number): string => `${((Date.now() - since) / 1000).toFixed(0)} s`;

/** What a build is, for its progress lines: `<prefix>: still building <what> (…)`. */
export interface BuildLabel {
  readonly log: Log;
  readonly prefix: string;
  readonly what: string;
}

/**
 * Builds into a fresh folder beside `dir`, then swaps it in with its `ready` marker, so that no run sees a
 * half-built cache. Says every minute that the build is still going, since the longest take many.
 */
export async function buildInto(
  dir: string,
  label: BuildLabel,
  build: (staging: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(`${dir}.tmp-`);
  const started = Date.now();
  const heartbeat = setInterval(
    () => label.log(`${label.prefix}: still building ${label.what} (${secondsSince(started)})…`),
    60_000,
  );
  try {
    await build(staging);
    await writeFile(join(staging, READY), `${new Date().toISOString()}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}
