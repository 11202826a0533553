/**
 * The archive job: closed UTC hours of bars, news and sensor readings from PostgreSQL to Parquet objects
 * on S3-compatible storage, one partition per dataset and hour, each with a manifest written last.
 *
 * - Which hours: `run` takes every hour since the dataset's watermark up to the last closed hour, and
 *   re-checks the `lookbackHours` before it for late rows; `backfill` takes the hours of a date range.
 * - Which of those it writes: an hour whose rows' fingerprint (computed by the database) differs from
 *   the one recorded when it was last archived, or that has never been. An unchanged hour costs one
 *   aggregate row of SQL and writes nothing.
 * - How: the rows of a batch of hours are read in one query, each hour encoded (same rows, same bytes),
 *   its objects uploaded under content-addressed names, then its manifest; then the objects of its
 *   previous version are deleted. A run cut short leaves at most objects that no manifest lists, which readers ignore.
 * - The watermark advances only when every hour before it is archived; any failure leaves it alone.
 */
import type { Logger, Pool, PoolClient } from "@hdp/shared";
import { DATASETS, DATASET_NAMES, type Dataset, type DatasetName, type Row } from "./datasets.js";
import {
  HOUR_MS,
  MAX_ROWS_PER_OBJECT,
  buildManifest,
  manifestBytes,
  manifestKey,
  objectKey,
  parseManifest,
  sha256Hex,
  type Manifest,
  type ManifestObject,
} from "./layout.js";
import { encodeParquet } from "./parquet.js";
import type { ObjectStore } from "./store.js";

export const PARQUET_CONTENT_TYPE = "application/vnd.apache.parquet";
const MANIFEST_CONTENT_TYPE = "application/json";
/** The advisory lock that keeps two archive runs (the CronJob and a backfill) apart. */
const LOCK_KEY = "hdp.archive";
/** Rows read by one query of a run (several hours when they are small). */
const BATCH_ROWS = 100_000;
/** Partitions uploaded at a time. */
const UPLOADS = 4;

export interface ArchiverOptions {
  readonly pool: Pool;
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** Datasets to archive. @default all */
  readonly datasets?: readonly DatasetName[];
  /** One line per partition written and per dataset done (the CLI prints them on stderr). */
  readonly progress?: (line: string) => void;
  /** Aborts the run between and during uploads; nothing it had not finished becomes visible. */
  readonly signal?: AbortSignal;
}

export type PartitionOutcome = "written" | "unchanged";

export interface PartitionResult {
  readonly dataset: DatasetName;
  readonly hourStart: Date;
  readonly outcome: PartitionOutcome;
  readonly rows: number;
  readonly bytes: number;
}

export interface DatasetResult {
  readonly dataset: DatasetName;
  /** Hours looked at, [from, to). */
  readonly from: Date;
  readonly to: Date;
  readonly partitions: readonly PartitionResult[];
  /** The watermark after the run (undefined: the dataset has none yet). */
  readonly watermark?: Date;
}

export interface ArchiveSummary {
  readonly datasets: readonly DatasetResult[];
  readonly written: number;
  readonly unchanged: number;
  readonly rows: number;
  readonly bytes: number;
}

/** The start of the UTC hour holding `instant`. */
export const hourFloor = (instant: Date): Date => new Date(Math.floor(instant.getTime() / HOUR_MS) * HOUR_MS);

interface HourFingerprint {
  readonly hourStart: Date;
  readonly rows: number;
  readonly fingerprint: string;
}

/** A partition as published, with what the database records of it. */
type Published = PartitionResult & { readonly fingerprint: string; readonly manifestSha256: string };

export class ArchiveBusyError extends Error {
  constructor() {
    super("another archive run holds the lock (a CronJob run or a backfill); try again when it is done");
    this.name = "ArchiveBusyError";
  }
}

export class Archiver {
  private readonly datasets: readonly Dataset[];
  private readonly log: (line: string) => void;

  constructor(private readonly options: ArchiverOptions) {
    this.datasets = (options.datasets ?? DATASET_NAMES).map((name) => DATASETS[name]);
    this.log = options.progress ?? (() => {});
  }

