// The S3-compatible test server is faithful where the archive needs it: signed requests only, listing
// with prefix, delimiter and pages, multipart uploads (completed and aborted), and S3's error names.
import {
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshBucket, requireS3Server, type S3Server } from "./setup/s3.js";

const s3 = await requireS3Server();
const clientOf = (server: S3Server, keys: Partial<Pick<S3Server, "accessKeyId" | "secretAccessKey">> = {}) =>
  new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: {
      accessKeyId: keys.accessKeyId ?? server.accessKeyId,
      secretAccessKey: keys.secretAccessKey ?? server.secretAccessKey,
    },
  });

describe.skipIf(!s3)("the S3-compatible test server (SeaweedFS)", () => {
  let client: S3Client;
  let bucket: string;
  beforeAll(async () => {
    client = clientOf(s3!);
    bucket = await freshBucket(s3!, "faithful");
  });
  afterAll(() => client?.destroy());

  it("lists by prefix and delimiter, page by page", async () => {
    for (const key of ["a/date=1/x.parquet", "a/date=1/y.parquet", "a/date=2/x.parquet", "b/z.json"])
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const folders = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: "a/", Delimiter: "/" }),
    );
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/date=1/", "a/date=2/"]);
    const first = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "a/", MaxKeys: 2 }));
    expect(first.Contents?.map((o) => o.Key)).toEqual(["a/date=1/x.parquet", "a/date=1/y.parquet"]);
    expect(first.IsTruncated).toBe(true);
    const next = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: "a/",
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(next.Contents?.map((o) => o.Key)).toEqual(["a/date=2/x.parquet"]);
  });

  it("completes a multipart upload whole, and an aborted one leaves no object and no upload", async () => {
    const body = Buffer.alloc(11 * 1024 * 1024, 7);
    body.write("first", 0);
    body.write("last", body.length - 4);
    await new Upload({
      client,
      params: { Bucket: bucket, Key: "big.bin", Body: body },
      partSize: 5 * 1024 * 1024,
    }).done();
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "big.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);

    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: "cut.bin", Body: body },
      partSize: 5 * 1024 * 1024,
      queueSize: 1,
      leavePartsOnError: false,
    });
    upload.on("httpUploadProgress", (p) => {
      if ((p.loaded ?? 0) > 0) void upload.abort();
    });
    await expect(upload.done()).rejects.toThrow();
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "cut" }));
    expect(listed.Contents ?? []).toEqual([]);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect((uploads.Uploads ?? []).filter((u) => u.Key === "cut.bin")).toEqual([]);
  }, 60_000);

  it("refuses a wrong secret, an unknown key and a missing bucket with S3's error names", async () => {
    const wrongSecret = clientOf(s3!, { secretAccessKey: "wrong" });
    const unknownKey = clientOf(s3!, { accessKeyId: "nobody" });
    try {
      await expect(wrongSecret.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
        name: "SignatureDoesNotMatch",
      });
      await expect(unknownKey.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
        name: "InvalidAccessKeyId",
      });
      await expect(
        client.send(new ListObjectsV2Command({ Bucket: "no-such-bucket-x" })),
      ).rejects.toMatchObject({
        name: "NoSuchBucket",
      });
      await expect(client.send(new HeadBucketCommand({ Bucket: "no-such-bucket-x" }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    } finally {
      wrongSecret.destroy();
      unknownKey.destroy();
    }
  });
});
