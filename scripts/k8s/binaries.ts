/**
 * The binaries of the test control plane, built once from their Go modules into the tool cache
 * (`toolCacheDir("kubernetes", <version>)`, `toolCacheDir("kwok", <version>)`) and reused while the versions
 * match: kube-apiserver, kube-controller-manager and kube-scheduler from `k8s.io/kubernetes` at the
 * Kubernetes version of the pinned k3s (through the wrapper module in `scripts/k8s/build/`), etcd from
 * `go.etcd.io/etcd/server/v3` (wrapper module `scripts/k8s/etcd/`; an etcd recent enough for the API server's
 * watch-progress requests, which watch-list clients such as kwok rely on), kwok and its stages from
 * `sigs.k8s.io/kwok`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { KUBERNETES_VERSION, minorOf } from "../../infra/cluster/k3s-version.js";
import { toolCacheDir } from "../../infra/plan/tool-cache.js";
import {
  buildInto,
  goCommand,
  isBuilt,
  requiredVersion,
  runChecked as run,
  secondsSince as seconds,
  type Log,
} from "../lib/go-build.js";

export { MissingToolError, requiredVersion, which, type Log } from "../lib/go-build.js";

/** kwok, which simulates the stack's nodes and the lifecycle of their pods. */
export const KWOK_VERSION = "v0.8.0";

/** The stages kwok plays, as shipped in its module (`kustomize/stage/<dir>`). */
const KWOK_STAGE_DIRS = ["node/fast", "node/heartbeat-with-lease", "pod/general"];

/** The control plane's components, by name. */
export const KUBERNETES_COMPONENTS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;

const here = dirname(fileURLToPath(import.meta.url));
/** The wrapper Go module that pins `k8s.io/kubernetes` and its staging modules. */
export const BUILD_MODULE = join(here, "build");
/** The wrapper Go module that pins etcd. */
export const ETCD_MODULE = join(here, "etcd");

/** Paths of everything the control plane runs. */
export interface ControlPlaneBinaries {
  readonly kubernetesVersion: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kwok: string;
  /** kwok's node and pod stages, one multi-document YAML file. */
  readonly kwokStages: string;
  readonly etcd: string;
}

/** The `k8s.io/kubernetes` version the wrapper module requires (kept equal to the pinned k3s). */
export const wrapperKubernetesVersion = (): string =>
  requiredVersion(join(BUILD_MODULE, "go.mod"), "k8s.io/kubernetes");

/** The etcd version its wrapper module requires. */
export const etcdVersion = (): string =>
  requiredVersion(join(ETCD_MODULE, "go.mod"), "go.etcd.io/etcd/server/v3");

