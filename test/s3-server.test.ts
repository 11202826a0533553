// The S3-compatible server the archive tests rely on (SeaweedFS on loopback, or the one S3_ENDPOINT names):
// faithful enough to AWS S3 for what the archive does (objects, listings, multipart uploads) and for how it
// fails (a wrong key, a missing bucket, nothing listening), and a server of a suite's own that binds
// loopback only, keeps or removes its data, and says why when it cannot start.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderS3Identities, s3Client, weedServerArgs, type WeedPorts } from "../scripts/s3/server.js";
import {
  freshBucket,
  requireS3Binaries,
  requireS3Server,
  s3FromEnvironment,
  startS3Server,
  type OwnS3Server,
  type S3Server,
} from "./setup/s3.js";

const s3 = await requireS3Server();
const binaries = await requireS3Binaries();

const MiB = 1024 * 1024;

/** The SDK error's name and HTTP status, or the error's code for a network failure. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ name?: string; status?: number; code?: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, code: e.code };
  }
  throw new Error("expected the request to fail");
}

/** A port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe("the S3 server's configuration", () => {
  const ports: WeedPorts = {
    s3: 1001,
    s3Grpc: 1002,
    master: 1003,
    masterGrpc: 1004,
    volume: 1005,
    volumeGrpc: 1006,
    filer: 1007,
    filerGrpc: 1008,
  };
  const args = weedServerArgs({ dataDir: "/srv/s3/data", identitiesFile: "/srv/s3/ids.json", ports });

  it("binds every service to 127.0.0.1 at the ports it was given", () => {
    expect(args[0]).toBe("server");
    expect(args).toEqual(expect.arrayContaining(["-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3"]));
    expect(args).toEqual(
      expect.arrayContaining([
        "-s3.port=1001",
        "-s3.port.grpc=1002",
        "-master.port=1003",
        "-master.port.grpc=1004",
        "-volume.port=1005",
        "-volume.port.grpc=1006",
        "-filer.port=1007",
        "-filer.port.grpc=1008",
      ]),
    );
    // No listener on a default port: the catalogs are off, and no other gateway is asked for.
    expect(args).toEqual(expect.arrayContaining(["-s3.port.iceberg=0", "-s3.port.lance=0"]));
    expect(args.filter((a) => /^-(webdav|sftp|iam|mq\.|admin|debug|metricsPort)/.test(a))).toEqual([]);
  });

  it("authenticates with the identities file, reports nothing and creates no bucket by itself", () => {
    expect(args).toContain("-s3.config=/srv/s3/ids.json");
    expect(args).toContain("-master.telemetry=false");
    expect(args).toContain("-s3.autoCreateBucket=false");
    expect(args).toContain("-dir=/srv/s3/data");
  });

  it("has one identity with its keys and every action", () => {
    expect(JSON.parse(renderS3Identities({ accessKeyId: "AK", secretAccessKey: "SK" }))).toEqual({
      identities: [
        {
          name: "hdp",
          credentials: [{ accessKey: "AK", secretKey: "SK" }],
          actions: ["Admin", "Read", "Write", "List", "Tagging"],
        },
      ],
    });
  });
});

describe("S3_ENDPOINT and its keys", () => {
  const keys = { S3_ACCESS_KEY_ID: "AK", S3_SECRET_ACCESS_KEY: "SK" };

  it("names no server when S3_ENDPOINT is unset or blank", () => {
    expect(s3FromEnvironment({})).toBeUndefined();
    expect(s3FromEnvironment({ S3_ENDPOINT: " ", ...keys })).toBeUndefined();
  });

  it("names the server with its keys, us-east-1 unless S3_REGION says otherwise", () => {
    expect(s3FromEnvironment({ S3_ENDPOINT: "http://127.0.0.1:8333/", ...keys })).toEqual({
      endpoint: "http://127.0.0.1:8333",
      region: "us-east-1",
      accessKeyId: "AK",
      secretAccessKey: "SK",
    });
    expect(
      s3FromEnvironment({ S3_ENDPOINT: "https://s3.example", S3_REGION: "eu-central-1", ...keys }),
    ).toMatchObject({ endpoint: "https://s3.example", region: "eu-central-1" });
  });

  it.each([
    [{ S3_ENDPOINT: "http://127.0.0.1:8333", S3_SECRET_ACCESS_KEY: "SK" }, "S3_ACCESS_KEY_ID: required"],
    [{ S3_ENDPOINT: "http://127.0.0.1:8333", S3_ACCESS_KEY_ID: "AK" }, "S3_SECRET_ACCESS_KEY: required"],
    [{ S3_ENDPOINT: "127.0.0.1:8333", ...keys }, 'S3_ENDPOINT: "127.0.0.1:8333" is not an http(s)'],
    [{ S3_ENDPOINT: "http://127.0.0.1:8333/bucket", ...keys }, "S3_ENDPOINT: "],
  ])("refuses %j, naming the variable", (env, message) => {
    expect(() => s3FromEnvironment(env)).toThrow(message);
  });

  it("refuses a bucket label that would not make a bucket name", async () => {
    const never = { createBucket: () => Promise.reject(new Error("not called")) } as unknown as S3Server;
    await expect(freshBucket(never, "Archive_Test")).rejects.toThrow('label "Archive_Test" is not');
  });
});

describe.skipIf(!s3)("the run's S3-compatible server", { timeout: 60_000 }, () => {
  let client: S3Client;
  let bucket: string;

  beforeAll(async () => {
    client = s3!.client();
    bucket = await freshBucket(s3!, "s3-server");
  });
  afterAll(() => client?.destroy());

  it("has the bucket a suite creates, and HeadBucket finds it", async () => {
    const answer = await client.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(answer.$metadata.httpStatusCode).toBe(200);
    // Asking again for a bucket the identity owns changes nothing.
    await expect(s3!.createBucket(bucket)).resolves.toBeUndefined();
  });

  it("gives back the bytes, type and metadata that were put", async () => {
    const body = randomBytes(100_000);
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "round/trip.bin",
        Body: body,
        ContentType: "application/vnd.apache.parquet",
        Metadata: { rows: "42" },
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "round/trip.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got.ContentType).toBe("application/vnd.apache.parquet");
    expect(got.ContentLength).toBe(body.length);
    expect(got.Metadata).toEqual({ rows: "42" });
    // A single-part upload's ETag is the MD5 of its bytes, as on AWS S3.
    expect(got.ETag).toBe(`"${createHash("md5").update(body).digest("hex")}"`);
  });

  it("lists by prefix and delimiter, a page of MaxKeys at a time", async () => {
    const keys = [
      "list/bars/date=2026-01-02/hour=14/part-0.parquet",
      "list/bars/date=2026-01-02/hour=15/part-0.parquet",
      "list/bars/date=2026-01-03/hour=14/part-0.parquet",
      "list/bars/manifest.json",
      "list/news/date=2026-01-02/hour=14/part-0.parquet",
      "other/x",
    ];
    for (const Key of keys) await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));

    const grouped = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: "list/bars/", Delimiter: "/" }),
    );
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual([
      "list/bars/date=2026-01-02/",
      "list/bars/date=2026-01-03/",
    ]);
    expect(grouped.Contents?.map((o) => o.Key)).toEqual(["list/bars/manifest.json"]);

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: "list/", MaxKeys: 2, ContinuationToken: token }),
      );
      pages.push((page.Contents ?? []).map((o) => o.Key!));
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated) expect(token).toBeTruthy();
    } while (token);
    expect(pages).toEqual([keys.slice(0, 2), keys.slice(2, 4), keys.slice(4, 5)]);
  });

  it("assembles a multipart upload of three parts (lib-storage's Upload)", async () => {
    const body = randomBytes(11 * MiB);
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: "multipart/big.bin", Body: body },
      partSize: 5 * MiB,
      queueSize: 2,
      leavePartsOnError: false,
    });
    const parts: number[] = [];
    upload.on("httpUploadProgress", (p) => p.part !== undefined && parts.push(p.part));
    await upload.done();
    expect(new Set(parts)).toEqual(new Set([1, 2, 3]));

    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "multipart/big.bin" }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.length).toBe(body.length);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(
      createHash("sha256").update(body).digest("hex"),
    );
    // A multipart object's ETag is the MD5 of its parts' MD5s, with the part count after a hyphen.
    expect(got.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
  });

  it("leaves no object and no pending upload after an aborted multipart upload", async () => {
    const Key = "multipart/aborted.bin";
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    expect(UploadId).toBeTruthy();
    await client.send(
      new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: randomBytes(5 * MiB) }),
    );
    const pending = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }));
    expect(pending.Uploads?.map((u) => u.UploadId)).toEqual([UploadId]);

    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: Key }));
    expect(listed.Contents ?? []).toEqual([]);
    const after = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }));
    expect(after.Uploads ?? []).toEqual([]);
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key })))).toMatchObject({
      name: "NoSuchKey",
      status: 404,
    });
  });

  it("keeps nothing of an Upload aborted midway (lib-storage, as the archive uploads)", async () => {
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: "multipart/cut.bin", Body: randomBytes(11 * MiB) },
      partSize: 5 * MiB,
      queueSize: 1,
      leavePartsOnError: false,
    });
    upload.on("httpUploadProgress", (p) => {
      if ((p.loaded ?? 0) > 0) void upload.abort();
    });
    await expect(upload.done()).rejects.toThrow();
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "multipart/cut" }));
    expect(listed.Contents ?? []).toEqual([]);
    const pending = await client.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "multipart/cut" }),
    );
    expect(pending.Uploads ?? []).toEqual([]);
  });

  it("rejects a request signed with the wrong secret key", async () => {
    const wrong = s3Client({ ...s3!, secretAccessKey: `${s3!.secretAccessKey}x` }, { maxAttempts: 1 });
    try {
      const put = await failure(
        wrong.send(new PutObjectCommand({ Bucket: bucket, Key: "forged", Body: "x" })),
      );
      expect(put.status).toBe(403);
      expect(put.name).toBe("SignatureDoesNotMatch");
      const unknown = s3Client({ ...s3!, accessKeyId: "NOSUCHKEY0000000" }, { maxAttempts: 1 });
      try {
        const list = await failure(unknown.send(new ListObjectsV2Command({ Bucket: bucket })));
        expect(list).toMatchObject({ name: "InvalidAccessKeyId", status: 403 });
      } finally {
        unknown.destroy();
      }
    } finally {
      wrong.destroy();
    }
    // Nothing was written by the forged request.
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "forged" }));
    expect(listed.Contents ?? []).toEqual([]);
  });

  it("answers NoSuchBucket for a bucket that does not exist, and creates none on upload", async () => {
    const missing = `missing-${randomBytes(6).toString("hex")}`;
    expect(await failure(client.send(new ListObjectsV2Command({ Bucket: missing })))).toMatchObject({
      name: "NoSuchBucket",
      status: 404,
    });
    expect(
      await failure(client.send(new PutObjectCommand({ Bucket: missing, Key: "k", Body: "x" }))),
    ).toMatchObject({ name: "NoSuchBucket", status: 404 });
    // HEAD answers carry no body, so the SDK can only name the status.
    expect(await failure(client.send(new HeadBucketCommand({ Bucket: missing })))).toMatchObject({
      name: "NotFound",
      status: 404,
    });
  });

  it("fails with ECONNREFUSED where nothing listens", async () => {
    const nowhere = s3Client(
      { ...s3!, endpoint: `http://127.0.0.1:${await closedPort()}` },
      { maxAttempts: 1 },
    );
    try {
      expect(await failure(nowhere.send(new HeadBucketCommand({ Bucket: bucket })))).toMatchObject({
        code: "ECONNREFUSED",
      });
    } finally {
      nowhere.destroy();
    }
  });
});

/** An IPv4 address of this machine other than loopback, if it has one. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

/** Whether a TCP connection to host:port is accepted. */
const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });

