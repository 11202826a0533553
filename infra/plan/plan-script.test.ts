// `npm run plan`'s command line, run as a user runs it: a mistake gets one line and exit 2,
// never a stack trace.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runPlan } from "./run.js";
import { StackNotFoundError } from "./stacks.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STACKS = (await readdir(ROOT)).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run plan -- <args>` from the repository's root (tsx, as the npm script runs it). */
function plan(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules/.bin/tsx"), ["scripts/plan.ts", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");
const STACK_FRAME = /^\s+at /m;

describe("npm run plan", () => {
  it("names the stacks there are, in one line, and exits 2, for a stack without a stack file", async () => {
    const run = await plan("--stack", "nope");
    expect(STACKS).toEqual(expect.arrayContaining(["dev", "prod"]));
    const files = STACKS.map((s) => `Pulumi.${s}.yaml`).join(", ");
    expect(lines(run.stderr)).toEqual([
      `no stack "nope": Pulumi.nope.yaml not found; stacks here: ${STACKS.join(", ")} (${files})`,
    ]);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.status).toBe(2);
  });

  it("lists every option with what it does for --help, and exits 0", async () => {
    const run = await plan("--help");
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^usage: npm run plan -- --stack <name>/);
    for (const option of ["--stack <name>", "--out <dir>", "--no-validate", "-h, --help"]) {
      expect(run.stdout, option).toMatch(new RegExp(`^ {2}${option} +\\S.*$`, "m"));
    }
    expect(run.stdout).toMatch(/--stack <name> .*repeat/);
  });

  it.each([
    ["an unknown option", ["--stack", "dev", "--bogus"], /^plan: unknown option '--bogus'$/],
    ["an argument without its option", ["dev"], /^plan: unexpected argument 'dev'$/],
    ["an option without its value", ["--stack"], /^plan: option '--stack <value>' argument missing$/],
    ["a missing --stack", [], /^plan: name a stack with --stack <name>$/],
  ])("refuses %s with one line and the usage, and exits 2", async (_name, args, first) => {
    const run = await plan(...args);
    const [line, ...usage] = lines(run.stderr);
    expect(line).toMatch(first);
    expect(usage[0]).toMatch(/^usage: npm run plan -- --stack <name>/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout).toBe("");
    expect(run.status).toBe(2);
  });
});

describe("runPlan", () => {
  it("throws StackNotFoundError naming the stacks there are", async () => {
    const error = await runPlan({ stack: "nope", projectDir: ROOT, outDir: "unused" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StackNotFoundError);
    expect((error as StackNotFoundError).stacks).toEqual(STACKS);
  });

  it("says so when the folder holds no stack file at all", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hdp-no-stacks-"));
    try {
      await expect(runPlan({ stack: "dev", projectDir: dir, outDir: dir })).rejects.toThrow(
        `no stack "dev": Pulumi.dev.yaml not found; ${dir} holds no stack file (Pulumi.<stack>.yaml)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
