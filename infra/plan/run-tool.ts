import { spawn } from "node:child_process";

export interface ToolResult {
  readonly code: number | null;
  readonly stdout: string;
  /** The last 20,000 characters of standard error. */
  readonly stderr: string;
}

/** Runs a command to completion, collecting its output; `input`, when given, is its standard input. */
export function runTool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    // Without input the command reads end-of-file at once. One that exits without reading its input breaks
    // the pipe; its exit code tells why.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input);
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
