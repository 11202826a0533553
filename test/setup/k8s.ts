/**
 * A real Kubernetes control plane for test suites. The vitest global setup (test/setup/global.ts) starts one
 * per run when a selected test file uses this helper (or reuses the one named by `HDP_KUBECONFIG`, written by
 * `npm run k8s:start`), and provides its credentials; suites ask for them here:
 *
 *   const cluster = await requireControlPlane();
 *   describe.skipIf(!cluster)("…", () => { … });
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { inject } from "vitest";
import { parse } from "yaml";
import type { KubeCredentials } from "../../scripts/k8s/client.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The control plane started by the global setup; undefined when none could be had. */
    controlPlane: KubeCredentials | undefined;
    /** Why there is none, for the notice. */
    controlPlaneMissing: string | undefined;
  }
}

/** The credentials of a kubeconfig written by `npm run k8s:start` (certificate files, one context). */
export function credentialsFromKubeconfig(path: string): KubeCredentials {
  const config = parse(readFileSync(path, "utf8")) as {
    clusters?: { cluster?: { server?: string; "certificate-authority"?: string } }[];
    users?: { user?: { "client-certificate"?: string; "client-key"?: string } }[];
  };
  const cluster = config.clusters?.[0]?.cluster;
  const user = config.users?.[0]?.user;
  const base = dirname(path);
  if (
    !cluster?.server ||
    !cluster["certificate-authority"] ||
    !user?.["client-certificate"] ||
    !user["client-key"]
  ) {
    throw new Error(`${path}: expected a kubeconfig with certificate files (as npm run k8s:start writes)`);
  }
  return {
    server: cluster.server,
    caFile: resolve(base, cluster["certificate-authority"]),
    certFile: resolve(base, user["client-certificate"]),
    keyFile: resolve(base, user["client-key"]),
  };
}

let noticeShown = false;

/**
 * The control plane's credentials. With none available it throws in CI (`CI=true`), and elsewhere prints a
 * notice once and returns undefined so that the suite can be skipped.
 */
export async function requireControlPlane(): Promise<KubeCredentials | undefined> {
  const provided = inject("controlPlane");
  if (provided) return provided;
  const why = inject("controlPlaneMissing") ?? "the global setup did not start one";
  if (process.env.CI === "true") throw new Error(`Kubernetes control plane required in CI: ${why}`);
  if (!noticeShown) {
    noticeShown = true;
    console.error(`\n*** Kubernetes control-plane suites SKIPPED — ${why}\n`);
  }
  return undefined;
}
