import { K3S_VERSION } from "../cluster/k3s-version.js";
import { StackConfigError, parseStackConfig } from "./parse.js";

/**
 * A valid dev configuration, as the project's keys of a stack file: tests break one key
 * at a time, or build on it. A function, so that each caller gets its own copy.
 */
export function validSettings(): Record<string, unknown> {
  return {
    k3sVersion: K3S_VERSION,
    server: { region: "nyc3", count: 1 },
    workers: { location: "nbg1", count: 1 },
    onPremNodes: [
      {
        name: "gpu-lab-1",
        role: "gpu",
        hardware: "workstation",
        ssh: { host: "lab.example.net" },
        location: "lab",
        reach: { mode: "forwarded", udpPort: 51821 },
      },
      {
        name: "pi-lab-1",
        role: "sensor",
        hardware: "raspberry-pi",
        ssh: { host: "10.0.0.20" },
        location: "lab",
        reach: { mode: "nat" },
      },
    ],
    adminCidrs: ["198.51.100.0/24"],
    sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8e1aZ4v9c0uJb4m3C7m1yK0q ops@laptop"],
    dns: {
      web: "dev.example.net",
      api: "api.dev.example.net",
      kafkaUi: "kafka.dev.example.net",
      grafana: "grafana.dev.example.net",
      alertmanager: "alerts.dev.example.net",
    },
    images: { registry: "ghcr.io/example-org/hdp", tag: "0123abc" },
    tls: { email: "ops@example.net", issuer: "staging" },
  };
}

/** The problems `parseStackConfig` reports, as `key: reason` lines. */
export function problemsOf(settings: unknown, stack = "dev"): string[] {
  try {
    parseStackConfig(settings, stack);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((p) => `${p.key}: ${p.reason}`);
    throw error;
  }
  return [];
}
