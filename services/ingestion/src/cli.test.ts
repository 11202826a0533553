import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SETTINGS =
  /^(INGEST_SOURCE|TICKERS|KAFKA_|POLYGON_|FINNHUB_|SENSOR_|REPLAY_SEED|HTTP_|LOG_LEVEL|METRICS_)/;

/** Runs the CLI as a user would, with the given settings instead of this process's. */
function ingest(
  args: string[],
  env: Record<string, string> = {},
  onStart: (stop: () => void) => void = () => {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.test(k)));
  return new Promise((resolve, reject) => {
    // Node itself, not npx: a SIGTERM then reaches the CLI as it would in a container.
    const child = spawn(process.execPath, ["--import", "tsx", "services/ingestion/src/cli.ts", ...args], {
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
    onStart(() => child.kill("SIGTERM"));
  });
}

/** A loopback port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
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

describe("the README's ingest commands", async () => {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const commands = [...readme.matchAll(/`((?:KAFKA_BROKERS=… )?)npm run ingest -- ([^`]+)`/g)].map(
    ([, prefix, args]) => ({ needsKafka: prefix !== "", args: args!.split(" ") }),
  );

  it("are listed", () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
  });

  // A command shown without KAFKA_BROKERS= runs as shown; one shown with it would not run without it.
  it.each(commands.map((c) => [c.args.join(" "), c] as const))("%s", async (_, { needsKafka, args }) => {
    const result = await ingest(args);
    if (needsKafka) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("KAFKA_BROKERS: is required to publish");
    } else {
      expect(result.stderr).not.toContain("KAFKA_BROKERS");
      expect(result.code).toBe(0);
    }
  });
});

describe("ingest sensors (the sensor agent)", () => {
  let dir: string;
  let sensorEnv: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sensor-cli-"));
    await writeFile(join(dir, "temp"), "47125\n");
    await writeFile(join(dir, "loadavg"), "0.40 0.30 0.20 1/100 42\n");
    sensorEnv = {
      SENSOR_DEVICE: "pi-cli",
      SENSOR_THERMAL_PATH: join(dir, "temp"),
      SENSOR_LOADAVG_PATH: join(dir, "loadavg"),
      LOG_LEVEL: "info",
    };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("serves its readings at /metrics on METRICS_PORT until stopped, then lets the port go", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/metrics`;
    let scraped = "";
    const result = await ingest(
      ["--dry-run", "sensors", "--interval", "0.2"],
      { ...sensorEnv, METRICS_PORT: String(port) },
      (stop) => {
        void (async () => {
          await expect
            .poll(
              async () =>
                (scraped = await fetch(url).then(
                  (r) => r.text(),
                  () => "",
                )),
              { timeout: 20_000, interval: 200 },
            )
            .toMatch(/sensor_readings_published_total\{device="pi-cli"\} [1-9]/);
          stop();
        })().catch(stop);
      },
    );
    expect(result.code).toBe(0);
    expect(scraped).toContain('sensor_cpu_temperature_celsius{device="pi-cli"} 47.125');
    expect(scraped).toContain('sensor_load1{device="pi-cli"} 0.4');
    expect(scraped).toContain('sensor_read_failures_total{device="pi-cli"} 0');
    expect(scraped).toMatch(/sensor_last_reading_timestamp_seconds\{device="pi-cli"\} \d+/);
    expect(result.stderr).toContain(`http://127.0.0.1:${port}/metrics`);
    await expect(fetch(url)).rejects.toThrow();
  });

  it("exits 2 naming METRICS_PORT when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await ingest(["--dry-run", "sensors"], {
        ...sensorEnv,
        METRICS_PORT: String(port),
      });
      expect(code).toBe(2);
      expect(stderr).toContain(`METRICS_PORT: 127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
