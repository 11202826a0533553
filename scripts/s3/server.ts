/**
 * A real S3-compatible server on loopback for the tests and the local run: SeaweedFS's `weed server -s3`
 * (master, volume server, filer and S3 gateway in one process), every port on 127.0.0.1, authentication on
 * with one identity, its data in a folder that `stop()` removes unless it was given.
 *
 * `weed server` rather than `weed mini`: mini also starts an admin UI, maintenance workers and WebDAV, some
 * on fixed default ports, creates a missing bucket on upload by default, and, tried with every port given
 * on 127.0.0.1, failed to bind its own S3 port ("address already in use"); the tests want the S3 API alone
 * and a missing bucket to answer NoSuchBucket, as AWS S3 does. Its command line is in weed-config.ts.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { Log } from "../lib/go-build.js";
import { freePort } from "../lib/ports.js";
import { waitFor } from "../lib/wait-for.js";
import { createBucket, createBucketWith, s3Client, S3_REGION, type S3Credentials } from "./client.js";
import { renderS3Identities, WEED_ENVIRONMENT, weedServerArgs, type WeedPorts } from "./weed-config.js";

export { createBucket, s3Client, S3_REGION, type S3Credentials } from "./client.js";
export { renderS3Identities, WEED_ENVIRONMENT, weedServerArgs, type WeedPorts } from "./weed-config.js";

/** What {@link startS3Server} starts. */
export interface S3ServerOptions {
  /** The `weed` binary (scripts/s3/binaries.ts). */
  readonly weed: string;
  /** Keep the data here (created when missing, kept by `stop()`). @default a temporary folder */
  readonly dataDir?: string;
  /** The identity's access key. @default generated per start */
  readonly accessKeyId?: string;
  /** The identity's secret key. @default generated per start */
  readonly secretAccessKey?: string;
  /** The S3 API's port on 127.0.0.1. @default a free one */
  readonly port?: number;
  /** How long to wait for the S3 API to take a write. @default 60_000 */
  readonly readyTimeoutMs?: number;
  readonly log?: Log;
}

/** A running server. */
export interface S3Server extends S3Credentials {
  /** Where its data, identities file and log are. */
  readonly dataDir: string;
  /** The ports of its services, all on 127.0.0.1. */
  readonly ports: WeedPorts;
  /** A new client with the identity's keys (path-style); `destroy()` it when done. */
  client(): S3Client;
  /** Creates a bucket; nothing when the identity owns it already. */
  createBucket(name: string): Promise<void>;
  /** The last lines the server logged, for error messages. */
  logTail(lines?: number): string;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s) and removes its temporary folder. Idempotent. */
  stop(): Promise<void>;
}

/**
 * How long a stop waits after SIGTERM before SIGKILL. `weed server` stops its volume server before its filer,
 * whose last metadata-log flush then waits for a volume that is gone (half a minute or more); by then the
 * volume server has stopped and the filer serves nothing more, within a second of SIGTERM, and the filer's
 * store (LevelDB) recovers from its journal at the next start (a test restarts on kept data).
 */
const STOP_GRACE_MS = 3_000;

/**
 * Whether the server takes a write: a put into a bucket of its own, then removed. The S3 API answers seconds
 * before it can store anything: the master holds back the first volume allocation for a few seconds after
 * it starts, and the gateway waits for the filers' lock ring before its first write.
 */
async function takesWrites(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "probe", Body: "ready" }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "probe" }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

/** Free ports for every service of one server, the S3 API's given or picked. */
async function pickPorts(s3?: number): Promise<WeedPorts> {
  // freePort() closes its probe before answering, so ask for all of them, then check they differ.
  const picked = new Set<number>(s3 === undefined ? [] : [s3]);
  while (picked.size < 8) picked.add(await freePort());
  const [s3Port, s3Grpc, master, masterGrpc, volume, volumeGrpc, filer, filerGrpc] = [...picked] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { s3: s3Port, s3Grpc, master, masterGrpc, volume, volumeGrpc, filer, filerGrpc };
}

/**
 * The ports of a server on a kept data folder: those of its first start, written beside the data, because a
 * SeaweedFS cluster knows its members by address. The master keeps its state in `m<master port>/`, and a
 * master on a new port starts a new cluster that refuses the volumes of the old one (growth frozen after
 * "master state loss"). A given S3 port replaces the recorded one (clients are not members).
 */
