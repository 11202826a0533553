/**
 * A real Prometheus scraping the services of a local run, with the alert rules the cluster gets: when
 * processing stops during a replayed session, the bars alert's expression turns true within its window
 * (5 minutes of the exchange's clock, seconds here at the replay's speed) and false again once processing
 * is back and has caught up.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERTS } from "../../infra/platform/monitoring/alerts.js";
import { renderRuleFile, ruleGroups } from "../../infra/platform/monitoring/prometheus-rules.js";
import { startLocalPipeline, type LocalPipeline } from "../../scripts/lib/local-pipeline.js";
import { requirePrometheusTools, startPrometheus, type PrometheusServer } from "../setup/prometheus.js";

const tools = await requirePrometheusTools();

/** Wednesday 10:00 New York: the session of 2024-03-06 plays from its open. */
const NOW = new Date("2024-03-06T15:00:00Z");
/** Two replay minutes per real second: the alert's 5-minute window passes in 2.5 s. */
const SPEED = 120;
const BARS_ALERT = ALERTS.find((a) => a.name === "BarsNotStored")!;
/** Real time allowed for each transition: scrape and rule intervals are 1 s, the API's read cache 5 s. */
const TRANSITION_MS = 30_000;

/** Polls `check` every 250 ms until it returns a value, or fails after `timeoutMs` saying `what`. */
async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(250);
  }
}

describe.skipIf(!tools)("Prometheus scraping a local run, with the cluster's alert rules", () => {
  let pipeline: LocalPipeline;
  let prometheus: PrometheusServer;
  let dir: string;

  const valueOf = async (expr: string) => (await prometheus.query(expr))[0]?.value;
  /** Whether the alert's expression returns a series now. */
  const barsAlertHolds = async () => (await prometheus.query(BARS_ALERT.expr)).length > 0;

  beforeAll(async () => {
    pipeline = await startLocalPipeline({
      now: NOW,
      speed: SPEED,
      backfillDays: 1,
      analyticsPort: 0,
      processingPort: 0,
      web: { apiPort: 0, webPort: 0 },
    });
    dir = await mkdtemp(join(tmpdir(), "hdp-rules-"));
    const rules = join(dir, "rules.yaml");
    await writeFile(rules, renderRuleFile(ruleGroups(ALERTS)));
    const host = (url: string) => new URL(url).host;
    prometheus = await startPrometheus({
      scrapeConfigs: [
        { jobName: "processing", targets: [host(pipeline.processing.healthUrl!)] },
        { jobName: "analytics", targets: [host(pipeline.analyticsUrl)] },
        { jobName: "middle-tier", targets: [host(pipeline.web!.apiUrl)] },
      ],
      ruleFiles: [rules],
    });
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await pipeline?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("scrapes processing, analytics and the API, each up", async () => {
    const jobs = await eventually("every target scraped and up", TRANSITION_MS, async () => {
      const up = await prometheus.query("up == 1");
      return up.length === 3 ? up.map((s) => s.metric.job).sort() : undefined;
    });
    expect(jobs).toEqual(["analytics", "middle-tier", "processing"]);
  });

  it("reads the session from the replay's clock, and the alert stays quiet while bars are stored", async () => {
    await eventually("the session 5 minutes old on the replay's clock", TRANSITION_MS, async () => {
      const elapsed = await valueOf("max(market_session_elapsed_seconds)");
      return elapsed !== undefined && elapsed > 360 ? elapsed : undefined;
    });
    expect(await valueOf("max(market_session_open)")).toBe(1);
    expect(await valueOf("min(api_last_bar_age_seconds)")).toBeLessThan(300);
    expect(await valueOf("sum(processing_bars_stored_total)")).toBeGreaterThan(0);
    expect(await barsAlertHolds()).toBe(false);
  });

  it("turns the bars alert's expression true within its window when processing stops", async () => {
    await pipeline.processing.stop();
    const [stoppedAt, realStop] = [pipeline.clock.now().getTime(), performance.now()];
    await eventually("the bars alert's expression true", TRANSITION_MS, async () =>
      (await barsAlertHolds()) ? true : undefined,
    );
    // Within the window: no bar stored for 5 minutes of the exchange's clock, plus what the scrape, the
    // API's read cache and the rule evaluation add (a few real seconds, times the replay's speed).
    const replaySeconds = (pipeline.clock.now().getTime() - stoppedAt) / 1000;
    const realSeconds = (performance.now() - realStop) / 1000;
    console.info(
      `bars alert true ${replaySeconds.toFixed(0)} s (replay) / ${realSeconds.toFixed(1)} s (real) after the stop`,
    );
    expect(replaySeconds).toBeGreaterThan(150);
    expect(replaySeconds).toBeLessThan(300 + 10 * SPEED);
    const age = await valueOf("min(api_last_bar_age_seconds)");
    expect(age).toBeGreaterThan(300);
    // The rule is evaluated by the server too: the alert is pending (it fires after `for`).
    await eventually("the alert pending or firing", TRANSITION_MS, async () =>
      (await prometheus.alerts()).find((a) => a.labels.alertname === BARS_ALERT.name),
    );
  });

  it("returns it to false once processing is back and has stored the backlog", async () => {
    await pipeline.processing.start();
    const restarted = performance.now();
    await eventually("the bars alert's expression false again", TRANSITION_MS, async () =>
      (await barsAlertHolds()) ? undefined : true,
    );
    console.info(
      `bars alert false ${((performance.now() - restarted) / 1000).toFixed(1)} s (real) after the restart`,
    );
    expect(await valueOf("min(api_last_bar_age_seconds)")).toBeLessThan(300);
    await eventually("the alert resolved", TRANSITION_MS, async () =>
      (await prometheus.alerts()).some((a) => a.labels.alertname === BARS_ALERT.name) ? undefined : true,
    );
    expect(await valueOf('up{job="processing"}')).toBe(1);
  });
});
