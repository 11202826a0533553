import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { StackConfigError, parseStackConfig } from "./parse.js";
import { readStackFile } from "./stack-file.js";
import { validSettings } from "./test-fixture.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STACK_FILES = readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

/** The problems `parseStackConfig` reports, as `key: reason` lines. */
function problemsOf(settings: unknown, stack = "dev"): string[] {
  try {
    parseStackConfig(settings, stack);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((p) => `${p.key}: ${p.reason}`);
    throw error;
  }
  return [];
}

/** Sets (or, with `undefined`, deletes) the value at a dotted path such as `onPremNodes.1.name`. */
function withValue(path: string, value: unknown): Record<string, unknown> {
  const settings = validSettings();
  const keys = path.split(".");
  const last = keys.pop()!;
  let target = settings as Record<string, unknown>;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return settings;
}

describe("stack files", () => {
  it("finds the dev and prod stack files", () => {
    expect(STACK_FILES).toEqual(expect.arrayContaining(["Pulumi.dev.yaml", "Pulumi.prod.yaml"]));
  });

  it.each(STACK_FILES)("%s parses and passes every rule", async (file) => {
    const { stack, settings } = await readStackFile(`${ROOT}/${file}`);
    expect(problemsOf(settings, stack)).toEqual([]);
  });

  it.each(STACK_FILES)("%s holds no secret value", async (file) => {
    const { settings, providerKeys } = await readStackFile(`${ROOT}/${file}`);
    expect(providerKeys.filter((k) => /token|key|password|secret/i.test(k))).toEqual([]);
    expect(JSON.stringify(settings)).not.toMatch(/PRIVATE KEY|apiKey|token/i);
  });
});

describe("parseStackConfig", () => {
  it("accepts a valid configuration and fills the defaults", () => {
    const config = parseStackConfig(validSettings(), "dev");
    expect(config.server.size).toBe("s-2vcpu-4gb");
    expect(config.onPremNodes[0]!.ssh).toEqual({ host: "lab.example.net", user: "ubuntu", port: 22 });
    expect(config.platform.kafkaBrokers).toBe(1);
  });

  const cases: [string, string, unknown, string, string?][] = [
    [
      "duplicate node names",
      "onPremNodes.1.name",
      "gpu-lab-1",
      'onPremNodes[1].name: "gpu-lab-1" is already',
    ],
    [
      "an on-premises name taken by a cloud node",
      "onPremNodes.0.name",
      "k3s-worker-1",
      "is already the name of a cloud node",
    ],
    [
      "an unknown DigitalOcean region",
      "server.region",
      "mars1",
      "server.region: must be a DigitalOcean region",
    ],
    [
      "an unknown Hetzner location",
      "workers.location",
      "nyc3",
      "workers.location: must be a Hetzner location",
    ],
    [
      "a Raspberry Pi with role gpu",
      "onPremNodes.1.role",
      "gpu",
      "onPremNodes[1].role: a Raspberry Pi has no NVIDIA GPU",
    ],
    [
      "a gpu node that is not amd64",
      "onPremNodes.0.arch",
      "arm64",
      "onPremNodes[0].arch: a gpu node must be amd64",
    ],
    [
      "a location no other location can reach",
      "onPremNodes.0.reach",
      { mode: "nat" },
      'onPremNodes: location "lab" has no node that other locations can reach',
    ],
    [
      "two nodes on one forwarded router port",
      "onPremNodes.1.reach",
      { mode: "forwarded", udpPort: 51821, endpoint: "lab.example.net" },
      "onPremNodes[1].reach.udpPort: lab.example.net:51821 is already forwarded",
    ],
    ["a missing SSH key", "sshPublicKeys", [], "sshPublicKeys: must hold at least one SSH public key"],
    [
      "a private key given as public key",
      "sshPublicKeys",
      ["-----BEGIN OPENSSH PRIVATE KEY-----"],
      "sshPublicKeys[0]: must be an OpenSSH public key",
    ],
    ["a bad CIDR", "adminCidrs", ["198.51.100.0/33"], "adminCidrs[0]: must be an IPv4 or IPv6 network"],
    [
      "a CIDR without prefix",
      "adminCidrs",
      ["198.51.100.7"],
      "adminCidrs[0]: must be an IPv4 or IPv6 network",
    ],
    ["zero workers in prod", "workers.count", 0, "workers.count: prod needs at least one worker", "prod"],
    [
      "SSH open to the internet in prod",
      "adminCidrs",
      ["0.0.0.0/0"],
      "adminCidrs[0]: 0.0.0.0/0 opens SSH",
      "prod",
    ],
    ["two control-plane servers", "server.count", 2, "server.count: must be 1, or 3"],
    ["an unpinned k3s version", "k3sVersion", "latest", "k3sVersion: must be a k3s release"],
    [
      "a node name that is not a DNS label",
      "onPremNodes.0.name",
      "GPU_1",
      "onPremNodes[0].name: must be a DNS label",
    ],
    ["an unknown reach mode", "onPremNodes.0.reach", { mode: "vpn" }, "onPremNodes[0].reach.mode:"],
    ["a missing DNS name", "dns.api", undefined, "dns.api: is required"],
    [
      "an on-premises location named like a cloud region",
      "onPremNodes.0.location",
      "nyc3",
      'onPremNodes[0].location: "nyc3" is a cloud location',
    ],
    [
      "an image registry with a tag in it",
      "images.registry",
      "ghcr.io/acme/hdp:1",
      "images.registry: must be",
    ],
    ["a missing image tag", "images.tag", undefined, "images.tag: is required"],
    ["an unknown certificate issuer", "tls.issuer", "letsencrypt", "tls.issuer:"],
    ["a bad Let's Encrypt contact", "tls.email", "ops", "tls.email: must be an e-mail address"],
    [
      "two Kafka brokers",
      "platform",
      { kafkaBrokers: 2 },
      "platform.kafkaBrokers: use 1 (dev) or at least 3",
    ],
  ];

  it.each(cases)("refuses %s, naming the key", (_name, path, value, expected, stack = "dev") => {
    expect(problemsOf(withValue(path, value), stack).join("\n")).toContain(expected);
  });

  it("refuses analytics on a GPU the stack does not have, naming the key", () => {
    const settings = withValue("services", { analyticsOnGpu: true });
    expect(problemsOf(settings)).toEqual([]);
    (settings.onPremNodes as Record<string, unknown>[])[0]!.role = "worker";
    expect(problemsOf(settings)).toEqual(["services.analyticsOnGpu: the stack has no node of role gpu"]);
  });

  it("allows zero workers in dev", () => {
    expect(problemsOf(withValue("workers.count", 0), "dev")).toEqual([]);
  });

  it("reports every problem of a configuration in one message", () => {
    const settings = withValue("workers.count", 0);
    const pi = (settings.onPremNodes as Record<string, unknown>[])[1]!;
    pi.role = "gpu";
    pi.name = "gpu-lab-1";
    let message = "";
    try {
      parseStackConfig(settings, "prod");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('invalid configuration of stack "prod" (4 problems)');
    for (const key of [
      "onPremNodes[1].name",
      "onPremNodes[1].role",
      "onPremNodes[1].arch",
      "workers.count",
    ]) {
      expect(message).toContain(`  ${key}: `);
    }
  });
});
