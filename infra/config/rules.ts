import { archiveProblems } from "./archive.js";
import { controlPlaneProblems } from "./control-plane.js";
import { memoryBytes } from "./monitoring.js";
import type { StackConfig } from "./schema.js";

/** A broken rule: the config key it concerns and why. */
export interface Problem {
  readonly key: string;
  readonly reason: string;
}

/** Names the program gives the cloud nodes; on-premises names must differ. */
export function cloudNodeNames(config: Pick<StackConfig, "server" | "workers">): string[] {
  return [
    ...Array.from({ length: config.server.count }, (_, i) => `k3s-server-${i + 1}`),
    ...Array.from({ length: config.workers.count }, (_, i) => `k3s-worker-${i + 1}`),
  ];
}

const OPEN_TO_ALL = new Set(["0.0.0.0/0", "::/0"]);

/**
 * Rules across keys that a schema cannot express. Each returns every problem it
 * finds, so that one run reports them all.
 */
export function checkRules(config: StackConfig, stack: string): Problem[] {
  const problems: Problem[] = [];
  const nodes = config.onPremNodes;

  const seen = new Map<string, string>(cloudNodeNames(config).map((n) => [n, "a cloud node"]));
  nodes.forEach((node, i) => {
    const other = seen.get(node.name);
    if (other)
      problems.push({
        key: `onPremNodes[${i}].name`,
        reason: `"${node.name}" is already the name of ${other}`,
      });
    seen.set(node.name, `onPremNodes[${i}]`);
  });

  nodes.forEach((node, i) => {
    if (node.role === "gpu" && node.hardware === "raspberry-pi") {
      problems.push({
        key: `onPremNodes[${i}].role`,
        reason: "a Raspberry Pi has no NVIDIA GPU: use role sensor or worker",
      });
    }
    const arch = node.arch ?? (node.hardware === "raspberry-pi" ? "arm64" : "amd64");
    if (node.role === "gpu" && arch !== "amd64") {
      problems.push({
        key: `onPremNodes[${i}].arch`,
        reason: "a gpu node must be amd64 (NVIDIA container toolkit and device plugin)",
      });
    }
    if (node.location === config.server.region || node.location === config.workers.location) {
      problems.push({
        key: `onPremNodes[${i}].location`,
        reason: `"${node.location}" is a cloud location of this stack; on-premises locations need a name of their own`,
      });
    }
  });

  // Kilo joins locations through one leader each; a location whose nodes are all behind NAT
  // without a port forward cannot be dialled by any other location.
  const locations = new Map<string, boolean>();
  for (const node of nodes) {
    locations.set(node.location, (locations.get(node.location) ?? false) || node.reach.mode !== "nat");
  }
  for (const [location, reachable] of locations) {
    if (!reachable) {
      problems.push({
        key: "onPremNodes",
        reason:
          `location "${location}" has no node that other locations can reach: give one node reach.mode ` +
          `"public", or forward a UDP port to it on the router (reach.mode "forwarded")`,
      });
    }
  }

  const forwarded = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (node.reach.mode !== "forwarded") return;
    const router = `${node.reach.endpoint ?? node.ssh.host}:${node.reach.udpPort}`;
    const first = forwarded.get(router);
    if (first !== undefined) {
      problems.push({
        key: `onPremNodes[${i}].reach.udpPort`,
        reason: `${router} is already forwarded to onPremNodes[${first}]; each node behind a router needs its own port`,
      });
    } else forwarded.set(router, i);
  });

  if (config.services.apiMaxReplicas < config.services.apiReplicas) {
    problems.push({
      key: "services.apiMaxReplicas",
      reason: `must be at least services.apiReplicas (${config.services.apiReplicas})`,
    });
  }
  if (config.services.analyticsOnGpu && !nodes.some((n) => n.role === "gpu")) {
    problems.push({ key: "services.analyticsOnGpu", reason: "the stack has no node of role gpu" });
  }
  const brokers = config.platform.kafkaBrokers;
  if (brokers === 2) {
    problems.push({
      key: "platform.kafkaBrokers",
      reason: "use 1 (dev) or at least 3: two brokers cannot keep min.insync.replicas 2 through a failure",
    });
  }

  problems.push(...monitoringProblems(config));
  problems.push(...archiveProblems(config));
  problems.push(...controlPlaneProblems(config));

  if (stack === "prod") {
    if (config.workers.count === 0) {
      problems.push({
        key: "workers.count",
        reason: "prod needs at least one worker: the server is tainted against workloads",
      });
    }
    config.adminCidrs.forEach((net, i) => {
      if (OPEN_TO_ALL.has(net)) {
        problems.push({
          key: `adminCidrs[${i}]`,
          reason: `${net} opens SSH and the Kubernetes API to the whole internet`,
        });
      }
    });
  }
  return problems;
}

/** The monitoring stack runs on the cloud workers only, and its memory limit cannot be below its request. */
function monitoringProblems(config: StackConfig): Problem[] {
  const { enabled, resources } = config.monitoring;
  const problems: Problem[] = [];
  if (enabled && config.workers.count === 0) {
    problems.push({
      key: "monitoring.enabled",
      reason:
        "the monitoring stack runs on the cloud workers only, and the stack has none: " +
        "give it a worker (workers.count) or set monitoring.enabled to false",
    });
  }
  if (memoryBytes(resources.memoryLimit) < memoryBytes(resources.memory)) {
    problems.push({
      key: "monitoring.resources.memoryLimit",
      reason: `must be at least monitoring.resources.memory (${resources.memory})`,
    });
  }
  return problems;
}
