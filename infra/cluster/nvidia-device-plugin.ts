import type { KubeObject } from "./kilo-manifests.js";

/** The extended resource the device plugin advertises, one per GPU. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/** Pinned NVIDIA device plugin image. */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = "nvcr.io/nvidia/k8s-device-plugin:v0.17.0";

/**
 * The NVIDIA device plugin: advertises `nvidia.com/gpu` on GPU nodes. It runs with
 * the `nvidia` runtime class (k3s creates it when it finds the NVIDIA container
 * runtime, which the bootstrap installs before k3s) and only on nodes of role `gpu`.
 */
export function nvidiaDevicePlugin(image = NVIDIA_DEVICE_PLUGIN_IMAGE): KubeObject {
  const labels = { "app.kubernetes.io/name": "nvidia-device-plugin" };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "nvidia-device-plugin", namespace: "kube-system", labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          runtimeClassName: "nvidia",
          priorityClassName: "system-node-critical",
          nodeSelector: { "hdp.io/role": "gpu" },
          tolerations: [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }],
          containers: [
            {
              name: "nvidia-device-plugin",
              image,
              env: [{ name: "FAIL_ON_INIT_ERROR", value: "true" }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
              volumeMounts: [{ name: "device-plugin", mountPath: "/var/lib/kubelet/device-plugins" }],
            },
          ],
          volumes: [{ name: "device-plugin", hostPath: { path: "/var/lib/kubelet/device-plugins" } }],
        },
      },
    },
  };
}
