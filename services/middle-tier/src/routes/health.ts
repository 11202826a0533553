import { z } from "zod";
import type { Pool } from "@hdp/shared";
import type { MiddleTierApp } from "../app.js";
import { documented } from "../responses.js";

const TAGS = ["platform"];

/** `GET /healthz` (the process answers) and `GET /readyz` (the database answers a query). */
export function registerHealthRoutes(app: MiddleTierApp, pool: Pool): void {
  app.get(
    "/healthz",
    {
      schema: {
        summary: "Liveness: the process answers",
        tags: TAGS,
        response: { 200: documented(z.object({ status: z.literal("ok") }), "The process runs") },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        summary: "Readiness: the database answers SELECT 1",
        tags: TAGS,
        response: {
          200: documented(z.object({ status: z.literal("ready") }), "The database answers"),
          503: documented(
            z.object({ status: z.literal("unavailable"), reason: z.string() }),
            "The database cannot be reached",
          ),
        },
      },
    },
    async (request, reply) => {
      try {
        await pool.query("SELECT 1");
        return { status: "ready" as const };
      } catch (error) {
        request.log.warn({ err: error }, "database unreachable");
        return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
      }
    },
  );
}