async function keptPorts(dataDir: string, s3?: number): Promise<WeedPorts> {
  const file = join(dataDir, "ports.json");
  if (existsSync(file)) {
    const recorded = JSON.parse(await readFile(file, "utf8")) as WeedPorts;
    return s3 === undefined ? recorded : { ...recorded, s3 };
  }
  const ports = await pickPorts(s3);
  await writeFile(file, `${JSON.stringify(ports, null, 2)}\n`);
  return ports;
}

/**
 * Starts `weed server -s3` on loopback and resolves once the S3 API takes a write (about 10 s: see
 * `takesWrites`); on failure it stops the server and says why with its log's last lines.
 */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const log = options.log ?? (() => undefined);
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const started = Date.now();
  const ownDir = options.dataDir === undefined;
  const dataDir = ownDir ? await mkdtemp(join(tmpdir(), "hdp-s3-")) : resolve(options.dataDir!);
  await mkdir(join(dataDir, "data"), { recursive: true });
  const accessKeyId = options.accessKeyId ?? `hdp${randomBytes(8).toString("hex")}`;
  const secretAccessKey = options.secretAccessKey ?? randomBytes(24).toString("base64url");
  const identitiesFile = join(dataDir, "s3-identities.json");
  await writeFile(identitiesFile, renderS3Identities({ accessKeyId, secretAccessKey }), { mode: 0o600 });
  const ports = ownDir ? await pickPorts(options.port) : await keptPorts(dataDir, options.port);
  const endpoint = `http://127.0.0.1:${ports.s3}`;
  const credentials: S3Credentials = { endpoint, region: S3_REGION, accessKeyId, secretAccessKey };

  const logFile = join(dataDir, "weed.log");
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(
    options.weed,
    weedServerArgs({ dataDir: join(dataDir, "data"), identitiesFile, ports }),
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...WEED_ENVIRONMENT } },
  );
  // Two sources into one file: neither may end it, the child's exit does (once both are drained).
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));
  const exited = new Promise<void>((r) => child.once("close", () => r()));
  const logWritten = exited.then(() => new Promise<void>((r) => out.end(() => r())));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const running = () => child.exitCode === null && child.signalCode === null && !spawnError;

  const logTail = (lines = 20) => {
    try {
      return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (running()) {
      child.kill("SIGTERM");
      const timer = setTimeout(kill, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", kill);
    await logWritten;
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };

  // One attempt per probe, each bounded: the SDK's retries with backoff would only delay the next probe, and
  // a port held by something else than weed may accept the connection and never answer.
  const probe = s3Client(credentials, {
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
  });
  const probeBucket = `hdp-ready-${randomBytes(6).toString("hex")}`;
  let bucketMade = false;
  try {
    const ready = await waitFor(
      async () => {
        if (!running()) return false;
        if (!bucketMade) {
          bucketMade = await createBucketWith(probe, probeBucket).then(
            () => true,
            () => false,
          );
          if (!bucketMade) return undefined;
        }
        return (await takesWrites(probe, probeBucket)) ? true : undefined;
      },
      {
        timeoutMs: readyTimeoutMs,
        intervalMs: 200,
        describe: () => `the S3 API of weed on ${endpoint}:\n${logTail()}`,
      },
    );
    if (!ready) {
      if (spawnError) throw new Error(`s3: could not run ${options.weed}: ${spawnError.message}`);
      await logWritten;
      // weed's fatal line (glog's `F` severity) comes before the stack dump that often fills the tail.
      const fatal = logTail(Infinity)
        .split("\n")
        .filter((line) => /^F\d{4} /.test(line));
      throw new Error(
        `s3: weed exited (code ${child.exitCode ?? child.signalCode}) at start:\n` +
          [...fatal, ...(fatal.length ? ["…"] : []), logTail()].join("\n"),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
  log(`s3: SeaweedFS S3 API ready on ${endpoint} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return {
    ...credentials,
    dataDir,
    ports,
    client: () => s3Client(credentials),
    createBucket: (name) => createBucket(credentials, name),
    logTail,
    stop,
  };
}
