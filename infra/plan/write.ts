import { spawnSync } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { stringify } from "yaml";
import type { Evaluation, PlannedResource } from "./evaluate.js";

export interface PlanFiles {
  readonly dir: string;
  /** Every file written, relative to `dir`. */
  readonly files: readonly string[];
  readonly userData: readonly string[];
  readonly scripts: readonly string[];
}

/** `digitalocean:index/droplet:Droplet` → `digitalocean:Droplet`; components keep their type. */
export function shortType(type: string): string {
  const parts = type.split(":");
  return parts.length === 3 && parts[1]?.includes("/") ? `${parts[0]}:${parts[2]}` : type;
}

function component(r: PlannedResource): string {
  if (!r.parent) return "(stack)";
  const [type, name] = r.parent.split("::");
  return `${type?.split(":").pop()} ${name}`;
}

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** What the stack would create, by component, with counts per type. */
export function planTable(ev: Evaluation): string {
  const custom = ev.resources.filter((r) => !r.component);
  const components = ev.resources.filter((r) => r.component);
  const rows = [
    ["COMPONENT", "TYPE", "NAME"],
    ...custom.map((r) => [component(r), shortType(r.type), r.name]),
  ];
  const counts = new Map<string, number>();
  for (const r of ev.resources) counts.set(shortType(r.type), (counts.get(shortType(r.type)) ?? 0) + 1);
  const countRows = [
    ["TYPE", "COUNT"],
    ...[...counts].sort((a, b) => b[1] - a[1]).map(([t, n]) => [t, String(n)]),
  ];
  return [
    `Stack ${ev.stack}: ${custom.length} resources in ${components.length} components`,
    "",
    columns(rows),
    "",
    columns(countRows),
    "",
  ].join("\n");
}

/** Resource inputs as a Kubernetes object (the provider adds apiVersion and kind). */
function kubernetesObject(r: PlannedResource): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = r.inputs;
  return { apiVersion, kind, metadata, ...rest };
}

/**
 * Writes the plan of a stack under `dir` (emptied first): each node's bootstrap
 * (`nodes/<node>/…`), the Kubernetes objects (`kubernetes/`), the Mermaid topology,
 * the resource table and a JSON list. Refuses to write a file that holds a secret.
 */
export async function writePlan(ev: Evaluation, dir: string): Promise<PlanFiles> {
  await rm(dir, { recursive: true, force: true });
  const files: string[] = [];
  const secrets = Object.values(ev.secretValues);
  const put = async (path: string, content: string) => {
    const leaked = secrets.find((s) => content.includes(s));
    if (leaked) throw new Error(`refusing to write ${path}: it holds a secret value`);
    const full = join(dir, path);
    await mkdir(join(full, ".."), { recursive: true });
    await writeFile(full, content, { mode: path.endsWith(".sh") ? 0o755 : 0o644 });
    files.push(path);
  };

  for (const [node, rendered] of Object.entries(ev.rendered)) {
    for (const [name, content] of Object.entries(rendered)) await put(`nodes/${node}/${name}`, content);
  }
  let index = 0;
  for (const r of ev.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
    index += 1;
    await put(`kubernetes/${String(index).padStart(2, "0")}-${r.name}.yaml`, stringify(kubernetesObject(r)));
  }
  await put("topology.md", `# Topology of stack ${ev.stack}\n\n\`\`\`mermaid\n${ev.topology}\`\`\`\n`);
  await put("resources.txt", planTable(ev));
  await put(
    "plan.json",
    `${JSON.stringify(
      ev.resources.map((r) => ({
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        component: r.component,
      })),
      null,
      2,
    )}\n`,
  );
  return {
    dir,
    files,
    userData: files.filter((f) => f.endsWith("user-data.yaml")),
    scripts: files.filter((f) => f.endsWith(".sh")),
  };
}

export interface CheckResult {
  readonly tool: string;
  readonly file: string;
  readonly ok: boolean;
  readonly output: string;
}

/** A validator is missing from this machine. */
export class MissingToolError extends Error {
  constructor(tool: string, debianPackage: string) {
    super(`${tool} is not installed: apt-get install ${debianPackage} (or run the plan with --no-validate)`);
    this.name = "MissingToolError";
  }
}

function run(
  tool: string,
  debianPackage: string,
  args: string[],
  cwd: string,
): { ok: boolean; output: string } {
  const result = spawnSync(tool, args, { cwd, encoding: "utf8" });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new MissingToolError(tool, debianPackage);
  }
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}

/**
 * Validates the written plan: every user data with `cloud-init schema`, every
 * script with `shellcheck`. Returns one result per file; throws
 * {@link MissingToolError} when a validator is not installed.
 */
export function validatePlan(plan: PlanFiles): CheckResult[] {
  const results: CheckResult[] = [];
  for (const file of plan.userData) {
    const r = run("cloud-init", "cloud-init", ["schema", "--config-file", file], plan.dir);
    results.push({ tool: "cloud-init schema", file, ...r });
  }
  for (const file of plan.scripts) {
    const r = run("shellcheck", "shellcheck", ["--shell=bash", "--severity=style", file], plan.dir);
    results.push({ tool: "shellcheck", file, ...r });
  }
  return results;
}

/** `relative` for messages: paths under the working directory, as typed. */
export const shown = (path: string) => relative(process.cwd(), path) || ".";
