import { stringify } from "yaml";
import { etcdSnapshotFlags, type EtcdSnapshotSettings } from "./etcd-snapshots.js";
import type { Taint } from "./node-metadata.js";

/** Where the join token is written on every node; the config names the file, never the token. */
export const K3S_TOKEN_FILE = "/etc/rancher/k3s/token";

/** Path of the k3s configuration file on a node. */
export const K3S_CONFIG_PATH = "/etc/rancher/k3s/config.yaml";

export interface K3sServerConfigArgs {
  readonly nodeName: string;
  /** Public address: in `tls-san` so that the kubeconfig works from outside. */
  readonly publicAddress: string;
  /** Further names or addresses for the API certificate (e.g. the API's DNS name). */
  readonly extraSans?: readonly string[];
  /**
   * `init` starts a new embedded-etcd cluster (first of three), `join` joins `serverUrl`; `single`, one server,
   * starts embedded etcd too, so that snapshots work and more servers can join later.
   */
  readonly mode: "single" | "init" | "join";
  /** `https://<first server>:6443`, when joining. */
  readonly serverUrl?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Service CIDR, shared with Kilo. @default 10.43.0.0/16 */
  readonly serviceCidr?: string;
  /** Pod CIDR. @default 10.42.0.0/16 */
  readonly clusterCidr?: string;
  /** Scheduled etcd snapshots (every server takes them), uploaded to S3 when `s3` is set. */
  readonly snapshots: EtcdSnapshotSettings;
}

export interface K3sAgentConfigArgs {
  readonly nodeName: string;
  readonly serverUrl: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Address other nodes reach this one at, when it has a public one. */
  readonly externalAddress?: string;
}

const taintFlags = (taints: readonly Taint[]) => taints.map((t) => `${t.key}=${t.value}:${t.effect}`);
const labelFlags = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    // k3s refuses to set node-role labels itself; the program applies them as NodePatch resources.
    .filter(([key]) => !key.startsWith("node-role.kubernetes.io/"))
    .map(([key, value]) => `${key}=${value}`);

/**
 * `/etc/rancher/k3s/config.yaml` of a server: Kilo is the CNI (`flannel-backend: none`,
 * no k3s network policy controller), the public address in `tls-san`, the server tainted
 * against workloads, embedded etcd with scheduled snapshots. The S3 keys of the snapshots are
 * not here (a drop-in of their own, see etcd-snapshots.ts). Pure: the same arguments give the same text.
 */
export function renderK3sServerConfig(args: K3sServerConfigArgs): string {
  if (args.mode === "join" && !args.serverUrl)
    throw new Error("renderK3sServerConfig: mode join needs serverUrl");
  const config: Record<string, unknown> = {
    "node-name": args.nodeName,
    "token-file": K3S_TOKEN_FILE,
    ...(args.mode === "join" ? {} : { "cluster-init": true }),
    ...(args.mode === "join" ? { server: args.serverUrl } : {}),
    "tls-san": [args.publicAddress, ...(args.extraSans ?? [])],
    "node-external-ip": args.publicAddress,
    "flannel-backend": "none",
    "disable-network-policy": true,
    "cluster-cidr": args.clusterCidr ?? "10.42.0.0/16",
    "service-cidr": args.serviceCidr ?? "10.43.0.0/16",
    "write-kubeconfig-mode": "0600",
    "secrets-encryption": true,
    "node-label": labelFlags(args.labels),
    "node-taint": taintFlags(args.taints),
    ...etcdSnapshotFlags(args.snapshots),
  };
  return stringify(config);
}

/** `/etc/rancher/k3s/config.yaml` of an agent. Pure. */
export function renderK3sAgentConfig(args: K3sAgentConfigArgs): string {
  const config: Record<string, unknown> = {
    "node-name": args.nodeName,
    server: args.serverUrl,
    "token-file": K3S_TOKEN_FILE,
    ...(args.externalAddress ? { "node-external-ip": args.externalAddress } : {}),
    "node-label": labelFlags(args.labels),
    ...(args.taints.length > 0 ? { "node-taint": taintFlags(args.taints) } : {}),
  };
  return stringify(config);
}
