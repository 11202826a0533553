import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export interface HealthServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** Resolves true when the service can do its work (database reachable, consumer running). */
  readonly ready: () => Promise<boolean>;
}

/** `/healthz` (process alive), `/readyz` (dependencies reachable) and `/metrics` (Prometheus). */
export async function startHealthServer(
  options: HealthServerOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const reply = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type }).end(body);
    };
    if (path === "/healthz") return reply(200, '{"status":"ok"}');
    if (path === "/readyz") {
      options
        .ready()
        .catch(() => false)
        .then((ok) => reply(ok ? 200 : 503, JSON.stringify({ status: ok ? "ready" : "not ready" })));
      return;
    }
    if (path === "/metrics") {
      options.registry
        .metrics()
        .then((text) => reply(200, text, options.registry.contentType))
        .catch(() => reply(500, '{"error":"metrics unavailable"}'));
      return;
    }
    reply(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
