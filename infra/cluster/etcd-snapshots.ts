import { stringify } from "yaml";
import { shellQuote } from "./shell.js";

/** k3s merges every `*.yaml` here, in name order, over `config.yaml` (the server and its subcommands alike). */
export const K3S_CONFIG_DROP_IN_DIR = "/etc/rancher/k3s/config.yaml.d";

/** The drop-in that holds the S3 keys of the etcd snapshots, apart from `config.yaml`: it is the only secret one. */
export const ETCD_S3_CREDENTIALS_PATH = `${K3S_CONFIG_DROP_IN_DIR}/etcd-s3-credentials.yaml`;

/** Where in S3-compatible storage a server uploads its etcd snapshots. */
export interface EtcdS3Target {
  /** `host[:port]`, without scheme: k3s takes no URL here. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Folder in the bucket, apart from the database backups. */
  readonly folder: string;
  /** Plain HTTP (the endpoint is an `http://` URL). */
  readonly insecure: boolean;
}

/** Scheduled etcd snapshots of a server: when, how many kept, and where they are uploaded. */
export interface EtcdSnapshotSettings {
  /** Cron schedule (5 fields), in the server's time zone (UTC on the droplets). */
  readonly schedule: string;
  /** Snapshots kept (per server, locally and in S3). */
  readonly retention: number;
  /** Upload to S3-compatible storage; absent: snapshots stay on the server's disk only. */
  readonly s3?: EtcdS3Target;
}

/** The S3 keys of the snapshots; written to {@link ETCD_S3_CREDENTIALS_PATH} only. */
export interface EtcdS3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * The S3 target of a stack's etcd snapshots: the storage of the database backups (`backups.endpoint`, a URL,
 * reduced to the host and port k3s takes), in the folder `<stack>/etcd` so that they never mix with the
 * database's backups or another stack's snapshots. Pure.
 */
export function etcdS3Target(
  backups: { readonly endpoint: string; readonly bucket: string },
  stack: string,
): EtcdS3Target {
  const url = new URL(backups.endpoint);
  return {
    endpoint: url.host,
    bucket: backups.bucket,
    folder: `${stack}/etcd`,
    insecure: url.protocol === "http:",
  };
}

/** The k3s server flags (as config keys) of {@link EtcdSnapshotSettings}. Pure. */
export function etcdSnapshotFlags(settings: EtcdSnapshotSettings): Record<string, unknown> {
  const { s3 } = settings;
  return {
    "etcd-snapshot-schedule-cron": settings.schedule,
    "etcd-snapshot-retention": settings.retention,
    ...(s3
      ? {
          "etcd-s3": true,
          "etcd-s3-endpoint": s3.endpoint,
          "etcd-s3-bucket": s3.bucket,
          "etcd-s3-folder": s3.folder,
          ...(s3.insecure ? { "etcd-s3-insecure": true } : {}),
        }
      : {}),
  };
}

/** The drop-in with the S3 keys ({@link ETCD_S3_CREDENTIALS_PATH}). Pure. */
export function renderEtcdS3Credentials(credentials: EtcdS3Credentials): string {
  return stringify({
    "etcd-s3-access-key": credentials.accessKeyId,
    "etcd-s3-secret-key": credentials.secretAccessKey,
  });
}

/** A snapshot given as an absolute path is a file on the server; any other name one in S3. */
export const isLocalSnapshot = (snapshot: string): boolean => snapshot.startsWith("/");

/**
 * The one-shot command that restores the datastore from `snapshot` and leaves the server a one-member cluster
 * (k3s exits once done; the service is started afterwards). It reads `config.yaml` and the drop-ins like the
 * server: with `etcd-s3` set, a snapshot name is fetched from the bucket's folder; a local file then needs
 * `--etcd-s3=false`, or k3s would look for it in S3. Pure.
 * @see https://docs.k3s.io/cli/etcd-snapshot
 */
export function clusterResetCommand(snapshot: string, etcdS3: boolean): string {
  return [
    "k3s server --cluster-reset",
    ...(etcdS3 && isLocalSnapshot(snapshot) ? ["--etcd-s3=false"] : []),
    `--cluster-reset-restore-path=${shellQuote(snapshot)}`,
  ].join(" ");
}
