/**
 * A throwaway PostgreSQL server of one test's own, on loopback, that the test may stop and start again (same
 * port, same data): for fault tests that take the database away under a running service. The binaries come
 * from Debian's `postgresql` package (newest /usr/lib/postgresql/<major>/bin), as in `.ci/run`; as root the
 * server runs as the `postgres` user. Without them the suite is skipped, and under `CI=true` it fails.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../scripts/lib/ports.js";

const run = promisify(execFile);
const ROOT = "/usr/lib/postgresql";

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

async function binaries(): Promise<string | undefined> {
  const majors = existsSync(ROOT) ? (await readdir(ROOT)).filter((d) => /^\d+$/.test(d)) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  const bin = newest ? join(ROOT, newest, "bin") : undefined;
  return bin && existsSync(join(bin, "pg_ctl")) ? bin : undefined;
}

let noticeShown = false;

/** A fresh server, or undefined (with a notice) when PostgreSQL is not installed; in CI that is an error. */
export async function requirePostgresServer(): Promise<PostgresServer | undefined> {
  const bin = await binaries();
  if (!bin) {
    const why = `no PostgreSQL server binaries under ${ROOT}/<major>/bin (Debian package postgresql)`;
    if (process.env.CI === "true") throw new Error(`PostgreSQL server required in CI: ${why}`);
    if (!noticeShown) {
      noticeShown = true;
      console.error(`\n*** PostgreSQL fault suites SKIPPED — ${why}\n`);
    }
    return undefined;
  }
  return startPostgresServer(bin);
}

async function startPostgresServer(bin: string): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), "hdp-pg-"));
  const data = join(dir, "db");
  const asRoot = userInfo().uid === 0;
  await chmod(dir, 0o755);
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], { timeout: 60_000 })
      : run(join(bin, tool), args, { timeout: 60_000 });
  await pg("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`;
  const start = async () => {
    await pg("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "30", "-o", options, "start"]);
  };
  const stop = async () => {
    await pg("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async destroy() {
      await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
