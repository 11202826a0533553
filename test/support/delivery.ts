// Readers of the delivery files (Dockerfiles, GitHub Actions workflows) for
// test/delivery.test.ts: pure functions over their text, so that each check can be
// shown to fail on a broken input.
import { parse } from "yaml";

/** One instruction of a Dockerfile: its keyword (upper case) and the rest of the line. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** A build stage: its base image (ARG defaults substituted), its name, its instructions. */
export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** Joins continued lines, drops comments and blank lines, splits into instructions. */
function instructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#") || line === "") continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = "";
  }
  if (current) logical.push(current);
  return logical.map((line) => {
    const [keyword = "", ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
  });
}

/** The stages of a Dockerfile, in order. */
export function dockerStages(text: string): Stage[] {
  const defaults = new Map<string, string>();
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const instruction of instructions(text)) {
    const stage = stages.at(-1);
    if (instruction.keyword === "FROM") {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const image = (words[0] ?? "").replace(/\$\{?(\w+)\}?/g, (_, name: string) => defaults.get(name) ?? "");
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      stages.push({ from: image, name: as >= 0 ? words[as + 1] : undefined, instructions: [] });
    } else if (stage) {
      stage.instructions.push(instruction);
    } else if (instruction.keyword === "ARG") {
      const eq = instruction.args.indexOf("=");
      if (eq > 0) defaults.set(instruction.args.slice(0, eq), instruction.args.slice(eq + 1));
    }
  }
  return stages;
}

/** The user the stage's processes run as (its last USER), or undefined for the image's default. */
export function stageUser(stage: Stage): string | undefined {
  return stage.instructions.filter((i) => i.keyword === "USER").at(-1)?.args;
}

/** Whether a USER value names an unprivileged user (neither root nor uid 0). */
export function isNonRoot(user: string | undefined): boolean {
  if (user === undefined) return false;
  const [name = ""] = user.split(":");
  return name !== "" && name !== "root" && name !== "0";
}

/** The stage's HEALTHCHECK command, unless it has none (or `HEALTHCHECK NONE`). */
export function healthcheck(stage: Stage): string | undefined {
  const args = stage.instructions.filter((i) => i.keyword === "HEALTHCHECK").at(-1)?.args;
  return args && args.trim().toUpperCase() !== "NONE" ? args : undefined;
}

/** Whether an image reference names an explicit version: a tag other than latest, or a digest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = /:([\w][\w.-]*)$/.exec(image.split("/").at(-1) ?? "")?.[1];
  return tag !== undefined && tag !== "latest";
}

/** A workflow as these checks read it. */
export interface Workflow {
  readonly on?: unknown;
  readonly permissions?: unknown;
  readonly jobs: Record<string, Job>;
}

export interface Job {
  readonly permissions?: Record<string, string> | string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly needs?: string | string[];
  readonly concurrency?: { readonly group?: string } | string;
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly steps?: readonly Step[];
}

export interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

export function parseWorkflow(text: string): Workflow {
  const workflow = parse(text) as Workflow | null;
  if (!workflow || typeof workflow.jobs !== "object") throw new Error("not a workflow: no jobs");
  return workflow;
}

/** Every `uses:` of a workflow: reusable workflows of jobs and actions of steps. */
export function usesOf(workflow: Workflow): string[] {
  return Object.values(workflow.jobs).flatMap((job) => [
    ...(job.uses ? [job.uses] : []),
    ...(job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : [])),
  ]);
}

/**
 * Whether a `uses:` is immutable: a local path, an action at a full commit SHA, or a
 * container image by digest. Tags and branches (`@v4`, `@main`) can move.
 */
export function isPinnedUse(uses: string): boolean {
  if (uses.startsWith("./")) return true;
  if (uses.startsWith("docker://")) return /@sha256:[0-9a-f]{64}$/.test(uses);
  return /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses);
}

/** The steps of a job that use an action (`owner/repo`, any version). */
export function stepsUsing(job: Job, action: string): Step[] {
  return (job.steps ?? []).filter((step) => step.uses?.split("@")[0] === action);
}

/** Scopes a job may write with, whether granted to the job or to the whole workflow. */
export function writeScopes(workflow: Workflow, job: Job): string[] {
  const permissions = job.permissions ?? workflow.permissions;
  if (permissions === "write-all") return ["*"];
  if (typeof permissions !== "object" || permissions === null) return [];
  return Object.entries(permissions)
    .filter(([, level]) => level === "write")
    .map(([scope]) => scope);
}
