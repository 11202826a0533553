import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { etcdS3Target, type EtcdSnapshotSettings } from "./etcd-snapshots.js";
import { K3S_TOKEN_FILE, renderK3sAgentConfig, renderK3sServerConfig } from "./k3s-config.js";

const SNAPSHOTS: EtcdSnapshotSettings = { schedule: "0 */6 * * *", retention: 28 };

const server = (
  mode: "single" | "init" | "join",
  serverUrl?: string,
  snapshots: EtcdSnapshotSettings = SNAPSHOTS,
) =>
  parse(
    renderK3sServerConfig({
      nodeName: "k3s-server-1",
      publicAddress: "203.0.113.5",
      extraSans: ["api.example.net"],
      mode,
      ...(serverUrl ? { serverUrl } : {}),
      labels: { "node-role.kubernetes.io/control-plane": "true", "topology.kubernetes.io/region": "nyc3" },
      taints: [{ key: "dedicated", value: "master", effect: "NoSchedule" }],
      snapshots,
    }),
  ) as Record<string, unknown>;

describe("renderK3sServerConfig", () => {
  it("hands networking to Kilo and puts the public address in the certificate", () => {
    const config = server("single");
    expect(config["flannel-backend"]).toBe("none");
    expect(config["disable-network-policy"]).toBe(true);
    expect(config["tls-san"]).toEqual(["203.0.113.5", "api.example.net"]);
    expect(config["node-taint"]).toEqual(["dedicated=master:NoSchedule"]);
  });

  it("names the token file and never holds a token", () => {
    const config = server("single");
    expect(config["token-file"]).toBe(K3S_TOKEN_FILE);
    expect(config).not.toHaveProperty("token");
  });

  it("leaves node-role labels to the program (k3s refuses to set them)", () => {
    expect(server("single")["node-label"]).toEqual(["topology.kubernetes.io/region=nyc3"]);
  });

  it("starts embedded etcd on the first of three servers and joins the others to it", () => {
    expect(server("init")["cluster-init"]).toBe(true);
    expect(server("join", "https://10.0.0.2:6443")).toMatchObject({ server: "https://10.0.0.2:6443" });
    expect(server("join", "https://10.0.0.2:6443")).not.toHaveProperty("cluster-init");
    expect(() => server("join")).toThrow(/needs serverUrl/);
  });

  it("runs embedded etcd with one server too, so that it snapshots and a second and third can join later", () => {
    const config = server("single");
    expect(config["cluster-init"]).toBe(true);
    expect(config).not.toHaveProperty("server");
  });

  it.each<["single" | "init" | "join", string | undefined]>([
    ["single", undefined],
    ["init", undefined],
    ["join", "https://10.0.0.2:6443"],
  ])("schedules etcd snapshots on a %s server, kept on its disk when there is no storage", (mode, url) => {
    const config = server(mode, url, { schedule: "30 2 * * *", retention: 7 });
    expect(config["etcd-snapshot-schedule-cron"]).toBe("30 2 * * *");
    expect(config["etcd-snapshot-retention"]).toBe(7);
    expect(Object.keys(config).filter((k) => k.startsWith("etcd-s3"))).toEqual([]);
  });

  it.each<["single" | "init" | "join", string | undefined]>([
    ["single", undefined],
    ["init", undefined],
    ["join", "https://10.0.0.2:6443"],
  ])(
    "uploads a %s server's snapshots to the backups storage, in a folder of their own, without keys",
    (mode, url) => {
      const s3 = etcdS3Target(
        { endpoint: "https://fra1.digitaloceanspaces.com", bucket: "hdp-prod-backups" },
        "prod",
      );
      const config = server(mode, url, { ...SNAPSHOTS, s3 });
      expect(config).toMatchObject({
        "etcd-snapshot-schedule-cron": "0 */6 * * *",
        "etcd-snapshot-retention": 28,
        "etcd-s3": true,
        "etcd-s3-endpoint": "fra1.digitaloceanspaces.com",
        "etcd-s3-bucket": "hdp-prod-backups",
        "etcd-s3-folder": "prod/etcd",
      });
      expect(config).not.toHaveProperty("etcd-s3-insecure");
      expect(config).not.toHaveProperty("etcd-s3-access-key");
      expect(config).not.toHaveProperty("etcd-s3-secret-key");
    },
  );

  it("never carries a restore: a cluster reset in config.yaml would repeat on every restart", () => {
    const s3 = etcdS3Target({ endpoint: "https://s3.example.net", bucket: "b-1" }, "dev");
    for (const mode of ["single", "init"] as const) {
      const keys = Object.keys(server(mode, undefined, { ...SNAPSHOTS, s3 }));
      expect(keys.filter((k) => k.startsWith("cluster-reset"))).toEqual([]);
    }
  });

  it("renders the same text for the same arguments", () => {
    expect(server("init")).toEqual(server("init"));
  });
});

describe("renderK3sAgentConfig", () => {
  it("joins the server with the token file, labels and taints", () => {
    const config = parse(
      renderK3sAgentConfig({
        nodeName: "pi-lab-1",
        serverUrl: "https://203.0.113.5:6443",
        labels: { "node-role.kubernetes.io/sensor": "true", "hdp.io/role": "sensor" },
        taints: [{ key: "dedicated", value: "pi", effect: "NoSchedule" }],
      }),
    ) as Record<string, unknown>;
    expect(config).toEqual({
      "node-name": "pi-lab-1",
      server: "https://203.0.113.5:6443",
      "token-file": K3S_TOKEN_FILE,
      "node-label": ["hdp.io/role=sensor"],
      "node-taint": ["dedicated=pi:NoSchedule"],
    });
  });
});
