/**
 * The binaries of the test control plane, built once from their Go modules into the tool cache
 * (`toolCacheDir("kubernetes", <version>)`, `toolCacheDir("kwok", <version>)`) and reused while the versions
 * match: kube-apiserver, kube-controller-manager and kube-scheduler from `k8s.io/kubernetes` at the
 * Kubernetes version of the pinned k3s (through the wrapper module in `scripts/k8s/build/`), etcd from
 * `go.etcd.io/etcd/server/v3` (wrapper module `scripts/k8s/etcd/`; an etcd recent enough for the API server's
 * watch-progress requests, which watch-list clients such as kwok rely on), kwok and its stages from
 * `sigs.k8s.io/kwok`.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { KUBERNETES_VERSION, minorOf } from "../../infra/cluster/k3s-version.js";
import { runTool } from "../../infra/plan/run-tool.js";
import { toolCacheDir } from "../../infra/plan/tool-cache.js";

/** Receives one human-readable progress line. */
export type Log = (line: string) => void;

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
const READY = "ready";

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

/** A tool the build or the control plane needs is missing; says what to install. */
export class MissingToolError extends Error {
  constructor(tool: string, remedy: string) {
    super(`${tool} not found: ${remedy}`);
    this.name = "MissingToolError";
  }
}

/** The version of `module` that a wrapper go.mod requires. */
export function requiredVersion(goModPath: string, module: string): string {
  const goMod = readFileSync(goModPath, "utf8");
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped} (v[^\\s/]+)`, "m").exec(goMod);
  if (!match?.[1]) throw new Error(`${goModPath}: no requirement of ${module}`);
  return match[1];
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

/** Finds an executable on PATH (or at an absolute path). */
export function which(command: string, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...extraDirs].filter(Boolean);
  if (command.includes("/")) return existsSync(command) ? command : undefined;
  return dirs.map((d) => join(d, command)).find((p) => existsSync(p));
}

/** The Go command, from PATH or the usual install folder; throws with the remedy. */
function goCommand(): string {
  const go = which("go", ["/usr/local/go/bin"]);
  if (!go)
    throw new MissingToolError(
      "go",
      "install Go 1.26 or later (https://go.dev/dl/) to build the control plane",
    );
  return go;
}

/** Runs a command; resolves with its standard output, rejects with its last error lines when it fails. */
async function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = await runTool(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${result.code}):\n${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

/**
 * Builds into a fresh folder beside `dir`, then swaps it in, so that no run sees a half-built cache. Says
 * every minute that the build is still going, since the longest takes ten to twenty.
 */
async function buildInto(
  dir: string,
  log: Log,
  what: string,
  build: (staging: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(`${dir}.tmp-`);
  const started = Date.now();
  const heartbeat = setInterval(() => log(`k8s: still building ${what} (${seconds(started)})…`), 60_000);
  try {
    await build(staging);
    await writeFile(join(staging, READY), `${new Date().toISOString()}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
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
  if (existsSync(join(dir, READY))) return dir;
  const go = goCommand();
  log(
    `k8s: building ${KUBERNETES_COMPONENTS.join(", ")} ${version} with ${go} (first run only; 10–20 min on 2 cores)…`,
  );
  const started = Date.now();
  await buildInto(dir, log, `Kubernetes ${version}`, async (staging) => {
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
  if (existsSync(join(dir, READY))) return dir;
  const go = goCommand();
  log(`k8s: building etcd ${version} (first run only; a few minutes)…`);
  const started = Date.now();
  await buildInto(dir, log, `etcd ${version}`, async (staging) => {
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
  if (existsSync(join(dir, READY))) return dir;
  const go = goCommand();
  log(`k8s: installing kwok ${KWOK_VERSION} with go install (first run only; a few minutes)…`);
  const started = Date.now();
  await buildInto(dir, log, `kwok ${KWOK_VERSION}`, async (staging) => {
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
  ].every((dir) => existsSync(join(dir, READY)));
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
