/**
 * A real Kubernetes control plane on loopback for tests and for people (`npm run k8s:start`): etcd,
 * kube-apiserver, kube-controller-manager and kube-scheduler at the pinned k3s's Kubernetes version, and
 * kwok simulating the nodes that the caller creates (any Node object becomes a Ready node whose pods
 * start, turn Ready and, for Jobs, complete). Certificates are generated per start; everything runs in
 * one temporary folder that `stop()` removes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { freePort } from "../lib/ports.js";
import { ensureControlPlaneBinaries, type ControlPlaneBinaries, type Log } from "./binaries.js";
import { generateCertificates, type ClientIdentity } from "./certificates.js";
import { KubeClient, waitFor, type KubeCredentials } from "./client.js";

/** The service range of k3s (`service-cidr`), so that Services get the addresses they get on the cluster. */
export const SERVICE_CIDR = "10.43.0.0/16";
const SERVICE_IP = "10.43.0.1";
/** The pod range of k3s (`cluster-cidr`); kwok hands pod addresses out of it. */
export const POD_CIDR = "10.42.0.0/16";

const IDENTITIES = {
  admin: { file: "admin", user: "hdp-admin", groups: ["system:masters"] },
  controllerManager: { file: "controller-manager", user: "system:kube-controller-manager" },
  scheduler: { file: "scheduler", user: "system:kube-scheduler" },
  kwok: { file: "kwok", user: "hdp-kwok", groups: ["system:masters"] },
} satisfies Record<string, ClientIdentity>;

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  log?: Log;
  /** How long to wait for every component; default 120 s. */
  readyTimeoutMs?: number;
  /** Keep the folder (certificates, logs, etcd data) after stop, for a post-mortem. */
  keepDir?: boolean;
}

/** A running control plane. */
export interface ControlPlane {
  readonly version: string;
  /** `https://127.0.0.1:PORT` */
  readonly server: string;
  /** A kubeconfig for the admin (system:masters), usable with kubectl. */
  readonly kubeconfig: string;
  /** The admin's credentials, for {@link KubeClient}. */
  readonly credentials: KubeCredentials;
  /** Where certificates, logs and etcd data are. */
  readonly dir: string;
  /** Settles when any component exits before `stop()`: its name and exit code. */
  readonly failed: Promise<{ component: string; code: number | null }>;
  /** The last lines a component logged, for error messages. */
  logTail(component: string, lines?: number): string;
  /** Stops every component (SIGTERM, then SIGKILL after 10 s) and removes the folder. Idempotent. */
  stop(): Promise<void>;
}

/** The arguments of each component; pure, so that a test can read them. */
export function componentArgs(p: {
  dir: string;
  etcdPort: number;
  etcdPeerPort: number;
  apiPort: number;
  kwokPort: number;
  binaries: Pick<ControlPlaneBinaries, "kwokStages">;
}): Record<"etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kwok", string[]> {
  const f = (name: string) => join(p.dir, name);
  const etcdUrl = `http://127.0.0.1:${p.etcdPort}`;
  const peerUrl = `http://127.0.0.1:${p.etcdPeerPort}`;
  return {
    etcd: [
      `--data-dir=${f("etcd")}`,
      "--name=hdp-test",
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=hdp-test=${peerUrl}`,
      "--quota-backend-bytes=1073741824",
      // Throwaway test data: no fsync, so that etcd does not wait on the disk.
      "--unsafe-no-fsync",
      "--log-level=warn",
    ],
    "kube-apiserver": [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${p.apiPort}`,
      `--tls-cert-file=${f("apiserver.crt")}`,
      `--tls-private-key-file=${f("apiserver.key")}`,
      `--client-ca-file=${f("ca.crt")}`,
      `--service-account-key-file=${f("sa.pub")}`,
      `--service-account-signing-key-file=${f("sa.key")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      "--authorization-mode=Node,RBAC",
      // As k3s: privileged containers may run (Kilo and kube-router need them); Pod Security Admission
      // (on by default) decides per namespace.
      "--allow-privileged=true",
      "--enable-admission-plugins=NodeRestriction",
      "--profiling=false",
      "--v=1",
    ],
    "kube-controller-manager": [
      `--kubeconfig=${f("controller-manager.kubeconfig")}`,
      "--bind-address=127.0.0.1",
      "--secure-port=0",
      "--leader-elect=false",
      "--use-service-account-credentials=true",
      `--service-account-private-key-file=${f("sa.key")}`,
      `--root-ca-file=${f("ca.crt")}`,
      `--cluster-cidr=${POD_CIDR}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      "--controllers=*",
      "--profiling=false",
      "--v=1",
    ],
    "kube-scheduler": [
      `--kubeconfig=${f("scheduler.kubeconfig")}`,
      "--bind-address=127.0.0.1",
      "--secure-port=0",
      "--leader-elect=false",
      "--profiling=false",
      "--v=1",
    ],
    kwok: [
      `--kubeconfig=${f("kwok.kubeconfig")}`,
      `--config=${p.binaries.kwokStages}`,
      "--manage-all-nodes=true",
      `--cidr=${POD_CIDR}`,
      "--node-ip=127.0.0.1",
      `--server-address=127.0.0.1:${p.kwokPort}`,
      // Renew each node's Lease, as kubelet does, so that the node lifecycle controller keeps it Ready.
      "--node-lease-duration-seconds=40",
    ],
  };
}

