// Dump and restore of a PostgreSQL database in pg_dump's custom format (pg_dump -Fc / pg_restore).
// Usage: npm run db:dump -- --help, npm run db:restore -- --help
import { parseCommandLine, usageError } from "./lib/command-line.js";
import { DbToolError, dumpDatabase, restoreDatabase } from "./lib/pg-tools.js";

const USAGE = `usage: npm run db:dump -- --out <file> [--force] [--database-url <url>]
       npm run db:restore -- --in <file> [--clean] [--database-url <url>]

Dumps the database (pg_dump -Fc) or restores a dump into it (pg_restore). The database is
DATABASE_URL, or --database-url. A restore goes into an empty database unless --clean.

  --out <file>          where the dump goes (dump); refused if it exists, unless --force
  --in <file>           the dump to restore (restore)
  --clean               drop the target's objects before restoring them (restore)
  --force               overwrite --out (dump)
  --database-url <url>  the database (default: DATABASE_URL)
  -h, --help            print this help`;

const command = process.argv[2];
const commandLine = { name: "db", usage: USAGE };
const values = parseCommandLine({
  ...commandLine,
  args: process.argv.slice(3),
  options: {
    out: { type: "string" },
    in: { type: "string" },
    clean: { type: "boolean", default: false },
    force: { type: "boolean", default: false },
    "database-url": { type: "string" },
  },
});
if (command !== "dump" && command !== "restore") usageError(commandLine, "the command is dump or restore");
const url = values["database-url"] ?? process.env.DATABASE_URL?.trim();
if (!url) {
  console.error(`db ${command}: no database: set DATABASE_URL or pass --database-url <url>`);
  process.exit(1);
}
const log = (line: string) => console.log(`db ${command}: ${line}`);
try {
  if (command === "dump") {
    if (!values.out) usageError(commandLine, "name the dump file with --out <file>");
    await dumpDatabase(url, values.out, { force: values.force, log });
  } else {
    if (!values.in) usageError(commandLine, "name the dump to restore with --in <file>");
    await restoreDatabase(url, values.in, { clean: values.clean, log });
  }
} catch (error) {
  if (!(error instanceof DbToolError)) throw error;
  console.error(`db ${command}: ${error.message}`);
  process.exit(1);
}
