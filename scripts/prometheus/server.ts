/**
 * A real Prometheus server on loopback for tests: static scrape targets, rule files, short intervals, a
 * temporary TSDB folder that `stop()` removes, and a small client of its HTTP API (`/api/v1/…`).
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import type { Log } from "../lib/go-build.js";
import { freePort } from "../lib/ports.js";
import { waitFor } from "../lib/wait-for.js";
import type { PrometheusBinaries } from "./binaries.js";

/**
 * One scrape job with static targets. Prometheus 3 fails a scrape whose answer has no valid Content-Type
 * (`text/plain; version=0.0.4` for the text format), as on the cluster.
 */
export interface ScrapeJob {
  /** `job_name`, also the `job` label of its series. */
  readonly jobName: string;
  /** `host:port` of each target. */
  readonly targets: readonly string[];
  /** @default "/metrics" */
  readonly metricsPath?: string;
  /** Labels added to every series of the job's targets. */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default the global `scrapeIntervalSeconds` */
  readonly scrapeIntervalSeconds?: number;
}

/** What {@link startPrometheus} configures. */
export interface PrometheusOptions {
  /** The scrape jobs. */
  readonly scrapeConfigs?: readonly ScrapeJob[];
  /** Shorthand for one more job, named `targets`, scraping these `host:port`s. */
  readonly targets?: readonly string[];
  /** Rule files the server loads (relative paths are taken from the working directory). */
  readonly ruleFiles?: readonly string[];
  /** @default 1 */
  readonly scrapeIntervalSeconds?: number;
  /** How often rules are evaluated. @default 1 */
  readonly evaluationIntervalSeconds?: number;
  /** How long to wait for the server to be ready. @default 30_000 */
  readonly readyTimeoutMs?: number;
  /** Timeout of each API request. @default 10_000 */
  readonly requestTimeoutMs?: number;
  readonly log?: Log;
}

/** One sample of an instant query's result. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
  /** Unix time in seconds. */
  readonly timestamp: number;
}

/** A pending or firing alert (`/api/v1/alerts`). */
export interface Alert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: "pending" | "firing";
  readonly activeAt: string;
  readonly value: string;
}

/** A scrape target (`/api/v1/targets`, active ones). */
export interface Target {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
  readonly lastScrape: string;
}

/** A running server. */
export interface PrometheusServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Where its configuration, log and TSDB are. */
  readonly dir: string;
  /** An instant query (`/api/v1/query`) at `time` (default: now); a scalar result is one sample without labels. */
  query(expr: string, time?: Date): Promise<Sample[]>;
  /** The pending and firing alerts. */
  alerts(): Promise<Alert[]>;
  /** The active scrape targets and their health. */
  targets(): Promise<Target[]>;
  /** The last lines the server logged, for error messages. */
  logTail(lines?: number): string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

