/**
 * A real S3-compatible server on loopback for the tests and the local run: SeaweedFS's `weed server -s3`
 * (master, volume server, filer and S3 gateway in one process), every port on 127.0.0.1, authentication on
 * with one identity, its data in a folder that `stop()` removes unless it was given.
 *
 * `weed server` rather than `weed mini`: mini (new in 4.x) also starts the admin UI, a maintenance worker
 * and WebDAV, some on fixed default ports, and auto-creates a missing bucket on upload; the tests want the
 * S3 API alone and a missing bucket to answer NoSuchBucket, as AWS S3 does.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import type { Log } from "../lib/go-build.js";
import { freePort } from "../lib/ports.js";
import { waitFor } from "../lib/wait-for.js";

/** The region every client signs for; SeaweedFS accepts any, and AWS's default keeps clients unsurprised. */
export const S3_REGION = "us-east-1";

/** Where a server is and the identity to use it with: all a client needs. */
export interface S3Credentials {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

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

/** The ports of one server: the S3 API's and weed's other services', each bound to 127.0.0.1. */
export interface WeedPorts {
  readonly s3: number;
  readonly s3Grpc: number;
  readonly master: number;
  readonly masterGrpc: number;
  readonly volume: number;
  readonly volumeGrpc: number;
  readonly filer: number;
  readonly filerGrpc: number;
}

/** The S3 identities file (`-s3.config`): one identity with every action, so that it may create buckets. */
export function renderS3Identities(keys: { accessKeyId: string; secretAccessKey: string }): string {
  return `${JSON.stringify(
    {
      identities: [
        {
          name: "hdp",
          credentials: [{ accessKey: keys.accessKeyId, secretKey: keys.secretAccessKey }],
          actions: ["Admin", "Read", "Write", "List", "Tagging"],
        },
      ],
    },
    null,
    2,
  )}\n`;
}

/** The command line of `weed server` with the S3 gateway, every service on 127.0.0.1 at the given ports. */
export function weedServerArgs(options: {
  readonly dataDir: string;
  readonly identitiesFile: string;
  readonly ports: WeedPorts;
}): string[] {
  const { dataDir, identitiesFile, ports } = options;
  return [
    "server",
    `-dir=${dataDir}`,
    // -ip is the address the services tell each other (and clients) to use, -ip.bind what they listen on.
    "-ip=127.0.0.1",
    "-ip.bind=127.0.0.1",
    `-master.port=${ports.master}`,
    `-master.port.grpc=${ports.masterGrpc}`,
    // A single master elects itself; on a restart it first waits out the election timeout (10 s by default).
    "-master.electionTimeout=1s",
    // Anonymous usage statistics are on by default; a test server has nothing to report and no internet.
    "-master.telemetry=false",
    // Small volumes, as many as the disk holds (each bucket is a collection with volumes of its own).
    "-master.volumeSizeLimitMB=64",
    "-volume.max=0",
    `-volume.port=${ports.volume}`,
    `-volume.port.grpc=${ports.volumeGrpc}`,
    // The volume server waits 10 s after its last heartbeat before it stops, which a test need not.
    "-volume.preStopSeconds=0",
    `-filer.port=${ports.filer}`,
    `-filer.port.grpc=${ports.filerGrpc}`,
    `-filer.localSocket=${join(dataDir, "filer.sock")}`,
    "-s3",
    `-s3.port=${ports.s3}`,
    `-s3.port.grpc=${ports.s3Grpc}`,
    `-s3.localSocket=${join(dataDir, "s3.sock")}`,
    `-s3.config=${identitiesFile}`,
    // A missing bucket answers NoSuchBucket, as on AWS S3, instead of being created by the first upload.
    "-s3.autoCreateBucket=false",
    // The Iceberg and Lance catalogs would listen on fixed ports (8181, 9101); the tests use plain S3.
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
  ];
}

/** A client of a server (or any S3-compatible endpoint) with path-style addressing; `config` adds to it. */
export function s3Client(credentials: S3Credentials, config: S3ClientConfig = {}): S3Client {
  return new S3Client({
    endpoint: credentials.endpoint,
    region: credentials.region,
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    ...config,
  });
}

/** Creates a bucket with a client; nothing when its owner asks again (BucketAlreadyOwnedByYou). */
async function createBucketWith(client: S3Client, name: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    if ((error as { name?: string }).name !== "BucketAlreadyOwnedByYou") throw error;
  }
}

/** Creates a bucket; nothing when its owner asks again (BucketAlreadyOwnedByYou). */
export async function createBucket(credentials: S3Credentials, name: string): Promise<void> {
  const client = s3Client(credentials);
  try {
    await createBucketWith(client, name);
  } finally {
    client.destroy();
  }
}

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
 * Master settings that have no flag (master.toml keys, read from `WEED_*` variables): one volume per new
 * collection instead of seven (each bucket is one), and no hold on the first volume allocation, which
 * protects a rebuilt master's cluster (SeaweedFS's master.toml: `"0s" disables it (e.g. test setups)`).
 */
export const WEED_ENVIRONMENT: Readonly<Record<string, string>> = {
  WEED_MASTER_VOLUME_GROWTH_COPY_1: "1",
  WEED_MASTER_VOLUME_GROWTH_ALLOCATION_DEFERRAL: "0s",
};

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
