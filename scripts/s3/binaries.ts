/**
 * `weed`, the SeaweedFS binary that serves the S3 API of the tests and the local run, built once from
 * `github.com/seaweedfs/seaweedfs` into the tool cache (`toolCacheDir("seaweedfs", <module version>)`) and
 * reused while the version matches, through the wrapper module in `scripts/s3/build/`, which pins the version
 * and copies SeaweedFS's own `replace` (a module with one cannot be built by `go install pkg@version`).
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
 * The SeaweedFS release the pinned module version is. SeaweedFS tags its releases `4.53`, not `v4.53.0`, so
 * the module proxy knows them only by commit (a pseudo-version); the build checks that `weed version` says
 * this release, so that a bump of the go.mod without this constant fails.
 */
export const SEAWEEDFS_RELEASE = "4.53";

/** Paths of the built server. */
export interface S3Binaries {
  /** The Go module's version, e.g. `v0.0.0-20261109003541-7506e5f91cd6`. */
  readonly moduleVersion: string;
  /** The SeaweedFS release, e.g. `4.53`. */
  readonly version: string;
  /** The `weed` binary. */
  readonly weed: string;
}

/** The `github.com/seaweedfs/seaweedfs` version the wrapper module requires. */
export const seaweedfsModuleVersion = (): string =>
  requiredVersion(join(S3_BUILD_MODULE, "go.mod"), SEAWEEDFS_MODULE);

/** The commit a pseudo-version names (its last 12 hex digits), for `weed version`. */
export function pseudoVersionCommit(moduleVersion: string): string {
  const match = /-([0-9a-f]{12})$/.exec(moduleVersion);
  if (!match?.[1]) throw new Error(`${SEAWEEDFS_MODULE} ${moduleVersion}: not a pseudo-version`);
  return match[1];
}

/** `-ldflags` that strip the symbols and stamp the commit, as SeaweedFS's own Makefile does. */
export const seaweedfsLdflags = (commit: string): string =>
  `-s -w -X ${SEAWEEDFS_MODULE}/weed/util/version.COMMIT=${commit}`;

const cacheDir = (moduleVersion: string) => toolCacheDir("seaweedfs", moduleVersion);

const binariesIn = (dir: string, moduleVersion: string): S3Binaries => ({
  moduleVersion,
  version: SEAWEEDFS_RELEASE,
  weed: join(dir, "weed"),
});

/** The built server, or undefined when the cache has none for this version (nothing built, no Go needed). */
export function builtS3Binaries(): S3Binaries | undefined {
  const moduleVersion = seaweedfsModuleVersion();
  const dir = cacheDir(moduleVersion);
  return isBuilt(dir) ? binariesIn(dir, moduleVersion) : undefined;
}

/**
 * The server, built first when the cache has none for this version (needs Go and the Go module proxy;
 * measured with a warm module cache on two cores shared with other work: 7 min 48 s with an empty Go build
 * cache, 17 s with a warm one; the stripped binary is 157 MiB).
 */
export async function ensureS3Binaries(log: Log = (l) => console.error(l)): Promise<S3Binaries> {
  const moduleVersion = seaweedfsModuleVersion();
  const dir = cacheDir(moduleVersion);
  if (isBuilt(dir)) return binariesIn(dir, moduleVersion);
  const go = goCommand("the S3 server (SeaweedFS)");
  log(`s3: building weed (SeaweedFS ${SEAWEEDFS_RELEASE}) with ${go} (first run only)…`);
  const started = Date.now();
  await buildInto(dir, { log, prefix: "s3", what: `SeaweedFS ${SEAWEEDFS_RELEASE}` }, async (staging) => {
    const weed = join(staging, "weed");
    await runChecked(
      go,
      [
        "build",
        "-trimpath",
        "-ldflags",
        seaweedfsLdflags(pseudoVersionCommit(moduleVersion)),
        "-o",
        weed,
        `${SEAWEEDFS_MODULE}/weed`,
      ],
      { cwd: S3_BUILD_MODULE, env: { GOFLAGS: "-mod=readonly", GOWORK: "off" } },
    );
    const reported = await runChecked(weed, ["version"]);
    if (!reported.includes(` ${SEAWEEDFS_RELEASE} `)) {
      throw new Error(
        `weed version says ${JSON.stringify(reported.trim())}, not SeaweedFS ${SEAWEEDFS_RELEASE}: ` +
          "change SEAWEEDFS_RELEASE in scripts/s3/binaries.ts with the require in scripts/s3/build/go.mod",
      );
    }
  });
  log(`s3: built SeaweedFS ${SEAWEEDFS_RELEASE} in ${secondsSince(started)} into ${dir}`);
  return binariesIn(dir, moduleVersion);
}