describe.skipIf(!binaries)("an S3 server of a suite's own", { timeout: 120_000 }, () => {
  const servers: OwnS3Server[] = [];
  const dirs: string[] = [];
  const own = async (...args: Parameters<typeof startS3Server>) => {
    const server = await startS3Server(...args);
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it.skipIf(!externalAddress)("listens on 127.0.0.1 only, with every one of its services", async () => {
    const server = await own();
    for (const [service, port] of Object.entries(server.ports)) {
      expect({ service, loopback: await accepts("127.0.0.1", port) }).toEqual({ service, loopback: true });
      expect({ service, external: await accepts(externalAddress!, port) }).toEqual({
        service,
        external: false,
      });
    }
  });

  it("uses the keys it is given, keeps a given data folder, and serves its objects after a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "hdp-s3-test-"));
    dirs.push(dataDir);
    const keys = { accessKeyId: "hdplocal0001", secretAccessKey: "local-secret-key-0001" };
    const first = await own({ dataDir, ...keys });
    expect(first).toMatchObject({ ...keys, region: "us-east-1" });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await first.createBucket("kept");
    const c1 = first.client();
    await c1.send(new PutObjectCommand({ Bucket: "kept", Key: "k", Body: "still here" }));
    c1.destroy();
    await first.stop();
    expect(existsSync(join(dataDir, "data"))).toBe(true);

    const second = await own({ dataDir, ...keys });
    const c2 = second.client();
    try {
      const got = await c2.send(new GetObjectCommand({ Bucket: "kept", Key: "k" }));
      expect(await got.Body!.transformToString()).toBe("still here");
    } finally {
      c2.destroy();
    }
  });

  it("stops: its endpoint refuses connections and its temporary folder is gone", async () => {
    const server = await own();
    expect(existsSync(server.dataDir)).toBe(true);
    await server.stop();
    expect(existsSync(server.dataDir)).toBe(false);
    const client = s3Client(server, { maxAttempts: 1 });
    try {
      expect(await failure(client.send(new HeadBucketCommand({ Bucket: "any" })))).toMatchObject({
        code: "ECONNREFUSED",
      });
    } finally {
      client.destroy();
    }
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it("says why it could not start, with the server's last log lines", async () => {
    // The S3 port taken by another listener (which hangs up on every connection): weed cannot bind it.
    const taken: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as { port: number }).port;
    try {
      const error = await own({ port, readyTimeoutMs: 30_000 }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/^s3: weed exited \(code \d+\) at start:\n/);
      expect(error?.message).toContain(`${port}`);
      expect(error?.message).toMatch(/address already in use/);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
