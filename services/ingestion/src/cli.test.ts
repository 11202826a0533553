import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SETTINGS = /^(INGEST_SOURCE|TICKERS|KAFKA_|POLYGON_|FINNHUB_|SENSOR_|REPLAY_SEED|HTTP_|LOG_LEVEL)/;

/** Runs the CLI as a user would, with the given settings instead of this process's. */
function ingest(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "services/ingestion/src/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...base, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent("ingest CLI", () => {
  it("exits 2 and names the variable when the chosen source has no key", async () => {
    const { code, stderr } = await ingest(["market"], { INGEST_SOURCE: "polygon" });
    expect(code).toBe(2);
    expect(stderr).toContain("POLYGON_API_KEY: is required when INGEST_SOURCE=polygon");
  });

  it("exits 2 and names KAFKA_BROKERS when there is nowhere to publish", async () => {
    const { code, stderr } = await ingest(["news"]);
    expect(code).toBe(2);
    expect(stderr).toContain("KAFKA_BROKERS: is required");
    expect(stderr).toContain("--dry-run");
  });

  it("exits 2 on an unknown option", async () => {
    const { code, stderr } = await ingest(["market", "--bogus"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--bogus'");
  });

  it("prints the previous minute's bars as JSON lines with --dry-run and exits 0", async () => {
    const { code, stdout } = await ingest(["--dry-run", "market", "--now", "2024-03-05T15:00:20Z"], {
      TICKERS: "AAPL,MSFT",
    });
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { topic: string; key: string; value: { start: string } });
    expect(lines.map((l) => [l.topic, l.key, l.value.start])).toEqual([
      ["market.candles.1m.v1", "AAPL", "2024-03-05T14:59:00.000Z"],
      ["market.candles.1m.v1", "MSFT", "2024-03-05T14:59:00.000Z"],
    ]);
  });
});
