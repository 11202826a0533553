/**
 * The Prometheus tools of the tests, built once from `github.com/prometheus/prometheus` into the tool cache
 * (`toolCacheDir("prometheus", <module version>)`) and reused while the version matches: the server
 * (`cmd/prometheus`), promtool (`cmd/promtool`), and our `promql-inspect` (PromQL → the metrics it names),
 * all through the wrapper module in `scripts/prometheus/build/`, which pins the version.
 *
 * The server is built without its web UI's assets (its HTTP API is all the tests use) and with the
 * `remove_all_sd` tag: only static, file and HTTP service discovery, which is all a server on loopback can
 * use, and a few minutes less to build (promtool still links Kubernetes discovery, which it imports).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolCacheDir } from "../../infra/plan/tool-cache.js";
import {
  buildInto,
  goCommand,
  isBuilt,
  requiredVersion,
  runChecked,
  secondsSince,
  type Log,
} from "../lib/go-build.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The wrapper Go module that pins `github.com/prometheus/prometheus` and holds `promql-inspect`. */
export const PROMETHEUS_BUILD_MODULE = join(here, "build");
const PROMETHEUS_MODULE = "github.com/prometheus/prometheus";

/** Paths of the built tools. */
export interface PrometheusBinaries {
  /** The Go module's version, e.g. `v0.316.0`. */
  readonly moduleVersion: string;
  /** The Prometheus release it is, e.g. `3.16.0`, as the binaries report it. */
  readonly version: string;
  readonly prometheus: string;
  readonly promtool: string;
  readonly promqlInspect: string;
}

/** The `github.com/prometheus/prometheus` version the wrapper module requires. */
export const prometheusModuleVersion = (): string =>
  requiredVersion(join(PROMETHEUS_BUILD_MODULE, "go.mod"), PROMETHEUS_MODULE);

/**
 * The Prometheus release of a module version: the module is tagged v0.<major><minor 2 digits>.<patch>
 * for release v<major>.<minor>.<patch> (v0.316.0 is Prometheus 3.16.0).
 */
export function prometheusRelease(moduleVersion: string): string {
  const match = /^v0\.(\d)(\d{2})\.(\d+)$/.exec(moduleVersion);
  if (!match) throw new Error(`${PROMETHEUS_MODULE} ${moduleVersion}: not a v0.<major><minor>.<patch> tag`);
  const [, major, minor, patch] = match;
  return `${major}.${Number(minor)}.${patch}`;
}

/** `-ldflags` that stamp the release, so that `--version` and `prometheus_build_info` report it. */
export function prometheusLdflags(release: string): string {
  const pkg = "github.com/prometheus/common/version";
  return ["-s -w", `-X ${pkg}.Version=${release}`, `-X ${pkg}.Branch=HEAD`, `-X ${pkg}.BuildUser=hdp`].join(
    " ",
  );
}

const cacheDir = (moduleVersion: string) => toolCacheDir("prometheus", moduleVersion);

function binariesIn(dir: string, moduleVersion: string): PrometheusBinaries {
  return {
    moduleVersion,
    version: prometheusRelease(moduleVersion),
    prometheus: join(dir, "prometheus"),
    promtool: join(dir, "promtool"),
    promqlInspect: join(dir, "promql-inspect"),
  };
}

/** The built tools, or undefined when the cache has none for this version (nothing built, no Go needed). */
export function builtPrometheusBinaries(): PrometheusBinaries | undefined {
  const moduleVersion = prometheusModuleVersion();
  const dir = cacheDir(moduleVersion);
  return isBuilt(dir) ? binariesIn(dir, moduleVersion) : undefined;
}

/**
 * The Prometheus tools, built first when the cache has none for this version (needs Go and the Go module
 * proxy; measured with an empty Go build cache: 8 min 15 s on two cores, 14 min on two cores shared with other work).
 */
export async function ensurePrometheusBinaries(
  log: Log = (l) => console.error(l),
): Promise<PrometheusBinaries> {
  const moduleVersion = prometheusModuleVersion();
  const release = prometheusRelease(moduleVersion);
  const dir = cacheDir(moduleVersion);
  if (isBuilt(dir)) return binariesIn(dir, moduleVersion);
  const go = goCommand("the Prometheus tools");
  log(`prometheus: building prometheus, promtool and promql-inspect ${release} with ${go} (first run only)…`);
  const started = Date.now();
  await buildInto(dir, { log, prefix: "prometheus", what: `Prometheus ${release}` }, async (staging) => {
    await runChecked(
      go,
      [
        "build",
        "-trimpath",
        "-tags",
        "remove_all_sd",
        "-ldflags",
        prometheusLdflags(release),
        "-o",
        `${staging}/`,
        `${PROMETHEUS_MODULE}/cmd/prometheus`,
        `${PROMETHEUS_MODULE}/cmd/promtool`,
        "./promql-inspect",
      ],
      { cwd: PROMETHEUS_BUILD_MODULE },
    );
  });
  log(`prometheus: built ${release} in ${secondsSince(started)} into ${dir}`);
  return binariesIn(dir, moduleVersion);
}
