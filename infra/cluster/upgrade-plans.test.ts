import { describe, expect, it } from "vitest";
import { parseStackConfig, readStackFile } from "../config/index.js";
import { stackNames } from "../plan/stacks.js";
import type { KubeObject } from "./kilo-manifests.js";
import { nodeLabels, nodeTaints, type Taint } from "./node-metadata.js";
import { clusterNodes, type ClusterNode } from "./node-model.js";
import {
  AGENT_PLAN,
  SERVER_PLAN,
  UPGRADE_HOLD_LABEL,
  SYSTEM_UPGRADE_CONTROLLER,
  UPGRADE_NAMESPACE,
  k3sUpgradePlans,
  systemUpgradeControllerManifests,
} from "./upgrade-plans.js";

interface Expression {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}
interface Toleration {
  key?: string;
  operator?: "Equal" | "Exists";
  value?: string;
  effect?: string;
}
interface PlanSpec {
  version: string;
  concurrency: number;
  cordon?: boolean;
  nodeSelector: { matchExpressions: Expression[] };
  tolerations: Toleration[];
  prepare?: { image: string; args: string[] };
  drain?: { timeout: string };
  upgrade: { image: string };
}
const specOf = (plan: KubeObject) => plan.spec as PlanSpec;

/** Kubernetes' label-selector semantics for match expressions. */
function selects(expressions: readonly Expression[], labels: Record<string, string>): boolean {
  return expressions.every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      case "In":
        return value !== undefined && (e.values ?? []).includes(value);
      case "NotIn":
        return value === undefined || !(e.values ?? []).includes(value);
    }
  });
}

/** Kubernetes' toleration semantics: whether `tolerations` tolerate `taint`. */
function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === taint.effect) &&
      (t.key === undefined ? t.operator === "Exists" : t.key === taint.key) &&
      (t.operator === "Exists" || t.value === taint.value),
  );
}

const STACKS = await stackNames(".");
const stackNodes = async (stack: string) =>
  clusterNodes(parseStackConfig((await readStackFile(`Pulumi.${stack}.yaml`)).settings, stack));
const plans = (overrides: Partial<Parameters<typeof k3sUpgradePlans>[0]> = {}) => {
  const [server, agent] = k3sUpgradePlans({
    k3sVersion: "v1.37.2+k3s1",
    agentConcurrency: 2,
    drainTimeoutSeconds: 300,
    ...overrides,
  });
  return { server: server!, agent: agent! };
};

