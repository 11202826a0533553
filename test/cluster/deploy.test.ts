// The control-plane tier: every object a stack renders is admitted by a real kube-apiserver (server-side
// apply, strict field validation, Pod Security Admission, the operators' CRDs installed), every workload of
// ours rolls out, and the real scheduler puts each one on the node class the design says, on the stack's
// own nodes (simulated by kwok with the labels, taints, architecture and capacity the program gives them).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SYSTEM_AGENT_NEEDS,
  capacityResources,
  nodeCapacity,
  SYSTEM_NAMESPACE,
  UPGRADE_NAMESPACE,
  podSecurityLabels,
  type KubeObject,
} from "../../infra/cluster/index.js";
import { BROKEN_FIELDS } from "../../infra/plan/custom-resource-cases.js";
import { stackNames } from "../../infra/plan/stacks.js";
import { NAMESPACES } from "../../infra/platform/render.js";
import { OBJECT_STORE_NAMESPACE } from "../../infra/platform/object-storage.js";
import { ensureCrds } from "../../infra/platform/crds/index.js";
import { KubeApiError, KubeClient, waitFor } from "../../scripts/k8s/client.js";
import { requireControlPlane } from "../setup/k8s.js";
import {
  K3S_BUILT_INS,
  ROLLOUT_KINDS,
  applyAll,
  installCrds,
  localPathVolumes,
  placements,
  registerNodes,
  registeredNodes,
  renderStack,
  resetCluster,
  runCronJobOnce,
  waitForRollouts,
  type Rejection,
  type RenderedStack,
} from "../support/cluster-tier.js";

const credentials = await requireControlPlane();
/** Every stack file of the repository. */
const STACKS = await stackNames(".");
/** Where the services of ours run (each a restricted namespace). */
const APP_NAMESPACES = [NAMESPACES.apps, NAMESPACES.data];
/** What a stack may leave behind for the next: those, and the archive's in-cluster store (dev). */
const STACK_NAMESPACES = [...APP_NAMESPACES, OBJECT_STORE_NAMESPACE];
/** System agents, one pod on every node they select (the CNI, the network policy enforcer, the GPU plugin). */
const SYSTEM_AGENTS = Object.keys(SYSTEM_AGENT_NEEDS);

const ours = (o: KubeObject) => (ROLLOUT_KINDS as readonly string[]).includes(o.kind);
/** The CRDs the program declares itself (Kilo's, the system-upgrade-controller's), installed before the rest. */
const declaredCrds = (rendered: RenderedStack) =>
  rendered.manifests.filter((o) => o.kind === "CustomResourceDefinition");

