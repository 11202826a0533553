// Adding and removing nodes, read from the mocked runtime's resource graph: what a change of the node list
// creates, what it deletes and in which order Pulumi deletes it (dependents first), and that no other node's
// resources change.
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { readStackFile, type DeployedState, type StackFile } from "../../config/index.js";
import {
  comparableInputs,
  evaluateStack,
  type Evaluation,
  type PlannedResource,
} from "../../plan/evaluate.js";

const dev = await readStackFile("Pulumi.dev.yaml");
const withSettings = (file: StackFile, settings: Record<string, unknown>): StackFile => ({
  ...file,
  settings: { ...file.settings, ...settings },
});
const workers = (count: number) => ({ ...(dev.settings.workers as object), count });
const secondPi = {
  name: "pi-lab-2",
  role: "sensor",
  hardware: "raspberry-pi",
  ssh: { host: "lab.example.net", user: "pi", port: 2224 },
  location: "lab",
  reach: { mode: "nat" },
};
const withSecondPi = (file: StackFile) =>
  withSettings(file, { onPremNodes: [...(file.settings.onPremNodes as object[]), secondPi] });

const keyOf = (r: PlannedResource) => `${r.type}::${r.name}`;
const byKey = (ev: Evaluation) => new Map(ev.resources.map((r) => [keyOf(r), r]));

/** The node component a resource belongs to (its own component, or the nearest one above it), if any. */
function nodeOf(ev: Evaluation, key: string): string | undefined {
  const all = byKey(ev);
  const nodeTypes = /^hdp:cluster:(DigitalOceanServer|HetznerAgent|OnPremNode)$/;
  for (let at = all.get(key); at; at = at.parent ? all.get(at.parent) : undefined) {
    if (nodeTypes.test(at.type)) return at.name;
  }
  return undefined;
}

/**
 * Whether Pulumi must delete `first` before `then`: `first` depends on `then`, through `dependsOn` or by being
 * its descendant, directly or through others.
 */
function deletedBefore(ev: Evaluation, first: string, then: string): boolean {
  const all = byKey(ev);
  const seen = new Set<string>();
  const stack = [first];
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const r = all.get(key);
    if (!r) continue;
    for (const next of [...r.dependsOn, ...(r.parent ? [r.parent] : [])]) {
      if (next === then) return true;
      stack.push(next);
    }
  }
  return false;
}

/** Two evaluations: `before`, then `after` as the next deployment (with what `before` recorded). */
async function change(before: StackFile, after: StackFile) {
  const first = await evaluateStack(before);
  const deployed = first.outputs.deployed?.value as DeployedState;
  const second = await evaluateStack(after, { deployed });
  const a = comparableInputs(first);
  const b = comparableInputs(second);
  return {
    first,
    second,
    created: [...b.keys()].filter((k) => !a.has(k)),
    deleted: [...a.keys()].filter((k) => !b.has(k)),
    updated: [...b.keys()].filter((k) => a.has(k) && !isDeepStrictEqual(a.get(k), b.get(k))),
  };
}

describe("removing a node from the stack", () => {
  it.each([
    [
      "an on-premises Raspberry Pi",
      withSecondPi(dev),
      dev,
      "pi-lab-2",
      "command:remote:Command::pi-lab-2-k3s",
    ],
    [
      "a Hetzner worker",
      withSettings(dev, { workers: workers(2) }),
      withSettings(dev, { workers: workers(1) }),
      "k3s-worker-2",
      "hcloud:index/server:Server::k3s-worker-2-server",
    ],
  ])(
    "%s: drains it, deletes its Node object, then uninstalls k3s or deletes the machine; no other node changes",
    async (_what, before, after, node, machine) => {
      const { first, deleted, updated } = await change(before, after);
      const drain = `command:remote:Command::${node}-drain`;
      const removal = `command:remote:Command::${node}-node-removal`;
      expect(deleted).toEqual(expect.arrayContaining([drain, removal, machine]));
      // Everything deleted is the node's own.
      expect(deleted.filter((k) => nodeOf(first, k) !== node)).toEqual([]);
      expect(deletedBefore(first, drain, removal)).toBe(true);
      expect(deletedBefore(first, removal, machine)).toBe(true);
      expect(deletedBefore(first, removal, `kubernetes:core/v1:NodePatch::${node}-metadata`)).toBe(true);
      // The commands run their work only on delete, on the first server, with the node's name.
      const commands = byKey(first);
      expect(commands.get(drain)?.inputs).toMatchObject({ create: "true", update: "true" });
      expect(String(commands.get(drain)?.inputs.delete)).toMatch(
        new RegExp(`k3s kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data --timeout=600s`),
      );
      expect(String(commands.get(removal)?.inputs.delete)).toContain(`k3s kubectl delete node ${node}`);
      // No resource of another node changes.
      expect(updated.filter((k) => nodeOf(first, k) !== undefined)).toEqual([]);
    },
  );

  it("never drains the first server: removing it is destroying the cluster", async () => {
    const ev = await evaluateStack(dev);
    const names = ev.resources.map((r) => r.name);
    expect(names).not.toContain("k3s-server-1-drain");
    expect(names).toContain("k3s-worker-1-drain");
    expect(names).toContain("gpu-lab-1-drain");
  });
});

describe("adding a node to the stack", () => {
  it.each([
    ["an on-premises Raspberry Pi", dev, withSecondPi(dev), "pi-lab-2"],
    ["a Hetzner worker", dev, withSettings(dev, { workers: workers(2) }), "k3s-worker-2"],
  ])(
    "%s creates only that node's resources and changes no other node's",
    async (_what, before, after, node) => {
      const { second, created, updated } = await change(before, after);
      expect(created.length).toBeGreaterThan(3);
      expect(created.filter((k) => nodeOf(second, k) !== node)).toEqual([]);
      expect(updated.filter((k) => nodeOf(second, k) !== undefined)).toEqual([]);
    },
  );
});
