import type { KubeObject } from "../cluster/kilo-manifests.js";
import { CustomResourceValidator } from "../platform/crds/validate.js";

/** What a rendered manifest shows in place of a secret value. */
export const SECRET_MARKER = "<secret: set by Pulumi at deploy time>";

/** The checks over a stack's objects: the Kubernetes schema, then the project's rules. */
export const RULE_IDS = [
  "schema",
  "selector",
  "service",
  "container",
  "service-type",
  "default-deny",
  "pod-security",
  "secret",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Violation {
  readonly rule: RuleId;
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly message: string;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const labelsMatch = (selector: Obj, labels: Obj) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** `Kind namespace/name`, the way every check and the API client name an object. */
export function describeObject(o: Pick<KubeObject, "kind" | "metadata">): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}

/** The pod template of a workload object, if it has one. */
function podTemplate(o: KubeObject): { labels: Obj; spec: Obj } | undefined {
  const spec = asObj(o.spec);
  const template =
    o.kind === "CronJob"
      ? asObj(asObj(asObj(spec.jobTemplate).spec).template)
      : ["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job"].includes(o.kind)
        ? asObj(spec.template)
        : undefined;
  if (!template) return undefined;
  return { labels: asObj(asObj(template.metadata).labels), spec: asObj(template.spec) };
}

/** Kubernetes system agents (the CNI, the policy enforcer, the device plugin) need host privileges. */
const SYSTEM_NAMESPACES = new Set(["kube-system"]);

function selectorRule(objects: readonly KubeObject[]): Violation[] {
  const out: Violation[] = [];
  for (const o of objects) {
    const template = podTemplate(o);
    if (template && o.kind !== "CronJob" && o.kind !== "Job") {
      const selector = asObj(asObj(asObj(o.spec).selector).matchLabels);
      if (!labelsMatch(selector, template.labels)) {
        out.push({
          rule: "selector",
          object: describeObject(o),
          message: `selector ${JSON.stringify(selector)} does not match the pod template's labels ${JSON.stringify(template.labels)}`,
        });
      }
    }
    if (o.kind === "PodDisruptionBudget") {
      const selector = asObj(asObj(asObj(o.spec).selector).matchLabels);
      const matched = objects.some(
        (w) =>
          w.metadata.namespace === o.metadata.namespace &&
          labelsMatch(selector, podTemplate(w)?.labels ?? {}),
      );
      if (!matched)
        out.push({ rule: "selector", object: describeObject(o), message: "selects no declared pods" });
    }
    if (o.kind === "HorizontalPodAutoscaler") {
      const target = asObj(asObj(o.spec).scaleTargetRef);
      const found = objects.some(
        (w) =>
          w.kind === target.kind &&
          w.metadata.name === target.name &&
          w.metadata.namespace === o.metadata.namespace,
      );
      if (!found) {
        out.push({
          rule: "selector",
          object: describeObject(o),
          message: `scales ${String(target.kind)} ${String(target.name)}, which is not declared`,
        });
      }
    }
  }
  return out;
}

function serviceRule(objects: readonly KubeObject[]): Violation[] {
  const out: Violation[] = [];
  for (const svc of objects.filter((o) => o.kind === "Service")) {
    const spec = asObj(svc.spec);
    const selector = asObj(spec.selector);
    const pods = objects
      .filter((w) => w.metadata.namespace === svc.metadata.namespace)
      .map(podTemplate)
      .filter((t) => t !== undefined && labelsMatch(selector, t.labels));
    if (pods.length === 0) {
      out.push({
        rule: "service",
        object: describeObject(svc),
        message: `selector ${JSON.stringify(selector)} selects no declared pods`,
      });
      continue;
    }
    const containerPorts = pods.flatMap((p) => asList(p!.spec.containers).flatMap((c) => asList(c.ports)));
    for (const port of asList(spec.ports)) {
      const target = port.targetPort ?? port.port;
      const ok = containerPorts.some((cp) => cp.name === target || cp.containerPort === target);
      if (!ok) {
        out.push({
          rule: "service",
          object: describeObject(svc),
          message: `port ${String(port.port)} targets ${String(target)}, which no selected container declares`,
        });
      }
    }
  }
  return out;
}

function containerRule(objects: readonly KubeObject[]): Violation[] {
  const out: Violation[] = [];
  for (const o of objects) {
    const template = podTemplate(o);
    if (!template || SYSTEM_NAMESPACES.has(o.metadata.namespace ?? "")) continue;
    const pod = asObj(template.spec.securityContext);
    const longRunning = o.kind !== "CronJob" && o.kind !== "Job";
    for (const c of [...asList(template.spec.initContainers), ...asList(template.spec.containers)]) {
      const name = `${describeObject(o)} container ${String(c.name)}`;
      const problems: string[] = [];
      const resources = asObj(c.resources);
      const requests = asObj(resources.requests);
      if (!requests.cpu || !requests.memory || !asObj(resources.limits).memory) {
        problems.push("needs cpu and memory requests and a memory limit");
      }
      if (longRunning && asList(c.ports).length > 0 && (!c.livenessProbe || !c.readinessProbe)) {
        problems.push("serves a port without liveness and readiness probes");
      }
      const sc = asObj(c.securityContext);
      if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push("must set runAsNonRoot");
      if (sc.privileged === true) problems.push("must not be privileged");
      if (sc.allowPrivilegeEscalation !== false) problems.push("must set allowPrivilegeEscalation: false");
      if (sc.readOnlyRootFilesystem !== true) problems.push("must set readOnlyRootFilesystem: true");
      if (!asList(asObj(sc.capabilities).drop).includes("ALL" as never))
        problems.push("must drop ALL capabilities");
      const seccomp = asObj(sc.seccompProfile ?? pod.seccompProfile);
      if (seccomp.type !== "RuntimeDefault") problems.push("must use the RuntimeDefault seccomp profile");
      for (const p of problems) out.push({ rule: "container", object: name, message: p });
    }
  }
  return out;
}

/** Service types that open node ports; the cluster's only entry is k3s's Traefik ingress. */
function serviceTypeRule(objects: readonly KubeObject[], allowed: ReadonlySet<string>): Violation[] {
  return objects
    .filter((o) => o.kind === "Service" && ["NodePort", "LoadBalancer"].includes(String(asObj(o.spec).type)))
    .filter((o) => !allowed.has(describeObject(o)))
    .map((o) => ({
      rule: "service-type" as const,
      object: describeObject(o),
      message: `type ${String(asObj(o.spec).type)}: only the ingress controller may be exposed on nodes`,
    }));
}

function defaultDenyRule(objects: readonly KubeObject[]): Violation[] {
  const out: Violation[] = [];
  for (const ns of objects.filter((o) => o.kind === "Namespace" && o.metadata.labels?.["hdp.io/tier"])) {
    // The services and the archive's store deny egress too; the data stores' operators need theirs.
    const wanted = ["apps", "objects"].includes(ns.metadata.labels?.["hdp.io/tier"] ?? "")
      ? ["Ingress", "Egress"]
      : ["Ingress"];
    const denies = objects.some((p) => {
      if (p.kind !== "NetworkPolicy" || p.metadata.namespace !== ns.metadata.name) return false;
      const spec = asObj(p.spec);
      const everyPod = Object.keys(asObj(spec.podSelector)).length === 0;
      const types = asList(spec.policyTypes) as unknown as string[];
      return (
        everyPod &&
        wanted.every((t) => types.includes(t)) &&
        asList(spec.ingress).length === 0 &&
        asList(spec.egress).length === 0
      );
    });
    if (!denies) {
      out.push({
        rule: "default-deny",
        object: describeObject(ns),
        message: `needs a NetworkPolicy selecting every pod that denies ${wanted.join(" and ")}`,
      });
    }
  }
  return out;
}

/**
 * What the `baseline` Pod Security Standard (and so `restricted`) forbids and the container rule does not
 * cover: host namespaces, host ports and host paths, for pods in a namespace that enforces either. The
 * API server enforces the whole standard (test/cluster/); this catches the usual slips offline.
 */
function podSecurityRule(objects: readonly KubeObject[]): Violation[] {
  const enforced = new Map(
    objects
      .filter((o) => o.kind === "Namespace")
      .map((o) => [o.metadata.name, o.metadata.labels?.["pod-security.kubernetes.io/enforce"]]),
  );
  const out: Violation[] = [];
  for (const o of objects) {
    const template = podTemplate(o);
    const level = enforced.get(o.metadata.namespace ?? "");
    if (!template || (level !== "restricted" && level !== "baseline")) continue;
    const spec = template.spec;
    const problems = [
      ...["hostNetwork", "hostPID", "hostIPC"].filter((k) => spec[k] === true).map((k) => `sets ${k}`),
      ...asList(spec.volumes)
        .filter((v) => v.hostPath)
        .map((v) => `mounts host path ${String(asObj(v.hostPath).path)} (volume ${String(v.name)})`),
      ...[...asList(spec.initContainers), ...asList(spec.containers)].flatMap((c) =>
        asList(c.ports)
          .filter((port) => port.hostPort)
          .map((port) => `container ${String(c.name)} binds host port ${String(port.hostPort)}`),
      ),
    ];
    for (const p of problems) {
      out.push({ rule: "pod-security", object: describeObject(o), message: `${p}, which ${level} forbids` });
    }
  }
  return out;
}

function secretRule(objects: readonly KubeObject[], secretValues: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const o of objects) {
    if (o.kind === "Secret") {
      for (const field of ["data", "stringData"]) {
        for (const [key, value] of Object.entries(asObj(o[field]))) {
          if (value !== SECRET_MARKER) {
            out.push({
              rule: "secret",
              object: describeObject(o),
              message: `${field}.${key} holds a plaintext value`,
            });
          }
        }
      }
    }
    for (const c of asList(podTemplate(o)?.spec.containers)) {
      for (const e of asList(c.env)) {
        if (typeof e.value === "string" && /KEY|TOKEN|PASSWORD|SECRET|CREDENTIAL/i.test(String(e.name))) {
          out.push({
            rule: "secret",
            object: describeObject(o),
            message: `env ${String(e.name)} is a plaintext value: take it from a Secret`,
          });
        }
      }
    }
    const text = JSON.stringify(o);
    for (const s of secretValues) {
      if (text.includes(s))
        out.push({ rule: "secret", object: describeObject(o), message: "holds a secret value of the stack" });
    }
  }
  return out;
}

