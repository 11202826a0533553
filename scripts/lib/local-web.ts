import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview, type PreviewServer } from "vite";
import { createPool, type Logger } from "@hdp/shared";
import { buildApp } from "@hdp/middle-tier";

const FRONTEND = fileURLToPath(new URL("../../services/frontend/", import.meta.url));
const VITE_CONFIG = join(FRONTEND, "vite.config.ts");

export interface LocalWebOptions {
  readonly databaseUrl: string;
  /** One connection on PGlite (see the processing README), more on a real server. */
  readonly poolSize: number;
  /** Port of the API on 127.0.0.1; 0 picks a free one. @default 8080 */
  readonly apiPort?: number;
  /** Port of the web page on 127.0.0.1; 0 picks a free one. @default 5173 */
  readonly webPort?: number;
  /** The API's clock (the replay's in a local run). @default the wall clock */
  readonly now?: () => Date;
  readonly logger: Logger;
  readonly log: (line: string) => void;
}

export interface LocalWeb {
  readonly apiUrl: string;
  /** The page; the API is under `/api` on the same origin. */
  readonly webUrl: string;
  stop(): Promise<void>;
}

/** Newest modification time of the page's sources, to rebuild a stale bundle. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the page when there is no bundle or its sources are newer. */
async function ensureBuilt(log: (line: string) => void): Promise<void> {
  const index = join(FRONTEND, "dist", "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(FRONTEND)) return;
  log("web: building the page (once, and after its sources change)…");
  const started = performance.now();
  await build({ configFile: VITE_CONFIG, logLevel: "warn" });
  log(`web: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The middle-tier API on loopback and the built web page in front of it, the page's
 * `/api` forwarded to the API as on the cluster's ingress.
 */
export async function startLocalWeb(options: LocalWebOptions): Promise<LocalWeb> {
  const pool = createPool(options.databaseUrl, { max: options.poolSize, applicationName: "middle-tier" });
  pool.on("error", (error) => options.logger.warn({ err: error }, "database connection failed"));
  const api = buildApp({
    config: { corsOrigins: [] },
    logger: options.logger,
    pool,
    ...(options.now ? { now: options.now } : {}),
  });
  let web: PreviewServer | undefined;
  try {
    const apiUrl = await api.listen({ host: "127.0.0.1", port: options.apiPort ?? 8080 });
    await ensureBuilt(options.log);
    web = await preview({
      configFile: VITE_CONFIG,
      logLevel: "warn",
      preview: {
        host: "127.0.0.1",
        port: options.webPort ?? 5173,
        strictPort: true,
        proxy: { "/api": { target: apiUrl, rewrite: (path: string) => path.replace(/^\/api/, "") } },
      },
    });
    const address = web.httpServer.address();
    const webUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : options.webPort}/`;
    const server = web;
    return {
      apiUrl,
      webUrl,
      async stop() {
        await server.close();
        await api.close();
        await pool.end();
      },
    };
  } catch (error) {
    await web?.close();
    await api.close();
    await pool.end();
    throw error;
  }
}
