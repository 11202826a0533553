import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface PgliteServerOptions {
  /** Folder of the database files; in memory when omitted. */
  readonly dataDir?: string;
  /** Loopback address to bind. @default "127.0.0.1" */
  readonly host?: string;
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Connections served at once (PGlite multiplexes them onto one backend). @default 8 */
  readonly maxConnections?: number;
}

export interface PgliteServer {
  /** `postgres://` URL for any PostgreSQL client, e.g. node-postgres. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Serves PGlite (PostgreSQL compiled to WebAssembly) over the PostgreSQL wire
 * protocol on loopback, so that services use the same driver and SQL as against
 * a real server. The embedded default for local runs and tests.
 */
export async function startPgliteServer(options: PgliteServerOptions = {}): Promise<PgliteServer> {
  const db = await PGlite.create(options.dataDir ?? "memory://");
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 8,
  });
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(":").pop());
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
