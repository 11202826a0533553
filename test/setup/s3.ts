/**
 * A real S3-compatible server for test suites (SeaweedFS on loopback, scripts/s3/server.ts). The vitest
 * global setup (test/setup/global.ts) starts one per run when a selected test file uses this helper, or
 * passes on the one named by `S3_ENDPOINT` (with `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY` and optionally
 * `S3_REGION`); suites make buckets of their own on it:
 *
 *   const s3 = await requireS3Server();
 *   describe.skipIf(!s3)("…", () => { … const bucket = await freshBucket(s3!, "label"); … });
 */
import { randomBytes } from "node:crypto";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";

/** Where the server is and the identity the suites use. */
export interface S3Credentials {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface S3Server extends S3Credentials {
  /** Creates a bucket (nothing when it exists already). */
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

let noticeShown = false;

/**
 * The run's S3-compatible server. Without one it throws in CI (`CI=true`), and elsewhere prints a notice
 * once and returns undefined so that the suite can be skipped (until `npm run s3:build` has built it).
 */
export async function requireS3Server(): Promise<S3Server | undefined> {
  const provided = inject("s3Server");
  if (!provided) {
    const why = inject("s3ServerMissing") ?? "the global setup did not start one";
    if (process.env.CI === "true") throw new Error(`an S3-compatible server is required in CI: ${why}`);
    if (!noticeShown) {
      noticeShown = true;
      console.error(`\n*** S3 suites SKIPPED — ${why}\n`);
    }
    return undefined;
  }
  return {
    ...provided,
    async createBucket(name) {
      const client = new S3Client({
        region: provided.region,
        endpoint: provided.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: provided.accessKeyId, secretAccessKey: provided.secretAccessKey },
      });
      try {
        await client.send(new CreateBucketCommand({ Bucket: name })).catch((error: { name?: string }) => {
          if (error.name !== "BucketAlreadyOwnedByYou") throw error;
        });
      } finally {
        client.destroy();
      }
    },
  };
}

/** A new, empty bucket of the suite's own: `<label>-<random>`. */
export async function freshBucket(server: S3Server, label = "test"): Promise<string> {
  const name = `${label}-${randomBytes(5).toString("hex")}`;
  await server.createBucket(name);
  return name;
}
