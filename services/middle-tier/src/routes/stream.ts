import { z } from "zod";
import type { ServerResponse } from "node:http";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { tickerExists } from "../data/bars.js";
import { NotFoundError } from "../errors.js";
import { tickerParam } from "../params.js";
import { databaseUnavailableResponse, invalidQueryResponse, notFoundResponse } from "../responses.js";
import type { FeedUpdate } from "../stream/feed.js";
import type { StreamHub } from "../stream/hub.js";
import { toCandle } from "./candles.js";
import { toNewsItem } from "./news.js";

/**
 * One event of the stream as the OpenAPI document describes it (before OpenAPI 3.2, the schema
 * of a `text/event-stream` response is that of each event).
 */
const streamEventSchema = z.object({
  event: z.enum(["bar", "news"]),
  data: z.string().meta({
    description:
      "JSON: for `bar` a candle with its ticker (`streamBarEventSchema`), for `news` an article with its sentiment and ticker (`streamNewsEventSchema`)",
  }),
});

/** Interval of the comment lines that keep proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

/**
 * `GET /v1/stream?ticker=`: Server-Sent Events, `event: bar` for each new bar and
 * `event: news` for each newly scored article, from the moment the client connects.
 */
export function registerStreamRoute(
  app: MiddleTierApp,
  { pool, metrics }: RouteContext,
  hub: StreamHub,
): void {
  const open = new Set<ServerResponse>();
  // Streams never end on their own: end them so that closing the server does not wait for them.
  app.addHook("preClose", async () => {
    hub.close();
    for (const response of open) response.end();
  });

  app.get(
    "/v1/stream",
    {
      schema: {
        summary: "Live bars and scored news (Server-Sent Events: event bar / news)",
        tags: ["market"],
        querystring: z.object({ ticker: tickerParam }),
        response: {
          200: {
            description: "Server-Sent Events from the moment of connection, until the client leaves",
            content: { "text/event-stream": { schema: streamEventSchema } },
          },
          400: invalidQueryResponse,
          404: notFoundResponse("Unknown ticker"),
          503: databaseUnavailableResponse,
        },
      },
      compress: false,
    },
    async (request, reply) => {
      const { ticker } = request.query;
      if (!(await tickerExists(pool, ticker))) throw new NotFoundError(`unknown ticker ${ticker}`);
      reply.hijack();
      const response = reply.raw;
      // Headers set by hooks so far (CORS) go out with the stream's own.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) response.setHeader(name, value);
      }
      response.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      open.add(response);
      metrics.streamClients.inc();
      const subscription: { stop?: () => void } = {};
      const heartbeat = setInterval(() => response.write(": heartbeat\n\n"), HEARTBEAT_MS);
      response.on("close", () => {
        clearInterval(heartbeat);
        subscription.stop?.();
        open.delete(response);
        metrics.streamClients.dec();
      });
      const stop = await hub.subscribe(ticker, (update) => {
        if (!response.writableEnded) response.write(formatEvents(ticker, update));
      });
      // The client may have left while the starting position was read.
      if (response.writableEnded || response.destroyed) return stop();
      subscription.stop = stop;
      response.write(`retry: 3000\n: following ${ticker}\n\n`);
    },
  );
}

/** The SSE text of one update: bars first, then news, each an event of its own. */
export function formatEvents(ticker: string, update: FeedUpdate): string {
  const bars = update.bars.map((row) => event("bar", { ticker, ...toCandle(row) }));
  const news = update.news.map((row) => event("news", { ticker, ...toNewsItem(row) }));
  return [...bars, ...news].join("");
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
