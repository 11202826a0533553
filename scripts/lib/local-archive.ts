/**
 * The archive in the local run (`npm run dev -- --archive`): a SeaweedFS on loopback (built once into the
 * tool cache), a bucket, and the archive job run against the replay's clock every few seconds, so that
 * each replay hour is archived once it closes. Prints the settings with which `npm run lake` reads it.
 */
import { createLogger, createPool, type Pool } from "@hdp/shared";
import { Archiver, createS3Store, type ObjectStore } from "@hdp/processing";
import { ensureS3Binaries } from "../s3/binaries.js";
import { startS3Server, type S3Server } from "../s3/server.js";

export const LOCAL_ARCHIVE_BUCKET = "hdp-archive";

export interface LocalArchive {
  readonly server: S3Server;
  /** `ARCHIVE_…=…` lines for `npm run lake` (and `npm run archive`). */
  readonly settings: readonly string[];
  stop(): Promise<void>;
}

export async function startLocalArchive(options: {
  databaseUrl: string;
  /** The replay's clock: an hour is archived once it has closed on it. */
  now: () => Date;
  log: (line: string) => void;
  /** Real seconds between runs. @default 5 */
  intervalSeconds?: number;
}): Promise<LocalArchive> {
  const { weed } = await ensureS3Binaries(options.log);
  const server = await startS3Server({ weed, log: options.log });
  let pool: Pool | undefined;
  let store: ObjectStore | undefined;
  try {
    await server.createBucket(LOCAL_ARCHIVE_BUCKET);
    store = createS3Store({
      endpoint: server.endpoint,
      region: server.region,
      bucket: LOCAL_ARCHIVE_BUCKET,
      prefix: "",
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
      forcePathStyle: true,
    });
    pool = createPool(options.databaseUrl, { max: 1, applicationName: "archive" });
    pool.on("error", () => {});
  } catch (error) {
    await server.stop();
    throw error;
  }
  const archiver = new Archiver({
    pool,
    store,
    logger: createLogger({ service: "archive", level: "warn" }),
  });
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = archiver.run(options.now(), 72).then(
      (summary) => {
        if (summary.written > 0)
          options.log(`archive: ${summary.written} partition(s) written, ${summary.rows} rows`);
      },
      (error: unknown) => options.log(`archive: run failed: ${(error as Error).message}`),
    );
  };
  tick();
  const timer = setInterval(
    () => {
      if (!stopped) void running.then(tick);
    },
    (options.intervalSeconds ?? 5) * 1000,
  );
  return {
    server,
    settings: [
      `ARCHIVE_S3_ENDPOINT=${server.endpoint}`,
      `ARCHIVE_BUCKET=${LOCAL_ARCHIVE_BUCKET}`,
      `ARCHIVE_S3_ACCESS_KEY_ID=${server.accessKeyId}`,
      `ARCHIVE_S3_SECRET_ACCESS_KEY=${server.secretAccessKey}`,
    ],
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      store?.close();
      await pool?.end();
      await server.stop();
    },
  };
}
