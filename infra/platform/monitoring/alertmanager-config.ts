/**
 * Alertmanager's configuration (`alertmanager.yaml`), rendered from the stack's receivers. It holds the
 * webhook's URL and the SMTP password, so it goes to the cluster as a Secret only (ALERTMANAGER_CONFIG_SECRET)
 * and never into a plan file or an output.
 */
import { stringify } from "yaml";
import type { EmailReceiver, MonitoringConfig } from "../../config/index.js";

/** The receiver when none is configured: alerts show in the Alertmanager and Grafana UIs, and go nowhere. */
export const UI_ONLY_RECEIVER = "ui-only";
/** The receiver of every alert when a webhook or e-mail is configured. */
export const OPERATORS_RECEIVER = "operators";

/** The secret values the configured receivers need (set with `pulumi config set --secret`). */
export interface ReceiverSecrets {
  /** `alertWebhookUrl`, with `alerting.webhook`. */
  readonly webhookUrl?: string;
  /** `alertSmtpPassword`, with `alerting.email.username`. */
  readonly smtpPassword?: string;
}

function emailConfig(email: EmailReceiver, password: string | undefined) {
  if (email.username && !password) {
    throw new Error("alertmanager: the e-mail receiver has a username but no alertSmtpPassword");
  }
  return {
    to: email.to,
    from: email.from,
    smarthost: email.smarthost,
    require_tls: email.requireTls,
    send_resolved: true,
    ...(email.username ? { auth_username: email.username, auth_password: password } : {}),
  };
}

/**
 * The configuration as an object: every alert to one receiver, grouped by alert name and namespace, a
 * critical alert silencing the warning of the same name and namespace. With no receiver configured the
 * receiver has no integration, which Alertmanager accepts: the alerts are visible in the UIs only.
 */
export function alertmanagerConfig(alerting: MonitoringConfig["alerting"], secrets: ReceiverSecrets) {
  if (alerting.webhook && !secrets.webhookUrl) {
    throw new Error("alertmanager: alerting.webhook is on but alertWebhookUrl is not set");
  }
  const webhook = alerting.webhook ? [{ url: secrets.webhookUrl, send_resolved: true }] : [];
  const email = alerting.email ? [emailConfig(alerting.email, secrets.smtpPassword)] : [];
  const receiver =
    webhook.length + email.length > 0
      ? {
          name: OPERATORS_RECEIVER,
          ...(webhook.length ? { webhook_configs: webhook } : {}),
          ...(email.length ? { email_configs: email } : {}),
        }
      : { name: UI_ONLY_RECEIVER };
  return {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: receiver.name,
      group_by: ["alertname", "namespace"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ["alertname", "namespace"],
      },
    ],
    receivers: [receiver],
  };
}

/** `alertmanager.yaml`, the key the operator reads from the configuration Secret. */
export function renderAlertmanagerConfig(
  alerting: MonitoringConfig["alerting"],
  secrets: ReceiverSecrets,
): string {
  return stringify(alertmanagerConfig(alerting, secrets), { lineWidth: 0 });
}
