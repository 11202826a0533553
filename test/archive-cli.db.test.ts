// `npm run archive` and `npm run lake` as an operator runs them, against a real S3-compatible server: a
// bad setting is refused with one line naming it, a non-zero exit, and the watermark where it was; the
// job, killed in the middle of a backfill, published only whole partitions, and the next run finishes it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Store, listManifests, readListedObject } from "@hdp/processing";
import { createTestDatabase, type TestDatabase } from "./setup/database.js";
import { freshBucket, requireS3Server, type S3Server } from "./setup/s3.js";

const s3 = await requireS3Server();

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command line of the repository's with the given environment (none of the caller's settings). */
function run(
  args: string[],
  env: Record<string, string | undefined>,
  options: { killWhen?: (output: string) => boolean } = {},
): Promise<Run> {
  // Node itself with tsx's loader (no npx in between), so that a kill reaches the command line's process.
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.killWhen?.(output)) child.kill("SIGKILL");
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return once(child, "close").then(([code, signal]) => {
    clearTimeout(timer);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, output };
  });
}

const ARCHIVE = "services/processing/src/archive-cli.ts";
const LAKE = "scripts/lake.ts";

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

describe.skipIf(!s3)("archive and lake command lines (real S3-compatible server)", () => {
  let server: S3Server;
  let db: TestDatabase;
  let bucket: string;
  let env: Record<string, string>;
  const watermarks = async () =>
    (await db.pool.query("SELECT dataset, archived_through FROM archive_watermarks ORDER BY dataset")).rows;

  beforeAll(async () => {
    server = s3!;
    db = await createTestDatabase();
    // A day of bars for 400 tickers (576,000 rows of random prices, six of the job's reads): enough
    // partitions, and work enough, to stop a backfill among them.
    await db.pool.query(
      `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
       SELECT 'T' || lpad(t::text, 3, '0'), m, 10 + random(), 12 + random(), 9 + random(), 10 + random(), (random() * 1e6)::int8, 'replay', 10 + random()
         FROM generate_series(1, 400) AS t,
              generate_series('2024-03-04T00:00Z'::timestamptz, '2024-03-04T23:59Z', interval '1 minute') AS m`,
    );
    bucket = await freshBucket(server, "cli");
    env = {
      DATABASE_URL: db.url,
      ARCHIVE_S3_ENDPOINT: server.endpoint,
      ARCHIVE_S3_REGION: server.region,
      ARCHIVE_BUCKET: bucket,
      ARCHIVE_S3_ACCESS_KEY_ID: server.accessKeyId,
      ARCHIVE_S3_SECRET_ACCESS_KEY: server.secretAccessKey,
    };
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it("refuses bad settings with one line naming the setting, and leaves the watermark alone", async () => {
    const before = await watermarks();
    const cases: { change: Record<string, string | undefined>; setting: string; code: number }[] = [
      {
        change: { ARCHIVE_S3_SECRET_ACCESS_KEY: "not-the-secret" },
        setting: "ARCHIVE_S3_SECRET_ACCESS_KEY",
        code: 2,
      },
      { change: { ARCHIVE_S3_ACCESS_KEY_ID: "nobody" }, setting: "ARCHIVE_S3_ACCESS_KEY_ID", code: 2 },
      { change: { ARCHIVE_BUCKET: "no-such-bucket-here" }, setting: "ARCHIVE_BUCKET", code: 2 },
      {
        change: { ARCHIVE_S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}` },
        setting: "ARCHIVE_S3_ENDPOINT",
        code: 1,
      },
      { change: { ARCHIVE_BUCKET: undefined }, setting: "ARCHIVE_BUCKET: is required", code: 2 },
      { change: { ARCHIVE_S3_ENDPOINT: "ftp://x" }, setting: "ARCHIVE_S3_ENDPOINT", code: 2 },
    ];
    for (const { change, setting, code } of cases) {
      const result = await run([ARCHIVE, "run", "--now", "2024-03-04T19:01:00Z"], { ...env, ...change });
      expect(result.code, `${setting}\n${result.output}`).toBe(code);
      const lines = result.output.trim().split("\n");
      expect(lines.at(-1), result.output).toContain(setting);
      expect(result.output).not.toContain(server.secretAccessKey);
      expect(result.output).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(await watermarks()).toEqual(before);
    const lake = await run([LAKE, "query", "SELECT 1"], { ...env, ARCHIVE_BUCKET: "no-such-bucket-here" });
    expect(lake.code).toBe(1);
    expect(lake.output).toContain("ARCHIVE_BUCKET");
    const usage = await run([ARCHIVE, "backfill", "--from", "2024-03-32", "--to", "2024-03-04"], env);
    expect(usage.code).toBe(2);
    expect(usage.output).toContain("must be a date");
  }, 180_000);

  it("killed in the middle of a backfill, it has published only whole partitions; the next run finishes", async () => {
    const killed = await run(
      [ARCHIVE, "--datasets", "bars", "backfill", "--from", "2024-03-04", "--to", "2024-03-04"],
      env,
      {
        // After the first partition is published, others of its read are under way and the next read is not done.
        killWhen: (output) => output.includes("[1/24]"),
      },
    );
    expect(killed.signal, killed.output).toBe("SIGKILL");
    const store = createS3Store({
      endpoint: server.endpoint,
      region: server.region,
      bucket,
      prefix: "",
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
      forcePathStyle: true,
    });
    try {
      const partial = await listManifests(store);
      expect(partial.length).toBeLessThan(24);
      for (const { manifest } of partial) {
        for (const object of manifest.objects) await readListedObject(store, object);
      }
      expect(await watermarks()).toEqual([]);

      const finished = await run(
        [ARCHIVE, "--datasets", "bars", "backfill", "--from", "2024-03-04", "--to", "2024-03-04"],
        env,
      );
      expect(finished.code, finished.output).toBe(0);
      expect(finished.output).toMatch(/archive: done, \d+ partitions? written/);
      const whole = await listManifests(store);
      expect(whole.map((m) => m.manifest.rowCount)).toEqual(Array(24).fill(24_000));
      expect((await watermarks()).map((w) => w.dataset)).toEqual(["bars"]);

      const query = await run(
        [
          LAKE,
          "query",
          "SELECT hour, count(*) AS bars, count(DISTINCT ticker) AS tickers FROM bars GROUP BY hour ORDER BY hour",
          "--format",
          "csv",
        ],
        env,
      );
      expect(query.code, query.output).toBe(0);
      expect(query.output).toContain(
        ["hour,bars,tickers", ...Array.from({ length: 24 }, (_, h) => `${h},24000,400`), ""].join("\n"),
      );
      const bad = await run([LAKE, "query", "SELEC nonsense"], env);
      expect(bad.code).toBe(2);
      expect(bad.output).toMatch(/lake query: .*syntax error/i);
    } finally {
      store.close();
    }
  }, 240_000);
});
