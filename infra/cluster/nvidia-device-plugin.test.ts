import { describe, expect, it } from "vitest";
import { NVIDIA_DEVICE_PLUGIN_IMAGE, nvidiaDevicePlugin } from "./nvidia-device-plugin.js";

describe("nvidiaDevicePlugin", () => {
  it("runs the pinned plugin with the nvidia runtime class, on GPU nodes only, without privileges", () => {
    const ds = nvidiaDevicePlugin() as unknown as {
      kind: string;
      spec: {
        template: {
          spec: {
            runtimeClassName: string;
            nodeSelector: Record<string, string>;
            containers: { image: string; securityContext: { allowPrivilegeEscalation: boolean } }[];
          };
        };
      };
    };
    expect(ds.kind).toBe("DaemonSet");
    const pod = ds.spec.template.spec;
    expect(pod.runtimeClassName).toBe("nvidia");
    expect(pod.nodeSelector).toEqual({ "hdp.io/role": "gpu" });
    expect(pod.containers[0]?.image).toBe(NVIDIA_DEVICE_PLUGIN_IMAGE);
    expect(NVIDIA_DEVICE_PLUGIN_IMAGE).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(pod.containers[0]?.securityContext.allowPrivilegeEscalation).toBe(false);
  });
});
