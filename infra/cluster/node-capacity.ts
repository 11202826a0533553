import type { StackConfig } from "../config/index.js";
import { GPU_RESOURCE } from "./nvidia-device-plugin.js";
import type { ClusterNode } from "./node-model.js";

/**
 * What a node offers the scheduler: CPU cores, memory, the pods k3s admits (its kubelet's default
 * `max-pods`), and GPUs through the NVIDIA device plugin. The scheduler places workloads by these, so the
 * tests give each simulated node the capacity its machine has.
 */
export interface NodeCapacity {
  readonly cpu: number;
  readonly memoryGi: number;
  readonly pods: number;
  readonly gpus: number;
}

/** k3s's kubelet default. */
const MAX_PODS = 110;

/** Hetzner Cloud server types: vCPUs and GiB of memory (https://www.hetzner.com/cloud). */
export const HETZNER_SERVER_TYPES: Readonly<Record<string, { cpu: number; memoryGi: number }>> = {
  cx22: { cpu: 2, memoryGi: 4 },
  cx32: { cpu: 4, memoryGi: 8 },
  cx42: { cpu: 8, memoryGi: 16 },
  cx52: { cpu: 16, memoryGi: 32 },
  cpx11: { cpu: 2, memoryGi: 2 },
  cpx21: { cpu: 3, memoryGi: 4 },
  cpx31: { cpu: 4, memoryGi: 8 },
  cpx41: { cpu: 8, memoryGi: 16 },
  cpx51: { cpu: 16, memoryGi: 32 },
  cax11: { cpu: 2, memoryGi: 4 },
  cax21: { cpu: 4, memoryGi: 8 },
  cax31: { cpu: 8, memoryGi: 16 },
  cax41: { cpu: 16, memoryGi: 32 },
  ccx13: { cpu: 2, memoryGi: 8 },
  ccx23: { cpu: 4, memoryGi: 16 },
  ccx33: { cpu: 8, memoryGi: 32 },
};

/**
 * On-premises machines, which the stack does not size: a Raspberry Pi 4/5 with 4 GiB, a GPU workstation
 * with one GPU, a generic small server.
 */
export const ON_PREM_CAPACITY = {
  "raspberry-pi": { cpu: 4, memoryGi: 4 },
  workstation: { cpu: 8, memoryGi: 32 },
  generic: { cpu: 4, memoryGi: 8 },
} as const;

/** A DigitalOcean size slug names its vCPUs and memory: `s-2vcpu-4gb`, `c-4`, `g-2vcpu-8gb`. */
export function digitalOceanCapacity(size: string): { cpu: number; memoryGi: number } {
  const match = /-(\d+)vcpu-(\d+)gb/.exec(size);
  if (!match)
    throw new Error(
      `cannot tell the vCPUs and memory of DigitalOcean size "${size}" (expected e.g. s-2vcpu-4gb)`,
    );
  return { cpu: Number(match[1]), memoryGi: Number(match[2]) };
}

/** The capacity of a node of the stack. */
export function nodeCapacity(node: ClusterNode, config: StackConfig): NodeCapacity {
  const gpus = node.role === "gpu" ? 1 : 0;
  switch (node.provider) {
    case "digitalocean":
      return { ...digitalOceanCapacity(config.server.size), pods: MAX_PODS, gpus };
    case "hetzner": {
      const type = HETZNER_SERVER_TYPES[config.workers.serverType];
      if (!type) throw new Error(`unknown Hetzner server type "${config.workers.serverType}"`);
      return { ...type, pods: MAX_PODS, gpus };
    }
    case "on-prem": {
      const hardware = config.onPremNodes.find((n) => n.name === node.name)?.hardware ?? "generic";
      return { ...ON_PREM_CAPACITY[hardware], pods: MAX_PODS, gpus };
    }
    default: {
      const never: never = node.provider;
      throw new Error(`unknown provider ${String(never)}`);
    }
  }
}

/** The capacity as a Node's `status.capacity` (and `allocatable`). */
export function capacityResources(capacity: NodeCapacity): Record<string, string> {
  return {
    cpu: String(capacity.cpu),
    memory: `${capacity.memoryGi}Gi`,
    pods: String(capacity.pods),
    "ephemeral-storage": "50Gi",
    ...(capacity.gpus > 0 ? { [GPU_RESOURCE]: String(capacity.gpus) } : {}),
  };
}