describe.skipIf(!credentials).sequential.each(STACKS)("stack %s on a real control plane", (stack) => {
  let client: KubeClient;
  let rendered: RenderedStack;
  let rejections: Rejection[];
  let where: Map<string, string[]>;
  const nodesOf = (predicate: (n: RenderedStack["nodes"][number]) => boolean) =>
    rendered.nodes
      .filter(predicate)
      .map((n) => n.name)
      .sort();

  beforeAll(async () => {
    client = new KubeClient(credentials!);
    rendered = await renderStack(stack);
    await resetCluster(client, STACK_NAMESPACES);
    const { crds } = await ensureCrds();
    rejections = await installCrds(client, [...crds, ...declaredCrds(rendered)]);
    rejections.push(...(await applyAll(client, K3S_BUILT_INS)));
    await registerNodes(client, registeredNodes(rendered));
    rejections.push(...(await applyAll(client, localPathVolumes(rendered.manifests))));
    rejections.push(...(await applyAll(client, rendered.manifests)));
    await waitForRollouts(client, rendered.manifests.filter(ours), 180_000).catch((error: Error) => {
      rejections.push({ object: "rollout", message: error.message });
    });
    where = await placements(client, [
      ...new Set(rendered.manifests.filter(ours).map((o) => o.metadata.namespace ?? "default")),
    ]);
    console.log(
      `stack ${stack}: where the scheduler put each pod\n${[...where].map(([app, nodes]) => `  ${app}: ${nodes.join(", ")}`).join("\n")}`,
    );
  }, 600_000);
  afterAll(() => client?.close());

  it("admits every rendered object and rolls out every Deployment, DaemonSet and StatefulSet", () => {
    expect(rejections).toEqual([]);
    expect(rendered.manifests.filter(ours).length).toBeGreaterThan(5);
  });

  it("simulates each node with the program's labels and taints and its machine's architecture and capacity", async () => {
    const patches = rendered.manifests.filter((o) => o.kind === "Node");
    expect(patches.map((p) => p.metadata.name).sort()).toEqual(nodesOf(() => true));
    for (const patch of patches) {
      const node = await client.get<
        KubeObject & {
          spec: { taints?: object[] };
          status: { allocatable: object; nodeInfo: { architecture: string } };
        }
      >("v1", "Node", patch.metadata.name);
      const machine = rendered.nodes.find((n) => n.name === patch.metadata.name)!;
      expect(node?.metadata.labels).toMatchObject(patch.metadata.labels ?? {});
      expect(node?.metadata.annotations).toMatchObject(patch.metadata.annotations ?? {});
      expect(node?.spec.taints ?? []).toEqual((patch.spec as { taints: object[] }).taints);
      expect(node?.status.nodeInfo.architecture).toBe(machine.arch);
      expect(node?.status.allocatable).toMatchObject(
        capacityResources(nodeCapacity(machine, rendered.config)),
      );
    }
  });

  it("runs the sensor agent on every Raspberry Pi and only there", () => {
    const pis = nodesOf((n) => n.raspberryPi);
    expect(pis.length).toBeGreaterThan(0);
    const sensors = [...where].find(([app]) => app.endsWith("/ingestion-sensors"))?.[1];
    expect(sensors).toEqual(pis);
  });

  it("runs nothing but sensor workloads and the system agents on a Raspberry Pi", () => {
    const pis = new Set(nodesOf((n) => n.raspberryPi));
    const onPis = [...where]
      .filter(([, nodes]) => nodes.some((n) => pis.has(n)))
      .map(([app]) => app.split("/")[1]);
    expect(onPis.filter((app) => app !== "ingestion-sensors" && !SYSTEM_AGENTS.includes(app!))).toEqual([]);
  });

  it("runs nothing of ours on the control-plane server but the system agents and the upgrade controller", () => {
    const servers = new Set(nodesOf((n) => n.role === "server"));
    const onServers = [...where].filter(
      ([app, nodes]) =>
        !SYSTEM_AGENTS.includes(app.split("/")[1]!) &&
        !app.startsWith(`${UPGRADE_NAMESPACE}/`) &&
        nodes.some((n) => servers.has(n)),
    );
    expect(onServers).toEqual([]);
    const controller = [...where].find(([app]) => app.startsWith(`${UPGRADE_NAMESPACE}/`));
    expect(controller?.[1].length).toBe(1);
    expect(servers).toContain(controller?.[1][0]);
  });

  it("runs analytics on the GPU node when the stack asks for it, and on the general workers otherwise", () => {
    const analytics = [...where].find(([app]) => app.endsWith("/analytics"))?.[1] ?? [];
    expect(analytics.length).toBeGreaterThan(0);
    const expected = nodesOf((n) => n.role === (rendered.config.services.analyticsOnGpu ? "gpu" : "worker"));
    for (const node of analytics) expect(expected).toContain(node);
  });

  it("runs every workload not pinned to a node class on the general workers", () => {
    const pinned = new Set(
      rendered.manifests
        .filter(
          (o) =>
            ours(o) &&
            (o.spec as { template: { spec: { nodeSelector?: object } } }).template.spec.nodeSelector,
        )
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    );
    const workers = nodesOf((n) => n.role === "worker");
    const general = [...where].filter(
      ([app]) =>
        !app.startsWith(`${SYSTEM_NAMESPACE}/`) &&
        !app.startsWith(`${UPGRADE_NAMESPACE}/`) &&
        !pinned.has(app),
    );
    expect(general.length).toBeGreaterThan(2);
    for (const [app, nodes] of general) for (const node of nodes) expect(workers, app).toContain(node);
  });

  it("runs the NVIDIA device plugin on the GPU nodes only, and Kilo and kube-router on every node", () => {
    const all = nodesOf(() => true);
    const agents = Object.fromEntries(
      [...where].filter(([app]) => app.startsWith("kube-system/")).map(([app, nodes]) => [app, nodes]),
    );
    expect(agents["kube-system/kilo"]).toEqual(all);
    expect(agents["kube-system/kube-router"]).toEqual(all);
    expect(agents["kube-system/nvidia-device-plugin"]).toEqual(nodesOf((n) => n.role === "gpu"));
  });

  it("binds the archive's in-cluster store to a volume on a cloud worker and creates its buckets (dev)", async () => {
    const job = rendered.manifests.find(
      (o) => o.kind === "Job" && o.metadata.namespace === OBJECT_STORE_NAMESPACE,
    );
    if (rendered.config.archive?.store !== "in-cluster") {
      expect(job).toBeUndefined();
      return;
    }
    const claim = await client.get<{ status?: { phase?: string } }>(
      "v1",
      "PersistentVolumeClaim",
      "data-seaweedfs-0",
      OBJECT_STORE_NAMESPACE,
    );
    expect(claim?.status?.phase).toBe("Bound");
    const workers = nodesOf((n) => n.role === "worker");
    for (const node of where.get(`${OBJECT_STORE_NAMESPACE}/seaweedfs`) ?? ["(none)"])
      expect(workers).toContain(node);
    await waitFor(
      async () => {
        const stored = await client.get<{ status?: { succeeded?: number } }>(
          "batch/v1",
          "Job",
          job!.metadata.name,
          OBJECT_STORE_NAMESPACE,
        );
        return (stored?.status?.succeeded ?? 0) > 0 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000, describe: () => `Job ${job!.metadata.name} complete` },
    );
  }, 180_000);

  it("runs the first Job of every CronJob to completion on a general worker", async () => {
    const cronJobs = rendered.manifests.filter((o) => o.kind === "CronJob");
    expect(cronJobs.length).toBeGreaterThan(0);
    const workers = nodesOf((n) => n.role === "worker");
    for (const cronJob of cronJobs) expect(workers).toContain(await runCronJobOnce(client, cronJob, 120_000));
  }, 300_000);
});

