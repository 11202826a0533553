// The manifest rules over the real objects of the dev stack: all pass, and each rule
// catches a deliberately broken object (so that none can pass vacuously).
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { readStackFile } from "../config/index.js";
import { evaluateStack } from "./evaluate.js";
import { SECRET_MARKER, checkRules, checkSchemas, type RuleId } from "./manifest-rules.js";
import { manifestObjects } from "./write.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let objects: KubeObject[];
let secretValues: string[];
beforeAll(async () => {
  const ev = await evaluateStack(await readStackFile("Pulumi.dev.yaml"));
  objects = manifestObjects(ev).map((m) => m.object);
  secretValues = Object.values(ev.secretValues);
});

/** A deep copy of the stack's objects with one of them changed. */
function broken(kind: string, name: string, change: (o: Obj) => void, namespace?: string): KubeObject[] {
  const copy = structuredClone(objects) as Obj[];
  const target = copy.find(
    (o) => o.kind === kind && o.metadata.name === name && (!namespace || o.metadata.namespace === namespace),
  );
  if (!target) throw new Error(`no ${kind} ${name} in the dev stack`);
  change(target);
  return copy as KubeObject[];
}
const rulesOf = (list: KubeObject[]): RuleId[] => [
  ...new Set(checkRules(list, { secretValues }).map((v) => v.rule)),
];
const container = (o: Obj) => o.spec.template.spec.containers[0];

