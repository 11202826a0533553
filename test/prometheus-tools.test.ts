// The Prometheus tools the rule, dashboard and end-to-end tests rely on: promtool's verdicts, promql-inspect's
// metric names, and a real server on loopback that scrapes, evaluates rules and stops cleanly.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runTool } from "../infra/plan/run-tool.js";
import { renderPrometheusConfig } from "../scripts/prometheus/server.js";
import { parse } from "yaml";
import {
  checkRules,
  inspectPromql,
  requirePrometheusTools,
  startPrometheus,
  testRules,
  type PrometheusServer,
} from "./setup/prometheus.js";

const tools = await requirePrometheusTools();

const GOOD_RULES = `groups:
  - name: demo
    rules:
      - record: job:hdp_demo_value:max
        expr: max by (job) (hdp_demo_value)
      - alert: HdpDemoHigh
        expr: hdp_demo_value > 40
        labels: { severity: warning }
        annotations: { summary: "demo value {{ $value }} above 40" }
`;

describe("the Prometheus configuration", () => {
  it("has the global intervals, the rule files and one static job per scrape config", () => {
    const config = parse(
      renderPrometheusConfig({
        scrapeConfigs: [{ jobName: "api", targets: ["127.0.0.1:9000"], labels: { service: "api" } }],
        targets: ["127.0.0.1:9001"],
        ruleFiles: ["/rules/a.yaml"],
        scrapeIntervalSeconds: 0.5,
        evaluationIntervalSeconds: 2,
      }),
    ) as unknown;
    expect(config).toEqual({
      global: { scrape_interval: "500ms", evaluation_interval: "2s" },
      rule_files: ["/rules/a.yaml"],
      scrape_configs: [
        {
          job_name: "api",
          metrics_path: "/metrics",
          static_configs: [{ targets: ["127.0.0.1:9000"], labels: { service: "api" } }],
        },
        { job_name: "targets", metrics_path: "/metrics", static_configs: [{ targets: ["127.0.0.1:9001"] }] },
      ],
    });
  });

  it("refuses a job configured twice and an interval that is not positive", () => {
    const job = { jobName: "api", targets: ["127.0.0.1:9000"] };
    expect(() => renderPrometheusConfig({ scrapeConfigs: [job, job] })).toThrow(
      "scrape job api is configured twice",
    );
    expect(() => renderPrometheusConfig({ scrapeIntervalSeconds: 0 })).toThrow(
      "scrapeIntervalSeconds: 0 is not a positive duration",
    );
  });
});

