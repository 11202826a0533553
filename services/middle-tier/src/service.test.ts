import { createServer, type Server } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { PortInUseError, createLogger, createPool } from "@hdp/shared";
import { startMiddleTier, type MiddleTierService } from "./service.js";

// None of this reads the database: a pool to nowhere (the scrape-time status gauges are then
// left out of /metrics, which the metrics tests cover).
const pool = createPool("postgres://nobody@127.0.0.1:1/none", { max: 1 });
pool.on("error", () => {});
const logger = createLogger({ service: "middle-tier-test", level: "silent" });
const HOST = "127.0.0.1";

let started: MiddleTierService[] = [];
afterEach(async () => {
  await Promise.all(started.map((s) => s.close()));
  started = [];
});
afterAll(async () => {
  await pool.end();
});

/** The middle-tier on loopback; `metricsPort` undefined: without METRICS_PORT. */
async function start({ port = 0, metricsPort }: { port?: number; metricsPort: number | undefined }) {
  const metrics = metricsPort === undefined ? undefined : { host: HOST, port: metricsPort };
  const service = await startMiddleTier({
    config: { host: HOST, port, metrics, corsOrigins: [] },
    logger,
    pool,
  });
  started.push(service);
  return service;
}

/** A TCP server holding a port of loopback (0: a free one). */
async function occupy(port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, resolve);
  });
  return { server, port: (server.address() as { port: number }).port };
}
const release = (server: Server) => new Promise((resolve) => server.close(resolve));

/** A port of loopback that was free a moment ago. */
async function freePort(): Promise<number> {
  const { server, port } = await occupy();
  await release(server);
  return port;
}

/** Whether `port` can be bound again, i.e. nothing of ours still listens there. */
async function isFree(port: number): Promise<boolean> {
  try {
    await release((await occupy(port)).server);
    return true;
  } catch {
    return false;
  }
}

describe("the middle-tier with METRICS_PORT", () => {
  it("answers 404 for /metrics on the API port", async () => {
    const service = await start({ metricsPort: 0 });
    expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });

  it("serves /metrics on the metrics port, with the requests answered on the API port", async () => {
    const service = await start({ metricsPort: 0 });
    await fetch(`${service.url}/healthz`);
    const response = await fetch(`${service.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('http_requests_total{method="GET",route="/healthz",status_code="200"} 1');
    expect(text).toContain("api_stream_clients 0");
  });

  it("does not count the scrapes of the metrics port as requests", async () => {
    const service = await start({ metricsPort: 0 });
    await fetch(`${service.metricsUrl}/metrics`);
    const text = await (await fetch(`${service.metricsUrl}/metrics`)).text();
    expect(text).not.toMatch(/^http_requests_total\{/m);
  });

  it("serves nothing but /metrics on the metrics port", async () => {
    const service = await start({ metricsPort: 0 });
    expect((await fetch(`${service.metricsUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${service.metricsUrl}/v1/tickers`)).status).toBe(404);
  });

  it("lets both ports go on close, even while a client keeps its connections open", async () => {
    const service = await start({ metricsPort: 0 });
    // fetch keeps its connections alive: the close must not wait for them.
    await fetch(`${service.url}/healthz`);
    await fetch(`${service.metricsUrl}/metrics`);
    await service.close();
    started = [];
    expect(await isFree(Number(new URL(service.url).port))).toBe(true);
    expect(await isFree(Number(new URL(service.metricsUrl!).port))).toBe(true);
  });

  it("refuses a taken METRICS_PORT, naming it, without opening the API port", async () => {
    const taken = await occupy();
    const apiPort = await freePort();
    try {
      const error = await start({ port: apiPort, metricsPort: taken.port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `METRICS_PORT: ${HOST}:${taken.port} is already in use; set METRICS_PORT to a free port`,
      );
      expect(await isFree(apiPort)).toBe(true);
    } finally {
      await release(taken.server);
    }
  });

  it("refuses a taken PORT, naming it, and closes the metrics listener it opened", async () => {
    const taken = await occupy();
    const metricsPort = await freePort();
    try {
      const error = await start({ port: taken.port, metricsPort }).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        `PORT: ${HOST}:${taken.port} is already in use; set PORT to a free port`,
      );
      expect(await isFree(metricsPort)).toBe(true);
    } finally {
      await release(taken.server);
    }
  });
});

describe("the middle-tier without METRICS_PORT", () => {
  it("serves /metrics on the API port, as local runs expect", async () => {
    const service = await start({ metricsPort: undefined });
    expect(service.metricsUrl).toBeUndefined();
    await fetch(`${service.url}/healthz`);
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      'http_requests_total{method="GET",route="/healthz",status_code="200"} 1',
    );
  });
});
