import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { declareObject } from "../cluster/resources/kubernetes-objects.js";
import { backupStore, type ArchiveConfig, type StackConfig, type StackInputs } from "../config/index.js";
import { archivePolicies, objectStorePolicies, type ArchiveStoreTarget } from "./network.js";
import {
  IN_CLUSTER_S3_ENDPOINT,
  S3_IDENTITIES_SECRET,
  OBJECT_STORE_NAMESPACE,
  bucketJob,
  objectStoreNamespace,
  objectStoreObjects,
  s3IdentitiesJson,
  type S3Grant,
} from "./object-storage.js";
import { ARCHIVE_CREDENTIALS_SECRET, NAMESPACES } from "./render.js";

/** The names of the in-cluster store's identities: the archive job's, and CloudNativePG's for the backups. */
export const IDENTITY_NAMES = { archive: "archive", backups: "cnpg-backups" } as const;

/** An S3 key pair, as secret Outputs. */
export interface S3Keys {
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
}

export interface ArchiveArgs {
  readonly config: StackConfig & { readonly archive: ArchiveConfig };
  /** `archiveAccessKeyId` and `archiveSecretAccessKey`, required with an external store. */
  readonly secrets: StackInputs["secrets"];
  readonly provider: k8s.Provider;
  /** The apps namespace, where the job's Secret and policy go. */
  readonly appsNamespace: pulumi.Resource[];
}

/** The port of an https URL (443 unless it names one). */
const httpsPort = (url: string) => Number(new URL(url).port || 443);

/**
 * The cluster side of the hourly archive: the store it writes to, the job's credentials and policies. With
 * `archive.store: "in-cluster"` the SeaweedFS of `object-storage.ts` in its own namespace, its S3 identities
 * (keys generated once with `random.RandomPassword`, kept in Pulumi's state and never regenerated) and the
 * Job that creates its buckets; with an external store its keys come from the stack's secrets. Either way the
 * job's keys are a Secret in the apps namespace, never an output; and, with `backups.store: "archive"`, the
 * database backups get keys on the same store ({@link Archive.backupKeys}).
 */
export class Archive extends pulumi.ComponentResource {
  /** The S3 API the job (and the backups on this store) use. */
  readonly endpoint: string;
  /** The job's Secret, which its CronJob waits for. */
  readonly jobCredentials: k8s.core.v1.Secret;
  /** The database backups' keys on this store, with `backups.store: "archive"`. */
  readonly backupKeys: S3Keys | undefined;
  /** What the database backups wait for on this store: its buckets created (in the cluster). */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: ArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:platform:Archive", name, {}, opts);
    const { config, provider } = args;
    const { archive } = config;
    const k8sOpts = { parent: this, provider };
    const backups = backupStore(config);
    const backupsHere = backups?.kind === "archive-in-cluster" || backups?.kind === "archive-external";

    let jobKeys: S3Keys;
    this.ready = [];
    if (archive.store === "in-cluster") {
      this.endpoint = IN_CLUSTER_S3_ENDPOINT;
      const keys = (role: string): S3Keys => {
        // S3-style key ids: 20 upper-case letters and digits; secrets: 40 letters and digits.
        const id = new random.RandomPassword(
          `${name}-${role}-access-key-id`,
          { length: 20, special: false, lower: false },
          { parent: this },
        );
        const secret = new random.RandomPassword(
          `${name}-${role}-secret-access-key`,
          { length: 40, special: false },
          { parent: this },
        );
        return { accessKeyId: pulumi.secret(id.result), secretAccessKey: pulumi.secret(secret.result) };
      };
      jobKeys = keys(IDENTITY_NAMES.archive);
      const identities: (S3Grant & { keys: S3Keys })[] = [
        { name: IDENTITY_NAMES.archive, bucket: archive.bucket, keys: jobKeys },
      ];
      if (backups?.kind === "archive-in-cluster") {
        this.backupKeys = keys(IDENTITY_NAMES.backups);
        identities.push({ name: IDENTITY_NAMES.backups, bucket: backups.bucket, keys: this.backupKeys });
      } else this.backupKeys = undefined;

      const namespace = declareObject(name, objectStoreNamespace(), k8sOpts);
      const afterNamespace = { ...k8sOpts, dependsOn: [namespace] };
      const identitiesSecret = new k8s.core.v1.Secret(
        `${name}-s3-identities`,
        {
          metadata: { name: S3_IDENTITIES_SECRET, namespace: OBJECT_STORE_NAMESPACE },
          type: "Opaque",
          stringData: pulumi.secret(
            pulumi
              .all(identities.map((i) => pulumi.all([i.keys.accessKeyId, i.keys.secretAccessKey])))
              .apply((pairs) => ({
                "s3.json": s3IdentitiesJson(
                  identities.map((i, n) => ({
                    name: i.name,
                    bucket: i.bucket,
                    accessKey: pairs[n]![0],
                    secretKey: pairs[n]![1],
                  })),
                ),
              })),
          ),
        },
        afterNamespace,
      );
      for (const o of objectStorePolicies({ postgres: backups?.kind === "archive-in-cluster" })) {
        declareObject(name, o, afterNamespace);
      }
      const store = objectStoreObjects({
        storageGi: archive.storageGi,
        workerRegion: config.workers.location,
        grants: identities.map(({ name: identity, bucket }) => ({ name: identity, bucket })),
      }).map((o) =>
        declareObject(name, o, {
          ...k8sOpts,
          dependsOn: [namespace, identitiesSecret],
          // A claim template cannot change, and local-path cannot grow a claim: a new `storageGi` would
          // only replace the StatefulSet, so it applies to a new store only.
          ...(o.kind === "StatefulSet" ? { ignoreChanges: ["spec.volumeClaimTemplates"] } : {}),
        }),
      );
      const buckets = identities.map((i) => i.bucket);
      this.ready.push(
        declareObject(name, bucketJob(buckets, config.workers.location), { ...k8sOpts, dependsOn: store }),
      );
    } else {
      this.endpoint = archive.store.endpoint;
      const { archiveAccessKeyId, archiveSecretAccessKey } = args.secrets;
      if (!archiveAccessKeyId || !archiveSecretAccessKey) {
        throw new pulumi.ResourceError(
          "an external archive store needs the secrets archiveAccessKeyId and archiveSecretAccessKey",
          this,
        );
      }
      jobKeys = { accessKeyId: archiveAccessKeyId, secretAccessKey: archiveSecretAccessKey };
      this.backupKeys = backupsHere ? jobKeys : undefined;
    }

    const afterApps = { ...k8sOpts, dependsOn: args.appsNamespace };
    this.jobCredentials = new k8s.core.v1.Secret(
      `${name}-job-credentials`,
      {
        metadata: { name: ARCHIVE_CREDENTIALS_SECRET, namespace: NAMESPACES.apps },
        type: "Opaque",
        stringData: pulumi.secret(
          pulumi
            .all([jobKeys.accessKeyId, jobKeys.secretAccessKey])
            .apply(([accessKeyId, secretAccessKey]) => ({ accessKeyId, secretAccessKey })),
        ),
      },
      afterApps,
    );
    const target: ArchiveStoreTarget =
      archive.store === "in-cluster"
        ? { kind: "in-cluster" }
        : { kind: "external", port: httpsPort(archive.store.endpoint) };
    for (const o of archivePolicies(target)) declareObject(name, o, afterApps);
    this.registerOutputs({});
  }
}
