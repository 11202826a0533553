import { systemAgentPod } from "./system-agent.js";

/**
 * Kilo (https://kilo.squat.ai) as plain Kubernetes objects, declared by the program
 * rather than fetched at deploy time: the Peer CRD, RBAC, the CNI ConfigMap and the
 * DaemonSet. The program wraps each in a typed `@pulumi/kubernetes` resource.
 */

/** A Kubernetes object as the program declares it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

export interface KiloArgs {
  /** Pinned image, e.g. `docker.io/squat/kilo:0.6.0`. */
  readonly image: string;
  /** The cluster's service CIDR, which Kilo must route (k3s `service-cidr`). */
  readonly serviceCidr: string;
  /** @default "kube-system" */
  readonly namespace?: string;
  /**
   * A WireGuard exporter beside Kilo (the monitoring stack's): it reads the tunnels' handshakes on the host's
   * network, which Kilo's own metrics do not report. @default none
   */
  readonly wireguardExporter?: {
    readonly image: string;
    readonly args: readonly string[];
    readonly port: number;
    /** The user it runs as: `wg` needs NET_ADMIN, which only root gets from `capabilities.add`. */
    readonly runAsUser?: number;
  };
}

/** The container port of the WireGuard exporter. */
export const WIREGUARD_METRICS_PORT_NAME = "wg-metrics";

const LABELS = { "app.kubernetes.io/name": "kilo", "app.kubernetes.io/part-of": "kilo" };
/** WireGuard tunnels carry the pod traffic; 1420 leaves room for WireGuard's overhead. */
const CNI_MTU = 1420;

function peerCrd(): KubeObject {
  const string = { type: "string" };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "peers.kilo.squat.ai" },
    spec: {
      group: "kilo.squat.ai",
      names: { kind: "Peer", listKind: "PeerList", plural: "peers", singular: "peer" },
      scope: "Cluster",
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              required: ["spec"],
              description: "A WireGuard peer outside the cluster that may use the VPN.",
              properties: {
                spec: {
                  type: "object",
                  required: ["allowedIPs", "publicKey"],
                  properties: {
                    allowedIPs: { type: "array", items: string },
                    endpoint: {
                      type: "object",
                      required: ["dnsOrIP", "port"],
                      properties: {
                        dnsOrIP: { type: "object", properties: { dns: string, ip: string } },
                        port: { type: "integer", format: "int32" },
                      },
                    },
                    persistentKeepalive: { type: "integer" },
                    presharedKey: string,
                    publicKey: string,
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

function cniConfig(): string {
  return JSON.stringify({
    cniVersion: "0.4.0",
    name: "kilo",
    plugins: [
      {
        name: "kubernetes",
        type: "bridge",
        bridge: "kube-bridge",
        isDefaultGateway: true,
        forceAddress: true,
        mtu: CNI_MTU,
        ipam: { type: "host-local" },
      },
      { type: "portmap", snat: true, capabilities: { portMappings: true } },
    ],
  });
}

function hostPath(name: string, path: string, type?: string) {
  return { name, hostPath: { path, ...(type ? { type } : {}) } };
}

function daemonSet(args: KiloArgs, namespace: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kilo", namespace, labels: LABELS },
    spec: {
      selector: { matchLabels: LABELS },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: LABELS },
        // Every node, whatever its taints, is part of the mesh.
        spec: systemAgentPod({
          serviceAccountName: "kilo",
          initContainers: [
            {
              name: "install-cni",
              image: args.image,
              command: ["/bin/sh", "-c"],
              args: [
                'set -e; cp /opt/cni/bin/* /host/opt/cni/bin/; printf "%s" "$CNI_NETWORK_CONFIG" > /host/etc/cni/net.d/10-kilo.conflist.tmp; mv /host/etc/cni/net.d/10-kilo.conflist.tmp /host/etc/cni/net.d/10-kilo.conflist',
              ],
              env: [
                {
                  name: "CNI_NETWORK_CONFIG",
                  valueFrom: { configMapKeyRef: { name: "kilo", key: "cni-conf.json" } },
                },
              ],
              volumeMounts: [
                { name: "cni-bin-dir", mountPath: "/host/opt/cni/bin" },
                { name: "cni-conf-dir", mountPath: "/host/etc/cni/net.d" },
              ],
            },
          ],
          containers: [
            {
              name: "kilo",
              image: args.image,
              args: [
                "--hostname=$(NODE_NAME)",
                "--mesh-granularity=location",
                `--service-cidr=${args.serviceCidr}`,
                "--cni=true",
              ],
              env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
              ports: [{ containerPort: 1107, name: "metrics" }],
              // Kilo configures WireGuard interfaces, routes and iptables on the host.
              securityContext: { privileged: true },
              resources: { requests: { cpu: "25m", memory: "32Mi" }, limits: { memory: "128Mi" } },
              volumeMounts: [
                { name: "cni-conf-dir", mountPath: "/etc/cni/net.d" },
                { name: "kilo-dir", mountPath: "/var/lib/kilo" },
                { name: "lib-modules", mountPath: "/lib/modules", readOnly: true },
                { name: "xtables-lock", mountPath: "/run/xtables.lock" },
              ],
            },
            ...(args.wireguardExporter ? [wireguardExporterContainer(args.wireguardExporter)] : []),
          ],
          volumes: [
            hostPath("cni-bin-dir", "/opt/cni/bin"),
            hostPath("cni-conf-dir", "/etc/cni/net.d"),
            hostPath("kilo-dir", "/var/lib/kilo"),
            hostPath("lib-modules", "/lib/modules"),
            hostPath("xtables-lock", "/run/xtables.lock", "FileOrCreate"),
          ],
        }),
      },
    },
  };
}

/** The WireGuard exporter: reads the interfaces over netlink (NET_ADMIN) in the pod's, the host's, network. */
function wireguardExporterContainer(exporter: NonNullable<KiloArgs["wireguardExporter"]>) {
  return {
    name: "wireguard-exporter",
    image: exporter.image,
    args: [...exporter.args, "-p", String(exporter.port)],
    ports: [{ containerPort: exporter.port, name: WIREGUARD_METRICS_PORT_NAME }],
    securityContext: {
      ...(exporter.runAsUser !== undefined ? { runAsUser: exporter.runAsUser } : {}),
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] },
    },
    resources: { requests: { cpu: "5m", memory: "16Mi" }, limits: { memory: "64Mi" } },
  };
}

/** Kilo's objects, in the order they must be created. */
export function kiloManifests(args: KiloArgs): KubeObject[] {
  if (!/:[\w][\w.-]*$|@sha256:[0-9a-f]{64}$/.test(args.image)) {
    throw new Error(`kiloManifests: image ${args.image} must be pinned to a tag or digest`);
  }
  const namespace = args.namespace ?? "kube-system";
  return [
    peerCrd(),
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "kilo", namespace, labels: LABELS } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "kilo", labels: LABELS },
      rules: [
        { apiGroups: [""], resources: ["nodes"], verbs: ["list", "patch", "watch"] },
        { apiGroups: ["kilo.squat.ai"], resources: ["peers"], verbs: ["list", "update", "watch"] },
        { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "kilo", labels: LABELS },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "kilo" },
      subjects: [{ kind: "ServiceAccount", name: "kilo", namespace }],
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kilo", namespace, labels: LABELS },
      data: { "cni-conf.json": cniConfig() },
    },
    daemonSet(args, namespace),
  ];
}
