import { createServer } from "node:net";
import { Agent, request } from "node:http";
import { Counter, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { PortInUseError } from "../errors/errors.js";
import { startMetricsServer, type MetricsServer } from "./metrics-server.js";

let open: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

function registryWithOneCounter(): Registry {
  const registry = new Registry();
  new Counter({ name: "test_things_total", help: "things", registers: [registry] }).inc(3);
  return registry;
}

async function start(
  registry = registryWithOneCounter(),
  port = 0,
  extra: { healthz?: boolean; variable?: string } = { healthz: true },
): Promise<MetricsServer> {
  const server = await startMetricsServer({ host: "127.0.0.1", port, registry, ...extra });
  open.push(server);
  return server;
}

describe("startMetricsServer", () => {
  it("serves the registry at /metrics in the Prometheus text format", async () => {
    const server = await start();
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain("test_things_total 3");
  });

  it("answers /healthz, and 404 elsewhere", async () => {
    const server = await start();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
  });

  it("serves nothing but /metrics unless /healthz is asked for", async () => {
    const server = await start(registryWithOneCounter(), 0, {});
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(404);
  });

  it("refuses a port that is taken with a PortInUseError naming it", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const error = await start(registryWithOneCounter(), port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(`127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("lets the port go on close, even while a scraper keeps its connection open", async () => {
    const server = await startMetricsServer({
      host: "127.0.0.1",
      port: 0,
      registry: registryWithOneCounter(),
    });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/metrics`, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve());
      });
      req.on("error", reject);
      req.end();
    });
    const port = Number(new URL(server.url).port);
    await server.close();
    const again = await start(registryWithOneCounter(), port);
    expect(again.url).toBe(server.url);
    agent.destroy();
  });
});
