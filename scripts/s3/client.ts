/**
 * Clients of an S3-compatible server (SeaweedFS on loopback, or any other): path-style addressing, as a
 * server named by address needs, and creating a bucket that may exist already.
 */
import { CreateBucketCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";

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
export async function createBucketWith(client: S3Client, name: string): Promise<void> {
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
