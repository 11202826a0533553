import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TOPICS, barSchema, createLogger } from "@hdp/shared";
import { requireKafka } from "../setup/kafka.js";
import { connectIsolatedBus, readTopic } from "../support/kafka-tools.js";

const brokers = await requireKafka();
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = "services/ingestion/src/cli.ts";

/** Runs `ingest` as a user would, against the real broker. */
function ingest(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 60_000,
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(!brokers)("ingest CLI against a real broker", () => {
  it("backfills a trading day into Kafka with progress output, keyed by ticker", async () => {
    const runId = randomBytes(4).toString("hex");
    // This run's topics; the CLI publishes under the same prefix.
    const kafka = await connectIsolatedBus(
      brokers!,
      runId,
      createLogger({ service: "test", level: "silent" }),
    );
    await kafka.close();
    const { code, stderr } = await ingest(
      ["backfill", "--from", "2024-03-05", "--to", "2024-03-05", "--no-news"],
      {
        KAFKA_BROKERS: brokers!,
        KAFKA_TOPIC_PREFIX: kafka.prefix,
        TICKERS: "AAPL,MSFT",
        LOG_LEVEL: "warn",
      },
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/backfill: 1\/1 days, 2024-03-05 AAPL 390 bars/);
    expect(stderr).toMatch(/backfill: 1\/1 days, 2024-03-05 MSFT 390 bars/);
    expect(stderr).toMatch(/^backfill: done, 1 day, 780 bars, 0 articles$/m);

    const messages = await readTopic(brokers!, kafka.wire(TOPICS.bars));
    expect(messages).toHaveLength(780);
    for (const m of messages) {
      const bar = barSchema.parse(JSON.parse(m.value));
      expect(m.key).toBe(bar.ticker);
    }
    expect(new Set(messages.map((m) => m.value)).size).toBe(780);
  }, 120_000);
});
