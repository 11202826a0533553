import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { declareObject } from "../cluster/resources/kubernetes-objects.js";
import { backupStore, type StackConfig, type StackInputs } from "../config/index.js";
import { kafkaUiSpec } from "../services/specs.js";
import { Workload } from "../services/components.js";
import { Archive, type S3Keys } from "./archive.js";
import { chartRelease } from "./helm-release.js";
import { Monitoring } from "./monitoring/monitoring.js";
import { kubeRouterObjects, networkPolicies } from "./network.js";
import {
  DATABASE_URL_SECRET,
  KAFKA_UI_AUTH_SECRET,
  NAMESPACES,
  POSTGRES_APP_SECRET,
  POSTGRES_DATABASE,
  POSTGRES_HOST,
  POSTGRES_USER,
  VERSIONS,
  clusterIssuer,
  kafkaObjects,
  middlewares,
  namespaces,
  postgresObjects,
  strimziOperatorValues,
} from "./render.js";

export interface PlatformArgs {
  readonly config: StackConfig;
  readonly secrets: StackInputs["secrets"];
  readonly provider: k8s.Provider;
}

/**
 * CloudNativePG reads `spec.bootstrap` only when it creates a Cluster (recovery is never in place), so a
 * change of it (setting `database.restore`) replaces the Cluster: the old one and its volumes are deleted
 * first (same name), then the new one recovers from the backups. Removing the setting afterwards changes
 * nothing: the restore is recorded in the stack's `deployed` output and kept (infra/config/deployed.ts).
 */
export const POSTGRES_CLUSTER_REPLACEMENT: pulumi.CustomResourceOptions = {
  replaceOnChanges: ["spec.bootstrap"],
  deleteBeforeReplace: true,
};

/** The user name of the Kafka UI's basic authentication. */
export const KAFKA_UI_USER = "admin";

/**
 * The data platform: namespaces, the operators (Strimzi, CloudNativePG, cert-manager;
 * pinned Helm releases), Kafka and its topics, PostgreSQL with generated credentials
 * (Kubernetes secrets, never outputs) and optional backups, the Let's Encrypt issuer,
 * Traefik middlewares, the Kafka UI behind basic authentication, the monitoring stack
 * ({@link Monitoring}), the archive's store ({@link Archive}), NetworkPolicies and kube-router to enforce them.
 */
export class Platform extends pulumi.ComponentResource {
  /** Password of the Kafka UI (secret). */
  readonly kafkaUiPassword: pulumi.Output<string>;
  /** Resources the services wait for (namespaces, database secret, topics). */
  readonly ready: pulumi.Resource[];
  /** The monitoring stack, unless `monitoring.enabled` is false. */
  readonly monitoring: Monitoring | undefined;
  /** The archive's store and credentials, with `archive`. */
  readonly archive: Archive | undefined;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:platform:Platform", name, {}, opts);
    const { config, provider } = args;
    const k8sOpts = { parent: this, provider };

    const nsResources = namespaces().map((ns) => declareObject("platform", ns, k8sOpts));
    const afterNamespaces = { ...k8sOpts, dependsOn: nsResources };

    const certManager = chartRelease(
      name,
      {
        id: "cert-manager",
        chart: "cert-manager",
        version: VERSIONS.certManagerChart,
        repo: "https://charts.jetstack.io",
        namespace: "cert-manager",
        values: { crds: { enabled: true } },
      },
      k8sOpts,
    );
    const strimzi = chartRelease(
      name,
      {
        id: "strimzi",
        chart: "strimzi-kafka-operator",
        version: VERSIONS.strimziChart,
        repo: "https://strimzi.io/charts/",
        namespace: "strimzi",
        values: strimziOperatorValues(config.k3sVersion),
      },
      k8sOpts,
    );
    const cnpg = chartRelease(
      name,
      {
        id: "cnpg",
        chart: "cloudnative-pg",
        version: VERSIONS.cnpgChart,
        repo: "https://cloudnative-pg.github.io/charts",
        namespace: "cnpg-system",
      },
      k8sOpts,
    );

    declareObject("platform", clusterIssuer(config.tls), { ...k8sOpts, dependsOn: [certManager] });

    const kafka = kafkaObjects(config.platform).map((o) =>
      declareObject("kafka", o, { ...k8sOpts, dependsOn: [strimzi, ...nsResources] }),
    );

