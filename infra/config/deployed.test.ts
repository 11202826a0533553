// The checks against the stack's last deployment, on their own and through the program under the mocked runtime.
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { comparableInputs, evaluateStack } from "../plan/evaluate.js";
import { installVersionOf, nextDeployedState, parseDeployedState, type DeployedState } from "./deployed.js";
import { parseStackConfig, StackConfigError } from "./parse.js";
import { readStackFile, type StackFile } from "./stack-file.js";
import { k3sVersionProblems } from "./upgrade-rules.js";

const dev = await readStackFile("Pulumi.dev.yaml");
const config = (k3sVersion: string) => parseStackConfig({ ...dev.settings, k3sVersion }, "dev");
const deployedAt = (k3sVersion: string): DeployedState => ({ k3sVersion, nodes: {} });
const withSettings = (file: StackFile, settings: Record<string, unknown>): StackFile => ({
  ...file,
  settings: { ...file.settings, ...settings },
});

describe("k3sVersion against the version deployed", () => {
  it.each([
    ["the same release", "v1.36.3+k3s1", "v1.36.3+k3s1"],
    ["a newer k3s revision", "v1.36.3+k3s1", "v1.36.3+k3s2"],
    ["a newer patch", "v1.36.3+k3s1", "v1.36.5+k3s1"],
    ["the next minor", "v1.36.3+k3s1", "v1.37.0+k3s1"],
  ])("accepts %s", (_, deployed, wanted) => {
    expect(k3sVersionProblems(config(wanted), deployedAt(deployed))).toEqual([]);
  });

  it("accepts anything before the first deployment", () => {
    expect(k3sVersionProblems(config("v1.30.0+k3s1"), undefined)).toEqual([]);
  });

  it.each([
    ["minor", "v1.36.3+k3s1", "v1.35.9+k3s1"],
    ["patch", "v1.36.3+k3s1", "v1.36.2+k3s1"],
    ["k3s revision", "v1.36.3+k3s2", "v1.36.3+k3s1"],
  ])("refuses a downgrade (%s), naming both versions", (_, deployed, wanted) => {
    const problems = k3sVersionProblems(config(wanted), deployedAt(deployed));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.key).toBe("k3sVersion");
    expect(problems[0]?.reason).toContain(wanted);
    expect(problems[0]?.reason).toContain(deployed);
    expect(problems[0]?.reason).toMatch(/older than .* cannot be downgraded/);
  });

  it("refuses a jump of more than one minor, naming both versions and the next step", () => {
    const [problem, ...rest] = k3sVersionProblems(config("v1.38.1+k3s1"), deployedAt("v1.36.3+k3s1"));
    expect(rest).toEqual([]);
    expect(problem?.key).toBe("k3sVersion");
    expect(problem?.reason).toBe(
      "v1.38.1+k3s1 is 2 minors past v1.36.3+k3s1, the version deployed: upgrade one minor at a time " +
        "(first to a v1.37 release)",
    );
  });
});