  /**
   * The hourly job: every dataset from its watermark (or its first row) to the last hour closed at `now`,
   * plus the `lookbackHours` before the watermark, re-checked for late rows.
   */
  async run(now: Date, lookbackHours: number): Promise<ArchiveSummary> {
    const end = hourFloor(now);
    return this.withLock(async (client) => {
      const results: DatasetResult[] = [];
      for (const dataset of this.datasets) {
        const watermark = await this.watermark(client, dataset);
        let from: Date;
        if (watermark) {
          from = new Date(Math.min(watermark.getTime(), end.getTime() - lookbackHours * HOUR_MS));
        } else {
          const first = await this.firstInstant(client, dataset);
          from = first ? hourFloor(first) : end;
        }
        if (from.getTime() > end.getTime()) from = end;
        const partitions = await this.archiveRange(client, dataset, from, end);
        const advanced = !watermark || end.getTime() > watermark.getTime() ? end : watermark;
        await this.setWatermark(client, dataset, advanced);
        results.push({ dataset: dataset.name, from, to: end, partitions, watermark: advanced });
        this.datasetDone(dataset, from, end, partitions);
      }
      return summarize(results);
    });
  }

  /**
   * Past hours, [from, to): each written unless already archived as it is now. The watermark moves only
   * when the range starts at or before it (or the dataset has no row before `from`) and ends after it.
   */
  async backfill(from: Date, to: Date): Promise<ArchiveSummary> {
    const start = hourFloor(from);
    const end = new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS);
    return this.withLock(async (client) => {
      const results: DatasetResult[] = [];
      for (const dataset of this.datasets) {
        const partitions = await this.archiveRange(client, dataset, start, end);
        let watermark = await this.watermark(client, dataset);
        const first = watermark ? undefined : await this.firstInstant(client, dataset);
        const contiguous = watermark
          ? start.getTime() <= watermark.getTime()
          : !first || first.getTime() >= start.getTime();
        if (contiguous && (!watermark || end.getTime() > watermark.getTime())) {
          watermark = end;
          await this.setWatermark(client, dataset, end);
        }
        results.push({
          dataset: dataset.name,
          from: start,
          to: end,
          partitions,
          ...(watermark ? { watermark } : {}),
        });
        this.datasetDone(dataset, start, end, partitions);
      }
      return summarize(results);
    });
  }

  private datasetDone(dataset: Dataset, from: Date, to: Date, partitions: readonly PartitionResult[]) {
    const written = partitions.filter((p) => p.outcome === "written");
    this.log(
      `archive: ${dataset.name} ${from.toISOString()} to ${to.toISOString()}: ` +
        `${written.length} partition${written.length === 1 ? "" : "s"} written ` +
        `(${written.reduce((n, p) => n + p.rows, 0)} rows), ${partitions.length - written.length} unchanged`,
    );
  }

  private async withLock<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.options.store.check();
    const client = await this.options.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext($1)) AS locked",
        [LOCK_KEY],
      );
      if (!rows[0]?.locked) throw new ArchiveBusyError();
      try {
        return await work(client);
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext($1))", [LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }

  private async watermark(client: PoolClient, dataset: Dataset): Promise<Date | undefined> {
    const { rows } = await client.query<{ archived_through: Date }>(
      "SELECT archived_through FROM archive_watermarks WHERE dataset = $1",
      [dataset.name],
    );
    return rows[0]?.archived_through;
  }

  private async setWatermark(client: PoolClient, dataset: Dataset, through: Date): Promise<void> {
    await client.query(
      `INSERT INTO archive_watermarks (dataset, archived_through) VALUES ($1, $2)
       ON CONFLICT (dataset) DO UPDATE SET archived_through = excluded.archived_through, updated_at = now()
        WHERE archive_watermarks.archived_through IS DISTINCT FROM excluded.archived_through`,
      [dataset.name, through],
    );
  }

  private async firstInstant(client: PoolClient, dataset: Dataset): Promise<Date | undefined> {
    const { rows } = await client.query<{ first: Date | null }>(
      `SELECT min(${dataset.instantColumn}) AS first FROM ${dataset.tables[0]}`,
    );
    return rows[0]?.first ?? undefined;
  }

  /** Archives every hour of [from, to) whose rows differ from what was archived of it. */
  private async archiveRange(
    client: PoolClient,
    dataset: Dataset,
    from: Date,
    to: Date,
  ): Promise<PartitionResult[]> {
    if (from.getTime() >= to.getTime()) return [];
    const current = await this.fingerprints(client, dataset, from, to);
    const { rows: recorded } = await client.query<{ hour_start: Date; fingerprint: string }>(
      `SELECT hour_start, fingerprint FROM archive_partitions
        WHERE dataset = $1 AND hour_start >= $2 AND hour_start < $3`,
      [dataset.name, from, to],
    );
    const archived = new Map(recorded.map((r) => [r.hour_start.getTime(), r.fingerprint]));
    for (const hour of archived.keys()) {
      if (!current.some((h) => h.hourStart.getTime() === hour)) {
        this.options.logger.warn(
          { dataset: dataset.name, hour: new Date(hour).toISOString() },
          "archive: the database has no rows left in an archived hour; the archive keeps its partition",
        );
      }
    }
    const todo = current.filter((h) => archived.get(h.hourStart.getTime()) !== h.fingerprint);
    const results: PartitionResult[] = [];
    let done = 0;
    // Hours in batches of about BATCH_ROWS rows: one query reads a batch, then its partitions are encoded
    // and uploaded, UPLOADS of them at a time.
    for (let i = 0; i < todo.length;) {
      this.options.signal?.throwIfAborted();
      const batch: HourFingerprint[] = [];
      let rows = 0;
      while (i < todo.length && (batch.length === 0 || rows + todo[i]!.rows <= BATCH_ROWS)) {
        rows += todo[i]!.rows;
        batch.push(todo[i++]!);
      }
      results.push(
        ...(await this.writeBatch(client, dataset, batch, (result) => {
          this.log(
            `archive: ${dataset.name} ${result.hourStart.toISOString().slice(0, 13)}h: ${result.rows} rows, ` +
              `${result.outcome === "written" ? `${formatBytes(result.bytes)} written` : "unchanged in the store"} ` +
              `[${++done}/${todo.length}]`,
          );
        })),
      );
    }
    return results;
  }

  private async fingerprints(
    client: PoolClient,
    dataset: Dataset,
    from: Date,
    to: Date,
  ): Promise<HourFingerprint[]> {
    const { rows } = await client.query<{ hour: number; rows: number; fingerprint: string }>(
      dataset.fingerprintSql,
      [from, to],
    );
    return rows.map((r) => ({
      hourStart: new Date(r.hour * HOUR_MS),
      rows: r.rows,
      fingerprint: r.fingerprint,
    }));
  }

  /**
   * Reads the rows of a batch of hours in one query and publishes each hour's partition. The fingerprint
   * recorded is the one computed before the read: rows that change in between make the next run see a
   * different fingerprint and take the hour again (finding, when the rows read were the new ones already,
   * the same bytes and writing nothing).
   */
  private async writeBatch(
    client: PoolClient,
    dataset: Dataset,
    hours: readonly HourFingerprint[],
    published: (result: PartitionResult) => void,
  ): Promise<PartitionResult[]> {
    const first = hours[0]!.hourStart.getTime();
    const last = hours.at(-1)!.hourStart.getTime() + HOUR_MS;
    const { rows } = await client.query<Row>(dataset.rowsSql, [new Date(first), new Date(last)]);
    const byHour = new Map<number, Row[]>(hours.map((h) => [h.hourStart.getTime(), []]));
    const micros = HOUR_MS * 1000;
    for (const row of rows) {
      // Bucketing keeps the query's order within each hour, which is the order of a one-hour read.
      const hour = Math.floor((row[dataset.instantColumn] as number) / micros) * HOUR_MS;
      byHour.get(hour)?.push(row);
    }
    const results: Published[] = new Array<Published>(hours.length);
    let next = 0;
    const worker = async () => {
      while (next < hours.length) {
        const index = next++;
        const hour = hours[index]!;
        this.options.signal?.throwIfAborted();
        results[index] = await this.publishPartition(
          dataset,
          hour,
          byHour.get(hour.hourStart.getTime()) ?? [],
        );
        published(results[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(UPLOADS, hours.length) }, worker));
    const recorded = results.filter((r) => r.rows > 0);
    if (recorded.length > 0) {
      await client.query(
        `INSERT INTO archive_partitions (dataset, hour_start, row_count, fingerprint, manifest_sha256)
         SELECT $1, hour_start, row_count, fingerprint, manifest_sha256
           FROM unnest($2::timestamptz[], $3::int[], $4::text[], $5::text[])
                AS r(hour_start, row_count, fingerprint, manifest_sha256)
         ON CONFLICT (dataset, hour_start) DO UPDATE
            SET row_count = excluded.row_count, fingerprint = excluded.fingerprint,
                manifest_sha256 = excluded.manifest_sha256, archived_at = now()`,
        [
          dataset.name,
          recorded.map((r) => r.hourStart),
          recorded.map((r) => r.rows),
          recorded.map((r) => r.fingerprint),
          recorded.map((r) => r.manifestSha256),
        ],
      );
    }
    return results;
  }

  /** Uploads one hour's objects, then its manifest, then deletes its previous version's objects. */
  private async publishPartition(
    dataset: Dataset,
    hour: HourFingerprint,
    rows: readonly Row[],
  ): Promise<Published> {
    const { hourStart } = hour;
    if (rows.length === 0) {
      // Deleted since the fingerprint was taken: nothing to publish; the next run looks again.
      return {
        dataset: dataset.name,
        hourStart,
        outcome: "unchanged",
        rows: 0,
        bytes: 0,
        fingerprint: "",
        manifestSha256: "",
      };
    }
    const objects: (ManifestObject & { body: Uint8Array })[] = [];
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_OBJECT) {
      const chunk = rows.slice(i, i + MAX_ROWS_PER_OBJECT);
      const body = encodeParquet(dataset, chunk);
      const sha256 = sha256Hex(body);
      objects.push({
        key: objectKey(dataset.name, hourStart, sha256),
        rows: chunk.length,
        bytes: body.byteLength,
        sha256,
        body,
      });
    }
    let minMicros = Number.POSITIVE_INFINITY;
    let maxMicros = Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      const instant = row[dataset.instantColumn] as number;
      if (instant < minMicros) minMicros = instant;
      if (instant > maxMicros) maxMicros = instant;
    }
    const manifest = buildManifest({
      dataset,
      hourStart,
      fingerprint: hour.fingerprint,
      rows: rows.length,
      minMicros,
      maxMicros,
      objects: objects.map(({ body: _body, ...object }) => object),
    });
    const bytes = manifestBytes(manifest);
    const key = manifestKey(dataset.name, hourStart);
    const { store, signal } = this.options;

    const previous = await this.previousManifest(key);
    let written = 0;
    if (!previous || sha256Hex(previous.bytes) !== sha256Hex(bytes)) {
      const listed = new Map((previous?.manifest?.objects ?? []).map((o) => [o.key, o.sha256]));
      for (const object of objects) {
        if (listed.get(object.key) === object.sha256) continue;
        await store.put(object.key, object.body, PARQUET_CONTENT_TYPE, signal);
        written += object.bytes;
      }
      signal?.throwIfAborted();
      await store.put(key, bytes, MANIFEST_CONTENT_TYPE, signal);
      written += bytes.byteLength;
      const kept = new Set(objects.map((o) => o.key));
      const stale = [...listed.keys()].filter((k) => !kept.has(k));
      if (stale.length > 0) await store.delete(stale);
    }
    return {
      dataset: dataset.name,
      hourStart,
      outcome: written > 0 ? "written" : "unchanged",
      rows: rows.length,
      bytes: written,
      fingerprint: hour.fingerprint,
      manifestSha256: sha256Hex(bytes),
    };
  }

  /** The manifest in the store at `key` (its bytes, and its content when it parses), if any. */
  private async previousManifest(
    key: string,
  ): Promise<{ bytes: Uint8Array; manifest?: Manifest } | undefined> {
    const bytes = await this.options.store.get(key);
    if (!bytes) return undefined;
    try {
      return { bytes, manifest: parseManifest(key, bytes) };
    } catch (error) {
      this.options.logger.warn({ key, err: error }, "archive: replacing a manifest that does not parse");
      return { bytes };
    }
  }
}

function summarize(datasets: DatasetResult[]): ArchiveSummary {
  const partitions = datasets.flatMap((d) => d.partitions);
  const written = partitions.filter((p) => p.outcome === "written");
  return {
    datasets,
    written: written.length,
    unchanged: partitions.length - written.length,
    rows: written.reduce((n, p) => n + p.rows, 0),
    bytes: written.reduce((n, p) => n + p.bytes, 0),
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
