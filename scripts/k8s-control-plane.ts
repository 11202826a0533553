/**
 * A real Kubernetes control plane on loopback (see scripts/k8s/control-plane.ts).
 *
 *   npm run k8s:start    start one in the foreground; prints its KUBECONFIG; Ctrl-C stops it
 *   npm run k8s:build    only build the binaries into the cache (CI pre-warm; about 15 min the first time)
 */
import { parseArgs } from "node:util";
import { ensureControlPlaneBinaries } from "./k8s/binaries.js";
import { startControlPlane } from "./k8s/control-plane.js";

const USAGE = `usage: tsx scripts/k8s-control-plane.ts <command>
  start       start etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on loopback;
              prints KUBECONFIG=<path> (admin); nodes you create are simulated by kwok; Ctrl-C stops
  build       build the binaries into the cache and exit
  --keep      (start) keep the folder with certificates, logs and etcd data after stopping
  -h, --help  this text`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command] = positionals;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1 || (command !== "start" && command !== "build")) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  if (command === "build") {
    const binaries = await ensureControlPlaneBinaries();
    console.error(`k8s: Kubernetes ${binaries.kubernetesVersion} binaries ready (${binaries.kubeApiserver})`);
    return;
  }
  const plane = await startControlPlane({ keepDir: values.keep });
  console.log(`KUBECONFIG=${plane.kubeconfig}`);
  const signalled = new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  const outcome = await Promise.race([signalled, plane.failed]);
  if (typeof outcome === "string") {
    console.error(`k8s: ${outcome} received, stopping…`);
  } else {
    console.error(
      `k8s: ${outcome.component} exited unexpectedly (code ${outcome.code}):\n${plane.logTail(outcome.component)}`,
    );
    process.exitCode = 1;
  }
  await plane.stop();
  console.error(values.keep ? `k8s: stopped; files kept in ${plane.dir}` : "k8s: stopped");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
