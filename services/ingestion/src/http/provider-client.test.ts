import { afterEach, describe, expect, it } from "vitest";
import { UpstreamError } from "@hdp/shared";
import { captureLogger } from "../testing/capture-logger.js";
import { startStubServer, type StubHandler, type StubServer } from "../testing/stub-http-server.js";
import {
  ProviderHttpError,
  createProviderClient,
  providerUrl,
  type ProviderClientOptions,
} from "./provider-client.js";

const KEY = "sk-test-provider-key-123456";

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: StubHandler, options: Partial<ProviderClientOptions> = {}) {
  server = await startStubServer(handler);
  const capture = captureLogger();
  const client = createProviderClient({
    provider: "stub",
    baseUrl: server.baseUrl,
    headers: { authorization: `Bearer ${KEY}` },
    logger: capture.logger,
    timeoutMs: 1000,
    maxRetries: 3,
    minRetryDelayMs: 5,
    maxRetryDelayMs: 20,
    ...options,
  });
  return { client, capture, server };
}

describe("createProviderClient", () => {
  it("waits for Retry-After on a 429 and then returns the 200 answer", async () => {
    const { client, server } = await clientFor((_req, i) =>
      i === 0
        ? { status: 429, headers: { "retry-after": "1" }, body: { error: "slow down" } }
        : { body: { ok: true } },
    );
    const started = performance.now();
    await expect(client.getJson("/v1/thing")).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    const { client, server } = await clientFor((_req, i) =>
      i === 0
        ? { status: 503, headers: { "retry-after": new Date(Date.now() + 1000).toUTCString() } }
        : { body: { ok: true } },
    );
    await expect(client.getJson("/v1/thing")).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("cuts a long Retry-After to maxRetryAfterMs", async () => {
    const { client } = await clientFor(
      (_req, i) => (i === 0 ? { status: 429, headers: { "retry-after": "3600" } } : { body: { ok: true } }),
      { maxRetryAfterMs: 100 },
    );
    const started = performance.now();
    await expect(client.getJson("/v1/thing")).resolves.toEqual({ ok: true });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("retries server errors with backoff until one succeeds", async () => {
    const { client, server } = await clientFor((_req, i) => (i < 2 ? { status: 502 } : { body: [1, 2] }));
    await expect(client.getJson("/v1/thing")).resolves.toEqual([1, 2]);
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after maxRetries with a retriable error carrying the status", async () => {
    const { client, server } = await clientFor(() => ({ status: 503, body: { error: "down" } }), {
      maxRetries: 2,
    });
    const error = await client.getJson("/v1/thing").catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ status: 503, retriable: true });
  });

  it.each([400, 401, 403, 404])("does not retry a %i and reports it as not retriable", async (status) => {
    const { client, server } = await clientFor(() => ({ status, body: { error: "no" } }));
    const error = await client.getJson("/v1/thing").catch((e: unknown) => e);
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status, retriable: false });
    expect((error as Error).message).toContain(`HTTP ${status}`);
  });

  it("retries an attempt that times out", async () => {
    const { client, server } = await clientFor(
      (_req, i) => (i === 0 ? { delayMs: 500 } : { body: { ok: true } }),
      {
        timeoutMs: 100,
      },
    );
    await expect(client.getJson("/v1/thing")).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("reports a refused connection as a retriable upstream error", async () => {
    const stopped = await startStubServer(() => ({}));
    await stopped.close();
    const client = createProviderClient({
      provider: "stub",
      baseUrl: stopped.baseUrl,
      headers: {},
      logger: captureLogger().logger,
      timeoutMs: 500,
      maxRetries: 1,
      minRetryDelayMs: 5,
    });
    const error = await client.getJson("/v1/thing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retriable: true });
  });

  it("sends the credentials in headers only and never logs them", async () => {
    const { client, server, capture } = await clientFor((_req, i) =>
      i === 0 ? { status: 429, headers: { "retry-after": "0" } } : { body: {} },
    );
    await client.getJson("/v1/thing", { symbol: "AAPL" });
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[1]?.url.search).toBe("?symbol=AAPL");
    expect(capture.lines.length).toBeGreaterThan(0);
    expect(capture.text()).not.toContain(KEY);
  });

  it("refuses a body that is not JSON, without retrying", async () => {
    const { client, server } = await clientFor(() => ({ body: "<html>maintenance</html>" }));
    await expect(client.getJson("/v1/thing")).rejects.toMatchObject({ retriable: false });
    expect(server.requests).toHaveLength(1);
  });
});

describe("providerUrl", () => {
  it.each([
    ["an absolute path", "/v2/x", {}, "https://api.example.com/v2/x"],
    ["a query", "/v2/x", { a: 1, b: true }, "https://api.example.com/v2/x?a=1&b=true"],
    [
      "a pagination link on the same origin",
      "https://api.example.com/v2/x?cursor=abc",
      {},
      "https://api.example.com/v2/x?cursor=abc",
    ],
    [
      "a link to another host, re-based",
      "https://evil.example.net/v2/x?cursor=abc",
      {},
      "https://api.example.com/v2/x?cursor=abc",
    ],
  ])("builds the URL for %s", (_name, pathOrUrl, query, expected) => {
    expect(providerUrl("https://api.example.com", pathOrUrl, query).href).toBe(expected);
  });
});
