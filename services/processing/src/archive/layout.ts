/**
 * Where the archive's objects live and what a manifest says. Keys are relative to the archive's root
 * (the bucket and `ARCHIVE_PREFIX`), Hive-style, by UTC date and hour (every instant in the pipeline is
 * UTC; a trading session never crosses a UTC midnight, so `date=` is the trading date for bars):
 *
 *   <dataset>/date=YYYY-MM-DD/hour=HH/part-<sha256, 16 hex>.parquet   the rows (content-addressed)
 *   <dataset>/date=YYYY-MM-DD/hour=HH/manifest.json                   written last; lists the objects
 *
 * Readers trust only what a manifest lists: an object without a manifest naming it (an upload cut short,
 * or the previous version of a rewritten hour not yet deleted) is not part of the archive.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { DATASET_NAMES, type Dataset, type DatasetName } from "./datasets.js";

export const HOUR_MS = 3_600_000;
/** The manifest format's version (a dataset's own schema version is `datasetVersion`). */
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";
/** Rows per Parquet object; an hour with more is split into several. */
export const MAX_ROWS_PER_OBJECT = 1_000_000;

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash("sha256").update(bytes).digest("hex");

/** `date=YYYY-MM-DD/hour=HH` of the UTC hour starting at `hourStart`. */
export function partitionPath(hourStart: Date): string {
  const iso = hourStart.toISOString();
  return `date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

export const partitionFolder = (dataset: DatasetName, hourStart: Date): string =>
  `${dataset}/${partitionPath(hourStart)}/`;
export const manifestKey = (dataset: DatasetName, hourStart: Date): string =>
  `${partitionFolder(dataset, hourStart)}${MANIFEST_FILE}`;
export const objectKey = (dataset: DatasetName, hourStart: Date, sha256: string): string =>
  `${partitionFolder(dataset, hourStart)}part-${sha256.slice(0, 16)}.parquet`;

/** The UTC hour a manifest key names, or undefined when the key is not a manifest's. */
export function manifestHour(key: string): { dataset: DatasetName; hourStart: Date } | undefined {
  const match = /(?:^|\/)([a-z]+)\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/manifest\.json$/.exec(key);
  if (!match || !DATASET_NAMES.includes(match[1] as DatasetName)) return undefined;
  const hourStart = new Date(`${match[2]}T${match[3]}:00:00Z`);
  if (Number.isNaN(hourStart.getTime()) || partitionPath(hourStart) !== `date=${match[2]}/hour=${match[3]}`)
    return undefined;
  return { dataset: match[1] as DatasetName, hourStart };
}

/** An ISO 8601 instant with microseconds, from microseconds since the epoch. */
export function isoMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, 23)}${String(rest).padStart(3, "0")}Z`;
}

const objectSchema = z.strictObject({
  key: z.string().min(1),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const manifestSchema = z.strictObject({
  manifestVersion: z.literal(MANIFEST_VERSION),
  dataset: z.enum(DATASET_NAMES as [DatasetName, ...DatasetName[]]),
  datasetVersion: z.number().int().positive(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  hour: z.number().int().min(0).max(23),
  rowCount: z.number().int().nonnegative(),
  minInstant: z.string(),
  maxInstant: z.string(),
  /** The rows' fingerprint (count and hash sum) as the database computed it when the partition was built. */
  sourceFingerprint: z.string(),
  columns: z.array(z.strictObject({ name: z.string(), type: z.string(), nullable: z.boolean() })),
  objects: z.array(objectSchema).min(1),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestObject = z.infer<typeof objectSchema>;

/** The manifest's bytes: keys in a fixed order, two-space indent, one final newline. */
export function manifestBytes(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
}

/** Parses a manifest's bytes; throws naming the key when they are not one. */
export function parseManifest(key: string, bytes: Uint8Array): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`${key}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success)
    throw new Error(`${key}: not an archive manifest (${result.error.issues[0]?.message ?? "invalid"})`);
  return result.data;
}

/** The manifest of one partition, from the objects written for it. */
export function buildManifest(options: {
  dataset: Dataset;
  hourStart: Date;
  fingerprint: string;
  rows: number;
  minMicros: number;
  maxMicros: number;
  objects: readonly ManifestObject[];
}): Manifest {
  const iso = options.hourStart.toISOString();
  return {
    manifestVersion: MANIFEST_VERSION,
    dataset: options.dataset.name,
    datasetVersion: options.dataset.version,
    date: iso.slice(0, 10),
    hour: Number(iso.slice(11, 13)),
    rowCount: options.rows,
    minInstant: isoMicros(options.minMicros),
    maxInstant: isoMicros(options.maxMicros),
    sourceFingerprint: options.fingerprint,
    columns: options.dataset.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    objects: [...options.objects],
  };
}
