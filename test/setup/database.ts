import { createPool, migrate, type Pool } from "@hdp/shared";
import { createScratchDatabase } from "../../scripts/lib/scratch-database.js";

/**
 * Connections a client pool should open. PGlite is one backend that pglite-socket shares
 * between connections message by message; two clients' extended-protocol queries can then
 * interleave and one of them hang. One connection per pool serialises them.
 */
export function poolSizeFor(kind: "pglite" | "postgres", wanted: number): number {
  return kind === "pglite" ? 1 : wanted;
}

export interface TestDatabase {
  /** `postgres://` URL of a database that belongs to this test alone. */
  readonly url: string;
  /** `pglite` or `postgres` (a real server named by DATABASE_URL). */
  readonly kind: "pglite" | "postgres";
  /** A pool on it for assertions. */
  readonly pool: Pool;
  /** Drops the database (real server) or stops PGlite. */
  close(): Promise<void>;
}

/**
 * Which database this run of the suite uses: the vitest project sets HDP_TEST_DB;
 * `postgres` needs DATABASE_URL naming a server where the test may create databases.
 */
export const databaseKind: "pglite" | "postgres" =
  process.env.HDP_TEST_DB === "postgres" ? "postgres" : "pglite";

/**
 * A fresh, migrated database for one test file: a new database on the server
 * named by DATABASE_URL, or an in-memory PGlite served on a loopback socket.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = databaseKind === "postgres" ? process.env.DATABASE_URL : undefined;
  if (databaseKind === "postgres" && !serverUrl) throw new Error("HDP_TEST_DB=postgres needs DATABASE_URL");
  const database = await createScratchDatabase({ serverUrl, prefix: "hdp_test" });
  const url = database.url;
  if (options.migrate ?? true) await migrate({ databaseUrl: url });
  const pool = createPool(url, { max: poolSizeFor(database.kind, 4) });
  // Dropping the database terminates idle connections; that is expected here, not a failure.
  pool.on("error", () => {});
  return {
    url,
    kind: database.kind,
    pool,
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}

/**
 * Every row of every data table with its `xmin` (the transaction that last wrote it),
 * for "nothing changed" comparisons: even an UPDATE to identical values shows.
 */
export async function snapshotTables(pool: Pool): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    bars: "SELECT xmin::text AS xmin, * FROM bars ORDER BY ticker, start_at",
    articles: "SELECT xmin::text AS xmin, * FROM articles ORDER BY id",
    article_tickers: "SELECT xmin::text AS xmin, * FROM article_tickers ORDER BY article_id, ticker",
    sentiments: "SELECT xmin::text AS xmin, * FROM sentiments ORDER BY article_id, ticker",
    sensor_readings: "SELECT xmin::text AS xmin, * FROM sensor_readings ORDER BY device, at",
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(tables)) out[name] = (await pool.query(sql)).rows;
  return out;
}
