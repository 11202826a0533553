import pg from "pg";

// int8 (bigint) columns hold volumes far below 2^53: read them as numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  /** Largest number of open connections. @default 10 */
  readonly max?: number;
  /** Shown in `pg_stat_activity`. */
  readonly applicationName?: string;
}

/** A connection pool for a `postgres://` URL (a real server or the PGlite socket). */
export function createPool(connectionString: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  // A connection cut while checked out (the server restarted, the database dropped) emits `error` on
  // its client, which pg leaves without a listener then, and an unhandled `error` event ends the
  // process. The caller learns of it anyway (its query in flight, or its next one, fails with it);
  // here it goes to the pool's `error` listeners, where the idle connections' failures go too.
  // (An idle client's failure the pool reports itself: only checked-out ones are forwarded.)
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client));
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      if (checkedOut.has(client) && pool.listenerCount("error") > 0) pool.emit("error", error, client);
    });
  });
  return pool;
}

/** Runs `work` inside one transaction, rolling back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let result: T;
  try {
    await client.query("BEGIN");
    result = await work(client);
    await client.query("COMMIT");
  } catch (error) {
    // A client whose ROLLBACK fails is broken: release it with the error so the pool drops it.
    const broken = await client.query("ROLLBACK").then(
      () => undefined,
      (rollbackError: unknown) => rollbackError,
    );
    client.release(broken instanceof Error ? broken : undefined);
    throw error;
  }
  client.release();
  return result;
}
