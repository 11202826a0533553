import { createServer, type RequestListener, type Server } from "node:http";
import { UpstreamError } from "@hdp/shared";
import { afterEach, describe, expect, it } from "vitest";
import { ANALYTICS_FAILURE_REASONS, createProcessingMetrics, type ProcessingMetrics } from "../metrics.js";
import { metricValue } from "../test-support.js";
import { createAnalyticsClient } from "./analytics-client.js";

const articles = [{ id: "a1", title: "Acme beats estimates", description: null }];
const goodBody = JSON.stringify({ results: [{ id: "a1", score: 0.5, label: "positive", model: "stub@1" }] });

let servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  servers = [];
});

/** A local analytics stand-in on a free loopback port. */
async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no address");
  return `http://127.0.0.1:${address.port}`;
}

/** An address where nothing listens (a server that was started and closed). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${address.port}`;
}

async function failures(metrics: ProcessingMetrics): Promise<Record<string, number | undefined>> {
  const out: Record<string, number | undefined> = {};
  for (const reason of ANALYTICS_FAILURE_REASONS) {
    out[reason] = await metricValue(metrics.registry, "processing_analytics_failures_total", { reason });
  }
  return out;
}

const requests = (metrics: ProcessingMetrics, outcome: "ok" | "error") =>
  metricValue(
    metrics.registry,
    "processing_analytics_request_duration_seconds",
    { outcome },
    "processing_analytics_request_duration_seconds_count",
  );

describe("analytics client metrics", () => {
  it("times a request that succeeds under outcome ok and counts no failure", async () => {
    const url = await serve((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(goodBody),
    );
    const metrics = createProcessingMetrics();
    const results = await createAnalyticsClient({ baseUrl: url, metrics }).score(articles);
    expect(results.map((r) => r.label)).toEqual(["positive"]);
    expect(await requests(metrics, "ok")).toBe(1);
    expect(await requests(metrics, "error")).toBe(0);
    expect(await failures(metrics)).toEqual({
      timeout: 0,
      unreachable: 0,
      http_error: 0,
      invalid_response: 0,
    });
  });

  const never: RequestListener = () => {};
  const headersThenSilence: RequestListener = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"results":[');
  };
  it.each<{ name: string; reason: string; retriable: boolean; listener?: RequestListener }>([
    { name: "a service that never answers", reason: "timeout", retriable: true, listener: never },
    {
      name: "an answer that stops halfway",
      reason: "timeout",
      retriable: true,
      listener: headersThenSilence,
    },
    { name: "nothing listening", reason: "unreachable", retriable: true },
    {
      name: "a 500",
      reason: "http_error",
      retriable: true,
      listener: (_req, res) => res.writeHead(500).end("model crashed"),
    },
    {
      name: "a 422",
      reason: "http_error",
      retriable: false,
      listener: (_req, res) => res.writeHead(422).end('{"message":"bad article"}'),
    },
    {
      name: "a body that is not JSON",
      reason: "invalid_response",
      retriable: false,
      listener: (_req, res) => res.writeHead(200).end("<html>proxy error</html>"),
    },
    {
      name: "a result missing",
      reason: "invalid_response",
      retriable: false,
      listener: (_req, res) => res.writeHead(200).end('{"results":[]}'),
    },
  ])("counts $name as a $reason failure", async ({ reason, retriable, listener }) => {
    const url = listener ? await serve(listener) : await closedPort();
    const metrics = createProcessingMetrics();
    const error = await createAnalyticsClient({ baseUrl: url, timeoutMs: 300, metrics })
      .score(articles)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retriable).toBe(retriable);
    expect(await failures(metrics)).toEqual({
      timeout: 0,
      unreachable: 0,
      http_error: 0,
      invalid_response: 0,
      [reason]: 1,
    });
    expect(await requests(metrics, "error")).toBe(1);
    expect(await requests(metrics, "ok")).toBe(0);
  });

  it("names the time-out in the error", async () => {
    const url = await serve(never);
    await expect(createAnalyticsClient({ baseUrl: url, timeoutMs: 200 }).score(articles)).rejects.toThrow(
      /timed out after 200 ms/,
    );
  });

  it("counts nothing when the caller gives up (processing stopping)", async () => {
    const url = await serve(never);
    const metrics = createProcessingMetrics();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      createAnalyticsClient({ baseUrl: url, timeoutMs: 5_000, metrics }).score(articles, controller.signal),
    ).rejects.toThrow();
    expect(await failures(metrics)).toEqual({
      timeout: 0,
      unreachable: 0,
      http_error: 0,
      invalid_response: 0,
    });
    expect(await requests(metrics, "error")).toBe(0);
  });
});
