/**
 * Real S3-compatible servers for test suites. The vitest global setup (test/setup/global.ts) starts one per
 * run when a selected test file uses this helper (SeaweedFS on loopback, scripts/s3/server.ts; built first
 * in CI, see scripts/s3/binaries.ts), or passes on the one named by `S3_ENDPOINT` with `S3_ACCESS_KEY_ID`,
 * `S3_SECRET_ACCESS_KEY` and optionally `S3_REGION`; suites make buckets of their own on it:
 *
 *   const s3 = await requireS3Server();
 *   describe.skipIf(!s3)("…", () => { … const bucket = await freshBucket(s3!, "label"); … });
 *
 * A suite that needs a server of its own (to stop it, or to start one with given keys or data) starts it
 * with {@link startS3Server} after {@link requireS3Binaries}.
 */
import { randomBytes } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";
import { builtS3Binaries, type S3Binaries } from "../../scripts/s3/binaries.js";
import * as server from "../../scripts/s3/server.js";
import {
  createBucket,
  s3Client,
  S3_REGION,
  type S3Credentials,
  type S3Server as OwnS3Server,
  type S3ServerOptions,
} from "../../scripts/s3/server.js";

export type { S3Binaries } from "../../scripts/s3/binaries.js";
export type {
  S3Credentials,
  S3Server as OwnS3Server,
  S3ServerOptions,
  WeedPorts,
} from "../../scripts/s3/server.js";

/** The run's server, as a suite sees it. */
export interface S3Server extends S3Credentials {
  /** A new client with the identity's keys (path-style); `destroy()` it when done. */
  client(): S3Client;
  /** Creates a bucket; nothing when the identity owns it already. */
  createBucket(name: string): Promise<void>;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The S3-compatible server of the run; undefined when there is none. */
    s3Server: S3Credentials | undefined;
    /** Why there is none, for the notice. */
    s3ServerMissing: string | undefined;
  }
}

/**
 * The server named by `S3_ENDPOINT` (with `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, optional `S3_REGION`,
 * default us-east-1), or undefined when `S3_ENDPOINT` is unset; throws naming the variable that is wrong.
 */
export function s3FromEnvironment(env: NodeJS.ProcessEnv = process.env): S3Credentials | undefined {
  const endpoint = env.S3_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  if (!/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
    throw new Error(`S3_ENDPOINT: ${JSON.stringify(endpoint)} is not an http(s)://host[:port] URL`);
  }
  const required = (name: "S3_ACCESS_KEY_ID" | "S3_SECRET_ACCESS_KEY") => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`${name}: required when S3_ENDPOINT is set`);
    return value;
  };
  return {
    endpoint: endpoint.replace(/\/$/, ""),
    region: env.S3_REGION?.trim() || S3_REGION,
    accessKeyId: required("S3_ACCESS_KEY_ID"),
    secretAccessKey: required("S3_SECRET_ACCESS_KEY"),
  };
}

const withClient = (credentials: S3Credentials): S3Server => ({
  ...credentials,
  client: () => s3Client(credentials),
  createBucket: (name) => createBucket(credentials, name),
});

/** The run's server: the one the global setup provides (`S3_ENDPOINT`'s or its own), else undefined. */
export async function s3Server(): Promise<S3Server | undefined> {
  const provided = inject("s3Server");
  return provided ? withClient(provided) : undefined;
}

let noticeShown = false;

/**
 * Like {@link s3Server}, for suites that need one: without a server it throws in CI (`CI=true`), and
 * elsewhere prints a notice once and returns undefined so that the suite can be skipped (until
 * `npm run s3:build` has built SeaweedFS).
 */
export async function requireS3Server(): Promise<S3Server | undefined> {
  const server = await s3Server();
  if (server) return server;
  const why = inject("s3ServerMissing") ?? "the global setup did not start one";
  if (process.env.CI === "true") throw new Error(`S3-compatible server required in CI: ${why}`);
  if (!noticeShown) {
    noticeShown = true;
    console.error(`\n*** S3 suites SKIPPED — ${why}\n`);
  }
  return undefined;
}

/**
 * A new, empty bucket of the caller's own, `<label>-<random>` (a valid bucket name for a label of lower-case
 * letters, digits and hyphens, up to 50 characters); suites on one shared server never see each other's
 * objects.
 */
export async function freshBucket(server: S3Server, label = "test"): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]{0,49}$/.test(label)) {
    throw new Error(`freshBucket: label ${JSON.stringify(label)} is not lower-case letters, digits and -`);
  }
  const name = `${label}-${randomBytes(6).toString("hex")}`;
  await server.createBucket(name);
  return name;
}

let binariesNoticeShown = false;

/**
 * The built `weed` for suites that start servers of their own ({@link startS3Server}). Without it it throws
 * in CI (`CI=true`), and elsewhere prints a notice once and returns undefined so that the suite can be
 * skipped (until `npm run s3:build` has built it).
 */
export async function requireS3Binaries(): Promise<S3Binaries | undefined> {
  const built = builtS3Binaries();
  if (built) return built;
  const why = "SeaweedFS is not built: run `npm run s3:build` once (needs Go)";
  if (process.env.CI === "true") throw new Error(`SeaweedFS required in CI: ${why}`);
  if (!binariesNoticeShown) {
    binariesNoticeShown = true;
    console.error(`\n*** S3 server suites SKIPPED — ${why}\n`);
  }
  return undefined;
}

/**
 * A server of the suite's own on 127.0.0.1 (one it may stop, restart or break); `stop()` it in `afterAll`.
 * Skip the suite first when {@link requireS3Binaries} returns undefined.
 */
export async function startS3Server(options: Omit<S3ServerOptions, "weed"> = {}): Promise<OwnS3Server> {
  const built = builtS3Binaries();
  if (!built)
    throw new Error("SeaweedFS is not built: skip the suite when requireS3Binaries() returns undefined");
  return server.startS3Server({ ...options, weed: built.weed });
}
