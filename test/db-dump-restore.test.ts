// `npm run db:dump` and `npm run db:restore` on a real PostgreSQL server of the test's own: a full replayed
// day stored by the real pipeline, dumped (pg_dump -Fc), restored into an empty database (pg_restore), and
// the API answers the same requests on both exactly alike. Plus the command line's refusals.
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, createPool, type Pool } from "@hdp/shared";
import { buildApp, type MiddleTierApp } from "../services/middle-tier/src/app.js";
import { requirePostgresServer, type PostgresServer } from "./setup/postgres-server.js";
import { REPLAYED_DAY, REPLAY_NOW, REPLAY_TICKERS, storeReplayedDay } from "./support/replayed-day.js";

const server = await requirePostgresServer();
const run = promisify(execFile);
const logger = createLogger({ service: "test", level: "silent" });
const NOW = REPLAY_NOW;
const DAY = REPLAYED_DAY;
const TICKERS = REPLAY_TICKERS;

/** Runs `npm run db:<command> -- args` as a user would; never throws, answers the exit code and output. */
async function db(command: "dump" | "restore", args: string[], env: Record<string, string | undefined> = {}) {
  return run("npx", ["tsx", "scripts/db.ts", command, ...args], {
    env: { ...process.env, DATABASE_URL: undefined, ...env } as NodeJS.ProcessEnv,
    timeout: 120_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: Number(error.code ?? 1),
      output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }),
  );
}

describe.skipIf(!server)("db:dump and db:restore (real server)", () => {
  let pg: PostgresServer;
  let dir: string;
  const urlOf = (name: string) => {
    const url = new URL(pg.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const pools: Pool[] = [];
  const apps: MiddleTierApp[] = [];
  const appOn = (url: string) => {
    const pool = createPool(url, { max: 2 });
    pools.push(pool);
    const app = buildApp({ config: { corsOrigins: [] }, logger, pool, now: () => NOW });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    pg = server!;
    dir = await mkdtemp(join(tmpdir(), "hdp-db-dump-"));
    const admin = createPool(pg.url, { max: 1 });
    for (const name of ["source", "restored", "occupied"]) await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    // A full replayed day (and its news, scored), stored by the pipeline as it runs locally.
    await storeReplayedDay({ databaseUrl: urlOf("source"), logger });
  }, 240_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const pool of pools) await pool.end().catch(() => {});
    await pg?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("restores a dump into an empty database that answers the API exactly as the original", async () => {
    const file = join(dir, "day.dump");
    const dumped = await db("dump", ["--out", file], { DATABASE_URL: urlOf("source") });
    expect(dumped.code, dumped.output).toBe(0);
    expect((await stat(file)).size).toBeGreaterThan(10_000);
    const restored = await db("restore", ["--in", file, "--database-url", urlOf("restored")]);
    expect(restored.code, restored.output).toBe(0);

    const original = appOn(urlOf("source"));
    const copy = appOn(urlOf("restored"));
    const requests = [
      "/v1/tickers",
      "/v1/status",
      "/v1/devices",
      ...TICKERS.flatMap((t) => [
        `/v1/candles?ticker=${t}&date=${DAY}`,
        `/v1/news?ticker=${t}&limit=100`,
        `/marketData/oneMinute?ticker=${t}&date=${DAY}`,
        `/news/description?ticker=${t}&day=${DAY}&limit=100`,
      ]),
    ];
    let bars = 0;
    for (const url of requests) {
      const [a, b] = await Promise.all([original.inject({ url }), copy.inject({ url })]);
      expect(a.statusCode, url).toBe(200);
      expect({ status: b.statusCode, body: b.body }, url).toEqual({ status: a.statusCode, body: a.body });
      if (url.startsWith("/v1/candles")) bars += (a.json() as { candles: unknown[] }).candles.length;
    }
    expect(bars).toBe(5 * 390);
    console.log(
      `db-dump-restore: requests=${requests.length} bars=${bars} dump_bytes=${(await stat(file)).size}`,
    );
  }, 180_000);

  it("refuses with one line and exit 1: no database, a missing dump, an existing --out, a non-empty target", async () => {
    const file = join(dir, "refusals.dump");
    const none = await db("dump", ["--out", file]);
    expect(none.code).toBe(1);
    expect(none.output).toContain("no database: set DATABASE_URL or pass --database-url");

    const missing = await db("restore", [
      "--in",
      join(dir, "nope.dump"),
      "--database-url",
      urlOf("occupied"),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("does not exist");

    await writeFile(file, "already here");
    const exists = await db("dump", ["--out", file, "--database-url", urlOf("source")]);
    expect(exists.code).toBe(1);
    expect(exists.output).toContain("exists: choose another --out, or pass --force");

    const good = join(dir, "good.dump");
    expect((await db("dump", ["--out", good, "--database-url", urlOf("source")])).code).toBe(0);
    expect((await db("restore", ["--in", good, "--database-url", urlOf("occupied")])).code).toBe(0);
    const again = await db("restore", ["--in", good, "--database-url", urlOf("occupied")]);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/not empty|--clean/);
  }, 180_000);
});