describe("manifest rules on the dev stack", () => {
  it("find nothing wrong with the objects as declared", async () => {
    expect(checkRules(objects, { secretValues })).toEqual([]);
    // Without the operators' CRDs (custom-resources.test.ts has them) only their custom resources are
    // outside a schema, and each of those is a violation.
    const schemas = await checkSchemas(objects, []);
    expect(schemas.violations.map((v) => v.object).sort()).toEqual([...schemas.outside].sort());
    expect(schemas.outside.length).toBeGreaterThan(0);
    for (const name of schemas.outside) {
      expect(name).toMatch(
        /^(Kafka|KafkaNodePool|KafkaTopic|Cluster|ScheduledBackup|ClusterIssuer|Middleware|PodMonitor|PrometheusRule|HelmChartConfig) /,
      );
    }
  });

  it("schema: refuses a container port that is not a number", async () => {
    const list = broken("Deployment", "middle-tier", (o) => {
      container(o).ports[0].containerPort = "eighty";
    });
    const { violations, outside } = await checkSchemas(list, []);
    const found = violations.filter((v) => !outside.includes(v.object));
    expect(found.map((v) => v.object)).toEqual(["Deployment hdp-apps/middle-tier"]);
    expect(found[0]?.message).toMatch(/containerPort/);
  });

  it("selector: refuses a Deployment whose selector misses its pods", () => {
    const list = broken("Deployment", "processing", (o) => {
      o.spec.selector.matchLabels["app.kubernetes.io/name"] = "processor";
    });
    expect(rulesOf(list)).toEqual(["selector"]);
  });

  it("service: refuses a Service that selects no pods, or targets an undeclared port", () => {
    const noPods = broken("Service", "analytics", (o) => {
      o.spec.selector = { "app.kubernetes.io/name": "nobody" };
    });
    expect(rulesOf(noPods)).toEqual(["service"]);
    const badPort = broken("Service", "frontend", (o) => {
      o.spec.ports[0].targetPort = "metrics";
    });
    expect(checkRules(badPort).map((v) => v.message)).toEqual([
      "port 8080 targets metrics, which no selected container declares",
    ]);
  });

  it("container: refuses a container without limits, probes or the non-root context", () => {
    const cases: [string, (c: Obj) => void, RegExp][] = [
      ["resources", (c) => delete c.resources.limits, /memory limit/],
      ["probes", (c) => delete c.readinessProbe, /probes/],
      ["root", (c) => (c.securityContext.runAsNonRoot = false), /runAsNonRoot/],
      ["writable root", (c) => delete c.securityContext.readOnlyRootFilesystem, /readOnlyRootFilesystem/],
      ["capabilities", (c) => (c.securityContext.capabilities.drop = []), /drop ALL/],
      ["privileged", (c) => (c.securityContext.privileged = true), /privileged/],
    ];
    for (const [label, change, message] of cases) {
      const list = broken("Deployment", "analytics", (o) => change(container(o)));
      const violations = checkRules(list);
      expect(
        violations.map((v) => v.rule),
        label,
      ).toEqual(["container"]);
      expect(violations[0]?.message, label).toMatch(message);
    }
  });

  it("service-type: refuses a NodePort or LoadBalancer Service", () => {
    for (const type of ["NodePort", "LoadBalancer"]) {
      const list = broken("Service", "middle-tier", (o) => {
        o.spec.type = type;
      });
      expect(rulesOf(list)).toEqual(["service-type"]);
      expect(checkRules(list, { exposedServices: ["Service hdp-apps/middle-tier"] })).toEqual([]);
    }
  });

  it("default-deny: refuses an application namespace without its deny-all policy", () => {
    for (const namespace of ["hdp-apps", "hdp-objects"]) {
      const list = broken(
        "NetworkPolicy",
        "default-deny",
        (o) => {
          o.spec.policyTypes = ["Ingress"];
        },
        namespace,
      );
      expect(checkRules(list).map((v) => `${v.rule} ${v.object}`)).toEqual([
        `default-deny Namespace ${namespace}`,
      ]);
    }
    const allowing = broken("NetworkPolicy", "default-deny-ingress", (o) => {
      o.spec.ingress = [{ from: [{ podSelector: {} }] }];
    });
    expect(checkRules(allowing).map((v) => v.object)).toEqual(["Namespace hdp-data"]);
  });

  it("pod-security: refuses host paths, host namespaces and host ports where the namespace enforces restricted", () => {
    const list = broken("DaemonSet", "ingestion-sensors", (o) => {
      const pod = o.spec.template.spec;
      pod.volumes.push({ name: "thermal", hostPath: { path: "/sys/class/thermal" } });
      pod.hostNetwork = true;
    });
    expect(rulesOf(list)).toEqual(["pod-security"]);
    expect(checkRules(list).map((v) => `${v.object}: ${v.message}`)).toEqual([
      "DaemonSet hdp-apps/ingestion-sensors: sets hostNetwork, which restricted forbids",
      "DaemonSet hdp-apps/ingestion-sensors: mounts host path /sys/class/thermal (volume thermal), which restricted forbids",
    ]);
    const hostPort = broken("Deployment", "middle-tier", (o) => {
      container(o).ports[0].hostPort = 8080;
    });
    expect(checkRules(hostPort).map((v) => v.message)).toEqual([
      "container middle-tier binds host port 8080, which restricted forbids",
    ]);
    // The system agents' namespace enforces privileged: their host access is no violation.
    expect(checkRules(objects).filter((v) => v.object.includes("kube-system/"))).toEqual([]);
  });

  it("secret: refuses a plaintext Secret value, a plaintext key in env, or a stack secret anywhere", () => {
    const plain = broken("Secret", "database", (o) => {
      o.stringData.url = "postgres://hdp:hunter2@pg-rw/hdp";
    });
    expect(rulesOf(plain)).toEqual(["secret"]);
    const env = broken("CronJob", "ingestion-news", (o) => {
      o.spec.jobTemplate.spec.template.spec.containers[0].env.push({ name: "POLYGON_API_KEY", value: "abc" });
    });
    expect(rulesOf(env)).toEqual(["secret"]);
    const leaked = broken("ConfigMap", "kilo", (o) => {
      o.data.note = `token ${secretValues[0]}`;
    });
    expect(rulesOf(leaked)).toEqual(["secret"]);
    expect(SECRET_MARKER).not.toMatch(/[A-Za-z0-9]{20}/);
  });
});
