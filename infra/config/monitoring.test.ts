// The `monitoring` settings: defaults, every validation with the message that names the key, and the
// secrets the alert receivers need.
import { describe, expect, it } from "vitest";
import { memoryBytes } from "./monitoring.js";
import { parseStackConfig } from "./parse.js";
import { requiredSecrets, secretValueProblem } from "./pulumi-config.js";
import { problemsOf, validSettings } from "./test-fixture.js";

/** The valid fixture with `monitoring` set to `value`. */
const withMonitoring = (value: unknown) => ({ ...validSettings(), monitoring: value });

const email = { to: "ops@example.net", from: "alerts@example.net", smarthost: "smtp.example.net:587" };

describe("monitoring settings", () => {
  it("default to a small stack with no receiver: 15 days in 20 GiB, 200m / 1Gi / 2Gi", () => {
    expect(parseStackConfig(validSettings(), "dev").monitoring).toEqual({
      enabled: true,
      retention: "15d",
      storageGi: 20,
      resources: { cpu: "200m", memory: "1Gi", memoryLimit: "2Gi" },
      alerting: { webhook: false },
    });
  });

  it("fill an e-mail receiver's requireTls with true", () => {
    const config = parseStackConfig(withMonitoring({ alerting: { email } }), "dev");
    expect(config.monitoring.alerting.email).toEqual({ ...email, requireTls: true });
  });

  it.each<[string, unknown, string]>([
    [
      "a retention without a unit",
      { retention: "15" },
      "monitoring.retention: must be a Prometheus retention such as 15d (a number and h, d, w or y)",
    ],
    [
      "a retention in minutes",
      { retention: "90m" },
      "monitoring.retention: must be a Prometheus retention such as 15d (a number and h, d, w or y)",
    ],
    ["a volume below 2 GiB", { storageGi: 1 }, "monitoring.storageGi: must be at least 2, got number 1"],
    [
      "a volume size given as text",
      { storageGi: "20" },
      'monitoring.storageGi: must be an integer from 2 to 1000, got string "20"',
    ],
    [
      "a CPU request in the wrong unit",
      { resources: { cpu: "2GHz", memory: "1Gi", memoryLimit: "2Gi" } },
      "monitoring.resources.cpu: must be a CPU quantity such as 250m or 1",
    ],
    [
      "a memory request in bytes",
      { resources: { cpu: "200m", memory: "1000000", memoryLimit: "2Gi" } },
      "monitoring.resources.memory: must be a memory quantity in Mi or Gi such as 512Mi or 2Gi",
    ],
    [
      "a memory limit below the request",
      { resources: { cpu: "200m", memory: "2Gi", memoryLimit: "1536Mi" } },
      "monitoring.resources.memoryLimit: must be at least monitoring.resources.memory (2Gi)",
    ],
    [
      "a webhook switch given as its URL",
      { alerting: { webhook: "https://hooks.example.net/x" } },
      'monitoring.alerting.webhook: must be true or false, got string "https://hooks.example.net/x"',
    ],
    [
      "an e-mail receiver without its SMTP server",
      { alerting: { email: { to: email.to, from: email.from } } },
      "monitoring.alerting.email.smarthost: is required",
    ],
    [
      "an SMTP server without its port",
      { alerting: { email: { ...email, smarthost: "smtp.example.net" } } },
      "monitoring.alerting.email.smarthost: must be the SMTP server as host:port, such as smtp.example.net:587",
    ],
    [
      "a recipient that is not an address",
      { alerting: { email: { ...email, to: "ops" } } },
      "monitoring.alerting.email.to: must be an e-mail address",
    ],
  ])("refuse %s, naming the key", (_name, monitoring, problem) => {
    expect(problemsOf(withMonitoring(monitoring))).toEqual([problem]);
  });

  it("need a cloud worker for the stack, and none when it is off", () => {
    const noWorkers = { ...validSettings(), workers: { location: "nbg1", count: 0 } };
    expect(problemsOf(noWorkers)).toEqual([
      "monitoring.enabled: the monitoring stack runs on the cloud workers only, and the stack has none: " +
        "give it a worker (workers.count) or set monitoring.enabled to false",
    ]);
    expect(problemsOf({ ...noWorkers, monitoring: { enabled: false } })).toEqual([]);
  });
});

describe("the alert receivers' secrets", () => {
  const secretsOf = (monitoring: unknown) =>
    requiredSecrets(parseStackConfig(withMonitoring(monitoring), "dev")).filter((k) => k.startsWith("alert"));

  it("are none without a receiver", () => {
    expect(secretsOf({})).toEqual([]);
  });

  it("are the webhook's URL with the webhook, the SMTP password with an SMTP user", () => {
    expect(secretsOf({ alerting: { webhook: true } })).toEqual(["alertWebhookUrl"]);
    expect(secretsOf({ alerting: { email } })).toEqual([]);
    expect(secretsOf({ alerting: { webhook: true, email: { ...email, username: "alerts" } } })).toEqual([
      "alertWebhookUrl",
      "alertSmtpPassword",
    ]);
  });

  it("are none with the stack off, whatever its receivers", () => {
    expect(secretsOf({ enabled: false, alerting: { webhook: true } })).toEqual([]);
  });

  it("include a webhook URL that must be http or https, without repeating it", () => {
    expect(secretValueProblem("alertWebhookUrl", "https://hooks.example.net/T0/B0/x")).toBeUndefined();
    for (const bad of ["hooks.example.net/x", "ftp://hooks.example.net/x", "token-123"]) {
      const problem = secretValueProblem("alertWebhookUrl", bad);
      expect(problem).toBe("must be an http or https URL (the value is not shown: it is a secret)");
      expect(problem).not.toContain(bad);
    }
    expect(secretValueProblem("alertSmtpPassword", "anything")).toBeUndefined();
  });
});

describe("memoryBytes", () => {
  it.each([
    ["512Mi", 512 * 2 ** 20],
    ["2Gi", 2 * 2 ** 30],
    ["1536Mi", 1.5 * 2 ** 30],
  ])("reads %s", (quantity, bytes) => {
    expect(memoryBytes(quantity)).toBe(bytes);
  });

  it("refuses another unit", () => {
    expect(() => memoryBytes("1G")).toThrow("not a memory quantity in Mi or Gi: 1G");
  });
});
