import { z } from "zod";

/** A CPU quantity as Kubernetes writes it: millicores (`250m`) or cores (`1`, `1.5`). */
export const cpuQuantity = z
  .string()
  .regex(/^([1-9]\d*m|\d+(\.\d+)?)$/, "must be a CPU quantity such as 250m or 1");

/** A memory quantity in MiB or GiB (`512Mi`, `2Gi`). */
export const memoryQuantity = z
  .string()
  .regex(/^[1-9]\d*(Mi|Gi)$/, "must be a memory quantity in Mi or Gi such as 512Mi or 2Gi");

/** Bytes of a {@link memoryQuantity}. */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`not a memory quantity in Mi or Gi: ${quantity}`);
  return Number(match[1]) * (match[2] === "Gi" ? 2 ** 30 : 2 ** 20);
}

/** E-mail notifications of firing alerts through an SMTP server (password: secret `alertSmtpPassword`). */
export const emailReceiverSchema = z.object({
  /** Who gets the alerts. */
  to: z.email("must be an e-mail address"),
  /** The sender address. */
  from: z.email("must be an e-mail address"),
  /** The SMTP server as `host:port`, e.g. `smtp.example.net:587`. */
  smarthost: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "must be the SMTP server as host:port, such as smtp.example.net:587"),
  /** SMTP user; with it, the password is the secret `alertSmtpPassword`. @default no authentication */
  username: z.string().min(1).optional(),
  /** Insist on STARTTLS. @default true */
  requireTls: z.boolean().default(true),
});

const DEFAULT_RESOURCES = { cpu: "200m", memory: "1Gi", memoryLimit: "2Gi" } as const;

/**
 * The monitoring stack (kube-prometheus-stack on the cloud workers): how long and how much Prometheus keeps,
 * its resources, and where Alertmanager sends alerts. With no receiver, alerts show in the Alertmanager and
 * Grafana UIs only.
 */
export const monitoringSchema = z
  .object({
    /** Install the monitoring stack; it needs at least one cloud worker. @default true */
    enabled: z.boolean().default(true),
    /** How long Prometheus keeps samples: a number and h, d, w or y. @default "15d" */
    retention: z
      .string()
      .regex(/^[1-9]\d*(h|d|w|y)$/, "must be a Prometheus retention such as 15d (a number and h, d, w or y)")
      .default("15d"),
    /** Prometheus's volume, GiB; it deletes the oldest samples beyond 80 % of it, whatever the retention. @default 20 */
    storageGi: z.number().int().min(2).max(1000).default(20),
    /** Prometheus's CPU and memory requests and memory limit. @default 200m, 1Gi, 2Gi */
    resources: z
      .object({ cpu: cpuQuantity, memory: memoryQuantity, memoryLimit: memoryQuantity })
      .default(DEFAULT_RESOURCES),
    /** Receivers of the alerts. @default none: the UIs only */
    alerting: z
      .object({
        /** POST alerts (Alertmanager's webhook format) to the URL in secret `alertWebhookUrl`. @default false */
        webhook: z.boolean().default(false),
        email: emailReceiverSchema.optional(),
      })
      .default({ webhook: false }),
  })
  .default({
    enabled: true,
    retention: "15d",
    storageGi: 20,
    resources: DEFAULT_RESOURCES,
    alerting: { webhook: false },
  });

export type MonitoringConfig = z.infer<typeof monitoringSchema>;
export type EmailReceiver = z.infer<typeof emailReceiverSchema>;
