import { fileURLToPath } from "node:url";
import { runner } from "node-pg-migrate";
import type { Logger } from "../log/logger.js";

/** Folder of the versioned SQL migrations (`<timestamp>_<name>.sql`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

export interface MigrateOptions {
  readonly databaseUrl: string;
  readonly logger?: Logger;
  /** @default "up" */
  readonly direction?: "up" | "down";
  /** Migrations to run; all pending ones (up) or one (down) when omitted. */
  readonly count?: number;
}

/**
 * Brings the database schema to the latest version with node-pg-migrate. Safe to
 * run from several processes at once: the tool takes an advisory lock.
 * Returns the names of the migrations it applied.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const direction = options.direction ?? "up";
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: MIGRATIONS_DIR,
    direction,
    count: options.count ?? (direction === "up" ? Number.POSITIVE_INFINITY : 1),
    migrationsTable: "schema_migrations",
    checkOrder: true,
    singleTransaction: true,
    log: (message: string) => options.logger?.debug({ migration: message }, "migration"),
    logger: {
      debug: (m: string) => options.logger?.debug(m),
      info: (m: string) => options.logger?.debug(m),
      warn: (m: string) => options.logger?.warn(m),
      error: (m: string) => options.logger?.error(m),
    },
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0)
    options.logger?.info({ applied: names }, `database: applied ${names.length} migration(s)`);
  return names;
}