/** A Prometheus duration for a number of seconds (`1s`, `500ms`); throws on one that is not positive. */
export function promDuration(seconds: number, what: string): string {
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new Error(`${what}: ${seconds} is not a positive duration`);
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/** The configuration file of a server with these jobs and rule files (rule paths as given). */
export function renderPrometheusConfig(options: Omit<PrometheusOptions, "log">): string {
  const jobs: ScrapeJob[] = [...(options.scrapeConfigs ?? [])];
  if (options.targets) jobs.push({ jobName: "targets", targets: options.targets });
  const names = jobs.map((j) => j.jobName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new Error(`scrape job ${duplicate} is configured twice`);
  return stringify({
    global: {
      scrape_interval: promDuration(options.scrapeIntervalSeconds ?? 1, "scrapeIntervalSeconds"),
      evaluation_interval: promDuration(options.evaluationIntervalSeconds ?? 1, "evaluationIntervalSeconds"),
    },
    rule_files: [...(options.ruleFiles ?? [])],
    scrape_configs: jobs.map((job) => ({
      job_name: job.jobName,
      ...(job.scrapeIntervalSeconds === undefined
        ? {}
        : {
            scrape_interval: promDuration(job.scrapeIntervalSeconds, `${job.jobName}.scrapeIntervalSeconds`),
          }),
      metrics_path: job.metricsPath ?? "/metrics",
      static_configs: [{ targets: [...job.targets], ...(job.labels ? { labels: { ...job.labels } } : {}) }],
    })),
  });
}

/** The `data` of an API answer; throws with Prometheus's error otherwise. */
async function apiGet<T>(url: string, timeoutMs: number): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: { status?: string; data?: T; errorType?: string; error?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`GET ${url}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!response.ok || body.status !== "success" || body.data === undefined) {
    throw new Error(
      `GET ${url}: HTTP ${response.status}, ${body.errorType ?? "error"}: ${body.error ?? text}`,
    );
  }
  return body.data;
}

type QueryData =
  | { resultType: "vector"; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: "scalar"; result: [number, string] }
  | { resultType: "matrix" | "string"; result: unknown };

/** Starts a server and resolves once it answers `/-/ready`; on failure says why with its log's last lines. */
export async function startPrometheus(
  binaries: Pick<PrometheusBinaries, "prometheus" | "version">,
  options: PrometheusOptions = {},
): Promise<PrometheusServer> {
  const log = options.log ?? (() => undefined);
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const ruleFiles = (options.ruleFiles ?? []).map((file) => resolve(file));
  const missing = ruleFiles.find((file) => !existsSync(file));
  if (missing) throw new Error(`prometheus: rule file ${missing} does not exist`);
  const config = renderPrometheusConfig({ ...options, ruleFiles });

  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), "hdp-prometheus-"));
  const configFile = join(dir, "prometheus.yml");
  const logFile = join(dir, "prometheus.log");
  await writeFile(configFile, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binaries.prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // The scrape manager takes new targets every 5 s by default, so the first scrape came 5 s late.
      "--scrape.discovery-reload-interval=200ms",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const out = createWriteStream(logFile);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);

  const logTail = (lines = 20) => {
    try {
      return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(kill, 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", kill);
    await new Promise((r) => out.end(r));
    await rm(dir, { recursive: true, force: true });
  };

  const api = <T>(path: string) => apiGet<T>(`${url}${path}`, requestTimeoutMs);

  try {
    const ready = waitFor(
      async () => {
        if (child.exitCode !== null) return false;
        const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) }).catch(
          () => undefined,
        );
        return response?.ok ? true : undefined;
      },
      {
        timeoutMs: readyTimeoutMs,
        intervalMs: 100,
        describe: () => `Prometheus /-/ready on ${url}:\n${logTail()}`,
      },
    );
    if (!(await ready)) {
      throw new Error(`prometheus exited (code ${child.exitCode}) at start:\n${logTail()}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(`prometheus: ${binaries.version} ready on ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return {
    url,
    dir,
    async query(expr, time) {
      const params = new URLSearchParams({ query: expr });
      if (time) params.set("time", (time.getTime() / 1000).toString());
      const data = await api<QueryData>(`/api/v1/query?${params}`);
      switch (data.resultType) {
        case "vector":
          return data.result.map((s) => ({
            metric: s.metric,
            timestamp: s.value[0],
            value: Number(s.value[1]),
          }));
        case "scalar":
          return [{ metric: {}, timestamp: data.result[0], value: Number(data.result[1]) }];
        default:
          throw new Error(`query ${expr}: a ${data.resultType} result, expected a vector or a scalar`);
      }
    },
    async alerts() {
      return (await api<{ alerts: Alert[] }>("/api/v1/alerts")).alerts;
    },
    async targets() {
      return (await api<{ activeTargets: Target[] }>("/api/v1/targets?state=active")).activeTargets;
    },
    logTail,
    stop,
  };
}
