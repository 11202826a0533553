/**
 * A real S3-compatible server on loopback (SeaweedFS `weed server -s3`: master, volume, filer and S3 gateway
 * in one process) for the tests and `npm run dev -- --archive`: every port on 127.0.0.1, authentication on
 * with one identity, its data in a folder that `stop()` removes unless it was given.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import type { Log } from "../lib/go-build.js";
import { freePort } from "../lib/ports.js";
import { waitFor } from "../lib/wait-for.js";

export interface S3ServerOptions {
  /** `weed` (scripts/s3/binaries.ts). */
  readonly weed: string;
  /** Keep the data here (created if missing) instead of a temporary folder removed by `stop()`. */
  readonly dataDir?: string;
  /** The identity's keys; generated when omitted. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** The S3 API's port on 127.0.0.1; 0 or omitted picks a free one. */
  readonly port?: number;
  /** @default 60_000 */
  readonly readyTimeoutMs?: number;
  readonly log?: Log;
}

export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Creates a bucket (nothing when it exists already). */
  createBucket(name: string): Promise<void>;
  /** A client of the server with the identity's keys (path-style). */
  client(): S3Client;
  stop(): Promise<void>;
}

export const S3_REGION = "us-east-1";

/** Starts `weed server -s3` on loopback and waits until the S3 API answers signed requests. */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const log = options.log ?? (() => {});
  const ownDir = !options.dataDir;
  const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "hdp-s3-")));
  const data = join(dir, "data");
  await mkdir(data, { recursive: true });
  const accessKeyId = options.accessKeyId ?? `hdp${randomBytes(8).toString("hex")}`;
  const secretAccessKey = options.secretAccessKey ?? randomBytes(24).toString("base64url");
  const identities = join(dir, "s3-identities.json");
  await writeFile(
    identities,
    JSON.stringify({
      identities: [
        {
          name: "hdp",
          credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
          actions: ["Admin", "Read", "Write", "List", "Tagging"],
        },
      ],
    }),
    { mode: 0o600 },
  );
  const port = options.port || (await freePort());
  const ports: number[] = [];
  for (let i = 0; i < 7; i++) ports.push(await freePort());
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3Grpc] = ports as [number, ...number[]];
  const logFile = join(dir, "weed.log");
  const out = createWriteStream(logFile);
  const child = spawn(
    options.weed,
    [
      "server",
      `-dir=${data}`,
      "-ip=127.0.0.1",
      "-ip.bind=127.0.0.1",
      `-master.port=${master}`,
      `-master.port.grpc=${masterGrpc}`,
      // Small volumes, as many as the disk holds: every bucket is a collection with volumes of its own.
      "-master.volumeSizeLimitMB=64",
      "-volume.max=0",
      `-volume.port=${volume}`,
      `-volume.port.grpc=${volumeGrpc}`,
      `-filer.port=${filer}`,
      `-filer.port.grpc=${filerGrpc}`,
      "-s3",
      `-s3.port=${port}`,
      `-s3.port.grpc=${s3Grpc}`,
      "-s3.port.iceberg=0",
      "-s3.port.lance=0",
      `-s3.config=${identities}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exited (${signal ?? code})`));
  const lastLines = () => {
    try {
      return readFileSync(logFile, "utf8").trim().split("\n").slice(-8).join("\n");
    } catch {
      return "(no log)";
    }
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = () =>
    new S3Client({
      region: S3_REGION,
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 2,
    });
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await gone;
      clearTimeout(timer);
    }
    out.end();
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  const probe = client();
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`weed ${exited} before its S3 API answered:\n${lastLines()}`);
        // A signed request that the gateway answers only once the filer behind it is up.
        return probe.send(new ListBucketsCommand({})).then(
          () => true,
          () => undefined,
        );
      },
      {
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        intervalMs: 200,
        describe: () => `the S3 API of weed on ${endpoint} (log: ${lastLines()})`,
      },
    );
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
  log(`s3: SeaweedFS S3 API on ${endpoint} in ${Date.now() - started} ms`);
  return {
    endpoint,
    region: S3_REGION,
    accessKeyId,
    secretAccessKey,
    client,
    async createBucket(name) {
      const c = client();
      try {
        await c.send(new CreateBucketCommand({ Bucket: name })).catch((error: { name?: string }) => {
          if (error.name !== "BucketAlreadyOwnedByYou" && error.name !== "BucketAlreadyExists") throw error;
        });
      } finally {
        c.destroy();
      }
    },
    stop,
  };
}
