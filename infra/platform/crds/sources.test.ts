// The CRD source table agrees with the stack's pins and with the lock files that pin the packages; the
// lock-file readers and the fetch's checks, without network.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../config/index.js";
import { validSettings } from "../../config/test-fixture.js";
import { clusterIssuer, kafkaObjects, middlewares, postgresObjects, VERSIONS } from "../render.js";
import { prometheusRuleObjects } from "../monitoring/alerts.js";
import { traefikMetricsConfig, uiAuthMiddlewares } from "../monitoring/objects.js";
import { podMonitors, scrapeTargets } from "../monitoring/scrape-targets.js";
import { checkGoPin } from "./go-module.js";
import { crdCacheDir, ensureCrds, parseCrdFile } from "./fetch.js";
import {
  LOCK_FILES,
  goModRequirements,
  goSumEntries,
  parseSha256List,
  pomProperty,
  readLockFile,
  sha256Differences,
} from "./lock-files.js";
import {
  CNPG_OPERATOR_OF_CHART,
  CRD_SOURCES,
  PROMETHEUS_OPERATOR_OF_CHART,
  filesOf,
  type CrdSource,
  type Operator,
} from "./sources.js";
import { CrdFetchError, requireTool } from "./tools.js";

const source = (operator: Operator): CrdSource => CRD_SOURCES.find((s) => s.operator === operator)!;

/** Runs `body` with HDP_CACHE_DIR set to `dir`, then restores it. */
async function withCacheDir<T>(dir: string, body: () => T | Promise<T>): Promise<T> {
  const before = process.env.HDP_CACHE_DIR;
  process.env.HDP_CACHE_DIR = dir;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.HDP_CACHE_DIR;
    else process.env.HDP_CACHE_DIR = before;
  }
}

describe("CRD sources", () => {
  it("are the operator versions the stack pins", () => {
    expect(source("strimzi").version).toBe(VERSIONS.strimziChart);
    expect(source("cloudnative-pg").version).toBe(CNPG_OPERATOR_OF_CHART[VERSIONS.cnpgChart]);
    expect(source("cert-manager").version).toBe(VERSIONS.certManagerChart);
    expect(source("traefik").version).toBe(VERSIONS.traefik);
    expect(source("prometheus-operator").version).toBe(
      PROMETHEUS_OPERATOR_OF_CHART[VERSIONS.kubePrometheusStackChart],
    );
    expect(source("k3s-helm-controller").version).toBe(VERSIONS.k3sHelmController);
  });

  it("take the Prometheus Operator's CRDs from the one release of its module kube-prometheus-stack pins", () => {
    expect(VERSIONS.kubePrometheusStackChart).toBe("77.14.0");
    expect(source("prometheus-operator")).toMatchObject({
      module: "github.com/prometheus-operator/prometheus-operator",
      version: "v0.85.0",
    });
  });

  it("are pinned by go.mod and checked by go.sum, or pinned by pom.xml and strimzi-jars.sha256", () => {
    const goMod = readLockFile(LOCK_FILES.goMod);
    const goSum = readLockFile(LOCK_FILES.goSum);
    const goSources = CRD_SOURCES.filter((s) => s.from === "go-module");
    expect([...goModRequirements(goMod).keys()].sort()).toEqual(goSources.map((s) => s.module).sort());
    for (const s of goSources) expect(() => checkGoPin(s, goMod, goSum), s.module).not.toThrow();

    const strimzi = source("strimzi");
    expect(pomProperty(readLockFile(LOCK_FILES.pom), "strimzi.version")).toBe(strimzi.version);
    const jars = parseSha256List(readLockFile(LOCK_FILES.jarSums));
    expect(jars.has(`api-${strimzi.version}.jar`)).toBe(true);
    expect(jars.has(`crd-generator-${strimzi.version}.jar`)).toBe(true);
  });

  it("define every custom resource kind the platform renders, each kind once", () => {
    const config = parseStackConfig(validSettings(), "dev");
    const rendered = [
      ...kafkaObjects(config.platform),
      ...postgresObjects(config.platform, {
        endpoint: "https://s3.example.com",
        bucket: "b",
        retentionDays: 7,
        credentialsSecret: "s",
      }),
      clusterIssuer(config.tls),
      ...middlewares(),
      ...podMonitors(scrapeTargets(config)),
      ...prometheusRuleObjects("hdp-monitoring"),
      ...uiAuthMiddlewares(),
      traefikMetricsConfig(),
    ];
    const defined = CRD_SOURCES.flatMap((s) => filesOf(s).map((f) => f.kind));
    expect(new Set(defined).size).toBe(defined.length);
    const custom = rendered.filter((o) => o.apiVersion !== "v1");
    expect(custom.length).toBeGreaterThan(rendered.length / 2);
    for (const o of custom) expect(defined, o.kind).toContain(o.kind);
  });

  it("are cached per operator and version under the tool cache", async () => {
    const dir = await withCacheDir("/var/cache/hdp", () => crdCacheDir(source("traefik")));
    expect(dir).toBe(`/var/cache/hdp/crds/traefik-${VERSIONS.traefik}`);
  });
});

