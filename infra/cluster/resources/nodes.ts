import { isIP } from "node:net";
import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import { renderNodeBootstrap, renderNodeUninstall } from "../bootstrap-script.js";
import { renderCloudInit } from "../cloud-init.js";
import {
  renderEtcdS3Credentials,
  type EtcdS3Credentials,
  type EtcdSnapshotSettings,
} from "../etcd-snapshots.js";
import { renderK3sAgentConfig, renderK3sServerConfig } from "../k3s-config.js";
import { nodeLabels, nodeTaints } from "../node-metadata.js";
import type { ClusterNode } from "../node-model.js";
import { contentHash, shellQuote } from "../shell.js";

/** Port of the Kubernetes API on the k3s servers. */
export const API_PORT = 6443;

/** Stands for the join token in every rendered file; the real token only ever travels as a secret. */
export const TOKEN_PLACEHOLDER = "<k3s-join-token: secret, from the stack's RandomPassword>";

/** Stand for the S3 keys of the etcd snapshots in every rendered file; the real ones travel as secrets only. */
export const ETCD_S3_CREDENTIALS_PLACEHOLDERS: EtcdS3Credentials = {
  accessKeyId: "<backupAccessKeyId: secret, from the stack config>",
  secretAccessKey: "<backupSecretAccessKey: secret, from the stack config>",
};

/**
 * What every node component exposes, whatever the provider: the pure description
 * the labels and scripts come from, the address it is reached at, the files its
 * bootstrap installs (rendered without secrets, for the offline plan and review),
 * and the resources that must be done before the node can register with k3s.
 */
export interface NodeHandle {
  readonly spec: ClusterNode;
  /** Public address (cloud), or the host SSH reaches it through (on-premises). */
  readonly address: pulumi.Output<string>;
  /** File name → content, secrets replaced by placeholders. */
  readonly rendered: pulumi.Output<Record<string, string>>;
  /** Resources to wait for before patching the Kubernetes node object. */
  readonly bootstrapped: pulumi.Resource[];
}

/** The SSH settings every remote command of the stack shares. */
export interface SshSettings {
  readonly privateKey: pulumi.Input<string>;
}

export interface CloudNodeBase {
  readonly spec: ClusterNode;
  readonly stack: string;
  readonly k3sVersion: string;
  /** The join token (secret). */
  readonly token: pulumi.Input<string>;
  readonly sshPublicKeys: readonly string[];
}

/** What only a server's user data holds: the etcd S3 keys (secrets) and the one-shot restore. */
interface ServerUserData {
  readonly etcdS3Credentials?: { readonly [K in keyof EtcdS3Credentials]: pulumi.Input<string> };
  readonly restoreSnapshot?: string;
}

/**
 * Cloud-init user data for a node: the template (token and S3 keys replaced by placeholders) and the real,
 * secret text.
 */
function userData(
  role: "server" | "agent",
  base: CloudNodeBase,
  k3sConfig: pulumi.Output<string>,
  server: ServerUserData = {},
): { template: pulumi.Output<string>; secret: pulumi.Output<string> } {
  const keys = server.etcdS3Credentials;
  const render = (config: string, token: string, credentials: EtcdS3Credentials | undefined) =>
    renderCloudInit({
      k3sRole: role,
      k3sVersion: base.k3sVersion,
      k3sConfig: config,
      token,
      sshPublicKeys: base.sshPublicKeys,
      ...(credentials ? { etcdS3Credentials: renderEtcdS3Credentials(credentials) } : {}),
      ...(server.restoreSnapshot !== undefined ? { restoreSnapshot: server.restoreSnapshot } : {}),
    });
  return {
    template: k3sConfig.apply((config) =>
      render(config, TOKEN_PLACEHOLDER, keys && ETCD_S3_CREDENTIALS_PLACEHOLDERS),
    ),
    secret: pulumi.secret(
      pulumi
        .all([k3sConfig, base.token, keys?.accessKeyId ?? "", keys?.secretAccessKey ?? ""])
        .apply(([c, t, accessKeyId, secretAccessKey]) =>
          render(c, t, keys && { accessKeyId, secretAccessKey }),
        ),
    ),
  };
}

export interface DigitalOceanServerArgs extends CloudNodeBase {
  readonly region: string;
  readonly size: string;
  readonly image: string;
  /** `single` (one server), `init` (first of three, embedded etcd) or `join`. */
  readonly mode: "single" | "init" | "join";
  /** URL of the first server's API, when joining. */
  readonly joinUrl?: pulumi.Input<string>;
  readonly sshKeyFingerprints: pulumi.Input<string>[];
  /** The DigitalOcean tag the cluster's firewall applies to. */
  readonly firewallTag: pulumi.Input<string>;
  /** Scheduled etcd snapshots; with `s3`, `etcdS3Credentials` too. */
  readonly snapshots: EtcdSnapshotSettings;
  /** The S3 keys of the snapshots (secrets), written to a drop-in of their own. @default none */
  readonly etcdS3Credentials?: ServerUserData["etcdS3Credentials"];
  /** First server only: restore the datastore from this etcd snapshot at first boot. @default none */
  readonly restoreSnapshot?: string;
}

