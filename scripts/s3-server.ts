/**
 * The S3-compatible server of the tests and the local run (see scripts/s3/binaries.ts, scripts/s3/server.ts).
 *
 *   npm run s3:build                                  build weed (SeaweedFS) into the tool cache (CI pre-warm)
 *   npm run s3:start -- [--port N] [--data-dir DIR]   a foreground server on 127.0.0.1; prints its S3_* variables
 */
import { parseArgs } from "node:util";
import { ensureS3Binaries } from "./s3/binaries.js";
import { startS3Server } from "./s3/server.js";

const USAGE = `usage: tsx scripts/s3-server.ts <command> [options]
  build                 build weed (SeaweedFS) into the tool cache (once per version) and print where it is
  start                 build if needed, start a server on 127.0.0.1 and print S3_ENDPOINT, S3_REGION,
                        S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (new keys each start); Ctrl-C stops it
    --port N            the S3 API's port (default: a free one)
    --data-dir DIR      keep the data in DIR across starts (default: a temporary folder, removed on stop)
  -h, --help            this text`;

function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`invalid --port ${value}`);
  return port;
}

async function start(port: number | undefined, dataDir: string | undefined): Promise<void> {
  const binaries = await ensureS3Binaries();
  const server = await startS3Server({
    weed: binaries.weed,
    port,
    dataDir,
    log: (line) => console.error(line),
  });
  console.log(`S3_ENDPOINT=${server.endpoint}`);
  console.log(`S3_REGION=${server.region}`);
  console.log(`S3_ACCESS_KEY_ID=${server.accessKeyId}`);
  console.log(`S3_SECRET_ACCESS_KEY=${server.secretAccessKey}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  console.error(`s3: ${signal} received, stopping the server…`);
  await server.stop();
  console.error("s3: server stopped");
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string" },
      "data-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [command] = positionals;
  if (positionals.length !== 1 || (command !== "build" && command !== "start")) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  if (command === "start") return start(portOption(values.port), values["data-dir"]);
  const binaries = await ensureS3Binaries();
  console.error(`s3: SeaweedFS ${binaries.version} ready (${binaries.weed})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
