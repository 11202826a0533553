import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "./parse.js";
import { readStackFile } from "./stack-file.js";
import { problemsOf, validSettings } from "./test-fixture.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STACK_FILES = readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

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

  // `pulumi config set` stores what it is given; a number or a list where text belongs (or the
  // reverse) must name the key, the form it expects and what it got — one key of every kind.
  const wrongTypes: [string, string, unknown, string | RegExp][] = [
    [
      "a k3s version given as a number (string)",
      "k3sVersion",
      1.31,
      /^k3sVersion: must be a string \(a k3s release such as v1\.\d+\.\d+\+k3s\d+\), got number 1\.31$/,
    ],
    [
      "a droplet size given as a number (string)",
      "server.size",
      2,
      "server.size: must be a string, got number 2",
    ],
    [
      "a worker count given as text (integer)",
      "workers.count",
      "2",
      'workers.count: must be an integer from 0 to 50, got string "2"',
    ],
    [
      "a worker count given as null (integer)",
      "workers.count",
      null,
      "workers.count: must be an integer from 0 to 50, got null",
    ],
    [
      "a Kafka volume size given as text (integer with a minimum)",
      "platform",
      { kafkaStorageGi: "10" },
      'platform.kafkaStorageGi: must be an integer of at least 1, got string "10"',
    ],
    [
      "a flag given as text (boolean)",
      "services",
      { analyticsOnGpu: "true" },
      'services.analyticsOnGpu: must be true or false, got string "true"',
    ],
    [
      "an issuer given as a number (enum)",
      "tls.issuer",
      1,
      "tls.issuer: must be one of staging, production, got number 1",
    ],
    [
      "a region given as a number (enum with its own message)",
      "server.region",
      3,
      /^server\.region: must be a DigitalOcean region: nyc1, .*, got number 3$/,
    ],
    [
      "one network given as text (array)",
      "adminCidrs",
      "198.51.100.0/24",
      'adminCidrs: must be a list, got string "198.51.100.0/24"',
    ],
    ["the nodes given as an object (array)", "onPremNodes", {}, "onPremNodes: must be a list, got an object"],
    [
      "the DNS names given as text (object)",
      "dns",
      "dev.example.net",
      'dns: must be an object with keys web, api, kafkaUi, grafana, alertmanager, got string "dev.example.net"',
    ],
    [
      "an SSH target given as text (nested object)",
      "onPremNodes.0.ssh",
      "lab.example.net",
      'onPremNodes[0].ssh: must be an object with keys host, user, port, got string "lab.example.net"',
    ],
    [
      "a reach mode given as a number (discriminated union)",
      "onPremNodes.0.reach",
      { mode: 3 },
      "onPremNodes[0].reach.mode: must be one of public, nat, forwarded, got number 3",
    ],
    [
      "a reach given as text (discriminated union)",
      "onPremNodes.1.reach",
      "nat",
      'onPremNodes[1].reach: must be an object with key mode (public, nat or forwarded), got string "nat"',
    ],
    [
      "a forwarded port given as text (integer in a union member)",
      "onPremNodes.0.reach",
      { mode: "forwarded", udpPort: "51821" },
      'onPremNodes[0].reach.udpPort: must be an integer from 1024 to 65535, got string "51821"',
    ],
    [
      "a server count given as text (literal union)",
      "server.count",
      "3",
      'server.count: must be 1, or 3 for a highly available control plane, got string "3"',
    ],
    [
      "backups given as text (optional object)",
      "backups",
      "yes",
      'backups: must be an object with keys endpoint, store, bucket, retentionDays, got string "yes"',
    ],
    [
      "a retention given as text (in the optional object)",
      "backups",
      { endpoint: "https://fra1.digitaloceanspaces.com", bucket: "hdp-backups", retentionDays: "30" },
      'backups.retentionDays: must be an integer of at least 1, got string "30"',
    ],
    [
      "a number below its minimum",
      "platform",
      { kafkaPartitions: 0 },
      "platform.kafkaPartitions: must be at least 1, got number 0",
    ],
    [
      "a fractional number where an integer belongs",
      "workers.count",
      1.5,
      "workers.count: must be an integer, got number 1.5",
    ],
  ];

  it.each(wrongTypes)(
    "refuses %s, naming the key, the expected form and what it got",
    (_n, path, value, line) => {
      expect(problemsOf(withValue(path, value))).toEqual([
        typeof line === "string" ? line : expect.stringMatching(line),
      ]);
    },
  );

  it.each([
    ["string", "images.tag"],
    ["integer", "workers.count"],
    ["enum", "tls.issuer"],
    ["enum with its own message", "server.region"],
    ["object", "workers"],
    ["list", "adminCidrs"],
    ["discriminator", "onPremNodes.0.reach.mode"],
  ])("reports a missing %s as required, naming the key", (_kind, path) => {
    expect(problemsOf(withValue(path, undefined))).toEqual([
      `${path.replace(/\.(\d+)/g, "[$1]")}: is required`,
    ]);
  });

  it("refuses analytics on a GPU the stack does not have, naming the key", () => {
    const settings = withValue("services", { analyticsOnGpu: true });
    expect(problemsOf(settings)).toEqual([]);
    (settings.onPremNodes as Record<string, unknown>[])[0]!.role = "worker";
    expect(problemsOf(settings)).toEqual(["services.analyticsOnGpu: the stack has no node of role gpu"]);
  });

  it("allows zero workers in dev, without the monitoring stack (it runs on the workers)", () => {
    const settings = withValue("workers.count", 0);
    expect(problemsOf(settings, "dev")).toEqual([
      "monitoring.enabled: the monitoring stack runs on the cloud workers only, and the stack has none: " +
        "give it a worker (workers.count) or set monitoring.enabled to false",
    ]);
    settings.monitoring = { enabled: false };
    expect(problemsOf(settings, "dev")).toEqual([]);
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
    expect(message).toContain('invalid configuration of stack "prod" (5 problems)');
    for (const key of [
      "onPremNodes[1].name",
      "onPremNodes[1].role",
      "onPremNodes[1].arch",
      "monitoring.enabled",
      "workers.count",
    ]) {
      expect(message).toContain(`  ${key}: `);
    }
  });
});
