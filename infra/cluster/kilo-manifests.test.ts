import { describe, expect, it } from "vitest";
import { kiloManifests, type KubeObject } from "./kilo-manifests.js";

const manifests = kiloManifests({ image: "docker.io/squat/kilo:0.6.0", serviceCidr: "10.43.0.0/16" });
/** The fields of the DaemonSet and binding that the tests read. */
interface Shapes {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { hostNetwork: boolean; tolerations: unknown[]; containers: { image: string; args: string[] }[] };
    };
  };
  subjects: unknown[];
}
const find = (kind: string) => manifests.find((m) => m.kind === kind) as KubeObject & Shapes;

describe("kiloManifests", () => {
  it("declares the Peer CRD, RBAC, the CNI config and the DaemonSet, CRD first", () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      "CustomResourceDefinition/peers.kilo.squat.ai",
      "ServiceAccount/kilo",
      "ClusterRole/kilo",
      "ClusterRoleBinding/kilo",
      "ConfigMap/kilo",
      "DaemonSet/kilo",
    ]);
  });

  it("runs the pinned image with location granularity and the cluster's service CIDR", () => {
    const pod = find("DaemonSet").spec.template.spec;
    expect(pod.containers[0]!.image).toBe("docker.io/squat/kilo:0.6.0");
    expect(pod.containers[0]!.args).toEqual(
      expect.arrayContaining(["--mesh-granularity=location", "--service-cidr=10.43.0.0/16"]),
    );
    expect(pod.hostNetwork).toBe(true);
  });

  it("reaches every node, tainted or not", () => {
    const tolerations = find("DaemonSet").spec.template.spec.tolerations;
    expect(tolerations).toEqual(expect.arrayContaining([{ operator: "Exists", effect: "NoSchedule" }]));
  });

  it("selects the pods its template labels", () => {
    const spec = find("DaemonSet").spec;
    expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
  });

  it("binds the role to its own service account", () => {
    expect(find("ClusterRoleBinding").subjects).toEqual([
      { kind: "ServiceAccount", name: "kilo", namespace: "kube-system" },
    ]);
  });

  it("runs a WireGuard exporter beside Kilo when asked, on its port, with NET_ADMIN only", () => {
    expect(find("DaemonSet").spec.template.spec.containers.map((c) => c.image)).toEqual([
      "docker.io/squat/kilo:0.6.0",
    ]);
    const withExporter = kiloManifests({
      image: "docker.io/squat/kilo:0.6.0",
      serviceCidr: "10.43.0.0/16",
      wireguardExporter: {
        image: "docker.io/example/wg-exporter:1.0.0",
        args: ["-i", "kilo0"],
        port: 9586,
        runAsUser: 0,
      },
    });
    const daemonSet = withExporter.find((m) => m.kind === "DaemonSet") as KubeObject & Shapes;
    const exporter = daemonSet.spec.template.spec.containers[1] as unknown as Record<string, unknown>;
    expect(exporter).toMatchObject({
      name: "wireguard-exporter",
      image: "docker.io/example/wg-exporter:1.0.0",
      args: ["-i", "kilo0", "-p", "9586"],
      ports: [{ containerPort: 9586, name: "wg-metrics" }],
      securityContext: {
        runAsUser: 0,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] },
      },
    });
  });

  it("refuses an image without a tag or digest", () => {
    expect(() => kiloManifests({ image: "squat/kilo", serviceCidr: "10.43.0.0/16" })).toThrow(
      /must be pinned/,
    );
  });
});
