/**
 * The archive's object store: an S3 bucket (any S3-compatible server) through the AWS SDK for JavaScript.
 * Every failure the operator can fix comes out as an ArchiveStoreError naming the setting to change:
 * an unreachable endpoint, an unknown access key, a wrong secret, a missing bucket, no permission.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

export interface StoreSettings {
  /** `ARCHIVE_S3_ENDPOINT`; unset means AWS S3 itself. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Prepended to every key (`ARCHIVE_PREFIX`), e.g. `prod/`. */
  readonly prefix: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Path-style addressing (`<endpoint>/<bucket>/<key>`), which S3-compatible servers need. */
  readonly forcePathStyle: boolean;
}

/** A store failure, with the setting that causes it first: `ARCHIVE_BUCKET: ...`. */
export class ArchiveStoreError extends Error {
  constructor(
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${message}`, options);
    this.name = "ArchiveStoreError";
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "TimeoutError",
]);

/** The operator's view of an SDK error, or the error itself when it is none of the known ones. */
export function explainStoreError(settings: StoreSettings, error: unknown, action: string): unknown {
  if (error instanceof ArchiveStoreError) return error;
  const where = settings.endpoint ?? `AWS S3 (${settings.region})`;
  const name = (error as { name?: string }).name ?? "";
  const code = (error as { code?: string }).code ?? "";
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? "";
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || NETWORK_CODES.has(cause)) {
    return new ArchiveStoreError(
      "ARCHIVE_S3_ENDPOINT",
      `cannot reach ${where} (${code || cause || name}) while trying to ${action}`,
      { cause: error },
    );
  }
  if (error instanceof S3ServiceException || name) {
    const status = (error as S3ServiceException).$metadata?.httpStatusCode;
    switch (name) {
      case "InvalidAccessKeyId":
        return new ArchiveStoreError(
          "ARCHIVE_S3_ACCESS_KEY_ID",
          `${where} does not know this access key (InvalidAccessKeyId)`,
          { cause: error },
        );
      case "SignatureDoesNotMatch":
        return new ArchiveStoreError(
          "ARCHIVE_S3_SECRET_ACCESS_KEY",
          `${where} rejected the request's signature (SignatureDoesNotMatch): the secret key does not match the access key`,
          { cause: error },
        );
      case "NoSuchBucket":
        return new ArchiveStoreError(
          "ARCHIVE_BUCKET",
          `bucket "${settings.bucket}" does not exist at ${where} (NoSuchBucket)`,
          { cause: error },
        );
      case "AccessDenied":
        return new ArchiveStoreError(
          "ARCHIVE_S3_ACCESS_KEY_ID",
          `access key may not ${action} in bucket "${settings.bucket}" at ${where} (AccessDenied)`,
          { cause: error },
        );
      case "PermanentRedirect":
      case "AuthorizationHeaderMalformed":
        return new ArchiveStoreError(
          "ARCHIVE_S3_REGION",
          `${where} refuses region "${settings.region}" for bucket "${settings.bucket}" (${name})`,
          { cause: error },
        );
    }
    if (status === 403)
      return new ArchiveStoreError(
        "ARCHIVE_S3_ACCESS_KEY_ID",
        `${where} refused the credentials (HTTP 403 ${name}) while trying to ${action}`,
        { cause: error },
      );
  }
  return error;
}

export interface ObjectStore {
  readonly settings: StoreSettings;
  /** Fails with an ArchiveStoreError unless the bucket is there and these credentials may list it. */
  check(): Promise<void>;
  /** The object's bytes, or undefined when there is none at `key`. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes the object whole (multipart above 8 MiB); aborting the signal aborts the upload. */
  put(key: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<void>;
  /** Every key under `prefix`, relative to the archive's root, in the store's (lexical) order. */
  list(prefix: string): AsyncGenerator<string>;
  delete(keys: readonly string[]): Promise<void>;
  close(): void;
}

export interface S3StoreOptions {
  /** An S3Client of the caller's (tests add middleware to it); otherwise one is built from the settings. */
  readonly client?: S3Client;
  /** Multipart part size, bytes. @default 8 MiB */
  readonly partSize?: number;
}

export function createS3Client(settings: StoreSettings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    // S3-compatible servers vary in their support of the newer default checksums; send them only where
    // an operation requires one.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** The store of `settings`, on S3 or an S3-compatible server. */
export function createS3Store(settings: StoreSettings, options: S3StoreOptions = {}): ObjectStore {
  const client = options.client ?? createS3Client(settings);
  const Bucket = settings.bucket;
  const full = (key: string) => `${settings.prefix}${key}`;
  const wrap = async <T>(action: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw explainStoreError(settings, error, action);
    }
  };
  return {
    settings,
    async check() {
      // A GET (not HEAD): its error body names the cause (a HEAD answers a bare 403 or 404).
      await wrap("list objects", () =>
        client.send(new ListObjectsV2Command({ Bucket, Prefix: settings.prefix, MaxKeys: 1 })),
      );
    },
    async get(key) {
      return wrap(`read ${full(key)}`, async () => {
        try {
          const answer = await client.send(new GetObjectCommand({ Bucket, Key: full(key) }));
          return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
        } catch (error) {
          if ((error as { name?: string }).name === "NoSuchKey") return undefined;
          throw error;
        }
      });
    },
    async put(key, body, contentType, signal) {
      await wrap(`write ${full(key)}`, async () => {
        const upload = new Upload({
          client,
          params: { Bucket, Key: full(key), Body: body, ContentType: contentType },
          partSize: options.partSize ?? 8 * 1024 * 1024,
          queueSize: 2,
          // A failed multipart upload is aborted, so that its parts do not linger in the bucket.
          leavePartsOnError: false,
        });
        const abort = () => void upload.abort();
        signal?.addEventListener("abort", abort, { once: true });
        try {
          signal?.throwIfAborted();
          await upload.done();
        } finally {
          signal?.removeEventListener("abort", abort);
        }
      });
    },
    async *list(prefix) {
      let ContinuationToken: string | undefined;
      do {
        const page = await wrap(`list ${full(prefix)}`, () =>
          client.send(new ListObjectsV2Command({ Bucket, Prefix: full(prefix), ContinuationToken })),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key) yield object.Key.slice(settings.prefix.length);
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const Objects = keys.slice(i, i + 1000).map((key) => ({ Key: full(key) }));
        await wrap("delete objects", async () => {
          const answer = await client.send(
            new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }),
          );
          const failed = answer.Errors?.[0];
          if (failed) throw new Error(`could not delete ${failed.Key}: ${failed.Code} ${failed.Message}`);
        });
      }
    },
    close() {
      if (!options.client) client.destroy();
    },
  };
}
