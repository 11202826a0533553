import { parse, stringify } from "yaml";

interface KubeconfigDocument {
  clusters?: { name: string; cluster: { server: string } }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  users?: { name: string }[];
  "current-context"?: string;
}

/**
 * The kubeconfig k3s writes on its server (`/etc/rancher/k3s/k3s.yaml`), made usable
 * from outside: the loopback API address replaced by the public one, and the
 * cluster, user and context named after the stack instead of `default`. Pure.
 */
export function publicKubeconfig(k3sYaml: string, publicAddress: string, name: string): string {
  let doc: KubeconfigDocument | null;
  try {
    doc = parse(k3sYaml) as KubeconfigDocument | null;
  } catch {
    // The parser's message quotes the text, which holds credentials.
    doc = null;
  }
  const cluster = doc?.clusters?.[0];
  if (!doc || !cluster || !doc.contexts?.[0] || !doc.users?.[0]) {
    throw new Error("the server's k3s.yaml is not a kubeconfig with a cluster, a user and a context");
  }
  const url = new URL(cluster.cluster.server);
  url.hostname = publicAddress.includes(":") ? `[${publicAddress}]` : publicAddress;
  cluster.name = name;
  cluster.cluster.server = url.toString().replace(/\/$/, "");
  doc.users[0].name = name;
  doc.contexts[0] = { name, context: { cluster: name, user: name } };
  doc["current-context"] = name;
  return stringify(doc);
}

/**
 * Prints the server's kubeconfig once k3s has written it (cloud-init installs k3s
 * after the droplet boots), waiting at most `timeoutSeconds`.
 */
export function readKubeconfigCommand(timeoutSeconds = 900): string {
  return (
    `timeout ${timeoutSeconds} sh -c 'until [ -s /etc/rancher/k3s/k3s.yaml ]; do sleep 5; done' ` +
    `|| { echo "k3s did not write /etc/rancher/k3s/k3s.yaml within ${timeoutSeconds} s; see 'journalctl -u k3s' and /var/log/cloud-init-output.log on the server" >&2; exit 1; }; ` +
    "cat /etc/rancher/k3s/k3s.yaml"
  );
}

/** Waits on the server until node `name` has registered with the API (before it is patched). */
export function waitForNodeCommand(name: string, timeoutSeconds = 1200): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`waitForNodeCommand: invalid node name ${name}`);
  return (
    `timeout ${timeoutSeconds} sh -c 'until k3s kubectl get node ${name} >/dev/null 2>&1; do sleep 5; done' ` +
    `|| { echo "node ${name} did not register within ${timeoutSeconds} s" >&2; exit 1; }`
  );
}

const nodeNameOf = (name: string, what: string) => {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`${what}: invalid node name ${name}`);
  return name;
};

/**
 * Run on the server when node `name` leaves the stack, before its k3s is uninstalled or its machine deleted:
 * cordons it and evicts its pods (DaemonSets stay; emptyDir data goes), honouring PodDisruptionBudgets for at
 * most `timeoutSeconds`. A node already gone is fine; a drain that does not finish stops the removal.
 */
export function drainNodeCommand(name: string, timeoutSeconds: number): string {
  nodeNameOf(name, "drainNodeCommand");
  return (
    `if k3s kubectl get node ${name} >/dev/null 2>&1; then ` +
    `k3s kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data --timeout=${timeoutSeconds}s ` +
    `|| { echo "node ${name} did not drain within ${timeoutSeconds} s: see 'kubectl get pods -A --field-selector spec.nodeName=${name}' and the PodDisruptionBudgets; the node stays until it drains" >&2; exit 1; }; ` +
    `else echo "node ${name} is not registered: nothing to drain"; fi`
  );
}

/** Run on the server after the drain: removes node `name`'s Node object (and k3s's password secret of it). */
export function deleteNodeCommand(name: string): string {
  nodeNameOf(name, "deleteNodeCommand");
  return (
    `k3s kubectl delete node ${name} --ignore-not-found --wait=true && ` +
    `k3s kubectl -n kube-system delete secret ${name}.node-password.k3s --ignore-not-found`
  );
}