/**
 * A k3s server on DigitalOcean: a reserved IP (a stable public address for the API
 * certificate and the agents, known before the droplet boots), the droplet with its
 * cloud-init bootstrap, and the assignment of the one to the other.
 */
export class DigitalOceanServer extends pulumi.ComponentResource implements NodeHandle {
  readonly spec: ClusterNode;
  readonly address: pulumi.Output<string>;
  readonly rendered: pulumi.Output<Record<string, string>>;
  readonly bootstrapped: pulumi.Resource[];
  readonly droplet: digitalocean.Droplet;
  /** The secret user data handed to DigitalOcean. */
  readonly userData: pulumi.Output<string>;

  constructor(name: string, args: DigitalOceanServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:cluster:DigitalOceanServer", name, {}, opts);
    const parent = { parent: this };
    this.spec = args.spec;
    if (args.snapshots.s3 && !args.etcdS3Credentials)
      throw new pulumi.ResourceError("etcd snapshots to S3 need etcdS3Credentials", this);
    if (args.restoreSnapshot !== undefined && args.mode === "join")
      throw new pulumi.ResourceError("only the first server restores an etcd snapshot", this);
    const ip = new digitalocean.ReservedIp(`${name}-ip`, { region: args.region }, parent);
    this.address = ip.ipAddress;

    const k3sConfig = pulumi.all([ip.ipAddress, args.joinUrl ?? ""]).apply(([publicAddress, joinUrl]) =>
      renderK3sServerConfig({
        nodeName: args.spec.name,
        publicAddress,
        mode: args.mode,
        ...(args.mode === "join" ? { serverUrl: joinUrl } : {}),
        labels: nodeLabels(args.spec),
        taints: nodeTaints(args.spec),
        snapshots: args.snapshots,
      }),
    );
    const data = userData("server", args, k3sConfig, {
      ...(args.snapshots.s3 && args.etcdS3Credentials ? { etcdS3Credentials: args.etcdS3Credentials } : {}),
      ...(args.restoreSnapshot !== undefined ? { restoreSnapshot: args.restoreSnapshot } : {}),
    });
    this.userData = data.secret;

    this.droplet = new digitalocean.Droplet(
      `${name}-droplet`,
      {
        // Unique per account across stacks; the k3s node name comes from the k3s config.
        name: `hdp-${args.stack}-${args.spec.name}`,
        region: args.region,
        size: args.size,
        image: args.image,
        sshKeys: args.sshKeyFingerprints,
        userData: data.secret,
        ipv6: true,
        monitoring: true,
        tags: [args.firewallTag, `hdp-${args.stack}`, "hdp-k3s-server"],
      },
      {
        ...parent,
        // User data runs once, at first boot; a changed template must not replace the
        // control plane and its data. k3s upgrades go through the k3s upgrade procedure, and a
        // controlPlane.restore takes effect only when the droplet is created (or replaced).
        ignoreChanges: ["userData"],
      },
    );
    const assignment = new digitalocean.ReservedIpAssignment(
      `${name}-ip-assignment`,
      { ipAddress: ip.ipAddress, dropletId: this.droplet.id.apply(Number) },
      parent,
    );
    this.bootstrapped = [this.droplet, assignment];
    this.rendered = pulumi
      .all([data.template, k3sConfig])
      .apply(([ud, cfg]): Record<string, string> => ({ "user-data.yaml": ud, "k3s-config.yaml": cfg }));
    this.registerOutputs({ address: this.address });
  }
}

export interface HetznerAgentArgs extends CloudNodeBase {
  readonly location: string;
  readonly serverType: string;
  /** The server's API URL, `https://<address>:6443`. */
  readonly serverUrl: pulumi.Input<string>;
  readonly sshKeyIds: pulumi.Input<string>[];
  /** Labels the cluster's Hetzner firewall selects. */
  readonly labels: Record<string, string>;
}

/** A k3s agent on Hetzner Cloud, bootstrapped by cloud-init. */
export class HetznerAgent extends pulumi.ComponentResource implements NodeHandle {
  readonly spec: ClusterNode;
  readonly address: pulumi.Output<string>;
  readonly rendered: pulumi.Output<Record<string, string>>;
  readonly bootstrapped: pulumi.Resource[];
  readonly server: hcloud.Server;
  readonly userData: pulumi.Output<string>;

