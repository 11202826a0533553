import { spawnSync } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { TOPOLOGY_LEGEND } from "../cluster/topology-diagram.js";
import type { Evaluation, PlannedResource } from "./evaluate.js";
import { RULE_IDS, SECRET_MARKER, checkRules, checkSchemas } from "./manifest-rules.js";

export interface PlanFiles {
  readonly dir: string;
  readonly manifests: readonly KubeObject[];
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

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** Every string inside a secret input, replaced by the marker. */
function redact(value: unknown): unknown {
  if (typeof value === "string") return SECRET_MARKER;
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}

/** Inputs with every secret input redacted. */
function shownInputs(r: PlannedResource): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(r.inputs).map(([k, v]) => [k, r.secretInputs.includes(k) ? redact(v) : v]),
  );
}

/** The Kubernetes objects a stack declares (secret values redacted), in declaration order. */
export function manifestObjects(ev: Evaluation): { resource: PlannedResource; object: KubeObject }[] {
  return ev.resources
    .filter((r) => r.type.startsWith("kubernetes:") && r.type !== HELM_RELEASE)
    .map((resource) => {
      const { apiVersion, kind, metadata, ...rest } = shownInputs(resource);
      return { resource, object: { apiVersion, kind, metadata, ...rest } as KubeObject };
    });
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
  for (const { resource, object } of manifestObjects(ev)) {
    index += 1;
    await put(`manifests/${String(index).padStart(3, "0")}-${resource.name}.yaml`, stringify(object));
  }
  for (const r of ev.resources.filter((x) => x.type === HELM_RELEASE)) {
    const { chart, version, repositoryOpts, namespace, values } = shownInputs(r);
    await put(`helm/${r.name}.yaml`, stringify({ chart, version, repositoryOpts, namespace, values }));
  }
  await put(
    "topology.md",
    `# Topology of stack ${ev.stack}\n\n\`\`\`mermaid\n${ev.topology}\`\`\`\n\n${TOPOLOGY_LEGEND}`,
  );
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
    manifests: manifestObjects(ev).map((m) => m.object),
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
 * script with `shellcheck`, every Kubernetes object against the Kubernetes schema or
 * its CRD (`crds`: the operators', from `ensureCrds`; the plan's own count too) and
 * the project's rules. Returns one result per file or rule; throws
 * {@link MissingToolError} when a validator is not installed.
 */
export async function validatePlan(
  plan: PlanFiles,
  secretValues: readonly string[],
  crds: readonly KubeObject[],
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const schemas = await checkSchemas(plan.manifests, crds);
  const summary =
    `${schemas.valid} objects valid, ${schemas.outside.length} custom resources outside a schema` +
    (schemas.celRules > 0 ? `; ${schemas.celRules} CEL rules left to the API server` : "");
  const violations = [...schemas.violations, ...checkRules(plan.manifests, { secretValues })];
  for (const rule of RULE_IDS) {
    const found = violations.filter((v) => v.rule === rule);
    results.push({
      tool: `manifests: ${rule}`,
      file: "manifests/",
      ok: found.length === 0,
      output: [
        ...found.map((v) => `${v.object}: ${v.message}`),
        ...(rule === "schema" ? [summary] : []),
      ].join("\n"),
    });
  }
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
