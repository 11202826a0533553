import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as hcloud from "@pulumi/hcloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  installVersionOf,
  offClusterSnapshotStore,
  type DeployedState,
  type StackConfig,
} from "../../config/index.js";
import {
  DIGITALOCEAN_OUTBOUND,
  inboundRules,
  toDigitalOceanInbound,
  toHetznerRules,
} from "../firewall-rules.js";
import { etcdS3Target } from "../etcd-snapshots.js";
import { kiloManifests } from "../kilo-manifests.js";
import {
  deleteNodeCommand,
  drainNodeCommand,
  publicKubeconfig,
  readKubeconfigCommand,
  waitForNodeCommand,
} from "../kubeconfig.js";
import { kiloAnnotations, nodeLabels, nodeTaints } from "../node-metadata.js";
import { clusterNodes, locationLeaders, type ClusterNode } from "../node-model.js";
import { nvidiaDevicePlugin } from "../nvidia-device-plugin.js";
import { systemNamespacePatch } from "../pod-security.js";
import { WIREGUARD_EXPORTER } from "../../platform/monitoring/contract.js";
import { renderTopologyDiagram } from "../topology-diagram.js";
import { k3sUpgradePlans, systemUpgradeControllerManifests } from "../upgrade-plans.js";
import { declareObject } from "./kubernetes-objects.js";
import { API_PORT, DigitalOceanServer, HetznerAgent, OnPremNodeComponent, type NodeHandle } from "./nodes.js";

/** Pinned Kilo release. */
export const KILO_IMAGE = "docker.io/squat/kilo:0.6.0";
/** k3s's default service network, which Kilo routes. */
export const SERVICE_CIDR = "10.43.0.0/16";

export interface HybridClusterArgs {
  readonly stack: string;
  readonly config: StackConfig;
  /** Private key of `sshPublicKeys`, for the on-premises nodes and for reading the kubeconfig (secret). */
  readonly sshPrivateKey: pulumi.Input<string>;
  /**
   * What the stack's last deployment recorded: a cloud node that exists keeps the k3s release its user data
   * installed (its user data runs once; it is upgraded in place), so that a new `k3sVersion` changes none.
   */
  readonly deployed?: DeployedState;
  /**
   * The keys (secrets) of the store the servers upload their etcd snapshots to: the `backups` storage's, or the
   * archive's when the backups are on its external store; required when there is one ({@link offClusterSnapshotStore}).
   */
  readonly snapshotCredentials?: {
    readonly accessKeyId: pulumi.Input<string>;
    readonly secretAccessKey: pulumi.Input<string>;
  };
}

/** A node as the stack outputs it. */
export interface NodeSummary {
  readonly name: string;
  readonly provider: string;
  readonly region: string;
  readonly role: string;
  readonly address: string;
}

/**
 * The whole cluster: k3s servers on DigitalOcean, agents on Hetzner Cloud and
 * on-premises nodes over SSH, one join token, cloud firewalls, the kubeconfig and a
 * Kubernetes provider built from it, node metadata as NodePatch resources, Kilo,
 * and the NVIDIA device plugin when a GPU node exists.
 */
export class HybridCluster extends pulumi.ComponentResource {
  readonly nodes: (NodeHandle & pulumi.ComponentResource)[];
  readonly token: pulumi.Output<string>;
  readonly serverAddress: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly summary: pulumi.Output<NodeSummary[]>;
  /** Mermaid diagram of locations, leaders and WireGuard links. */
  readonly topology: string;
  /** Node name → the k3s release its bootstrap is given (what the stack's `deployed` output records). */
  readonly installVersions: Readonly<Record<string, string>>;

