import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { K3S_TOKEN_FILE, renderK3sAgentConfig, renderK3sServerConfig } from "./k3s-config.js";

const server = (mode: "single" | "init" | "join", serverUrl?: string) =>
  parse(
    renderK3sServerConfig({
      nodeName: "k3s-server-1",
      publicAddress: "203.0.113.5",
      extraSans: ["api.example.net"],
      mode,
      ...(serverUrl ? { serverUrl } : {}),
      labels: { "node-role.kubernetes.io/control-plane": "true", "topology.kubernetes.io/region": "nyc3" },
      taints: [{ key: "dedicated", value: "master", effect: "NoSchedule" }],
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
    expect(server("single")).not.toHaveProperty("cluster-init");
    expect(() => server("join")).toThrow(/needs serverUrl/);
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
