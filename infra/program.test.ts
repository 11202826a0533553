// The Pulumi program under the mocked runtime, for both stack files of the repository.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ETCD_S3_CREDENTIALS_PATH } from "./cluster/etcd-snapshots.js";
import { ETCD_S3_CREDENTIALS_PLACEHOLDERS } from "./cluster/resources/nodes.js";
import { readStackFile, StackConfigError, type StackFile } from "./config/index.js";
import { evaluateStack, type Evaluation, type PlannedResource } from "./plan/evaluate.js";

const KILO = "kilo.squat.ai";
const ANYWHERE = ["0.0.0.0/0", "::/0"];

interface NodePatchInputs {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints: { key: string; value: string; effect: string }[] };
}

const ofType = (ev: Evaluation, type: string) => ev.resources.filter((r) => r.type === type);
const patches = (ev: Evaluation) =>
  new Map(
    ofType(ev, "kubernetes:core/v1:NodePatch").map((r) => {
      const inputs = r.inputs as unknown as NodePatchInputs;
      return [inputs.metadata.name, inputs] as const;
    }),
  );
const taintsOf = (p: NodePatchInputs | undefined) =>
  p?.spec.taints.map((t) => `${t.key}=${t.value}:${t.effect}`);

/** Every string inside a value. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe.each(["dev", "prod"])("stack %s under the mocked runtime", (stack) => {
  let file: StackFile;
  let ev: Evaluation;
  beforeAll(async () => {
    file = await readStackFile(`Pulumi.${stack}.yaml`);
    ev = await evaluateStack(file);
  });

  it("labels every node with its role and region, and taints the server and the Raspberry Pis", () => {
    const byName = patches(ev);
    const nodes = ev.outputs.nodes?.value as { name: string; region: string; role: string }[];
    expect([...byName.keys()].sort()).toEqual(nodes.map((n) => n.name).sort());
    for (const node of nodes) {
      const labels = byName.get(node.name)?.metadata.labels;
      expect(labels?.["topology.kubernetes.io/region"], node.name).toBe(node.region);
      expect(labels?.["hdp.io/role"], node.name).toBe(node.role);
    }
    const onPrem = (file.settings.onPremNodes ?? []) as { name: string; hardware?: string; role: string }[];
    for (const name of byName.keys()) {
      const pi = onPrem.find((n) => n.name === name && n.hardware === "raspberry-pi");
      const expected = name.startsWith("k3s-server-")
        ? ["dedicated=master:NoSchedule"]
        : pi
          ? ["dedicated=pi:NoSchedule"]
          : [];
      expect(taintsOf(byName.get(name)), name).toEqual(expected);
      if (pi) expect(byName.get(name)?.metadata.labels["hdp.io/role"]).toBe("sensor");
    }
  });

  it("annotates for Kilo: keepalive behind NAT, force-endpoint only where UDP is forwarded, one leader per site", () => {
    const byName = patches(ev);
    const onPrem = (file.settings.onPremNodes ?? []) as {
      name: string;
      location: string;
      reach: { mode: string; udpPort?: number; endpoint?: string };
    }[];
    const forwardedPorts: string[] = [];
    for (const [name, patch] of byName) {
      const node = onPrem.find((n) => n.name === name);
      const a = patch.metadata.annotations;
      expect(a[`${KILO}/persistent-keepalive`], name).toBe(
        node && node.reach.mode !== "public" ? "25" : undefined,
      );
      if (node?.reach.mode === "forwarded") {
        expect(a[`${KILO}/force-endpoint`], name).toBe(`${node.reach.endpoint}:${node.reach.udpPort}`);
        forwardedPorts.push(a[`${KILO}/force-endpoint`]!);
      } else {
        expect(a[`${KILO}/force-endpoint`], name).toBeUndefined();
      }
      if (!node) expect(a[`${KILO}/leader`], name).toBeUndefined();
    }
    expect(new Set(forwardedPorts).size).toBe(forwardedPorts.length);
    for (const location of new Set(onPrem.map((n) => n.location))) {
      const leaders = onPrem.filter(
        (n) =>
          n.location === location && byName.get(n.name)?.metadata.annotations[`${KILO}/leader`] === "true",
      );
      expect(leaders, location).toHaveLength(1);
      expect(leaders[0]?.reach.mode, `leader of ${location} is reachable`).not.toBe("nat");
    }
  });

  it("creates one join token, a secret, and hands that same token to every node", () => {
    const tokens = ofType(ev, "random:index/randomPassword:RandomPassword").filter((r) =>
      r.name.endsWith("k3s-token"),
    );
    expect(tokens).toHaveLength(1);
    const token = ev.secretValues.token;
    const cloud = [
      ...ofType(ev, "digitalocean:index/droplet:Droplet"),
      ...ofType(ev, "hcloud:index/server:Server"),
    ];
    const bootstraps = ofType(ev, "command:remote:Command").filter((r) => r.name.endsWith("-bootstrap"));
    expect(cloud.length + bootstraps.length).toBe(Object.keys(ev.rendered).length);
    for (const r of cloud) {
      expect(r.secretInputs, r.name).toContain("userData");
      expect(r.inputs.userData, r.name).toContain(`content: |\n      ${token}\n`);
    }
    for (const r of bootstraps) {
      expect(r.secretInputs, r.name).toContain("stdin");
      expect(r.inputs.stdin, r.name).toBe(`${token}\n`);
      expect(r.inputs.create, r.name).not.toContain(token);
    }
  });

  it("opens exactly SSH and the API to operators and nodes, WireGuard to all, and web traffic on the agents only", () => {
    const admin = file.settings.adminCidrs as string[];
    const nodes = ev.outputs.nodes?.value as { name: string; provider: string; address: string }[];
    const droplets = ofType(ev, "digitalocean:index/droplet:Droplet");
    // The servers' reserved addresses, their droplets' own addresses, and the agents'.
    const nodeCidrs = new Set(nodes.filter((n) => n.provider !== "on-prem").map((n) => `${n.address}/32`))
      .size;
    const [doFirewall] = ofType(ev, "digitalocean:index/firewall:Firewall");
    const inbound = doFirewall?.inputs.inboundRules as {
      protocol: string;
      portRange: string;
      sourceAddresses: string[];
    }[];
    expect(inbound.map((r) => `${r.protocol}/${r.portRange}`)).toEqual(["tcp/22", "tcp/6443", "udp/51820"]);
    for (const r of inbound.slice(0, 2)) {
      expect(r.sourceAddresses.slice(0, admin.length)).toEqual(admin);
      expect(r.sourceAddresses).toHaveLength(admin.length + nodeCidrs + droplets.length);
      expect(r.sourceAddresses.every((s) => !ANYWHERE.includes(s))).toBe(true);
    }
    expect(inbound[2]?.sourceAddresses).toEqual(ANYWHERE);
    expect(doFirewall?.inputs.tags).toHaveLength(1);

    const [hcloudFirewall] = ofType(ev, "hcloud:index/firewall:Firewall");
    const rules = hcloudFirewall?.inputs.rules as {
      direction: string;
      protocol: string;
      port: string;
      sourceIps: string[];
    }[];
    expect(rules.map((r) => `${r.direction} ${r.protocol}/${r.port}`)).toEqual([
      "in tcp/22",
      "in tcp/6443",
      "in udp/51820",
      "in tcp/80",
      "in tcp/443",
    ]);
    expect(rules[0]?.sourceIps).toEqual(inbound[0]?.sourceAddresses);
    expect(rules[3]?.sourceIps).toEqual(ANYWHERE);
    expect(hcloudFirewall?.inputs.applyTos).toEqual([{ labelSelector: `hdp-cluster=${stack}` }]);
  });

  it("outputs the kubeconfig as a secret, pointing at the server's public address", () => {
    const kubeconfig = ev.outputs.kubeconfig;
    expect(kubeconfig?.secret).toBe(true);
    const address = ev.outputs.serverAddress?.value as string;
    expect(kubeconfig?.value).toContain(`server: https://${address}:6443`);
    expect(kubeconfig?.value).not.toContain("127.0.0.1");
    const read = ev.resources.find((r) => r.name === "cluster-read-kubeconfig");
    expect(read?.inputs.logging).toBe("none");
    expect(ofType(ev, "pulumi:providers:kubernetes")[0]?.secretInputs).toContain("kubeconfig");
  });

  it("puts no secret value in a non-secret output, a non-secret input, or a rendered file", () => {
    const secrets = Object.values(ev.secretValues);
    for (const [key, output] of Object.entries(ev.outputs)) {
      if (output.secret) continue;
      for (const s of secrets) expect(JSON.stringify(output.value), key).not.toContain(s);
    }
    for (const r of ev.resources) {
      for (const [key, value] of Object.entries(r.inputs)) {
        if (r.secretInputs.includes(key)) continue;
        for (const text of strings(value)) {
          for (const s of secrets) expect(text.includes(s), `${r.name}.${key}`).toBe(false);
        }
      }
    }
    for (const [node, files] of Object.entries(ev.rendered)) {
      for (const [name, content] of Object.entries(files)) {
        for (const s of secrets) expect(content.includes(s), `${node}/${name}`).toBe(false);
      }
    }
  });

  it("re-runs an on-premises bootstrap only when its content changes, and uninstalls k3s when a node leaves", () => {
    const commands = ofType(ev, "command:remote:Command");
    const onPrem = (file.settings.onPremNodes ?? []) as { name: string }[];
    for (const { name } of onPrem) {
      const bootstrap = commands.find((c) => c.name === `${name}-bootstrap`) as PlannedResource;
      const script = ev.rendered[name]?.["bootstrap.sh"] ?? "";
      expect(bootstrap.inputs.triggers).toEqual([createHash("sha256").update(script).digest("hex")]);
      expect(bootstrap.inputs.create).toContain("bash -c '#!/usr/bin/env bash");
      expect(bootstrap.inputs.delete).toBeUndefined();
      const membership = commands.find((c) => c.name === `${name}-k3s`);
      expect(membership?.inputs.delete).toContain("k3s-agent-uninstall.sh");
      expect(membership?.inputs.triggers).toBeUndefined();
    }
  });

  it("declares Kilo as typed resources, and the NVIDIA device plugin only with a GPU node", () => {
    const kilo = ev.resources.filter((r) => r.parent === "hdp:cluster:Kilo::cluster-kilo");
    expect(kilo.map((r) => r.type)).toEqual([
      "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:apps/v1:DaemonSet",
    ]);
    const plugin = ev.resources.filter((r) => r.name === "gpu-daemonset-nvidia-device-plugin");
    const gpu = ((file.settings.onPremNodes ?? []) as { role: string }[]).some((n) => n.role === "gpu");
    expect(plugin).toHaveLength(gpu ? 1 : 0);
    const spec = (plugin[0]?.inputs.spec as { template: { spec: { runtimeClassName: string } } } | undefined)
      ?.template.spec;
    if (gpu) expect(spec?.runtimeClassName).toBe("nvidia");
  });
});

/** The parsed k3s config of a server, and its user data template's strings (YAML folds long ones), from the plan. */
const serverFiles = (ev: Evaluation, name: string) => ({
  config: parse(ev.rendered[name]?.["k3s-config.yaml"] ?? "") as Record<string, unknown>,
  userData: strings(parse(ev.rendered[name]?.["user-data.yaml"] ?? "")).join("\n"),
});

