import { stringify } from "yaml";
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
}

/**
 * Cloud-init user data of a cloud node (DigitalOcean droplet or Hetzner server):
 * WireGuard tools, the k3s config and token files (mode 0600), then the pinned k3s
 * installer. Password logins are off. Pure: the same arguments give the same text.
 */
export function renderCloudInit(args: CloudInitArgs): string {
  const install =
    `curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION='${args.k3sVersion}' ` +
    `INSTALL_K3S_EXEC='${args.k3sRole}' sh -s -`;
  const config = {
    package_update: true,
    packages: ["wireguard-tools", "curl"],
    ssh_pwauth: false,
    ssh_authorized_keys: [...args.sshPublicKeys],
    write_files: [
      { path: K3S_CONFIG_PATH, permissions: "0600", owner: "root:root", content: args.k3sConfig },
      { path: K3S_TOKEN_FILE, permissions: "0600", owner: "root:root", content: `${args.token}\n` },
    ],
    runcmd: [["sh", "-c", install]],
  };
  return `#cloud-config\n${stringify(config)}`;
}
