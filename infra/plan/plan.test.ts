// The offline plan of every stack file in the repository, validated as `npm run plan` does.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { requireCrds } from "../platform/crds/test-support.js";
import { RULE_IDS } from "./manifest-rules.js";
import { runPlan, type PlanResult } from "./run.js";

const stacks = (await readdir(".")).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
// Validation also needs the operators' CRDs (fetched with go, mvn and java, then cached).
const validators =
  ["cloud-init", "shellcheck"].every((tool) => !spawnSync(tool, ["--version"]).error) &&
  (await requireCrds()) !== undefined;

describe.each(stacks)("npm run plan -- --stack %s", (stack) => {
  let out: string;
  let result: PlanResult;
  const lines: string[] = [];
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "hdp-plan-"));
    // CI installs the validators and fetches the CRDs; without them here, the plan runs unvalidated.
    const validate = validators || process.env.CI === "true";
    result = await runPlan({ stack, projectDir: ".", outDir: out, validate, log: (l) => lines.push(l) });
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it("prints what the stack would create, by component, with counts", () => {
    const table = lines.join("\n");
    const custom = result.evaluation.resources.filter((r) => !r.component).length;
    expect(table).toMatch(new RegExp(`Stack ${stack}: ${custom} resources in \\d+ components`));
    expect(table).toMatch(/COMPONENT\s+TYPE\s+NAME/);
    expect(table).toMatch(/digitalocean:Droplet\s+\d+/);
    expect(table).toMatch(/OnPremNode \S+\s+command:remote:Command/);
  });

  it("writes every node's bootstrap, and every one passes cloud-init schema or shellcheck", async () => {
    const nodes = result.evaluation.outputs.nodes?.value as { name: string; provider: string }[];
    for (const node of nodes) {
      const files = await readdir(join(out, stack, "nodes", node.name));
      expect(files.sort(), node.name).toEqual(
        node.provider === "on-prem"
          ? ["bootstrap.sh", "k3s-config.yaml", "uninstall.sh"]
          : ["k3s-config.yaml", "user-data.yaml"],
      );
    }
    if (validators || process.env.CI === "true") {
      expect(result.checks).toHaveLength(
        RULE_IDS.length + result.files.userData.length + result.files.scripts.length,
      );
      for (const check of result.checks) expect(check.ok, `${check.file}: ${check.output}`).toBe(true);
    }
    expect(result.ok).toBe(true);
  });

  it.skipIf(!validators && process.env.CI !== "true")(
    "checks every object against its schema (the operators' CRDs included): all valid, none outside one",
    () => {
      const schema = result.checks.find((c) => c.tool === "manifests: schema");
      expect(schema?.output).toMatch(
        new RegExp(`^${result.files.manifests.length} objects valid, 0 custom resources outside a schema\\b`),
      );
      expect(lines.join("\n")).toContain("0 custom resources outside a schema");
    },
  );

  it("writes every server's k3s config with embedded etcd and the stack's snapshot settings", async () => {
    const nodes = result.evaluation.outputs.nodes?.value as { name: string }[];
    const servers = nodes.filter((n) => n.name.startsWith("k3s-server-"));
    expect(servers.length).toBeGreaterThan(0);
    for (const { name } of servers) {
      const text = await readFile(join(out, stack, "nodes", name, "k3s-config.yaml"), "utf8");
      const config = parse(text) as Record<string, unknown>;
      expect(config["etcd-snapshot-schedule-cron"], name).toMatch(/^\S+( \S+){4}$/);
      expect(config["etcd-snapshot-retention"], name).toEqual(expect.any(Number));
      if (name === "k3s-server-1") expect(config["cluster-init"]).toBe(true);
    }
  });

  it("writes the Helm releases of the operators and the monitoring stack with pinned chart versions", async () => {
    const releases = await readdir(join(out, stack, "helm"));
    // dcgm-exporter only where there are GPUs.
    const nodes = result.evaluation.outputs.nodes?.value as { role: string }[];
    const gpu = nodes.some((n) => n.role === "gpu");
    expect(releases.sort()).toEqual([
      ...(gpu ? ["monitoring-dcgm-exporter.yaml"] : []),
      "monitoring-kube-prometheus-stack.yaml",
      "platform-cert-manager.yaml",
      "platform-cnpg.yaml",
      "platform-strimzi.yaml",
    ]);
    for (const name of releases) {
      const release = parse(await readFile(join(out, stack, "helm", name), "utf8")) as { version: string };
      expect(release.version, name).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  it("writes the Kubernetes objects and a Mermaid diagram with every node and WireGuard link", async () => {
    const objects = await readdir(join(out, stack, "manifests"));
    for (const name of objects) {
      const doc = parse(await readFile(join(out, stack, "manifests", name), "utf8")) as Record<
        string,
        unknown
      >;
      expect(doc.apiVersion, name).toBeTruthy();
      expect(doc.kind, name).toBeTruthy();
    }
    expect(objects.some((o) => o.includes("kilo-daemonset"))).toBe(true);
    const diagram = await readFile(join(out, stack, "topology.md"), "utf8");
    expect(diagram).toMatch(/```mermaid\nflowchart LR/);
    for (const node of result.evaluation.outputs.nodes?.value as { name: string }[]) {
      expect(diagram).toContain(`${node.name}<br/>`);
    }
    expect(diagram).toMatch(/\|WireGuard\|/);
    expect(diagram).toMatch(/\|local\|/);
    expect(diagram).toContain("How to read it:");
    expect(diagram).toMatch(/\| `forwarded` \| behind NAT/);
  });

  it("holds no secret value in any file it wrote", async () => {
    const secrets = Object.values(result.evaluation.secretValues);
    for (const file of result.files.files) {
      const content = await readFile(join(out, stack, file), "utf8");
      for (const s of secrets) expect(content.includes(s), file).toBe(false);
    }
  });
});