describe.skipIf(!tools)("the Prometheus tools", () => {
  let dir: string;
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hdp-prom-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("are stamped with the Prometheus release of the pinned module", async () => {
    const result = await runTool(tools!.prometheus, ["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toContain(`prometheus, version ${tools!.version}`);
    expect(tools!.version).toBe("3.16.0");
  });

  describe("promtool check rules", () => {
    it("accepts a valid rule file", async () => {
      const result = await checkRules(await file("good.yaml", GOOD_RULES));
      expect(result.stdout).toContain("SUCCESS: 2 rules found");
      expect(result.code).toBe(0);
    });

    it("rejects a rule whose expression does not parse", async () => {
      const broken = GOOD_RULES.replace("hdp_demo_value > 40", "rate(hdp_demo_value[5m] > 40");
      const result = await checkRules(await file("broken.yaml", broken));
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toMatch(/FAILED[\s\S]*unclosed left parenthesis/);
    });

    it("rejects an alert with an invalid `for`", async () => {
      const broken = GOOD_RULES.replace(
        "expr: hdp_demo_value > 40",
        "expr: hdp_demo_value > 40\n        for: soon",
      );
      const result = await checkRules(await file("bad-for.yaml", broken));
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain('not a valid duration string: "soon"');
    });
  });

  describe("promtool test rules", () => {
    const testFile = (expectedAlerts: string) => `rule_files: [good.yaml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'hdp_demo_value{job="demo"}'
        values: '10 50 50'
    alert_rule_test:
      - eval_time: 0m
        alertname: HdpDemoHigh
        exp_alerts: []
      - eval_time: 2m
        alertname: HdpDemoHigh
        exp_alerts: ${expectedAlerts}
`;
    const firing = `
          - exp_labels: { job: demo, severity: warning }
            exp_annotations: { summary: "demo value 50 above 40" }`;

    beforeAll(async () => {
      await file("good.yaml", GOOD_RULES);
    });

    it("passes a case whose expected alerts are the ones that fire", async () => {
      const result = await testRules(await file("pass.test.yaml", testFile(firing)));
      expect(result.stdout + result.stderr).toContain("SUCCESS");
      expect(result.code).toBe(0);
    });

    it("fails a case that expects quiet while the alert fires", async () => {
      const result = await testRules(await file("fail.test.yaml", testFile("[]")));
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toMatch(/FAILED[\s\S]*alertname: HdpDemoHigh/);
    });
  });

  describe("promql-inspect", () => {
    it("names the metric of every vector and matrix selector, subqueries included, once each", async () => {
      const [ratio, byName, subquery] = await inspectPromql([
        'sum(rate(http_requests_total{status_code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > on() group_left up',
        '{__name__="processing_bars_stored_total", source="replay"}',
        "max_over_time(deriv(processing_consumer_lag[5m])[1h:1m])",
      ]);
      expect(ratio).toEqual({
        expr: expect.stringContaining("http_requests_total") as unknown,
        metrics: ["http_requests_total", "up"],
      });
      expect(byName?.metrics).toEqual(["processing_bars_stored_total"]);
      expect(subquery?.metrics).toEqual(["processing_consumer_lag"]);
    });

    it("gives the parser's error for an expression that does not parse, and no metrics", async () => {
      const [bad, good] = await inspectPromql(["sum(rate(foo_total[5m])", "vector(1)"]);
      expect(bad?.error).toMatch(/unclosed left parenthesis/);
      expect(bad?.metrics).toEqual([]);
      expect(good).toEqual({ expr: "vector(1)", metrics: [] });
    });
  });

  describe("a Prometheus server on loopback", () => {
    let exporter: Server;
    let exporterPort: number;
    let prometheus: PrometheusServer | undefined;

    beforeAll(async () => {
      exporter = createServer((request, response) => {
        if (request.url !== "/metrics") return void response.writeHead(404).end();
        response.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        response.end('# TYPE hdp_demo_value gauge\nhdp_demo_value{kind="a"} 42\n');
      });
      await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
      const address = exporter.address();
      exporterPort = typeof address === "object" && address ? address.port : 0;
    });
    afterAll(async () => {
      await prometheus?.stop();
      await new Promise((resolve) => exporter.close(resolve));
    });

    it("scrapes a target, answers queries, fires an alert from its rules, and stops leaving nothing", async () => {
      prometheus = await startPrometheus({
        scrapeConfigs: [{ jobName: "demo", targets: [`127.0.0.1:${exporterPort}`] }],
        ruleFiles: [await file("server-rules.yaml", GOOD_RULES)],
      });
      expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const samples = await vi.waitFor(
        async () => {
          const result = await prometheus!.query("hdp_demo_value");
          if (result.length === 0) throw new Error("no sample of hdp_demo_value yet");
          return result;
        },
        { timeout: 15_000, interval: 250 },
      );
      expect(samples).toEqual([
        {
          metric: {
            __name__: "hdp_demo_value",
            instance: `127.0.0.1:${exporterPort}`,
            job: "demo",
            kind: "a",
          },
          value: 42,
          timestamp: expect.any(Number) as unknown,
        },
      ]);
      expect(await prometheus.query("scalar(hdp_demo_value) * 2")).toEqual([
        { metric: {}, value: 84, timestamp: expect.any(Number) as unknown },
      ]);
      const [target] = await prometheus.targets();
      expect(target).toMatchObject({ scrapePool: "demo", health: "up", lastError: "" });

      const alert = await vi.waitFor(
        async () => {
          const found = (await prometheus!.alerts()).find((a) => a.labels.alertname === "HdpDemoHigh");
          if (found?.state !== "firing")
            throw new Error(`HdpDemoHigh not firing yet (${found?.state ?? "none"})`);
          return found;
        },
        { timeout: 15_000, interval: 250 },
      );
      expect(alert.annotations.summary).toBe("demo value 42 above 40");

      const { url, dir: serverDir } = prometheus;
      await prometheus.stop();
      await expect(fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
      expect(existsSync(serverDir)).toBe(false);
      await prometheus.stop(); // idempotent
    });

    it("refuses to start on a broken rule file, saying why", async () => {
      const broken = await file("server-broken.yaml", GOOD_RULES.replace("> 40", "> > 40"));
      const error = await startPrometheus({ ruleFiles: [broken], readyTimeoutMs: 15_000 }).catch(
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(
        /prometheus exited \(code \d+\) at start:[\s\S]*server-broken\.yaml[\s\S]*could not parse expression/,
      );
    });
  });
});
