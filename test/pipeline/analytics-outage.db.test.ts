import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPICS, createLogger, encodeMessage, type Article } from "@hdp/shared";
import { buildApp, createSentimentModel, type AnalyticsApp } from "@hdp/analytics";
import { ReplaySource } from "@hdp/ingestion";
import { startProcessingService, type ProcessingService } from "@hdp/processing";
import { createTestDatabase, databaseKind, poolSizeFor, type TestDatabase } from "../setup/database.js";
import { requireKafka } from "../setup/kafka.js";
import { connectIsolatedBus, type IsolatedBus } from "../support/kafka-tools.js";

const brokers = await requireKafka();
const logger = createLogger({ service: "test", level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** The real analytics service on a fixed loopback port, so that it can go away and come back. */
async function startAnalytics(port: number): Promise<AnalyticsApp> {
  const model = createSentimentModel("vader-finance");
  await model.load();
  const app = buildApp({ config: { bodyLimitBytes: 1024 * 1024 }, logger, model });
  await app.listen({ host: "127.0.0.1", port });
  return app;
}

describe.skipIf(!brokers)(`analytics down for 10 seconds (${databaseKind})`, () => {
  const runId = randomBytes(4).toString("hex");
  let db: TestDatabase;
  let kafka: IsolatedBus;
  let service: ProcessingService;
  let analytics: AnalyticsApp | undefined;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    analytics = await startAnalytics(0);
    port = (analytics.server.address() as { port: number }).port;
    kafka = await connectIsolatedBus(brokers!, runId, logger);
    service = await startProcessingService({
      databaseUrl: db.url,
      bus: kafka.bus,
      logger,
      groupId: `outage-test-${runId}`,
      analyticsUrl: `http://127.0.0.1:${port}`,
      analyticsTimeoutMs: 2_000,
      migrateOnStart: false,
      poolSize: poolSizeFor(db.kind, 5),
    });
  });

  afterAll(async () => {
    await service?.stop();
    await kafka?.close();
    await analytics?.close();
    await db?.close();
  });

  it("scores every article once analytics is back; none is lost", async () => {
    await analytics!.close();
    analytics = undefined;

    const source = new ReplaySource(`outage-${runId}`);
    const articles: Article[] = [];
    for (const ticker of ["AAPL", "MSFT", "TSLA"]) {
      articles.push(
        ...(await source.fetchNews({
          ticker,
          from: new Date("2024-03-04T05:00:00Z"),
          to: new Date("2024-03-09T05:00:00Z"),
        })),
      );
    }
    // Ids are unique per run so that other suites on the same broker do not interfere.
    const mine = [...new Map(articles.map((a) => [a.id, { ...a, id: `${a.id}-${runId}` }])).values()];
    expect(mine.length).toBeGreaterThan(10);
    await kafka.producer.send(
      TOPICS.news,
      mine.map((a) => encodeMessage(TOPICS.news, a)),
    );

    const pairs = mine.reduce((n, a) => n + a.tickers.length, 0);
    const scored = async () =>
      (
        await db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM sentiments WHERE article_id = ANY($1)",
          [mine.map((a) => a.id)],
        )
      ).rows[0]!.n;
    const stored = async () =>
      (
        await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM articles WHERE id = ANY($1)", [
          mine.map((a) => a.id),
        ])
      ).rows[0]!.n;
    // Processing has the news: the batch in hand is stored and waits for scoring. (How many
    // articles that batch holds depends on how the broker hands them out; the rest wait
    // behind it, uncommitted.)
    await expect.poll(stored, { timeout: 30_000 }).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 10_000));
    expect(await scored()).toBe(0);
    const retries = (await service.metrics.retries.get()).values.find(
      (v) => v.labels.operation === "score news",
    );
    expect(retries?.value ?? 0).toBeGreaterThan(1);

    analytics = await startAnalytics(port);
    await expect.poll(scored, { timeout: 60_000, interval: 250 }).toBe(pairs);
    expect(await stored()).toBe(mine.length);
    const labels = await db.pool.query<{ label: string; model: string }>(
      "SELECT DISTINCT label, model FROM sentiments WHERE article_id = ANY($1) ORDER BY label",
      [mine.map((a) => a.id)],
    );
    expect(labels.rows.map((r) => r.label)).toEqual(["negative", "neutral", "positive"]);
    expect(new Set(labels.rows.map((r) => r.model))).toEqual(new Set(["vader-finance@2"]));
  }, 120_000);
});