describe("the state a deployment records", () => {
  it("keeps each node's install version, gives new nodes the configured one and drops removed ones", () => {
    const previous: DeployedState = {
      k3sVersion: "v1.36.3+k3s1",
      nodes: { "k3s-server-1": "v1.35.1+k3s1", gone: "v1.35.1+k3s1" },
    };
    const upgraded = config("v1.37.0+k3s1");
    const installVersions = Object.fromEntries(
      ["k3s-server-1", "new"].map((name) => [name, installVersionOf(upgraded, name, previous)]),
    );
    const next = nextDeployedState(upgraded, installVersions, previous, new Date(0));
    expect(next).toEqual({
      k3sVersion: "v1.37.0+k3s1",
      nodes: { "k3s-server-1": "v1.35.1+k3s1", new: "v1.37.0+k3s1" },
    });
  });

  it("refuses an unreadable recorded state by the output's name, rather than forgetting it", () => {
    expect(parseDeployedState(undefined)).toBeUndefined();
    expect(() => parseDeployedState({ k3sVersion: 1, nodes: {} })).toThrow(
      /"deployed" output of its last deployment is not readable \(k3sVersion: .*pulumi stack output deployed/,
    );
  });
});

describe("an upgrade through the program (dev)", () => {
  const nodeTypes = new Set([
    "digitalocean:index/droplet:Droplet",
    "digitalocean:index/reservedIp:ReservedIp",
    "hcloud:index/server:Server",
    "command:remote:Command",
  ]);

  it("changes no node's inputs when only k3sVersion moves on: the upgrade Plans change, and the record says the new version", async () => {
    const first = await evaluateStack(dev);
    const deployed = first.outputs.deployed?.value as DeployedState;
    expect(first.outputs.deployed?.secret).toBe(false);
    expect(deployed.k3sVersion).toBe(config("v1.36.3+k3s1").k3sVersion);
    const second = await evaluateStack(withSettings(dev, { k3sVersion: "v1.37.2+k3s1" }), { deployed });
    const before = comparableInputs(first);
    const after = comparableInputs(second);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...after].filter(([key, inputs]) => !isDeepStrictEqual(inputs, before.get(key)));
    // The Plans, and Strimzi's operator, which is told the Kubernetes minor (docs/operator-guide.md).
    expect(changed.map(([key]) => key).sort()).toEqual([
      "kubernetes:helm.sh/v3:Release::platform-strimzi",
      "kubernetes:upgrade.cattle.io/v1:Plan::upgrade-plan-k3s-agent",
      "kubernetes:upgrade.cattle.io/v1:Plan::upgrade-plan-k3s-server",
    ]);
    for (const [key, inputs] of changed.filter(([key]) => key.includes(":Plan::")))
      expect((inputs as { spec: { version: string } }).spec.version, key).toBe("v1.37.2+k3s1");
    for (const key of [...before.keys()].filter((k) => nodeTypes.has(k.split("::")[0]!)))
      expect(after.get(key), key).toEqual(before.get(key));
    const recorded = second.outputs.deployed?.value as DeployedState;
    expect(recorded.k3sVersion).toBe("v1.37.2+k3s1");
    // Every node keeps the release it was installed with: the Plans upgrade it in place.
    expect(recorded.nodes).toEqual(deployed.nodes);
  });

  it("installs a node added with the upgrade at the new version", async () => {
    const first = await evaluateStack(dev);
    const deployed = first.outputs.deployed?.value as DeployedState;
    const workers = { ...(dev.settings.workers as object), count: 2 };
    const second = await evaluateStack(withSettings(dev, { k3sVersion: "v1.37.2+k3s1", workers }), {
      deployed,
    });
    const recorded = second.outputs.deployed?.value as DeployedState;
    expect(recorded.nodes["k3s-worker-2"]).toBe("v1.37.2+k3s1");
    expect(recorded.nodes["k3s-worker-1"]).toBe(deployed.nodes["k3s-worker-1"]);
    expect(second.rendered["k3s-worker-2"]?.["user-data.yaml"]).toContain("v1.37.2+k3s1");
    expect(second.rendered["k3s-worker-1"]?.["user-data.yaml"]).not.toContain("v1.37.2+k3s1");
  });

  it("refuses a downgrade before declaring anything but the read of its own state", async () => {
    const registered: string[] = [];
    const failure = await evaluateStack(dev, {
      deployed: { k3sVersion: "v1.37.2+k3s1", nodes: {} },
      onResource: (type) => registered.push(type),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StackConfigError);
    expect((failure as Error).message).toMatch(
      /k3sVersion: v1\.36\.3\+k3s1 is older than v1\.37\.2\+k3s1, the version deployed/,
    );
    expect(registered.filter((type) => type !== "pulumi:pulumi:Stack")).toEqual([
      "pulumi:pulumi:StackReference",
    ]);
  });
});