/** A kubeconfig naming certificate files (not embedded), so that it stays small and readable. */
function kubeconfig(server: string, ca: string, cert: string, key: string, user: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "hdp-test", cluster: { server, "certificate-authority": ca } }],
    users: [{ name: user, user: { "client-certificate": cert, "client-key": key } }],
    contexts: [{ name: "hdp-test", context: { cluster: "hdp-test", user } }],
    "current-context": "hdp-test",
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a control plane (building its binaries first when the cache has none: see binaries.ts). Resolves once
 * the API server is ready and the controller manager works (the `default` ServiceAccount exists).
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  const binaries = await ensureControlPlaneBinaries(log);
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), "hdp-k8s-"));
  await mkdir(join(dir, "logs"));
  const pki = await generateCertificates(dir, SERVICE_IP, Object.values(IDENTITIES));
  const [etcdPort, etcdPeerPort, apiPort, kwokPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const server = `https://127.0.0.1:${apiPort}`;
  for (const [name, identity] of Object.entries({
    "controller-manager": IDENTITIES.controllerManager,
    scheduler: IDENTITIES.scheduler,
    kwok: IDENTITIES.kwok,
    admin: IDENTITIES.admin,
  })) {
    const client = pki.clients[identity.file]!;
    await writeFile(
      join(dir, `${name}.kubeconfig`),
      kubeconfig(server, pki.caCert, client.cert, client.key, identity.user),
      {
        mode: 0o600,
      },
    );
  }
  const args = componentArgs({ dir, etcdPort, etcdPeerPort, apiPort, kwokPort, binaries });
  const commands = {
    etcd: binaries.etcd,
    "kube-apiserver": binaries.kubeApiserver,
    "kube-controller-manager": binaries.kubeControllerManager,
    "kube-scheduler": binaries.kubeScheduler,
    kwok: binaries.kwok,
  } as const;

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  let reportFailure: (f: { component: string; code: number | null }) => void = () => undefined;
  const failed = new Promise<{ component: string; code: number | null }>(
    (resolve) => (reportFailure = resolve),
  );
  const logFile = (component: string) => join(dir, "logs", `${component}.log`);
  const logTail = (component: string, lines = 15) => {
    try {
      return readFileSync(logFile(component), "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  };
  const killAll = () => {
    for (const child of children.values()) if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killAll);

  const launch = (component: keyof typeof commands) => {
    const out = createWriteStream(logFile(component));
    const child = spawn(commands[component], args[component], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    child.once("exit", (code) => {
      if (!stopping) reportFailure({ component, code });
    });
    children.set(component, child);
  };

  const client = new KubeClient({
    server,
    caFile: pki.caCert,
    certFile: pki.clients[IDENTITIES.admin.file]!.cert,
    keyFile: pki.clients[IDENTITIES.admin.file]!.key,
  });

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    client.close();
    for (const component of ["kwok", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"]) {
      const child = children.get(component);
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", killAll);
    if (!options.keepDir) await rm(dir, { recursive: true, force: true });
  };

  const orFail = async <T>(what: string, work: Promise<T>): Promise<T> => {
    const failure = failed.then(({ component, code }) => {
      throw new Error(
        `k8s: ${component} exited (code ${code}) while waiting for ${what}:\n${logTail(component)}`,
      );
    });
    return Promise.race([work, failure]);
  };

  try {
    launch("etcd");
    await orFail(
      "etcd",
      waitFor(
        async () => {
          try {
            const res = await fetch(`http://127.0.0.1:${etcdPort}/health`);
            return res.ok ? true : undefined;
          } catch {
            return undefined;
          }
        },
        { timeoutMs, describe: () => `etcd on 127.0.0.1:${etcdPort}:\n${logTail("etcd")}` },
      ),
    );
    launch("kube-apiserver");
    await orFail(
      "the API server",
      waitFor(
        async () => {
          const res = await client.request("GET", "/readyz").catch(() => undefined);
          return res?.status === 200 ? true : undefined;
        },
        { timeoutMs, describe: () => `kube-apiserver /readyz on ${server}:\n${logTail("kube-apiserver")}` },
      ),
    );
    launch("kube-controller-manager");
    launch("kube-scheduler");
    launch("kwok");
    await orFail(
      "the controller manager",
      waitFor(() => client.get("v1", "ServiceAccount", "default", "default").catch(() => undefined), {
        timeoutMs,
        describe: () =>
          `the default ServiceAccount (kube-controller-manager):\n${logTail("kube-controller-manager")}`,
      }),
    );
    // The scheduler and kwok have no readiness of their own here: a component that died is reported above,
    // one that works shows when pods are scheduled and nodes turn Ready.
    await sleep(200);
    for (const component of ["kube-scheduler", "kwok"]) {
      const child = children.get(component);
      if (child?.exitCode !== null)
        throw new Error(`k8s: ${component} exited at start:\n${logTail(component)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(
    `k8s: control plane ${binaries.kubernetesVersion} ready on ${server} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    version: binaries.kubernetesVersion,
    server,
    kubeconfig: join(dir, "admin.kubeconfig"),
    credentials: client.credentials,
    dir,
    failed,
    logTail,
    stop,
  };
}
