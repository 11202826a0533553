import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createTestDatabase, databaseKind } from "../../../../test/setup/database.js";
import { createPool } from "./pool.js";

describe(`a pool whose database goes away (${databaseKind})`, () => {
  it("does not end the process when a checked-out connection is cut: the error reaches the pool's listener and the next query", async () => {
    const db = await createTestDatabase({ migrate: false });
    const pool = createPool(db.url, { max: 1 });
    const seen: Error[] = [];
    pool.on("error", (error) => seen.push(error));
    const client = await pool.connect();
    try {
      expect((await client.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      // Dropping the database (WITH FORCE) or stopping PGlite cuts every connection, this one included,
      // while it is checked out: pg emits `error` on the client, which ends the process when nobody listens.
      await db.close();
      await expect.poll(() => seen.length, { timeout: 10_000, interval: 50 }).toBeGreaterThan(0);
      await expect(client.query("SELECT 1")).rejects.toThrow();
      // Each failure once (PostgreSQL sends its reason, then the socket closes: two different errors).
      const messages = seen.map((e) => e.message);
      expect(new Set(messages).size).toBe(messages.length);
    } finally {
      client.release(new Error("connection lost"));
      await pool.end();
    }
    // Still alive, and nothing left unhandled: vitest fails the run on an unhandled `error` event.
    await sleep(50);
  });
});