describe.each(["dev", "prod"])("stack %s: the control-plane datastore", (stack) => {
  let file: StackFile;
  let ev: Evaluation;
  let restored: Evaluation;
  const snapshot = "etcd-snapshot-k3s-server-1-1733212800";
  beforeAll(async () => {
    file = await readStackFile(`Pulumi.${stack}.yaml`);
    ev = await evaluateStack(file);
    // The same stack restoring its first server from a snapshot in the backups storage.
    const backups = file.settings.backups ?? {
      endpoint: "https://s3.example.net",
      bucket: "hdp-dev-backups",
    };
    const controlPlane = { ...(file.settings.controlPlane as object), restore: { snapshot } };
    restored = await evaluateStack({ ...file, settings: { ...file.settings, backups, controlPlane } });
  });

  it("runs embedded etcd on every server with the stack's snapshot schedule and retention, to S3 with backups", () => {
    const { snapshots } = file.settings.controlPlane as {
      snapshots: { schedule: string; retention: number };
    };
    const servers = Object.keys(ev.rendered).filter((n) => n.startsWith("k3s-server-"));
    expect(servers.length).toBeGreaterThan(0);
    for (const name of servers) {
      const { config, userData } = serverFiles(ev, name);
      expect(config["cluster-init"], name).toBe(name === "k3s-server-1" ? true : undefined);
      expect(config["etcd-snapshot-schedule-cron"], name).toBe(snapshots.schedule);
      expect(config["etcd-snapshot-retention"], name).toBe(snapshots.retention);
      expect(config["etcd-s3"], name).toBe(file.settings.backups ? true : undefined);
      if (file.settings.backups) {
        const { endpoint, bucket } = file.settings.backups as { endpoint: string; bucket: string };
        expect(config["etcd-s3-endpoint"]).toBe(new URL(endpoint).host);
        expect(config["etcd-s3-bucket"]).toBe(bucket);
        expect(config["etcd-s3-folder"]).toBe(`${stack}/etcd`);
        expect(userData).toContain(ETCD_S3_CREDENTIALS_PATH);
        expect(userData).toContain(ETCD_S3_CREDENTIALS_PLACEHOLDERS.secretAccessKey);
      } else expect(userData).not.toContain(ETCD_S3_CREDENTIALS_PATH);
      expect(userData).not.toContain("cluster-reset");
    }
  });

  it("hands the real S3 keys to the droplets in the secret user data only", () => {
    for (const droplet of ofType(restored, "digitalocean:index/droplet:Droplet")) {
      expect(droplet.secretInputs, droplet.name).toContain("userData");
      const text = strings(parse(droplet.inputs.userData as string)).join("\n");
      expect(text).toContain(restored.secretValues.backupAccessKeyId);
      expect(text).toContain(restored.secretValues.backupSecretAccessKey);
      expect(text).not.toContain(ETCD_S3_CREDENTIALS_PLACEHOLDERS.accessKeyId);
    }
    for (const files of Object.values(restored.rendered)) {
      for (const content of Object.values(files)) {
        expect(content.includes(restored.secretValues.backupSecretAccessKey)).toBe(false);
      }
    }
  });

  it("restores the first server only, once, from the named snapshot; the others join it", () => {
    const first = serverFiles(restored, "k3s-server-1");
    expect(first.userData).toContain("INSTALL_K3S_SKIP_START=true");
    expect(first.userData).toContain(`k3s server --cluster-reset --cluster-reset-restore-path='${snapshot}'`);
    expect(first.userData.indexOf("--cluster-reset")).toBeGreaterThan(first.userData.indexOf("get.k3s.io"));
    expect(first.userData.indexOf("systemctl start k3s")).toBeGreaterThan(
      first.userData.indexOf("--cluster-reset"),
    );
    expect(first.config).not.toHaveProperty("cluster-reset");
    for (const name of Object.keys(restored.rendered).filter((n) => /^k3s-server-[2-9]/.test(n))) {
      expect(serverFiles(restored, name).userData, name).not.toContain("cluster-reset");
    }
  });
});

describe("a configuration that breaks the rules", () => {
  it("fails with every bad key named before any resource is registered", async () => {
    const file = await readStackFile("Pulumi.dev.yaml");
    const broken: StackFile = {
      ...file,
      settings: {
        ...file.settings,
        adminCidrs: ["10.0.0.0/33"],
        workers: { location: "mars1", count: 1 },
      },
    };
    const registered: string[] = [];
    const failure = await evaluateStack(broken, {
      onResource: (type, name) => registered.push(`${type}::${name}`),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StackConfigError);
    expect((failure as StackConfigError).message).toMatch(/adminCidrs\[0\]/);
    expect((failure as StackConfigError).message).toMatch(/workers\.location/);
    expect(registered).toEqual([]);
  });
});
