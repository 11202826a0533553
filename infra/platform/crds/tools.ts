import { spawnSync } from "node:child_process";
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

export { runTool, type ToolResult } from "../../plan/run-tool.js";
