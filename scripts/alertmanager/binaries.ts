/**
 * `alertmanager-check`: Alertmanager's own configuration loader, built once from the wrapper module in
 * `scripts/alertmanager/check/` (which pins `github.com/prometheus/alertmanager` at the release
 * kube-prometheus-stack installs) into the tool cache (`toolCacheDir("alertmanager-check", <version>)`).
 * About 40 s of building on two cores; later runs reuse it while the version matches.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolCacheDir } from "../../infra/plan/tool-cache.js";
import { runTool } from "../../infra/plan/run-tool.js";
import {
  buildInto,
  goCommand,
  isBuilt,
  requiredVersion,
  runChecked,
  secondsSince,
  which,
  type Log,
} from "../lib/go-build.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The wrapper Go module that pins Alertmanager and holds the checker. */
export const ALERTMANAGER_CHECK_MODULE = join(here, "check");
const ALERTMANAGER_MODULE = "github.com/prometheus/alertmanager";

/** The Alertmanager version the wrapper module requires, e.g. `v0.28.1`. */
export const alertmanagerModuleVersion = (): string =>
  requiredVersion(join(ALERTMANAGER_CHECK_MODULE, "go.mod"), ALERTMANAGER_MODULE);

/** Whether the checker is built or Go is here to build it. */
export const canCheckAlertmanagerConfig = (): boolean =>
  isBuilt(toolCacheDir("alertmanager-check", alertmanagerModuleVersion())) ||
  which("go", ["/usr/local/go/bin"]) !== undefined;

/** The checker's path, built first when the cache has none for this version (needs Go and the module proxy). */
export async function ensureAlertmanagerCheck(log: Log = (l) => console.error(l)): Promise<string> {
  const version = alertmanagerModuleVersion();
  const dir = toolCacheDir("alertmanager-check", version);
  const binary = join(dir, "alertmanager-check");
  if (isBuilt(dir)) return binary;
  const go = goCommand("Alertmanager's configuration check");
  log(`alertmanager: building alertmanager-check against Alertmanager ${version} (first run only)…`);
  const started = Date.now();
  await buildInto(dir, { log, prefix: "alertmanager", what: `alertmanager-check ${version}` }, (staging) =>
    runChecked(
      go,
      ["build", "-trimpath", "-ldflags", "-s -w", "-o", join(staging, "alertmanager-check"), "."],
      {
        cwd: ALERTMANAGER_CHECK_MODULE,
        env: { GOFLAGS: "-mod=readonly", GOWORK: "off" },
      },
    ).then(() => undefined),
  );
  log(`alertmanager: built alertmanager-check in ${secondsSince(started)} into ${dir}`);
  return binary;
}

/** What Alertmanager's loader says of a configuration: accepted, or its reason. */
export async function checkAlertmanagerConfig(
  binary: string,
  yaml: string,
): Promise<{ readonly ok: boolean; readonly reason: string }> {
  const result = await runTool(binary, [], { input: yaml });
  if (result.code !== 0 && result.code !== 1) {
    throw new Error(`alertmanager-check failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return { ok: result.code === 0, reason: result.stderr.trim() };
}
