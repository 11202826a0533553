// The archive over a full replayed day, on a real S3-compatible server (SeaweedFS on loopback): what it
// writes equals what the database holds, a second run writes nothing, a late bar rewrites exactly its
// partition, a run cut short mid-upload publishes nothing half-written, the lake answers SQL over it, and
// a database rebuilt from it answers the API exactly as the original.
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, createPool, inTransaction, migrate, startPgliteServer, type Pool } from "@hdp/shared";
import {
  Archiver,
  DATASETS,
  DATASET_NAMES,
  HOUR_MS,
  createS3Client,
  createS3Store,
  decodeParquet,
  listManifests,
  readListedObject,
  restoreFromArchive,
  storeBars,
  type ObjectStore,
  type StoreSettings,
} from "@hdp/processing";
import { openLake } from "../scripts/lib/lake.js";
import { buildApp } from "../services/middle-tier/src/app.js";
import { createTestDatabase, type TestDatabase } from "./setup/database.js";
import { freshBucket, requireS3Server, type S3Server } from "./setup/s3.js";
import { REPLAYED_DAY, REPLAY_NOW, REPLAY_TICKERS, storeReplayedDay } from "./support/replayed-day.js";

const s3 = await requireS3Server();
const logger = createLogger({ service: "test", level: "silent" });
const NOW = REPLAY_NOW;
const DAY = REPLAYED_DAY;
const TICKERS = REPLAY_TICKERS;

/** Every object in the bucket with its ETag and last-modified instant: a write of any object shows. */
async function bucketState(client: S3Client, bucket: string): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    for (const o of page.Contents ?? [])
      state.set(o.Key!, `${o.ETag} ${o.LastModified?.toISOString()} ${o.Size}`);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return state;
}

