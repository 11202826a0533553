import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The CRDs could not be fetched. `missingTool` is set when a command is not installed (fatal: install the
 * Debian package it names); a failed download is `retriable`.
 */
export class CrdFetchError extends Error {
  readonly retriable: boolean;
  readonly missingTool: { readonly tool: string; readonly debianPackage: string } | undefined;

  constructor(
    message: string,
    options: { retriable?: boolean; missingTool?: { tool: string; debianPackage: string } } = {},
  ) {
    super(message);
    this.name = "CrdFetchError";
    this.retriable = options.retriable ?? false;
    this.missingTool = options.missingTool;
  }
}

/** The tools the fetch runs, with the Debian package that installs each. */
export const TOOLS = {
  go: { debianPackage: "golang-go", fallback: "/usr/local/go/bin/go", versionArgs: ["version"] },
  mvn: { debianPackage: "maven", fallback: undefined, versionArgs: ["-v"] },
  java: { debianPackage: "openjdk-17-jre-headless", fallback: undefined, versionArgs: ["-version"] },
} as const;
export type Tool = keyof typeof TOOLS;

/** The command to start `tool` (on PATH, else where its official installer puts it); throws when absent. */
export function requireTool(tool: Tool, why: string): string {
  const { debianPackage, fallback, versionArgs } = TOOLS[tool];
  if (!spawnSync(tool, versionArgs, { stdio: "ignore" }).error) return tool;
  if (fallback && existsSync(fallback)) return fallback;
  throw new CrdFetchError(`crds: ${tool} is not installed (${why}): apt-get install ${debianPackage}`, {
    missingTool: { tool, debianPackage },
  });
}

export interface ToolResult {
  readonly code: number | null;
  readonly stdout: string;
  /** The last 20,000 characters of standard error. */
  readonly stderr: string;
}

/** Runs a command to completion, collecting its output. */
export function runTool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-20_000);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(stdout).toString("utf8"), stderr }));
  });
}
