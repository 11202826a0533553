// Alertmanager's configuration from the stack's receivers: none, a webhook, e-mail with and without SMTP
// authentication, and the missing secrets refused.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  OPERATORS_RECEIVER,
  UI_ONLY_RECEIVER,
  alertmanagerConfig,
  renderAlertmanagerConfig,
} from "./alertmanager-config.js";

const email = {
  to: "ops@example.net",
  from: "alerts@example.net",
  smarthost: "smtp.example.net:587",
  requireTls: true,
};

describe("alertmanagerConfig", () => {
  it("with no receiver, routes every alert to one that sends nothing: the UIs only", () => {
    const config = alertmanagerConfig({ webhook: false }, {});
    expect(config.route.receiver).toBe(UI_ONLY_RECEIVER);
    expect(config.receivers).toEqual([{ name: UI_ONLY_RECEIVER }]);
  });

  it("posts to the webhook's URL, resolved alerts too", () => {
    const config = alertmanagerConfig({ webhook: true }, { webhookUrl: "https://hooks.example.net/T1" });
    expect(config.route.receiver).toBe(OPERATORS_RECEIVER);
    expect(config.receivers).toEqual([
      {
        name: OPERATORS_RECEIVER,
        webhook_configs: [{ url: "https://hooks.example.net/T1", send_resolved: true }],
      },
    ]);
  });

  it("mails through the SMTP server, authenticated when a user is given", () => {
    const anonymous = alertmanagerConfig({ webhook: false, email }, {});
    expect(anonymous.receivers).toEqual([
      {
        name: OPERATORS_RECEIVER,
        email_configs: [
          {
            to: "ops@example.net",
            from: "alerts@example.net",
            smarthost: "smtp.example.net:587",
            require_tls: true,
            send_resolved: true,
          },
        ],
      },
    ]);
    const authenticated = alertmanagerConfig(
      { webhook: true, email: { ...email, username: "alerts" } },
      { webhookUrl: "https://hooks.example.net/T1", smtpPassword: "s3cret" },
    );
    const receiver = authenticated.receivers[0]!;
    expect(Object.keys(receiver)).toEqual(["name", "webhook_configs", "email_configs"]);
    expect(receiver.email_configs?.[0]).toMatchObject({ auth_username: "alerts", auth_password: "s3cret" });
  });

  it("groups by alert name and namespace, a critical alert silencing the warning of the same name", () => {
    const config = alertmanagerConfig({ webhook: false }, {});
    expect(config.route.group_by).toEqual(["alertname", "namespace"]);
    expect(config.inhibit_rules).toEqual([
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ["alertname", "namespace"],
      },
    ]);
  });

  it("refuses a webhook without its URL and an SMTP user without the password", () => {
    expect(() => alertmanagerConfig({ webhook: true }, {})).toThrow(
      "alertmanager: alerting.webhook is on but alertWebhookUrl is not set",
    );
    expect(() => alertmanagerConfig({ webhook: false, email: { ...email, username: "alerts" } }, {})).toThrow(
      "alertmanager: the e-mail receiver has a username but no alertSmtpPassword",
    );
  });

  it("renders as the YAML file the operator reads", () => {
    const text = renderAlertmanagerConfig({ webhook: true }, { webhookUrl: "https://hooks.example.net/T1" });
    expect(parse(text)).toEqual(
      alertmanagerConfig({ webhook: true }, { webhookUrl: "https://hooks.example.net/T1" }),
    );
  });
});
