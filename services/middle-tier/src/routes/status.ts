import { statusResponseSchema } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { databaseUnavailableResponse, documented } from "../responses.js";
import { describeStatus } from "../status/describe-status.js";

/**
 * `GET /v1/status`: the newest bar of each followed ticker and how far behind it is,
 * the newest scored article, the dead letters of the last hour, the session state,
 * and an overall freshness (`fresh` | `late` | `stale`), all on the API's clock.
 * Read through the status reader's short cache, as the gauges of `/metrics` are.
 */
export function registerStatusRoute(app: MiddleTierApp, { now, status }: RouteContext): void {
  app.get(
    "/v1/status",
    {
      schema: {
        summary: "How current the data is: newest bar per ticker, newest scored article, dead letters",
        tags: ["status"],
        response: {
          200: documented(statusResponseSchema, "How current the data is, on the API's clock"),
          503: databaseUnavailableResponse,
        },
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", "no-cache");
      return describeStatus(await status.read(), now());
    },
  );
}