describe("the k3s upgrade Plans", () => {
  it("take every node to the configured release with the k3s upgrade image", () => {
    const { server, agent } = plans();
    for (const plan of [server, agent]) {
      expect(plan.metadata.namespace).toBe(UPGRADE_NAMESPACE);
      expect(specOf(plan).version).toBe("v1.37.2+k3s1");
      expect(specOf(plan).upgrade.image).toMatch(/rancher\/k3s-upgrade$/);
    }
  });

  it("upgrade the servers one at a time, cordoned", () => {
    const { server } = plans({ agentConcurrency: 5 });
    expect(server.metadata.name).toBe(SERVER_PLAN);
    expect(specOf(server).concurrency).toBe(1);
    expect(specOf(server).cordon).toBe(true);
  });

  it("upgrade agents at the configured concurrency, drained with the timeout, after the server Plan", () => {
    const { agent } = plans({ agentConcurrency: 3, drainTimeoutSeconds: 420 });
    expect(agent.metadata.name).toBe(AGENT_PLAN);
    expect(specOf(agent).concurrency).toBe(3);
    expect(specOf(agent).drain?.timeout).toBe("420s");
    expect(specOf(agent).prepare?.args).toEqual(["prepare", SERVER_PLAN]);
  });

  it.each(STACKS)(
    "select each node of stack %s in exactly one Plan, servers in the server Plan, tolerating its taints",
    async (stack) => {
      const nodes = await stackNodes(stack);
      const { server, agent } = plans();
      // A Pi and a GPU node are among them (in dev at least), so the taints are not only the servers'.
      const check = (node: ClusterNode) => {
        const labels = nodeLabels(node);
        const selecting = [server, agent].filter((p) =>
          selects(specOf(p).nodeSelector.matchExpressions, labels),
        );
        expect(
          selecting.map((p) => p.metadata.name),
          node.name,
        ).toEqual([node.role === "server" ? SERVER_PLAN : AGENT_PLAN]);
        for (const taint of [
          ...nodeTaints(node),
          { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" as const },
        ])
          expect(tolerates(specOf(selecting[0]!).tolerations, taint), `${node.name} ${taint.key}`).toBe(true);
      };
      nodes.forEach(check);
      expect(nodes.some((n) => n.role === "server")).toBe(true);
    },
  );

  it("leave a node alone while an operator holds it", async () => {
    const { server, agent } = plans();
    const pi = (await stackNodes("dev")).find((n) => n.raspberryPi)!;
    const held = { ...nodeLabels(pi), [UPGRADE_HOLD_LABEL]: "false" };
    for (const plan of [server, agent])
      expect(selects(specOf(plan).nodeSelector.matchExpressions, held)).toBe(false);
    expect(selects(specOf(agent).nodeSelector.matchExpressions, nodeLabels(pi))).toBe(true);
  });
});

describe("the system-upgrade-controller", () => {
  const objects = systemUpgradeControllerManifests();
  const find = (kind: string) => objects.filter((o) => o.kind === kind);

  it("declares the Plan CRD first, the namespace privileged for the upgrade Jobs", () => {
    expect(objects[0]).toMatchObject({
      kind: "CustomResourceDefinition",
      metadata: { name: "plans.upgrade.cattle.io" },
    });
    expect(find("Namespace")[0]?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("privileged");
  });

  it("runs the controller on the control plane as a non-root, read-only container with a pinned image", async () => {
    const [deployment] = find("Deployment");
    const pod = (deployment?.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    const container = (pod.containers as Record<string, unknown>[])[0]!;
    expect(container.image).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    const server = (await stackNodes("dev")).find((n) => n.role === "server")!;
    const terms = (
      pod.affinity as {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: { matchExpressions: Expression[] }[];
          };
        };
      }
    ).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(selects(terms[0]!.matchExpressions, nodeLabels(server))).toBe(true);
    for (const taint of nodeTaints(server))
      expect(tolerates(pod.tolerations as Toleration[], taint)).toBe(true);
  });

  it("runs the cordon and drain Jobs with the release's kubectl unless the stack pins another", async () => {
    const image = (objects: ReturnType<typeof systemUpgradeControllerManifests>) =>
      (objects.find((o) => o.metadata.name === "default-controller-env")?.data as Record<string, string>)
        .SYSTEM_UPGRADE_JOB_KUBECTL_IMAGE;
    expect(image(objects)).toBe(SYSTEM_UPGRADE_CONTROLLER.kubectlImage);
    const pinned = "docker.io/rancher/kubectl:v1.36.3";
    expect(image(systemUpgradeControllerManifests({ kubectlImage: pinned }))).toBe(pinned);
    const dev = await readStackFile("Pulumi.dev.yaml");
    const upgrades = (kubectlImage: string) => ({ ...dev.settings, upgrades: { kubectlImage } });
    expect(parseStackConfig(upgrades(pinned), "dev").upgrades.kubectlImage).toBe(pinned);
    expect(() => parseStackConfig(upgrades("kubectl"), "dev")).toThrow(
      /upgrades\.kubectlImage: must be an image reference with a tag or digest/,
    );
  });

  it("binds its roles to its own service account, drain rights included", () => {
    const bindings = [...find("ClusterRoleBinding"), ...find("RoleBinding")];
    const roles = [...find("ClusterRole"), ...find("Role")].map((r) => r.metadata.name);
    for (const binding of bindings) {
      expect(roles).toContain((binding.roleRef as { name: string }).name);
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: "system-upgrade", namespace: UPGRADE_NAMESPACE },
      ]);
    }
    const rules = find("ClusterRole").flatMap((r) => r.rules as { resources: string[] }[]);
    expect(rules.some((r) => r.resources.includes("pods/eviction"))).toBe(true);
  });
});