/** `-ldflags` that stamp the version, so that the binaries and their clients report it instead of v0.0.0. */
export function versionLdflags(version: string): string {
  const [major, minor] = minorOf(version).split(".");
  const stamp = (pkg: string) =>
    [
      `-X ${pkg}.gitVersion=${version}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    ].join(" ");
  return ["-s -w", stamp("k8s.io/component-base/version"), stamp("k8s.io/client-go/pkg/version")].join(" ");
}

async function ensureKubernetes(log: Log): Promise<string> {
  const version = wrapperKubernetesVersion();
  if (version !== KUBERNETES_VERSION) {
    throw new Error(
      `scripts/k8s/build/go.mod requires k8s.io/kubernetes ${version}, but k3s pins ${KUBERNETES_VERSION}: ` +
        `bump the require and every staging replace to v0.${KUBERNETES_VERSION.slice(3)}`,
    );
  }
  const dir = toolCacheDir("kubernetes", version);
  if (isBuilt(dir)) return dir;
  const go = goCommand("the control plane");
  log(
    `k8s: building ${KUBERNETES_COMPONENTS.join(", ")} ${version} with ${go} (first run only; 10–20 min on 2 cores)…`,
  );
  const started = Date.now();
  await buildInto(dir, { log, prefix: "k8s", what: `Kubernetes ${version}` }, async (staging) => {
    await run(
      go,
      [
        "build",
        "-trimpath",
        "-ldflags",
        versionLdflags(version),
        "-o",
        `${staging}/`,
        ...KUBERNETES_COMPONENTS.map((c) => `k8s.io/kubernetes/cmd/${c}`),
      ],
      { cwd: BUILD_MODULE },
    );
  });
  log(`k8s: built ${version} in ${seconds(started)} into ${dir}`);
  return dir;
}

async function ensureEtcd(log: Log): Promise<string> {
  const version = etcdVersion();
  const dir = toolCacheDir("etcd", version);
  if (isBuilt(dir)) return dir;
  const go = goCommand("the control plane");
  log(`k8s: building etcd ${version} (first run only; a few minutes)…`);
  const started = Date.now();
  await buildInto(dir, { log, prefix: "k8s", what: `etcd ${version}` }, async (staging) => {
    await run(
      go,
      ["build", "-trimpath", "-ldflags=-s -w", "-o", join(staging, "etcd"), "go.etcd.io/etcd/server/v3"],
      {
        cwd: ETCD_MODULE,
      },
    );
  });
  log(`k8s: etcd ${version} built in ${seconds(started)}`);
  return dir;
}

/** kwok's stages from its module, concatenated in the order each folder's kustomization lists them. */
async function kwokStages(moduleDir: string): Promise<string> {
  const documents: string[] = [];
  for (const stageDir of KWOK_STAGE_DIRS) {
    const folder = join(moduleDir, "kustomize", "stage", stageDir);
    const kustomization = parse(await readFile(join(folder, "kustomization.yaml"), "utf8")) as {
      resources?: string[];
    };
    for (const file of kustomization.resources ?? []) {
      documents.push((await readFile(join(folder, file), "utf8")).trim());
    }
  }
  if (documents.length === 0)
    throw new Error(`kwok ${KWOK_VERSION}: no stages under ${moduleDir}/kustomize/stage`);
  return `${documents.join("\n---\n")}\n`;
}

async function ensureKwok(log: Log): Promise<string> {
  const dir = toolCacheDir("kwok", KWOK_VERSION);
  if (isBuilt(dir)) return dir;
  const go = goCommand("the control plane");
  log(`k8s: installing kwok ${KWOK_VERSION} with go install (first run only; a few minutes)…`);
  const started = Date.now();
  await buildInto(dir, { log, prefix: "k8s", what: `kwok ${KWOK_VERSION}` }, async (staging) => {
    const env = { GOBIN: staging };
    await run(go, ["install", "-trimpath", "-ldflags=-s -w", `sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}`], {
      env,
    });
    const info = JSON.parse(
      await run(go, ["mod", "download", "-json", `sigs.k8s.io/kwok@${KWOK_VERSION}`]),
    ) as {
      Dir?: string;
    };
    if (!info.Dir) throw new Error(`go mod download sigs.k8s.io/kwok@${KWOK_VERSION} gave no module folder`);
    await writeFile(join(staging, "stages.yaml"), await kwokStages(info.Dir));
  });
  log(`k8s: kwok ${KWOK_VERSION} ready in ${seconds(started)}`);
  return dir;
}

/** Whether the binaries are built already (nothing to build, no Go needed). */
export function controlPlaneBuilt(): boolean {
  return [
    toolCacheDir("kubernetes", KUBERNETES_VERSION),
    toolCacheDir("etcd", etcdVersion()),
    toolCacheDir("kwok", KWOK_VERSION),
  ].every(isBuilt);
}

/**
 * The control plane's binaries, built first when the cache has none for these versions (needs Go; the
 * Kubernetes build takes 10 to 20 minutes on two cores with a cold Go cache, etcd and kwok a few more).
 */
export async function ensureControlPlaneBinaries(
  log: Log = (l) => console.error(l),
): Promise<ControlPlaneBinaries> {
  const kubernetes = await ensureKubernetes(log);
  const etcd = await ensureEtcd(log);
  const kwok = await ensureKwok(log);
  return {
    kubernetesVersion: KUBERNETES_VERSION,
    kubeApiserver: join(kubernetes, "kube-apiserver"),
    kubeControllerManager: join(kubernetes, "kube-controller-manager"),
    kubeScheduler: join(kubernetes, "kube-scheduler"),
    kwok: join(kwok, "kwok"),
    kwokStages: join(kwok, "stages.yaml"),
    etcd: join(etcd, "etcd"),
  };
}
