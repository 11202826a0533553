import { createServer, type Server } from "node:http";
// Types only: each service brings its own prom-client (see http/metrics.ts).
import type { Registry } from "prom-client";
import { PortInUseError } from "../errors/errors.js";

export interface MetricsServer {
  /** Base URL, with the port the server got (useful with port 0). */
  readonly url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** Also answer `GET /healthz` (a process without another HTTP port probes it). @default false */
  readonly healthz?: boolean;
  /** The setting that chose the port, named by the {@link PortInUseError} when it is taken. */
  readonly variable?: string;
}

/**
 * A listener of its own for `registry`: `GET /metrics` (Prometheus text) on `host:port`,
 * and `GET /healthz` when asked; nothing is counted or logged per scrape. Resolves once
 * listening; rejects with {@link PortInUseError} when the port is taken.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
    } else if (path === "/metrics") {
      registry
        .metrics()
        .then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text))
        .catch(() => res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n"));
    } else if (path === "/healthz" && options.healthz) {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new PortInUseError(options.host, options.port, {
              cause: error,
              ...(options.variable ? { variable: options.variable } : {}),
            })
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A scraper's keep-alive connection must not hold the agent's shutdown.
        server.closeIdleConnections();
      }),
  };
}