  constructor(name: string, args: HybridClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:cluster:HybridCluster", name, {}, opts);
    const parent = { parent: this };
    const { config, stack } = args;
    const specs = clusterNodes(config);
    const leaders = locationLeaders(specs);
    // A node that exists keeps the release it was installed with: the upgrade Plans below move every node in
    // place, so a new `k3sVersion` changes no node's user data or bootstrap (docs/operator-guide.md,
    // "Upgrading k3s"). A new node is installed at `k3sVersion`.
    const installVersion = (spec: ClusterNode) => installVersionOf(config, spec.name, args.deployed);
    this.installVersions = Object.fromEntries(specs.map((s) => [s.name, installVersion(s)]));
    this.topology = renderTopologyDiagram(specs, leaders);

    // One join token for every node, created once: nothing it depends on changes.
    const token = new random.RandomPassword(`${name}-k3s-token`, { length: 48, special: false }, parent);
    this.token = token.result;

    const doKeys = config.sshPublicKeys.map(
      (publicKey, i) =>
        new digitalocean.SshKey(
          `${name}-do-ssh-key-${i + 1}`,
          { name: `hdp-${stack}-${i + 1}`, publicKey },
          parent,
        ),
    );
    const hcloudKeys = config.sshPublicKeys.map(
      (publicKey, i) =>
        new hcloud.SshKey(
          `${name}-hcloud-ssh-key-${i + 1}`,
          { name: `hdp-${stack}-${i + 1}`, publicKey },
          parent,
        ),
    );
    const firewallTag = new digitalocean.Tag(`${name}-k3s-tag`, { name: `hdp-${stack}-k3s` }, parent);

    const base = {
      stack,
      k3sVersion: config.k3sVersion,
      token: token.result,
      sshPublicKeys: config.sshPublicKeys,
    };
    // Every server snapshots etcd, into the backups storage when the stack has one outside the cluster.
    const { snapshots: schedule, restore } = config.controlPlane;
    const store = offClusterSnapshotStore(config);
    const snapshots = { ...schedule, ...(store ? { s3: etcdS3Target(store, stack) } : {}) };
    if (store && !args.snapshotCredentials)
      throw new pulumi.ResourceError(
        "backups need snapshotCredentials (the etcd snapshots upload there)",
        this,
      );
    const servers: DigitalOceanServer[] = [];
    for (const spec of specs.filter((s) => s.provider === "digitalocean")) {
      const first = servers[0];
      servers.push(
        new DigitalOceanServer(
          spec.name,
          {
            ...base,
            k3sVersion: installVersion(spec),
            spec,
            region: config.server.region,
            size: config.server.size,
            image: config.server.image,
            mode: config.server.count === 1 ? "single" : first ? "join" : "init",
            ...(first ? { joinUrl: pulumi.interpolate`https://${first.address}:${API_PORT}` } : {}),
            sshKeyFingerprints: doKeys.map((k) => k.fingerprint),
            firewallTag: firewallTag.id,
            snapshots,
            ...(snapshots.s3 && args.snapshotCredentials
              ? { etcdS3Credentials: args.snapshotCredentials }
              : {}),
            // The first server only: the others join the restored cluster.
            ...(restore && !first ? { restoreSnapshot: restore.snapshot } : {}),
          },
          parent,
        ),
      );
    }
    const [firstServer] = servers;
    if (!firstServer) throw new Error("the stack declares no k3s server");
    this.serverAddress = firstServer.address;
    const serverUrl = pulumi.interpolate`https://${firstServer.address}:${API_PORT}`;

    const hetznerLabels = { "hdp-cluster": stack, "hdp-role": "k3s-agent" };
    const agents = specs
      .filter((s) => s.provider === "hetzner")
      .map(
        (spec) =>
          new HetznerAgent(
            spec.name,
            {
              ...base,
              k3sVersion: installVersion(spec),
              spec,
              location: config.workers.location,
              serverType: config.workers.serverType,
              serverUrl,
              sshKeyIds: hcloudKeys.map((k) => k.id),
              labels: hetznerLabels,
            },
            { ...parent, dependsOn: servers },
          ),
      );

    // Firewalls: the cluster's own public addresses (the servers' droplets send from
    // their own address, and receive on the reserved one) plus the operators' networks.
    const nodeCidrs = pulumi
      .all([
        ...servers.flatMap((s) => [s.address, s.droplet.ipv4Address]),
        ...agents.map((a) => a.server.ipv4Address),
      ])
      .apply((addresses) => [...new Set(addresses)].map((a) => `${a}/32`));
    new digitalocean.Firewall(
      `${name}-do-firewall`,
      {
        name: `hdp-${stack}-k3s-servers`,
        tags: [firewallTag.id],
        inboundRules: nodeCidrs.apply((cidrs) =>
          toDigitalOceanInbound(
            inboundRules({ adminCidrs: config.adminCidrs, nodeCidrs: cidrs, ingress: false }),
          ),
        ),
        outboundRules: DIGITALOCEAN_OUTBOUND.map((r) => ({
          ...r,
          destinationAddresses: [...r.destinationAddresses],
        })),
      },
      parent,
    );
    if (agents.length > 0) {
      new hcloud.Firewall(
        `${name}-hcloud-firewall`,
        {
          name: `hdp-${stack}-k3s-agents`,
          rules: nodeCidrs.apply((cidrs) =>
            toHetznerRules(inboundRules({ adminCidrs: config.adminCidrs, nodeCidrs: cidrs, ingress: true })),
          ),
          applyTos: [{ labelSelector: `hdp-cluster=${stack}` }],
        },
        parent,
      );
    }

    // The kubeconfig, read from the first server once k3s has written it.
    const serverConnection = {
      host: firstServer.droplet.ipv4Address,
      user: "root",
      privateKey: args.sshPrivateKey,
      dialErrorLimit: 30,
    };
    const readKubeconfig = new command.remote.Command(
      `${name}-read-kubeconfig`,
      { connection: serverConnection, create: readKubeconfigCommand(), logging: "none" },
      { ...parent, dependsOn: firstServer.bootstrapped, additionalSecretOutputs: ["stdout"] },
    );
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([readKubeconfig.stdout, firstServer.address])
        .apply(([yaml, address]) => publicKubeconfig(yaml, address, `hdp-${stack}`)),
    );
    this.provider = new k8s.Provider(`${name}-k3s`, { kubeconfig: this.kubeconfig }, parent);

