/**
 * The Prometheus tools of the tests (see scripts/prometheus/binaries.ts).
 *
 *   npm run prometheus:build    build prometheus, promtool and promql-inspect into the cache (CI pre-warm)
 */
import { parseArgs } from "node:util";
import { ensurePrometheusBinaries } from "./prometheus/binaries.js";

const USAGE = `usage: tsx scripts/prometheus-tools.ts <command>
  build       build prometheus, promtool and promql-inspect into the tool cache (once per version) and
              print where they are
  -h, --help  this text`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1 || positionals[0] !== "build") {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const binaries = await ensurePrometheusBinaries();
  console.error(`prometheus: Prometheus ${binaries.version} tools ready (${binaries.prometheus})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
