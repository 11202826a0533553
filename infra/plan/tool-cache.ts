import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where heavy, versioned tools and downloads (the Kubernetes control plane, operators' CRDs) are kept between
 * runs, outside the clone so that a fresh clone reuses them: `$HDP_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/hybrid-data-pipeline`, else `~/.cache/hybrid-data-pipeline`. Callers key the sub-folders
 * by version so that a version bump builds anew.
 */
export function toolCacheDir(...parts: string[]): string {
  const root =
    process.env.HDP_CACHE_DIR?.trim() ||
    join(process.env.XDG_CACHE_HOME?.trim() || join(homedir(), ".cache"), "hybrid-data-pipeline");
  return resolve(root, ...parts);
}