describe
  .skipIf(!credentials)
  .sequential("Pod Security Admission and the operators' schemas on the API server", () => {
    let client: KubeClient;
    let rendered: Record<string, RenderedStack>;
    beforeAll(async () => {
      client = new KubeClient(credentials!);
      rendered = { dev: await renderStack("dev"), prod: await renderStack("prod") };
      // Self-contained: the CRDs, what k3s provides, and the prod stack's namespaces (the stacks above may
      // be filtered out of the run).
      const declared = [...declaredCrds(rendered.dev!), ...declaredCrds(rendered.prod!)];
      expect(await installCrds(client, [...(await ensureCrds()).crds, ...declared])).toEqual([]);
      const namespaces = rendered.prod!.manifests.filter((o) => o.kind === "Namespace");
      expect(await applyAll(client, [...K3S_BUILT_INS, ...namespaces])).toEqual([]);
    }, 120_000);
    afterAll(() => client?.close());

    const find = (stack: string, kind: string, name: string) => {
      const found = rendered[stack]!.manifests.find((o) => o.kind === kind && o.metadata.name === name);
      if (!found) throw new Error(`no ${kind} ${name} in the ${stack} stack`);
      return found;
    };

    it("enforces restricted in every application namespace, privileged in the system agents' namespace", async () => {
      for (const ns of APP_NAMESPACES) {
        const stored = await client.get<KubeObject>("v1", "Namespace", ns);
        expect(stored?.metadata.labels, ns).toMatchObject(podSecurityLabels("restricted"));
      }
      const system = await client.get<KubeObject>("v1", "Namespace", SYSTEM_NAMESPACE);
      expect(system?.metadata.labels).toMatchObject(podSecurityLabels("privileged"));
    });

    // Each system agent's pod, submitted (dry run) to a namespace enforcing baseline, is refused for the host
    // access that SYSTEM_AGENT_NEEDS gives as its reason: privileged is exactly what they need.
    it.each(Object.entries(SYSTEM_AGENT_NEEDS))("%s needs privileged: %s", async (agent) => {
      const daemonSet = find("prod", "DaemonSet", agent);
      expect(daemonSet.metadata.namespace).toBe(SYSTEM_NAMESPACE);
      await client.apply({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "hdp-psa-baseline", labels: podSecurityLabels("baseline") },
      });
      const template = (daemonSet.spec as { template: { spec: { serviceAccountName?: string } } }).template;
      // The service account must exist for the pod to reach Pod Security Admission at all.
      const account = template.spec.serviceAccountName ?? "default";
      await client.apply({
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: account, namespace: "hdp-psa-baseline" },
      });
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: agent, namespace: "hdp-psa-baseline" },
        spec: template.spec,
      };
      const path = `${await client.pathOf("v1", "Pod", "hdp-psa-baseline")}?dryRun=All`;
      const response = await client.request("POST", path, pod);
      expect(response.status, JSON.stringify(response.body)).toBe(403);
      expect((response.body as { message: string }).message).toMatch(
        /violates PodSecurity "baseline:latest": (non-default capabilities|host namespaces|hostPath volumes|privileged)/,
      );
    });

    it.each(BROKEN_FIELDS)(
      "refuses $kind $name with a broken $path, naming the object and the field",
      async (c) => {
        const object = structuredClone(find(c.stack, c.kind, c.name)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        c.change(object);
        const refused = await client.apply(object as KubeObject).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(KubeApiError);
        const message = (refused as KubeApiError).message;
        expect(message).toContain(
          `${c.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${c.name} rejected`,
        );
        expect(message).toContain(c.path);
      },
    );
  });