    const onPrem = config.onPremNodes.map((node) => {
      const spec = specs.find((s) => s.name === node.name) as ClusterNode;
      return new OnPremNodeComponent(
        node.name,
        {
          spec,
          k3sVersion: installVersion(spec),
          ssh: node.ssh,
          sshSettings: { privateKey: args.sshPrivateKey },
          token: token.result,
          serverAddress: firstServer.address,
        },
        // The bootstrap checks its route to a running API server first.
        { ...parent, dependsOn: [readKubeconfig] },
      );
    });
    this.nodes = [...servers, ...agents, ...onPrem];

    // Node metadata, enforced on every run (not only the flags of first registration).
    for (const node of this.nodes) {
      const registered = new command.remote.Command(
        `${node.spec.name}-registered`,
        { connection: serverConnection, create: waitForNodeCommand(node.spec.name) },
        { parent: node, dependsOn: [readKubeconfig, ...node.bootstrapped] },
      );
      const metadata = new k8s.core.v1.NodePatch(
        `${node.spec.name}-metadata`,
        {
          metadata: {
            name: node.spec.name,
            labels: nodeLabels(node.spec),
            annotations: { ...kiloAnnotations(node.spec, leaders), "pulumi.com/patchForce": "true" },
          },
          spec: { taints: nodeTaints(node.spec) },
        },
        { parent: node, provider: this.provider, dependsOn: [registered] },
      );
      if (node !== firstServer)
        this.leaveCluster(node, serverConnection, metadata, config.upgrades.drainTimeoutSeconds);
    }