describe("lock-file readers", () => {
  it("read go.mod requirements, in a block or on one line, past comments", () => {
    const text =
      "module m\n\nrequire (\n\t// why\n\ta.io/x v1.0.0 // indirect\n\tb.io/y v2.1.0\n)\nrequire c.io/z v0.1.0\n";
    expect([...goModRequirements(text)]).toEqual([
      ["a.io/x", "v1.0.0"],
      ["b.io/y", "v2.1.0"],
      ["c.io/z", "v0.1.0"],
    ]);
  });

  it("find a module's tree and go.mod hashes in go.sum", () => {
    const text = "a.io/x v1.0.0 h1:tree=\na.io/x v1.0.0/go.mod h1:mod=\na.io/x v0.9.0 h1:old=\n";
    expect(goSumEntries(text, "a.io/x", "v1.0.0")).toEqual({ tree: "h1:tree=", mod: "h1:mod=" });
    expect(goSumEntries(text, "a.io/x", "v2.0.0")).toEqual({});
  });

  it("read a pom property", () => {
    expect(
      pomProperty("<properties><strimzi.version> 0.45.0 </strimzi.version></properties>", "strimzi.version"),
    ).toBe("0.45.0");
    expect(pomProperty("<properties/>", "strimzi.version")).toBeUndefined();
  });

  it("read a sha256 list and say what differs", () => {
    const sum = (c: string) => c.repeat(64);
    const list = parseSha256List(`# comment\n\n${sum("a")}  one.jar\n${sum("b")} *two.jar\n`);
    expect([...list]).toEqual([
      ["one.jar", sum("a")],
      ["two.jar", sum("b")],
    ]);
    expect(() => parseSha256List("abc one.jar")).toThrow(/not a sha256sum line/);
    const actual = new Map([
      ["one.jar", sum("c")],
      ["three.jar", sum("d")],
    ]);
    expect(sha256Differences(list, actual)).toEqual([
      `one.jar: sha256 ${sum("c")}, expected ${sum("a")}`,
      "two.jar: missing",
      "three.jar: not in the list",
    ]);
  });
});

describe("the fetch's checks", () => {
  const file = { path: "deploy/crds/crd-widgets.yaml", kind: "Widget" };
  const crd = (kind: string) =>
    `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n  labels:\n    app: '{{ template "name" . }}'\n    tier: crds\nspec:\n  names:\n    kind: ${kind}\n`;

  it("take the one CRD of a file, without Helm directives in its labels", () => {
    const parsed = parseCrdFile(`# {{- if .Values.crds }}\n---\n${crd("Widget")}---\n`, file, "f.yaml");
    expect(parsed.metadata).toEqual({ name: "widgets.example.com", labels: { tier: "crds" } });
  });

  it("refuse a file that defines another kind, or is not a CRD", () => {
    expect(() => parseCrdFile(crd("Gadget"), file, "f.yaml")).toThrow("f.yaml defines Gadget, not Widget");
    expect(() => parseCrdFile("apiVersion: v1\nkind: ConfigMap\n", file, "f.yaml")).toThrow(
      /not one apiextensions.k8s.io\/v1 CustomResourceDefinition/,
    );
  });

  it("refuse a Go module go.mod does not pin at the stack's version, and cache nothing", async () => {
    const unpinned = { ...(source("traefik") as CrdSource & { from: "go-module" }), version: "v3.0.0" };
    const cache = await mkdtemp(join(tmpdir(), "hdp-crds-"));
    try {
      const fetching = withCacheDir(cache, () => ensureCrds({ sources: [unpinned], log: () => {} }));
      await expect(fetching).rejects.toThrow(
        `crds: infra/platform/crds/go.mod requires github.com/traefik/traefik/v3 ${VERSIONS.traefik}, but the stack pins v3.0.0 (VERSIONS.traefik ${VERSIONS.traefik}): make them equal`,
      );
      expect(await readdir(join(cache, "crds"))).toEqual([]);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  describe("with no tools on PATH", () => {
    const path = process.env.PATH;
    afterEach(() => {
      process.env.PATH = path;
    });
    it("name the Debian package of a missing tool", () => {
      process.env.PATH = "";
      for (const [tool, pkg] of [
        ["mvn", "maven"],
        ["java", "openjdk-17-jre-headless"],
      ] as const) {
        const error = (() => {
          try {
            requireTool(tool, "to test");
          } catch (e) {
            return e as CrdFetchError;
          }
        })();
        expect(error).toBeInstanceOf(CrdFetchError);
        expect(error?.message).toBe(`crds: ${tool} is not installed (to test): apt-get install ${pkg}`);
        expect(error?.missingTool).toEqual({ tool, debianPackage: pkg });
      }
    });
  });
});
