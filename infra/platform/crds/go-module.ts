import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { LOCK_FILES, goModRequirements, goSumEntries, readLockFile } from "./lock-files.js";
import type { GoModuleSource } from "./sources.js";
import { CrdFetchError, requireTool, runTool } from "./tools.js";

/** What `go mod download -json` prints for one module. */
interface DownloadInfo {
  readonly Version?: string;
  readonly Dir?: string;
  readonly Error?: string;
}

/** The go.mod/go.sum pin of a source matches the stack's pin; throws naming the line to change. */
export function checkGoPin(source: GoModuleSource, goMod: string, goSum: string): void {
  const required = goModRequirements(goMod).get(source.module);
  if (required !== source.version) {
    throw new CrdFetchError(
      `crds: infra/platform/crds/go.mod requires ${source.module} ${required ?? "(not at all)"}, but the stack pins ${source.version} (${source.pinnedBy}): make them equal`,
    );
  }
  const sums = goSumEntries(goSum, source.module, source.version);
  if (!sums.tree || !sums.mod) {
    throw new CrdFetchError(
      `crds: infra/platform/crds/go.sum has no checksums for ${source.module} ${source.version}: add the Sum and GoModSum lines of \`go mod download -json ${source.module}@${source.version}\``,
    );
  }
}

/**
 * Copies the source's CRD files out of its Go module into `dest`: `go mod download` in this folder, so that
 * go.mod picks the version and go.sum checks the download.
 */
export async function fetchGoModuleFiles(
  source: GoModuleSource,
  dest: string,
  log: (line: string) => void,
): Promise<void> {
  checkGoPin(source, readLockFile(LOCK_FILES.goMod), readLockFile(LOCK_FILES.goSum));
  const go = requireTool("go", `to download ${source.module}`);
  log(`crds: ${source.operator} ${source.version}: go mod download ${source.module}`);
  const result = await runTool(go, ["mod", "download", "-json", source.module], {
    cwd: dirname(LOCK_FILES.goMod),
    env: { GOFLAGS: "-mod=readonly", GOWORK: "off" },
  });
  let info: DownloadInfo = {};
  try {
    info = JSON.parse(result.stdout) as DownloadInfo;
  } catch {
    // No JSON: the reason is on standard error.
  }
  if (result.code !== 0 || info.Error || !info.Dir) {
    const reason = (info.Error ?? result.stderr).trim() || `exit code ${String(result.code)}`;
    throw new CrdFetchError(`crds: go mod download ${source.module}@${source.version} failed: ${reason}`, {
      retriable: !/checksum mismatch|SECURITY ERROR/.test(reason),
    });
  }
  if (info.Version !== source.version) {
    throw new CrdFetchError(
      `crds: go mod download resolved ${source.module} to ${String(info.Version)}, not ${source.version}`,
    );
  }
  await mkdir(dest, { recursive: true });
  for (const file of source.files) {
    let text: string;
    try {
      text = await readFile(join(info.Dir, file.path), "utf8");
    } catch {
      throw new CrdFetchError(`crds: ${source.module}@${source.version} has no file ${file.path}`);
    }
    await writeFile(join(dest, basename(file.path)), text);
  }
}