  constructor(name: string, args: HetznerAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:cluster:HetznerAgent", name, {}, opts);
    this.spec = args.spec;
    const k3sConfig = pulumi.output(args.serverUrl).apply((serverUrl) =>
      renderK3sAgentConfig({
        nodeName: args.spec.name,
        serverUrl,
        labels: nodeLabels(args.spec),
        taints: nodeTaints(args.spec),
      }),
    );
    const data = userData("agent", args, k3sConfig);
    this.userData = data.secret;
    this.server = new hcloud.Server(
      `${name}-server`,
      {
        name: `hdp-${args.stack}-${args.spec.name}`,
        serverType: args.serverType,
        location: args.location,
        image: "ubuntu-24.04",
        sshKeys: args.sshKeyIds,
        userData: data.secret,
        labels: args.labels,
        publicNets: [{ ipv4Enabled: true, ipv6Enabled: true }],
      },
      {
        parent: this,
        // As on the servers: user data runs once at first boot, and replacing an agent
        // would take its local volumes with it. Upgrades follow the k3s upgrade procedure.
        ignoreChanges: ["userData"],
      },
    );
    this.address = this.server.ipv4Address;
    this.bootstrapped = [this.server];
    this.rendered = pulumi
      .all([data.template, k3sConfig])
      .apply(([ud, cfg]): Record<string, string> => ({ "user-data.yaml": ud, "k3s-config.yaml": cfg }));
    this.registerOutputs({ address: this.address });
  }
}

export interface OnPremNodeArgs {
  readonly spec: ClusterNode;
  readonly k3sVersion: string;
  readonly ssh: { readonly host: string; readonly user: string; readonly port: number };
  readonly sshSettings: SshSettings;
  readonly token: pulumi.Input<string>;
  /** Public address of the k3s server the agent joins. */
  readonly serverAddress: pulumi.Input<string>;
}

/**
 * An on-premises node (GPU workstation, Raspberry Pi, generic machine) joined over
 * SSH. Two commands: `k3s` owns the node's membership (its `delete` uninstalls k3s
 * when the node leaves the stack), `bootstrap` runs the idempotent bootstrap script
 * and is replaced, so run again, exactly when the script's content hash changes.
 * Replacing `bootstrap` never runs the uninstall.
 */
export class OnPremNodeComponent extends pulumi.ComponentResource implements NodeHandle {
  readonly spec: ClusterNode;
  readonly address: pulumi.Output<string>;
  readonly rendered: pulumi.Output<Record<string, string>>;
  readonly bootstrapped: pulumi.Resource[];
  readonly bootstrap: command.remote.Command;

  constructor(name: string, args: OnPremNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:cluster:OnPremNode", name, {}, opts);
    this.spec = args.spec;
    const connection = {
      host: args.ssh.host,
      port: args.ssh.port,
      user: args.ssh.user,
      privateKey: args.sshSettings.privateKey,
      // Nodes behind NAT and home uplinks drop connections now and then.
      dialErrorLimit: 20,
      perDialTimeout: 30,
    };
    const sudo = args.ssh.user === "root" ? "" : "sudo ";
    const uninstall = renderNodeUninstall();
    const membership = new command.remote.Command(
      `${name}-k3s`,
      // `update` makes an input change (a new SSH key, say) an update: a replacement would run the uninstall.
      { connection, create: "true", update: "true", delete: `${sudo}bash -c ${shellQuote(uninstall)}` },
      { parent: this },
    );

    const script = pulumi.output(args.serverAddress).apply((host) => {
      const k3sConfig = renderK3sAgentConfig({
        nodeName: args.spec.name,
        serverUrl: `https://${host}:${API_PORT}`,
        labels: nodeLabels(args.spec),
        taints: nodeTaints(args.spec),
        // k3s takes an address here, not a name.
        ...(args.spec.reach.mode === "public" && isIP(args.ssh.host)
          ? { externalAddress: args.ssh.host }
          : {}),
      });
      const bootstrap = renderNodeBootstrap({
        node: args.spec,
        k3sVersion: args.k3sVersion,
        k3sConfig,
        server: { host, port: API_PORT },
      });
      return { k3sConfig, bootstrap };
    });

    this.bootstrap = new command.remote.Command(
      `${name}-bootstrap`,
      {
        connection,
        create: script.apply((s) => `${sudo}bash -c ${shellQuote(s.bootstrap)}`),
        // The token travels on standard input only.
        stdin: pulumi.secret(pulumi.output(args.token).apply((t) => `${t}\n`)),
        triggers: [script.apply((s) => contentHash(s.bootstrap))],
      },
      { parent: this, dependsOn: [membership] },
    );
    this.address = pulumi.output(args.ssh.host);
    this.bootstrapped = [this.bootstrap];
    this.rendered = script.apply((s): Record<string, string> => ({
      "bootstrap.sh": s.bootstrap,
      "uninstall.sh": uninstall,
      "k3s-config.yaml": s.k3sConfig,
    }));
    this.registerOutputs({ address: this.address });
  }
}
