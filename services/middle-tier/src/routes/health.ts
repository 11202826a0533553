import type { Pool } from "@hdp/shared";
import type { MiddleTierApp } from "../app.js";

/** `GET /healthz` (the process answers) and `GET /readyz` (the database answers a query). */
export function registerHealthRoutes(app: MiddleTierApp, pool: Pool): void {
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    try {
      await pool.query("SELECT 1");
      return { status: "ready" };
    } catch (error) {
      request.log.warn({ err: error }, "database unreachable");
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    }
  });
}