    // PostgreSQL: the application user's password is generated once; services get only a URL.
    const password = new random.RandomPassword(
      `${name}-postgres-app-password`,
      { length: 32, special: false },
      {
        parent: this,
      },
    );
    const appSecret = new k8s.core.v1.Secret(
      `${name}-postgres-app-credentials`,
      {
        metadata: { name: POSTGRES_APP_SECRET, namespace: NAMESPACES.data },
        type: "kubernetes.io/basic-auth",
        stringData: pulumi.secret(password.result.apply((p) => ({ username: POSTGRES_USER, password: p }))),
      },
      afterNamespaces,
    );
    const urlSecret = new k8s.core.v1.Secret(
      `${name}-database-url`,
      {
        metadata: { name: DATABASE_URL_SECRET, namespace: NAMESPACES.apps },
        type: "Opaque",
        stringData: pulumi.secret(
          password.result.apply((p) => ({
            url: `postgres://${POSTGRES_USER}:${encodeURIComponent(p)}@${POSTGRES_HOST}:5432/${POSTGRES_DATABASE}`,
          })),
        ),
      },
      afterNamespaces,
    );
    // The archive's store and the job's keys; the database backups may use the same store.
    this.archive = config.archive
      ? new Archive(
          "archive",
          {
            config: { ...config, archive: config.archive },
            secrets: args.secrets,
            provider,
            appsNamespace: nsResources,
          },
          { parent: this },
        )
      : undefined;
    const backups = backupStore(config);
    const backupKeys: S3Keys | undefined =
      backups?.kind === "endpoint"
        ? args.secrets.backupAccessKeyId &&
          args.secrets.backupSecretAccessKey && {
            accessKeyId: args.secrets.backupAccessKeyId,
            secretAccessKey: args.secrets.backupSecretAccessKey,
          }
        : this.archive?.backupKeys;
    if (backups && !backupKeys) {
      throw new pulumi.ResourceError("backups need their store's keys (secret settings)", this);
    }
    const backupSecret =
      backups && backupKeys
        ? new k8s.core.v1.Secret(
            `${name}-postgres-backup-credentials`,
            {
              metadata: { name: "pg-backup-credentials", namespace: NAMESPACES.data },
              type: "Opaque",
              stringData: pulumi.secret(
                pulumi
                  .all([backupKeys.accessKeyId, backupKeys.secretAccessKey])
                  .apply(([id, key]) => ({ ACCESS_KEY_ID: id, ACCESS_SECRET_KEY: key })),
              ),
            },
            afterNamespaces,
          )
        : undefined;
    const backupEndpoint =
      backups?.kind === "endpoint" ? backups.endpoint : backups ? this.archive?.endpoint : undefined;
    const postgres = postgresObjects(
      config.platform,
      config.backups && backups && backupEndpoint
        ? {
            endpoint: backupEndpoint,
            bucket: backups.bucket,
            retentionDays: config.backups.retentionDays,
            credentialsSecret: "pg-backup-credentials",
          }
        : undefined,
      config.backups ? config.database.restore : undefined,
    ).map((o) =>
      declareObject("postgres", o, {
        ...k8sOpts,
        ...(o.kind === "Cluster" ? POSTGRES_CLUSTER_REPLACEMENT : {}),
        // With the backups on the in-cluster store, the Cluster waits for its bucket.
        dependsOn: [
          cnpg,
          appSecret,
          ...(backupSecret ? [backupSecret] : []),
          ...(backups?.kind === "archive-in-cluster" ? (this.archive?.ready ?? []) : []),
        ],
      }),
    );

    // The Kafka UI: basic authentication (bcrypt) in front of Kafdrop, through the ingress only.
    const uiPassword = new random.RandomPassword(
      `${name}-kafka-ui-password`,
      { length: 24, special: false },
      {
        parent: this,
      },
    );
    this.kafkaUiPassword = uiPassword.result;
    const basicAuthUsers = pulumi.secret(uiPassword.bcryptHash.apply((hash) => `${KAFKA_UI_USER}:${hash}`));
    const uiUsers = new k8s.core.v1.Secret(
      `${name}-kafka-ui-users`,
      {
        metadata: { name: KAFKA_UI_AUTH_SECRET, namespace: NAMESPACES.apps },
        type: "Opaque",
        stringData: basicAuthUsers.apply((users) => ({ users })),
      },
      afterNamespaces,
    );
    const mw = middlewares().map((o) => declareObject("platform", o, afterNamespaces));
    new Workload(
      "kafka-ui",
      { spec: kafkaUiSpec(config), provider },
      { parent: this, dependsOn: [uiUsers, ...mw] },
    );

    for (const o of networkPolicies({ archive: Boolean(config.archive) })) {
      declareObject("netpol", o, afterNamespaces);
    }
    for (const o of kubeRouterObjects()) declareObject("kube-router", o, k8sOpts);

    // Its NetworkPolicies in the application namespaces wait for them.
    this.monitoring = config.monitoring.enabled
      ? new Monitoring(
          "monitoring",
          { config, secrets: args.secrets, provider, basicAuthUsers },
          { parent: this, dependsOn: nsResources },
        )
      : undefined;

    this.ready = [
      ...nsResources,
      urlSecret,
      ...mw,
      ...kafka,
      ...postgres,
      ...(this.archive ? [this.archive.jobCredentials] : []),
    ];
    this.registerOutputs({});
  }
}
