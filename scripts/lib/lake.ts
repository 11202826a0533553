/**
 * SQL over the archive with DuckDB (its Node API, embedded): the manifests of the asked dates choose the
 * objects; each is fetched once into a local cache (content-addressed, checked against its manifest's
 * sha256), and the views `bars`, `news` and `readings` read them, with the Hive partition columns `date`
 * and `hour`. DuckDB's own S3 support is an extension it downloads at run time, which this project does not
 * rely on; the objects come through the same AWS SDK client as the archive job's.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import {
  DATASETS,
  DATASET_NAMES,
  listManifests,
  readListedObject,
  type ColumnType,
  type DatasetName,
  type ObjectStore,
} from "@hdp/processing";
import { toolCacheDir } from "../../infra/plan/tool-cache.js";

export interface LakeOptions {
  readonly store: ObjectStore;
  /** First and last UTC date, inclusive; open ends read every partition. */
  readonly from?: string;
  readonly to?: string;
  readonly datasets?: readonly DatasetName[];
  /** Where fetched objects are kept. @default the tool cache's `lake/` */
  readonly cacheDir?: string;
  readonly progress?: (line: string) => void;
}

export interface Lake {
  readonly connection: DuckDBConnection;
  /** Objects per dataset that the views read. */
  readonly objects: Readonly<Record<DatasetName, number>>;
  /** Rows of a query, as JSON-friendly values (BIGINT and DECIMAL as strings, instants as ISO text). */
  query(sql: string): Promise<{ columns: string[]; rows: Record<string, unknown>[] }>;
  close(): void;
}

const DUCKDB_TYPES: Record<ColumnType, string> = {
  string: "VARCHAR",
  timestamp: "TIMESTAMPTZ",
  double: "DOUBLE",
  int64: "BIGINT",
  list: "VARCHAR[]",
};

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The lake over the archive's manifests of the asked dates. */
export async function openLake(options: LakeOptions): Promise<Lake> {
  const { store } = options;
  const log = options.progress ?? (() => {});
  const root = join(
    options.cacheDir ?? toolCacheDir("lake"),
    new URL(store.settings.endpoint ?? `https://s3.${store.settings.region}.amazonaws.com`).host,
    store.settings.bucket,
    store.settings.prefix,
  );
  await store.check();
  const datasets = options.datasets ?? DATASET_NAMES;
  const manifests = await listManifests(store, { datasets, from: options.from, to: options.to });
  const files: Record<DatasetName, string[]> = { bars: [], news: [], readings: [] };
  let fetched = 0;
  for (const { manifest } of manifests) {
    for (const object of manifest.objects) {
      // The key names the object's content (part-<sha256>), so a cached file is the object itself.
      const file = join(root, object.key);
      if (!existsSync(file)) {
        const bytes = await readListedObject(store, object);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.partial`, bytes);
        await rename(`${file}.partial`, file);
        fetched += 1;
      }
      files[manifest.dataset].push(file);
    }
  }
  log(
    `lake: ${manifests.length} partitions, ${Object.values(files).flat().length} objects ` +
      `(${fetched} fetched, the rest from the cache)`,
  );

  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  for (const name of DATASET_NAMES) {
    const dataset = DATASETS[name];
    const list = files[name];
    if (list.length > 0) {
      await connection.run(
        `CREATE VIEW ${name} AS SELECT * FROM read_parquet([${list.map(quote).join(", ")}], hive_partitioning = true, hive_types = {'date': DATE, 'hour': INTEGER})`,
      );
    } else {
      // No partition in range: the view still has the dataset's columns, and no rows.
      const columns = dataset.columns.map((c) => `NULL::${DUCKDB_TYPES[c.type]} AS ${c.name}`);
      await connection.run(
        `CREATE VIEW ${name} AS SELECT ${columns.join(", ")}, NULL::DATE AS date, NULL::INTEGER AS hour WHERE false`,
      );
    }
  }
  return {
    connection,
    objects: { bars: files.bars.length, news: files.news.length, readings: files.readings.length },
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Record<string, unknown>[] };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A result as an aligned text table, the way psql prints one. */
export function formatTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const text = (value: unknown) =>
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  const cells = rows.map((row) => columns.map((c) => text(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join(" | ")
      .trimEnd();
  return [
    line(columns),
    widths.map((w) => "-".repeat(w)).join("-+-"),
    ...cells.map(line),
    `(${rows.length} row${rows.length === 1 ? "" : "s"})`,
  ].join("\n");
}
