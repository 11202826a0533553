import { randomBytes } from "node:crypto";
import { createPool, startPgliteServer } from "@hdp/shared";

export interface ScratchDatabase {
  /** `postgres://` URL of a database that belongs to its maker alone. */
  readonly url: string;
  /** `postgres`: a new database on the server given; `pglite`: an in-memory PGlite on a loopback socket. */
  readonly kind: "pglite" | "postgres";
  /** Drops the database (server) or stops PGlite. */
  drop(): Promise<void>;
}

/**
 * An empty database to work in and throw away: a new database named `<prefix>_<random>` on the server
 * `serverUrl` points at (its user may create databases), or, without one, an embedded PGlite.
 */
export async function createScratchDatabase(options: {
  readonly serverUrl?: string | undefined;
  readonly prefix: string;
}): Promise<ScratchDatabase> {
  if (!options.serverUrl) {
    const server = await startPgliteServer();
    return { url: server.url, kind: "pglite", drop: () => server.stop() };
  }
  const name = `${options.prefix}_${randomBytes(6).toString("hex")}`;
  const admin = createPool(options.serverUrl, { max: 1 });
  // Dropping the database terminates its connections; that is expected, not a failure.
  admin.on("error", () => {});
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const target = new URL(options.serverUrl);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    kind: "postgres",
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
