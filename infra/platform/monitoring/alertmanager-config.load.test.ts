// The Alertmanager configurations the program renders, loaded by Alertmanager's own loader at the version
// the chart runs (scripts/alertmanager/): none configured, a webhook, e-mail with and without SMTP
// authentication. Without Go (and the checker not built) the suite is skipped, except in CI.
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  alertmanagerModuleVersion,
  canCheckAlertmanagerConfig,
  checkAlertmanagerConfig,
  ensureAlertmanagerCheck,
} from "../../../scripts/alertmanager/binaries.js";
import type { MonitoringConfig } from "../../config/index.js";
import { alertmanagerConfig, renderAlertmanagerConfig, type ReceiverSecrets } from "./alertmanager-config.js";
import { STACK_ALERTMANAGER_VERSION } from "./names.js";

const available = canCheckAlertmanagerConfig() || process.env.CI === "true";
if (!available) console.error("\n*** Alertmanager configuration check SKIPPED — no Go to build it\n");

const email = {
  to: "ops@example.net",
  from: "alerts@example.net",
  smarthost: "smtp.example.net:587",
  requireTls: true,
};
const secrets = { webhookUrl: "https://hooks.example.net/services/T0/B0/x", smtpPassword: "s3cret" };

describe("the checker", () => {
  it("is built against the Alertmanager the chart runs", () => {
    expect(alertmanagerModuleVersion()).toBe(STACK_ALERTMANAGER_VERSION);
  });
});

describe.skipIf(!available)("Alertmanager's loader", () => {
  let binary: string;
  beforeAll(async () => {
    binary = await ensureAlertmanagerCheck();
  }, 600_000);

  it.each<[string, MonitoringConfig["alerting"], ReceiverSecrets]>([
    ["no receiver (the UIs only)", { webhook: false }, {}],
    ["a webhook", { webhook: true }, secrets],
    ["e-mail without authentication", { webhook: false, email }, {}],
    [
      "a webhook and authenticated e-mail",
      { webhook: true, email: { ...email, username: "alerts" } },
      secrets,
    ],
  ])("accepts the configuration with %s", async (_name, alerting, given) => {
    expect(await checkAlertmanagerConfig(binary, renderAlertmanagerConfig(alerting, given))).toEqual({
      ok: true,
      reason: "",
    });
  });

  it("refuses a configuration whose route names a receiver it lacks, so an accepted one means something", async () => {
    const broken = alertmanagerConfig({ webhook: false }, {});
    const result = await checkAlertmanagerConfig(
      binary,
      stringify({ ...broken, route: { ...broken.route, receiver: "pager" } }),
    );
    expect(result).toEqual({ ok: false, reason: 'undefined receiver "pager" used in route' });
  });
});
