// pg_dump / pg_restore for `npm run db:dump` and `npm run db:restore`: finding the client tools, checking the
// server and the target database, and running them with progress output.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

/** A failure the command line reports as one line (exit 1). */
export class DbToolError extends Error {
  override name = "DbToolError";
}

const DEBIAN_DIR = "/usr/lib/postgresql";

/** Major version of a client tool (`pg_dump (PostgreSQL) 15.8` → 15), undefined when it does not run. */
async function toolMajor(path: string): Promise<number | undefined> {
  try {
    const { code, stdout } = await run(path, ["--version"]);
    const match = /\(PostgreSQL\) (\d+)/.exec(stdout);
    return code === 0 && match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The newest `tool` on PATH or in /usr/lib/postgresql/<version>/bin that is at least the server's major
 * version (pg_dump refuses a newer server; a newer client is fine).
 */
export async function findTool(tool: "pg_dump" | "pg_restore", serverMajor: number): Promise<string> {
  const candidates = [
    ...(process.env.PATH ?? "")
      .split(":")
      .filter(Boolean)
      .map((dir) => join(dir, tool)),
    ...(existsSync(DEBIAN_DIR) ? readdirSync(DEBIAN_DIR).map((v) => join(DEBIAN_DIR, v, "bin", tool)) : []),
  ].filter((p) => existsSync(p));
  let best: { path: string; major: number } | undefined;
  for (const path of candidates) {
    const major = await toolMajor(path);
    if (major !== undefined && (!best || major > best.major)) best = { path, major };
  }
  if (!best) {
    throw new DbToolError(
      `${tool} not found on PATH or in ${DEBIAN_DIR}/<version>/bin: install it (Debian package postgresql-client-${serverMajor})`,
    );
  }
  if (best.major < serverMajor) {
    throw new DbToolError(
      `${tool} ${best.major} (${best.path}) is older than the server (PostgreSQL ${serverMajor}): install postgresql-client-${serverMajor}`,
    );
  }
  return best.path;
}

/** The server's major version and whether the database holds any table, view or sequence outside the catalogs. */
export async function inspectDatabase(url: string): Promise<{ major: number; objects: number }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new DbToolError(`cannot reach the database at ${redact(url)}: ${(error as Error).message}`);
  }
  try {
    const version = await client.query<{ v: string }>("SHOW server_version_num");
    const count = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
    );
    return { major: Math.floor(Number(version.rows[0]!.v) / 10000), objects: Number(count.rows[0]!.n) };
  } finally {
    await client.end();
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export interface Progress {
  (line: string): void;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

/** `pg_dump -Fc` of the database into `file` (which must not exist unless `force`). */
export async function dumpDatabase(
  url: string,
  file: string,
  options: { force?: boolean; log: Progress },
): Promise<void> {
  if (existsSync(file) && !options.force)
    throw new DbToolError(`${file} exists: choose another --out, or pass --force to overwrite it`);
  const { major } = await inspectDatabase(url);
  const tool = await findTool("pg_dump", major);
  options.log(`dumping ${redact(url)} (PostgreSQL ${major}) to ${file} with ${tool}`);
  const started = Date.now();
  const result = await run(tool, ["--format=custom", "--no-owner", "--file", file, "--dbname", url]);
  if (result.code !== 0) throw new DbToolError(`pg_dump failed: ${result.stderr.trim().split("\n")[0]}`);
  options.log(`dumped ${mib(statSync(file).size)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** `pg_restore` of `file` into the database, which must be empty unless `clean`. */
export async function restoreDatabase(
  url: string,
  file: string,
  options: { clean?: boolean; log: Progress },
): Promise<void> {
  if (!existsSync(file)) throw new DbToolError(`${file} does not exist: name a dump made by npm run db:dump`);
  const { major, objects } = await inspectDatabase(url);
  if (objects > 0 && !options.clean) {
    throw new DbToolError(
      `the database at ${redact(url)} is not empty (${objects} tables, views or sequences): restore into an empty database, or pass --clean to drop its objects first`,
    );
  }
  const tool = await findTool("pg_restore", major);
  options.log(
    `restoring ${file} (${mib(statSync(file).size)}) into ${redact(url)} (PostgreSQL ${major}) with ${tool}`,
  );
  const started = Date.now();
  const args = ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname", url];
  if (options.clean) args.push("--clean", "--if-exists");
  const result = await run(tool, [...args, file]);
  if (result.code !== 0) throw new DbToolError(`pg_restore failed: ${result.stderr.trim().split("\n")[0]}`);
  options.log(`restored in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