    // The system agents' namespace enforces `privileged`, stated rather than left to the cluster default.
    const systemNamespace = new k8s.core.v1.NamespacePatch(`${name}-kube-system`, systemNamespacePatch(), {
      ...parent,
      provider: this.provider,
    });

    const kilo = new pulumi.ComponentResource("hdp:cluster:Kilo", `${name}-kilo`, {}, parent);

    // In order: the CRD and RBAC exist before the DaemonSet starts.
    let previous: pulumi.Resource[] = [];
    // With the monitoring stack, a WireGuard exporter beside Kilo reports each tunnel's last handshake.
    const wireguardExporter = config.monitoring.enabled ? WIREGUARD_EXPORTER : undefined;
    for (const object of kiloManifests({ image: KILO_IMAGE, serviceCidr: SERVICE_CIDR, wireguardExporter })) {
      previous = [
        declareObject("kilo", object, {
          parent: kilo,
          provider: this.provider,
          dependsOn: [systemNamespace, ...previous],
        }),
      ];
    }
    // k3s upgrades from inside the cluster: the system-upgrade-controller, then its Plans at `k3sVersion`.
    const upgrades = new pulumi.ComponentResource("hdp:cluster:K3sUpgrades", `${name}-upgrades`, {}, parent);
    const [crd, namespace, ...controllerObjects] = systemUpgradeControllerManifests({
      kubectlImage: config.upgrades.kubectlImage,
    });
    const upgradeOpts = { parent: upgrades, provider: this.provider };
    const planCrd = declareObject("upgrade", crd!, upgradeOpts);
    const upgradeNamespace = declareObject("upgrade", namespace!, upgradeOpts);
    const controller = controllerObjects.map((object) =>
      declareObject("upgrade", object, { ...upgradeOpts, dependsOn: [upgradeNamespace] }),
    );
    const plans = k3sUpgradePlans({
      k3sVersion: config.k3sVersion,
      agentConcurrency: config.upgrades.agentConcurrency,
      drainTimeoutSeconds: config.upgrades.drainTimeoutSeconds,
    });
    for (const plan of plans) {
      declareObject("upgrade", plan, { ...upgradeOpts, dependsOn: [planCrd, ...controller] });
    }

    if (specs.some((s) => s.role === "gpu")) {
      const gpu = new pulumi.ComponentResource("hdp:cluster:NvidiaDevicePlugin", `${name}-gpu`, {}, parent);
      declareObject("gpu", nvidiaDevicePlugin(), { parent: gpu, provider: this.provider });
    }

    this.summary = pulumi.all(
      this.nodes.map((n) =>
        n.address.apply((address) => ({
          name: n.spec.name,
          provider: n.spec.provider,
          region: n.spec.region,
          role: n.spec.role,
          address,
        })),
      ),
    );
    this.registerOutputs({ serverAddress: this.serverAddress, nodes: this.summary });
  }

  /**
   * What a node's removal from the stack runs, in Pulumi's delete order (dependents first): drain it, then
   * delete its Node object, both on the first server, and only then its own resources go (the on-premises
   * `k3s` command uninstalls k3s, a cloud machine is deleted). Nothing runs on create; `update` keeps an
   * input change (a new SSH key, say) from replacing them, which would run the delete.
   */
  private leaveCluster(
    node: NodeHandle & pulumi.ComponentResource,
    connection: command.types.input.remote.ConnectionArgs,
    metadata: pulumi.Resource,
    drainTimeoutSeconds: number,
  ): void {
    const name = node.spec.name;
    const removal = new command.remote.Command(
      `${name}-node-removal`,
      { connection, create: "true", update: "true", delete: deleteNodeCommand(name) },
      { parent: node, dependsOn: [metadata, ...node.bootstrapped] },
    );
    new command.remote.Command(
      `${name}-drain`,
      { connection, create: "true", update: "true", delete: drainNodeCommand(name, drainTimeoutSeconds) },
      { parent: node, dependsOn: [removal] },
    );
  }
}
