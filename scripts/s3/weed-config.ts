/**
 * How `weed server` is run as the S3-compatible server of the tests and the local run: its command line,
 * its S3 identities file and the master settings it takes from the environment. Pure: scripts/s3/server.ts
 * runs it.
 */
import { join } from "node:path";

/** The ports of one server: the S3 API's and weed's other services', each bound to 127.0.0.1. */
export interface WeedPorts {
  readonly s3: number;
  readonly s3Grpc: number;
  readonly master: number;
  readonly masterGrpc: number;
  readonly volume: number;
  readonly volumeGrpc: number;
  readonly filer: number;
  readonly filerGrpc: number;
}

/** The S3 identities file (`-s3.config`): one identity with every action, so that it may create buckets. */
export function renderS3Identities(keys: { accessKeyId: string; secretAccessKey: string }): string {
  return `${JSON.stringify(
    {
      identities: [
        {
          name: "hdp",
          credentials: [{ accessKey: keys.accessKeyId, secretKey: keys.secretAccessKey }],
          actions: ["Admin", "Read", "Write", "List", "Tagging"],
        },
      ],
    },
    null,
    2,
  )}\n`;
}

/** The command line of `weed server` with the S3 gateway, every service on 127.0.0.1 at the given ports. */
export function weedServerArgs(options: {
  readonly dataDir: string;
  readonly identitiesFile: string;
  readonly ports: WeedPorts;
}): string[] {
  const { dataDir, identitiesFile, ports } = options;
  return [
    "server",
    `-dir=${dataDir}`,
    // -ip is the address the services tell each other (and clients) to use, -ip.bind what they listen on.
    "-ip=127.0.0.1",
    "-ip.bind=127.0.0.1",
    `-master.port=${ports.master}`,
    `-master.port.grpc=${ports.masterGrpc}`,
    // A single master elects itself; on a restart it first waits out the election timeout (10 s by default).
    "-master.electionTimeout=1s",
    // Anonymous usage statistics are on by default; a test server has nothing to report and no internet.
    "-master.telemetry=false",
    // Small volumes, as many as the disk holds (each bucket is a collection with volumes of its own).
    "-master.volumeSizeLimitMB=64",
    "-volume.max=0",
    `-volume.port=${ports.volume}`,
    `-volume.port.grpc=${ports.volumeGrpc}`,
    // The volume server waits 10 s after its last heartbeat before it stops, which a test need not.
    "-volume.preStopSeconds=0",
    `-filer.port=${ports.filer}`,
    `-filer.port.grpc=${ports.filerGrpc}`,
    `-filer.localSocket=${join(dataDir, "filer.sock")}`,
    "-s3",
    `-s3.port=${ports.s3}`,
    `-s3.port.grpc=${ports.s3Grpc}`,
    `-s3.localSocket=${join(dataDir, "s3.sock")}`,
    `-s3.config=${identitiesFile}`,
    // A missing bucket answers NoSuchBucket, as on AWS S3, instead of being created by the first upload.
    "-s3.autoCreateBucket=false",
    // The Iceberg and Lance catalogs would listen on fixed ports (8181, 9101); the tests use plain S3.
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
  ];
}

/**
 * Master settings that have no flag (master.toml keys, read from `WEED_*` variables): one volume per new
 * collection instead of seven (each bucket is one), and no hold on the first volume allocation, which
 * protects a rebuilt master's cluster (SeaweedFS's master.toml: `"0s" disables it (e.g. test setups)`).
 */
export const WEED_ENVIRONMENT: Readonly<Record<string, string>> = {
  WEED_MASTER_VOLUME_GROWTH_COPY_1: "1",
  WEED_MASTER_VOLUME_GROWTH_ALLOCATION_DEFERRAL: "0s",
};
