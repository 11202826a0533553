// Scale of the Pulumi program: evaluates generated stacks with growing numbers of
// Raspberry Pis (spread over sites of 20, each site's first Pi reachable through a
// forwarded UDP port, the rest behind NAT) under the mocked runtime, and prints the
// evaluation time and the resource count per size. Target: 200 Pis in under 10 s, and
// a resource count linear in the node count.
// Usage: npm run bench:plan -- [--max 200]
import { parseArgs } from "node:util";
import { readStackFile, type StackFile } from "../infra/config/index.js";
import { evaluateStack } from "../infra/plan/evaluate.js";

const { values } = parseArgs({ options: { max: { type: "string", default: "200" } } });
const max = Number(values.max);
const PER_SITE = 20;

function withPis(base: StackFile, count: number): StackFile {
  const pis = Array.from({ length: count }, (_, i) => {
    const site = Math.floor(i / PER_SITE) + 1;
    const first = i % PER_SITE === 0;
    return {
      name: `pi-${String(i + 1).padStart(3, "0")}`,
      role: "sensor",
      hardware: "raspberry-pi",
      ssh: { host: `site-${site}.example.net`, user: "pi", port: 2200 + (i % PER_SITE) },
      location: `site-${site}`,
      reach: first
        ? { mode: "forwarded", udpPort: 51821, endpoint: `site-${site}.example.net` }
        : { mode: "nat" },
    };
  });
  return { ...base, stack: `scale-${count}`, settings: { ...base.settings, onPremNodes: pis } };
}

const base = await readStackFile("Pulumi.dev.yaml");
await evaluateStack(withPis(base, 1)); // warm-up: module loading and JIT out of the figures
const sizes = [...new Set([0, 25, 50, 100, max].filter((n) => n <= max))];
const rows: { pis: number; nodes: number; resources: number; ms: number }[] = [];
for (const pis of sizes) {
  const ev = await evaluateStack(withPis(base, pis));
  const resources = ev.resources.filter((r) => !r.component).length;
  const nodes = (ev.outputs.nodes?.value as unknown[]).length;
  rows.push({ pis, nodes, resources, ms: ev.durationMs });
  console.log(
    `${String(pis).padStart(4)} Pis  ${String(nodes).padStart(4)} nodes  ${String(resources).padStart(5)} resources  ${ev.durationMs.toFixed(0).padStart(6)} ms`,
  );
}
const first = rows[0]!;
const slopes = rows.slice(1).map((r) => (r.resources - first.resources) / (r.pis - first.pis));
const linear = slopes.every((s) => s === slopes[0]);
const last = rows.at(-1)!;
console.log(
  `per Pi: ${slopes.map((s) => s.toFixed(2)).join(", ")} resources (${linear ? "constant: linear" : "NOT constant"}); fixed part ${first.resources}`,
);
console.log(
  `${last.pis} Pis evaluated in ${(last.ms / 1000).toFixed(2)} s: target < 10 s ${last.ms < 10_000 ? "met" : "NOT met"}`,
);
