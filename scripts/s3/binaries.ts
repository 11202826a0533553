/**
 * The S3-compatible server of the tests and the local run: SeaweedFS's `weed` (Apache-2.0), built once from
 * `github.com/seaweedfs/seaweedfs` into the tool cache (`toolCacheDir("seaweedfs", <module version>)`)
 * through the wrapper module in `scripts/s3/build/`, which pins the version (and copies the module's own
 * `replace` directive, which is why `go install ...@version` cannot build it).
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
/** The wrapper Go module that pins `github.com/seaweedfs/seaweedfs`. */
export const S3_BUILD_MODULE = join(here, "build");
const SEAWEEDFS_MODULE = "github.com/seaweedfs/seaweedfs";
/**
 * The SeaweedFS release that the pinned commit is (weed/util/version: 4.53); the cluster runs the image of
 * the same release (infra/platform/render.ts).
 */
export const SEAWEEDFS_RELEASE = "4.53";

/** The `github.com/seaweedfs/seaweedfs` version the wrapper module requires (a commit's pseudo-version). */
export const seaweedfsModuleVersion = (): string =>
  requiredVersion(join(S3_BUILD_MODULE, "go.mod"), SEAWEEDFS_MODULE);

const cacheDir = (moduleVersion: string) => toolCacheDir("seaweedfs", moduleVersion);

/** The built `weed`, or undefined when the cache has none for this version (nothing built, no Go needed). */
export function builtWeed(): string | undefined {
  const dir = cacheDir(seaweedfsModuleVersion());
  return isBuilt(dir) ? join(dir, "weed") : undefined;
}

/**
 * `weed`, built first when the cache has none for this version (needs Go and the Go module proxy; measured
 * on two cores with the module cache warm: about 10 minutes; 230 MB before stripping, about 150 MB after).
 */
export async function ensureWeed(log: Log = (l) => console.error(l)): Promise<string> {
  const moduleVersion = seaweedfsModuleVersion();
  const dir = cacheDir(moduleVersion);
  if (isBuilt(dir)) return join(dir, "weed");
  const go = goCommand("the S3-compatible test server (SeaweedFS)");
  log(`s3: building SeaweedFS ${SEAWEEDFS_RELEASE} (weed) with ${go} (first run only)…`);
  const started = Date.now();
  await buildInto(dir, { log, prefix: "s3", what: `SeaweedFS ${SEAWEEDFS_RELEASE}` }, async (staging) => {
    await runChecked(
      go,
      ["build", "-trimpath", "-ldflags", "-s -w", "-o", join(staging, "weed"), `${SEAWEEDFS_MODULE}/weed`],
      { cwd: S3_BUILD_MODULE, env: { ...process.env, GOFLAGS: "-mod=mod" } },
    );
  });
  log(`s3: built SeaweedFS ${SEAWEEDFS_RELEASE} in ${secondsSince(started)} into ${dir}`);
  return join(dir, "weed");
}

// `npm run s3:build`: build it now (CI does, before the tests).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureWeed();
}