describe.skipIf(!s3)("the archive over a replayed day (real S3-compatible server)", () => {
  let server: S3Server;
  let db: TestDatabase;
  let pool: Pool;
  let settings: StoreSettings;
  let store: ObjectStore;
  let client: S3Client;
  /** The start of the first day and the end of the last hour with data: backfills run over [FROM, END). */
  let FROM: Date;
  let END: Date;
  const stores: ObjectStore[] = [];
  const storeOn = (bucket: string, extra: Partial<StoreSettings> = {}, s3Client?: S3Client) => {
    const made = createS3Store({ ...settings, bucket, ...extra }, s3Client ? { client: s3Client } : {});
    stores.push(made);
    return made;
  };
  const archiver = (target: ObjectStore, options: { signal?: AbortSignal } = {}) =>
    new Archiver({ pool, store: target, logger, ...options });

  beforeAll(async () => {
    server = s3!;
    db = await createTestDatabase();
    pool = db.pool;
    await storeReplayedDay({ databaseUrl: db.url, logger, device: { name: "pi-sim", readings: 5 } });
    // The replay's news reaches back a few days before the backfilled one.
    const { rows } = await pool.query<{ first: Date; last: Date }>(
      `SELECT least((SELECT min(start_at) FROM bars), (SELECT min(published_at) FROM articles), (SELECT min(at) FROM sensor_readings)) AS first,
              greatest((SELECT max(start_at) FROM bars), (SELECT max(published_at) FROM articles), (SELECT max(at) FROM sensor_readings)) AS last`,
    );
    FROM = new Date(`${rows[0]!.first.toISOString().slice(0, 10)}T00:00:00Z`);
    END = new Date(Math.floor(rows[0]!.last.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
    settings = {
      endpoint: server.endpoint,
      region: server.region,
      bucket: "",
      prefix: "pipeline/",
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
      forcePathStyle: true,
    };
    store = storeOn(await freshBucket(server, "archive"));
    client = createS3Client(settings);
  }, 300_000);

  afterAll(async () => {
    for (const s of stores) s.close();
    client?.destroy();
    await db?.close();
  });

  it("archives every hour: row counts, values (EMA9 within 1e-12) and checksums match the database", async () => {
    const summary = await archiver(store).backfill(FROM, END);
    expect(summary.written).toBeGreaterThan(10);
    const manifests = await listManifests(store);
    for (const name of DATASET_NAMES) {
      const dataset = DATASETS[name];
      const { rows: hours } = await pool.query<{ hour: number; rows: number }>(dataset.fingerprintSql, [
        FROM,
        END,
      ]);
      const archived = manifests.filter((m) => m.manifest.dataset === name);
      expect(hours.length, `${name}: hours with rows`).toBeGreaterThan(0);
      expect(
        archived.map((m) => [m.hourStart.getTime(), m.manifest.rowCount]),
        `${name}: partitions and their row counts`,
      ).toEqual(hours.map((h) => [h.hour * HOUR_MS, h.rows]));
      for (const { manifest, hourStart } of archived) {
        const stored = (
          await pool.query(dataset.rowsSql, [hourStart, new Date(hourStart.getTime() + HOUR_MS)])
        ).rows;
        const read = [];
        for (const object of manifest.objects) {
          // readListedObject refuses an object whose size or sha256 is not its manifest's.
          read.push(...(await decodeParquet(dataset, await readListedObject(store, object))));
        }
        expect(read.length).toBe(stored.length);
        for (const [i, row] of read.entries()) {
          const want = stored[i] as Record<string, unknown>;
          for (const column of dataset.columns) {
            const got = row[column.name];
            if (column.name === "ema9" && got !== null) {
              expect(Math.abs((got as number) - (want.ema9 as number)), `${name} ema9`).toBeLessThanOrEqual(
                1e-12,
              );
            } else {
              expect(got, `${name} ${column.name} of ${manifest.date} ${manifest.hour}h row ${i}`).toEqual(
                want[column.name],
              );
            }
          }
        }
        expect(manifest.minInstant <= manifest.maxInstant).toBe(true);
      }
    }
    const counts = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bars WHERE start_at::date = '${DAY}'`,
    );
    const barsArchived = manifests
      .filter((m) => m.manifest.dataset === "bars" && m.manifest.date === DAY)
      .reduce((n, m) => n + m.manifest.rowCount, 0);
    expect(barsArchived).toBe(counts.rows[0]!.n);
    const { rows } = await pool.query<{ dataset: string; archived_through: Date }>(
      "SELECT dataset, archived_through FROM archive_watermarks ORDER BY dataset",
    );
    expect(rows.map((r) => [r.dataset, r.archived_through.getTime()])).toEqual(
      DATASET_NAMES.toSorted().map((d) => [d, END.getTime()]),
    );
  }, 120_000);

  it("a second run, and a run that forgot what it archived, change no object", async () => {
    const before = await bucketState(client, store.settings.bucket);
    const again = await archiver(store).backfill(FROM, END);
    expect(again).toMatchObject({ written: 0, unchanged: 0 });
    await pool.query("DELETE FROM archive_partitions");
    const forgot = await archiver(store).backfill(FROM, END);
    expect(forgot.written).toBe(0);
    expect(forgot.unchanged).toBeGreaterThan(10);
    expect(await bucketState(client, store.settings.bucket)).toEqual(before);
  }, 120_000);

  it("a late bar rewrites exactly its partition and manifest", async () => {
    const before = await bucketState(client, store.settings.bucket);
    // AAPL's newest bar corrected: only the hour holding it changes. (A bar with later bars after it
    // changes their EMA9 too, across days, and so rewrites their hours as well.)
    const { rows } = await pool.query<Record<string, unknown>>(
      "SELECT * FROM bars WHERE ticker = 'AAPL' ORDER BY start_at DESC LIMIT 1",
    );
    const last = rows[0]!;
    const start = (last.start_at as Date).toISOString();
    await inTransaction(pool, (c) =>
      storeBars(c, [
        {
          ticker: "AAPL",
          start,
          open: last.open as number,
          high: (last.high as number) + 1,
          low: last.low as number,
          close: (last.close as number) + 0.5,
          volume: (last.volume as number) + 10,
          source: last.source as string,
        },
      ]),
    );
    const summary = await archiver(store).run(new Date(END.getTime() + 60_000), 72);
    const written = summary.datasets.flatMap((d) => d.partitions.filter((p) => p.outcome === "written"));
    const hour = new Date(Math.floor(Date.parse(start) / HOUR_MS) * HOUR_MS);
    expect(written.map((p) => [p.dataset, p.hourStart.toISOString()])).toEqual([
      ["bars", hour.toISOString()],
    ]);
    const after = await bucketState(client, store.settings.bucket);
    const folder = `pipeline/bars/date=${start.slice(0, 10)}/hour=${start.slice(11, 13)}/`;
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (k) => before.get(k) !== after.get(k),
    );
    expect(
      changed.every((k) => k.startsWith(folder)),
      changed.join(", "),
    ).toBe(true);
    // The manifest, the new object, and the old object gone.
    expect(changed.filter((k) => k.endsWith("manifest.json"))).toHaveLength(1);
    expect(changed.filter((k) => !before.has(k))).toHaveLength(1);
    expect(changed.filter((k) => !after.has(k))).toHaveLength(1);
    const [listed] = (
      await listManifests(store, { datasets: ["bars"], from: start.slice(0, 10), to: start.slice(0, 10) })
    ).filter((m) => m.hourStart.getTime() === hour.getTime());
    const read = await decodeParquet(
      DATASETS.bars,
      await readListedObject(store, listed!.manifest.objects[0]!),
    );
    const row = read.find((r) => r.ticker === "AAPL" && r.start_at === Date.parse(start) * 1000);
    expect(row?.close).toBe((last.close as number) + 0.5);
  }, 120_000);

  it("a run stopped in the middle of an upload leaves no object listed by a manifest that is not whole, and does not move the watermark", async () => {
    await pool.query("DELETE FROM archive_partitions; DELETE FROM archive_watermarks");
    const bucket = await freshBucket(server, "cut");
    const controller = new AbortController();
    const cutClient = createS3Client(settings);
    let parquetPuts = 0;
    cutClient.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string };
        if (
          context.commandName === "PutObjectCommand" &&
          input.Key?.endsWith(".parquet") &&
          ++parquetPuts === 4
        ) {
          // The fourth object's upload is on the wire: stop the run now.
          controller.abort(new Error("stopped by the test"));
        }
        return next(args);
      },
      { step: "build", name: "cutAfterThreeObjects" },
    );
    const cut = storeOn(bucket, {}, cutClient);
    await expect(archiver(cut, { signal: controller.signal }).backfill(FROM, END)).rejects.toThrow();
    const manifests = await listManifests(cut);
    expect(manifests.length).toBeLessThan(4);
    for (const { manifest } of manifests) {
      for (const object of manifest.objects) await readListedObject(cut, object);
    }
    const { rows } = await pool.query("SELECT * FROM archive_watermarks");
    expect(rows).toEqual([]);
    // The next run finishes the job, and its result is the clean run's, byte for byte.
    await archiver(storeOn(bucket)).backfill(FROM, END);
    const manifestBytes = async (target: ObjectStore) => {
      const all = await listManifests(target);
      return Promise.all(
        all.map(async (m) => [m.key, Buffer.from((await target.get(m.key))!).toString("base64")]),
      );
    };
    await archiver(store).backfill(FROM, END);
    expect(await manifestBytes(storeOn(bucket))).toEqual(await manifestBytes(store));
    cutClient.destroy();
  }, 180_000);

  it("the lake runs SQL over the manifests' objects", async () => {
    const lake = await openLake({ store, from: DAY, to: DAY });
    try {
      const { rows } = await lake.query(
        "SELECT ticker, count(*)::INTEGER AS bars, sum(volume)::BIGINT AS volume FROM bars GROUP BY ticker ORDER BY ticker",
      );
      const { rows: want } = await pool.query(
        `SELECT ticker, count(*)::int AS bars, sum(volume)::text AS volume FROM bars WHERE start_at::date = $1 GROUP BY ticker ORDER BY ticker`,
        [DAY],
      );
      expect(rows).toEqual(want);
      expect(rows.map((r) => r.ticker)).toEqual(TICKERS);
      const { rows: parts } = await lake.query("SELECT DISTINCT date::VARCHAR AS date FROM bars");
      expect(parts).toEqual([{ date: DAY }]);
    } finally {
      lake.close();
    }
  }, 120_000);

  it("a database rebuilt from the archive answers the API exactly as the original", async () => {
    await archiver(store).backfill(FROM, END);
    const target = await startPgliteServer();
    await migrate({ databaseUrl: target.url });
    const restoredPool = createPool(target.url, { max: 1 });
    try {
      const summary = await restoreFromArchive({
        pool: restoredPool,
        store,
        from: FROM.toISOString().slice(0, 10),
        to: END.toISOString().slice(0, 10),
      });
      expect(summary.rows.bars).toBeGreaterThanOrEqual(5 * 390);
      expect(summary.rows.news).toBeGreaterThan(0);
      expect(summary.rows.readings).toBeGreaterThan(0);
      // A second restore into the now full database is refused, and changes nothing.
      await expect(restoreFromArchive({ pool: restoredPool, store, from: DAY, to: DAY })).rejects.toThrow(
        /already holds bars/,
      );
      const original = buildApp({ config: { corsOrigins: [] }, logger, pool, now: () => NOW });
      const copy = buildApp({ config: { corsOrigins: [] }, logger, pool: restoredPool, now: () => NOW });
      const requests = [
        "/v1/tickers",
        "/v1/status",
        "/v1/devices",
        `/v1/sensors?device=pi-sim`,
        `/v1/days?ticker=AAPL`,
        ...TICKERS.flatMap((t) => [
          `/v1/candles?ticker=${t}&date=${DAY}`,
          `/v1/news?ticker=${t}&limit=100`,
          `/marketData/oneMinute?ticker=${t}&date=${DAY}`,
          `/news/description?ticker=${t}&day=${DAY}&limit=100`,
        ]),
      ];
      try {
        for (const url of requests) {
          const [a, b] = await Promise.all([original.inject({ url }), copy.inject({ url })]);
          expect(a.statusCode, url).toBe(200);
          expect({ status: b.statusCode, body: b.body }, url).toEqual({ status: a.statusCode, body: a.body });
        }
      } finally {
        await original.close();
        await copy.close();
      }
    } finally {
      await restoredPool.end();
      await target.stop();
    }
  }, 180_000);
});
