/**
 * Reading the archive back: the manifests of a date range, and the objects they list, each checked
 * against the manifest's size and sha256. Only what a manifest lists is read; any other object in the
 * bucket (an upload cut short, a rewritten hour's previous version) is ignored.
 */
import { DATASET_NAMES, type DatasetName } from "./datasets.js";
import { manifestHour, parseManifest, sha256Hex, type Manifest, type ManifestObject } from "./layout.js";
import type { ObjectStore } from "./store.js";

const DAY_MS = 86_400_000;

export interface ManifestQuery {
  readonly datasets?: readonly DatasetName[];
  /** First UTC date, inclusive (YYYY-MM-DD). */
  readonly from?: string;
  /** Last UTC date, inclusive (YYYY-MM-DD). */
  readonly to?: string;
}

export interface ListedManifest {
  readonly key: string;
  readonly hourStart: Date;
  readonly manifest: Manifest;
}

/** An object does not match its manifest, or a manifest is not one: the archive is damaged there. */
export class ArchiveIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveIntegrityError";
  }
}

/** The UTC dates of [from, to], or undefined when the range is open or too long to list day by day. */
function datesOf(from?: string, to?: string): string[] | undefined {
  if (!from || !to) return undefined;
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (end < start || (end - start) / DAY_MS > 366) return undefined;
  const dates: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

/** Every manifest of the query's datasets and dates, by dataset then hour. */
export async function listManifests(
  store: ObjectStore,
  query: ManifestQuery = {},
): Promise<ListedManifest[]> {
  const found: ListedManifest[] = [];
  for (const dataset of query.datasets ?? DATASET_NAMES) {
    const dates = datesOf(query.from, query.to);
    const prefixes = dates ? dates.map((d) => `${dataset}/date=${d}/`) : [`${dataset}/`];
    for (const prefix of prefixes) {
      for await (const key of store.list(prefix)) {
        const place = manifestHour(key);
        if (!place || place.dataset !== dataset) continue;
        const date = place.hourStart.toISOString().slice(0, 10);
        if ((query.from && date < query.from) || (query.to && date > query.to)) continue;
        const bytes = await store.get(key);
        if (!bytes) continue; // deleted between the listing and the read
        let manifest: Manifest;
        try {
          manifest = parseManifest(key, bytes);
        } catch (error) {
          throw new ArchiveIntegrityError((error as Error).message);
        }
        if (manifest.dataset !== dataset)
          throw new ArchiveIntegrityError(`${key}: names dataset ${manifest.dataset}`);
        found.push({ key, hourStart: place.hourStart, manifest });
      }
    }
  }
  return found.sort(
    (a, b) =>
      a.manifest.dataset.localeCompare(b.manifest.dataset) || a.hourStart.getTime() - b.hourStart.getTime(),
  );
}

/** The bytes of an object a manifest lists, checked against its size and sha256. */
export async function readListedObject(store: ObjectStore, object: ManifestObject): Promise<Uint8Array> {
  const bytes = await store.get(object.key);
  if (!bytes) throw new ArchiveIntegrityError(`${object.key}: listed by its manifest but not in the store`);
  if (bytes.byteLength !== object.bytes || sha256Hex(bytes) !== object.sha256)
    throw new ArchiveIntegrityError(
      `${object.key}: ${bytes.byteLength} bytes with sha256 ${sha256Hex(bytes).slice(0, 16)}…, ` +
        `but its manifest says ${object.bytes} bytes with ${object.sha256.slice(0, 16)}…`,
    );
  return bytes;
}
