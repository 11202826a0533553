import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/setup/database.js";
import { NOW, insertBar } from "../test-support.js";
import { StatusReader } from "./status-reader.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await insertBar(db.pool, "AAPL", new Date(NOW.getTime() - 120_000), 170, null);
});
afterAll(async () => {
  await db?.close();
});

describe("StatusReader", () => {
  it("reuses a read for maxAgeMs after it completes, then reads again", async () => {
    let elapsed = 0;
    const reader = new StatusReader({
      pool: db.pool,
      now: () => NOW,
      maxAgeMs: 5_000,
      elapsedMs: () => elapsed,
    });
    const query = vi.spyOn(db.pool, "query");
    try {
      const first = await reader.read();
      expect(first.lastBars.map((row) => row.ticker)).toEqual(["AAPL"]);
      elapsed = 4_999;
      expect(await reader.read()).toBe(first);
      expect(query).toHaveBeenCalledTimes(3);
      elapsed = 5_000;
      expect(await reader.read()).not.toBe(first);
      expect(query).toHaveBeenCalledTimes(6);
    } finally {
      query.mockRestore();
    }
  });

  it("reads again once the service clock has moved maxAgeMs past the read, however little real time passed", async () => {
    let now = NOW;
    const reader = new StatusReader({ pool: db.pool, now: () => now, maxAgeMs: 5_000, elapsedMs: () => 0 });
    const first = await reader.read();
    now = new Date(NOW.getTime() + 4_999);
    expect(await reader.read()).toBe(first);
    now = new Date(NOW.getTime() + 5_000);
    const second = await reader.read();
    expect(second).not.toBe(first);
    expect(second.readAt).toEqual(now);
  });

  it("shares a read in flight between callers", async () => {
    const reader = new StatusReader({ pool: db.pool, now: () => NOW, maxAgeMs: 0 });
    const query = vi.spyOn(db.pool, "query");
    try {
      const [a, b] = await Promise.all([reader.read(), reader.read()]);
      expect(a).toBe(b);
      expect(query).toHaveBeenCalledTimes(3);
    } finally {
      query.mockRestore();
    }
  });

  it("does not reuse a failed read", async () => {
    const reader = new StatusReader({ pool: db.pool, now: () => NOW, maxAgeMs: 60_000 });
    const query = vi.spyOn(db.pool, "query").mockRejectedValueOnce(new Error("connection reset"));
    try {
      await expect(reader.read()).rejects.toThrow("connection reset");
      const snapshot = await reader.read();
      expect(snapshot.lastBars).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
  });
});