export interface RuleOptions {
  /** Secret values that must appear nowhere. */
  readonly secretValues?: readonly string[];
  /** `Kind namespace/name` of Services allowed to be NodePort or LoadBalancer. */
  readonly exposedServices?: readonly string[];
}

/** The project's rules over a stack's Kubernetes objects. */
export function checkRules(objects: readonly KubeObject[], options: RuleOptions = {}): Violation[] {
  return [
    ...selectorRule(objects),
    ...serviceRule(objects),
    ...containerRule(objects),
    ...serviceTypeRule(objects, new Set(options.exposedServices ?? [])),
    ...defaultDenyRule(objects),
    ...podSecurityRule(objects),
    ...secretRule(objects, options.secretValues ?? []),
  ];
}

type Validating = new (data: unknown) => { validate(): void };

/** kubernetes-models module of a built-in kind, e.g. `kubernetes-models/apps/v1/Deployment`. */
async function modelOf(o: KubeObject): Promise<Validating | undefined> {
  try {
    const module = (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`)) as Record<
      string,
      Validating
    >;
    return module[o.kind];
  } catch {
    return undefined;
  }
}

export interface SchemaCheck {
  readonly violations: Violation[];
  /** How many objects matched their schema. */
  readonly valid: number;
  /** `Kind namespace/name` of each object neither of a built-in kind nor defined by a known CRD. */
  readonly outside: string[];
  /** CEL rules (`x-kubernetes-validations`) in the CRD schemas used, which only the API server evaluates. */
  readonly celRules: number;
}

/**
 * Validates each object against its schema: a built-in kind against the Kubernetes OpenAPI schema
 * (kubernetes-models), a custom resource against the CRD of its group, version and kind, from `crds` (the
 * operators' CRDs, see infra/platform/crds/) or from the objects themselves (the program's own CRDs win).
 * An object with no schema is a violation too: nothing would have checked it before the API server.
 */
export async function checkSchemas(
  objects: readonly KubeObject[],
  crds: readonly KubeObject[],
): Promise<SchemaCheck> {
  const violations: Violation[] = [];
  const outside: string[] = [];
  const custom = new CustomResourceValidator([
    ...crds,
    ...objects.filter(
      (o) => o.apiVersion === "apiextensions.k8s.io/v1" && o.kind === "CustomResourceDefinition",
    ),
  ]);
  let valid = 0;
  for (const o of objects) {
    const object = describeObject(o);
    const Model = await modelOf(o);
    if (Model) {
      try {
        new Model(o).validate();
        valid += 1;
      } catch (error) {
        violations.push({ rule: "schema", object, message: (error as Error).message });
      }
      continue;
    }
    const check = custom.check(o);
    if (!check) {
      outside.push(object);
      violations.push({
        rule: "schema",
        object,
        message: `outside a schema: ${o.apiVersion} ${o.kind} is not a Kubernetes kind, and no known CRD defines it`,
      });
      continue;
    }
    if (check.errors.length === 0) valid += 1;
    for (const e of check.errors)
      violations.push({ rule: "schema", object, message: `${e.path}: ${e.message}` });
  }
  return { violations, valid, outside, celRules: custom.celRules };
}
