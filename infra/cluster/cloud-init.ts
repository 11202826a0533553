import { stringify } from "yaml";
import { ETCD_S3_CREDENTIALS_PATH, clusterResetCommand } from "./etcd-snapshots.js";
import { K3S_CONFIG_PATH, K3S_TOKEN_FILE } from "./k3s-config.js";

export interface CloudInitArgs {
  /** `server` runs the control plane, `agent` joins it. */
  readonly k3sRole: "server" | "agent";
  /** Pinned k3s release. */
  readonly k3sVersion: string;
  /** The node's rendered `/etc/rancher/k3s/config.yaml`. */
  readonly k3sConfig: string;
  /** The cluster join token. The user data holds it, so the program passes it as a secret Output. */
  readonly token: string;
  readonly sshPublicKeys: readonly string[];
  /**
   * A server's rendered etcd S3 keys drop-in (`renderEtcdS3Credentials`), when its snapshots go to S3. The user
   * data holds them, so the program passes them as a secret Output. @default none
   */
  readonly etcdS3Credentials?: string;
  /**
   * First server only: restore the datastore from this etcd snapshot (a name in S3, or an absolute path on the
   * server) before k3s first starts. @default none: a new, empty datastore
   */
  readonly restoreSnapshot?: string;
}

/**
 * Cloud-init user data of a cloud node (DigitalOcean droplet or Hetzner server):
 * WireGuard tools, the k3s config and token files (and a server's etcd S3 keys drop-in), all mode 0600,
 * then the pinned k3s installer. With `restoreSnapshot`, the installer does not start k3s: the one-shot
 * cluster reset restores the snapshot first, then k3s starts; each step only if the one before succeeded
 * (a failed restore must not start an empty control plane). Password logins are off. Pure: the same
 * arguments give the same text.
 */
export function renderCloudInit(args: CloudInitArgs): string {
  const restore = args.restoreSnapshot;
  if (restore !== undefined && args.k3sRole !== "server")
    throw new Error("renderCloudInit: only a server restores an etcd snapshot");
  const install =
    `curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION='${args.k3sVersion}' ` +
    `INSTALL_K3S_EXEC='${args.k3sRole}'${restore === undefined ? "" : " INSTALL_K3S_SKIP_START=true"} sh -s -`;
  const file = (path: string, content: string) => ({
    path,
    permissions: "0600",
    owner: "root:root",
    content,
  });
  const script =
    restore === undefined
      ? install
      : [
          install,
          // The S3 keys drop-in is there exactly when the server config sets etcd-s3.
          clusterResetCommand(restore, args.etcdS3Credentials !== undefined),
          "systemctl start k3s",
        ].join(" && ");
  const config = {
    package_update: true,
    packages: ["wireguard-tools", "curl"],
    ssh_pwauth: false,
    ssh_authorized_keys: [...args.sshPublicKeys],
    write_files: [
      file(K3S_CONFIG_PATH, args.k3sConfig),
      file(K3S_TOKEN_FILE, `${args.token}\n`),
      ...(args.etcdS3Credentials === undefined
        ? []
        : [file(ETCD_S3_CREDENTIALS_PATH, args.etcdS3Credentials)]),
    ],
    runcmd: [["sh", "-c", script]],
  };
  return `#cloud-config\n${stringify(config)}`;
}
