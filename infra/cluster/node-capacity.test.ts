import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../config/index.js";
import { validSettings } from "../config/test-fixture.js";
import { clusterNodes } from "./node-model.js";
import { capacityResources, digitalOceanCapacity, nodeCapacity } from "./node-capacity.js";

describe("node capacity", () => {
  it.each([
    ["s-2vcpu-4gb", 2, 4],
    ["s-4vcpu-8gb", 4, 8],
    ["g-8vcpu-32gb", 8, 32],
  ])("reads the vCPUs and memory of DigitalOcean size %s", (size, cpu, memoryGi) => {
    expect(digitalOceanCapacity(size)).toEqual({ cpu, memoryGi });
  });

  it("rejects a DigitalOcean size that names no vCPUs and memory", () => {
    expect(() => digitalOceanCapacity("c-4")).toThrow(
      'cannot tell the vCPUs and memory of DigitalOcean size "c-4"',
    );
  });

  it("gives each node of the stack its machine's capacity, and a GPU only to the GPU node", () => {
    const config = parseStackConfig(validSettings(), "dev");
    const capacities = Object.fromEntries(clusterNodes(config).map((n) => [n.name, nodeCapacity(n, config)]));
    expect(capacities).toEqual({
      "k3s-server-1": { cpu: 2, memoryGi: 4, pods: 110, gpus: 0 },
      "k3s-worker-1": { cpu: 4, memoryGi: 8, pods: 110, gpus: 0 },
      "gpu-lab-1": { cpu: 8, memoryGi: 32, pods: 110, gpus: 1 },
      "pi-lab-1": { cpu: 4, memoryGi: 4, pods: 110, gpus: 0 },
    });
    expect(capacityResources(capacities["gpu-lab-1"]!)).toMatchObject({
      cpu: "8",
      memory: "32Gi",
      "nvidia.com/gpu": "1",
    });
    expect(capacityResources(capacities["pi-lab-1"]!)).not.toHaveProperty("nvidia.com/gpu");
  });

  it("refuses a Hetzner server type it does not know", () => {
    const config = parseStackConfig(validSettings(), "dev");
    const worker = clusterNodes(config).find((n) => n.provider === "hetzner")!;
    expect(() =>
      nodeCapacity(worker, { ...config, workers: { ...config.workers, serverType: "cx99" } }),
    ).toThrow('unknown Hetzner server type "cx99"');
  });
});
