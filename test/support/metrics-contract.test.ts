import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import {
  checkMetricsContract,
  parseExposition,
  parseMetricsTable,
  registryMetrics,
  type ExportedMetric,
} from "./metrics-contract.js";

const README = `# service

Some text.

## Metrics

| metric | type | labels | meaning |
| ------ | ---- | ------ | ------- |
| \`demo_jobs_total\` | counter | \`queue\`, \`outcome\` | jobs done, by queue and outcome |
| \`demo_queue_depth\` | gauge | – | jobs waiting |
| \`demo_job_seconds\` | histogram | \`queue\` | time per job |

Reasons are \`ok\` and \`failed\`.

## Run
`;

/** The registry the README above describes, with one series of each labelled metric. */
async function exported(): Promise<ExportedMetric[]> {
  const registry = new Registry();
  const registers = [registry];
  new Counter({ name: "demo_jobs_total", help: "h", labelNames: ["queue", "outcome"], registers }).inc({
    queue: "a",
    outcome: "ok",
  });
  new Gauge({ name: "demo_queue_depth", help: "h", registers }).set(3);
  new Histogram({ name: "demo_job_seconds", help: "h", labelNames: ["queue"], registers }).observe(
    { queue: "a" },
    1,
  );
  new Gauge({ name: "process_cpu_seconds", help: "default metric", registers }).set(1);
  return registryMetrics(registry);
}

/** The README with its `demo_jobs_total` row replaced (or removed, for ""). */
const withJobsRow = (row: string) =>
  README.replace(/^\| `demo_jobs_total`.*\n/m, row === "" ? "" : `${row}\n`);

describe("parseMetricsTable", () => {
  it("reads each row's name, type and labels, and stops at the next section", () => {
    expect(parseMetricsTable(README).map(({ name, type, labels }) => ({ name, type, labels }))).toEqual([
      { name: "demo_jobs_total", type: "counter", labels: ["queue", "outcome"] },
      { name: "demo_queue_depth", type: "gauge", labels: [] },
      { name: "demo_job_seconds", type: "histogram", labels: ["queue"] },
    ]);
  });

  it("accepts the labels as one backticked list too", () => {
    const rows = parseMetricsTable(withJobsRow("| `demo_jobs_total` | counter | `queue,outcome` | jobs |"));
    expect(rows[0]!.labels).toEqual(["queue", "outcome"]);
  });

  it("takes a section without a table as no metrics", () => {
    expect(parseMetricsTable("# page\n\n## Metrics\n\nNone: a static page served by nginx.\n")).toEqual([]);
  });
});

describe("checkMetricsContract", () => {
  it("finds nothing wrong when the README and the registry agree (default process metrics aside)", async () => {
    expect(checkMetricsContract(README, await exported())).toEqual([]);
  });

  it.each<[string, string, RegExp]>([
    [
      "a wrong type",
      withJobsRow("| `demo_jobs_total` | gauge | `queue`, `outcome` | jobs |"),
      /demo_jobs_total: documented as gauge, exported as counter/,
    ],
    [
      "a missing label",
      withJobsRow("| `demo_jobs_total` | counter | `queue` | jobs |"),
      /demo_jobs_total: documented labels \(queue\), exported \(outcome, queue\)/,
    ],
    [
      "an extra label",
      withJobsRow("| `demo_jobs_total` | counter | `queue`, `outcome`, `tenant` | jobs |"),
      /documented labels \(outcome, queue, tenant\)/,
    ],
    [
      "no labels where there are some",
      withJobsRow("| `demo_jobs_total` | counter | – | jobs |"),
      /documented labels \(none\), exported \(outcome, queue\)/,
    ],
    [
      "a misspelt name",
      withJobsRow("| `demo_job_total` | counter | `queue`, `outcome` | jobs |"),
      /demo_job_total: documented \(line \d+\) but not exported/,
    ],
    [
      "a row left out",
      withJobsRow(""),
      /demo_jobs_total: exported \(counter\) but not in the README's Metrics table/,
    ],
    [
      "a row twice",
      withJobsRow("| `demo_queue_depth` | gauge | – | again |"),
      /demo_queue_depth: documented twice/,
    ],
    [
      "an unknown type",
      withJobsRow("| `demo_jobs_total` | count | `queue`, `outcome` | jobs |"),
      /README: line \d+: type of demo_jobs_total must be one of/,
    ],
    [
      "labels not backticked",
      withJobsRow("| `demo_jobs_total` | counter | queue, outcome | jobs |"),
      /README: line \d+: labels of demo_jobs_total must be backticked/,
    ],
    [
      "a name not backticked",
      withJobsRow("| demo_jobs_total | counter | `queue` | jobs |"),
      /README: line \d+: the metric name must be one backticked name/,
    ],
    [
      "a row with a cell missing",
      withJobsRow("| `demo_jobs_total` | counter | jobs |"),
      /README: line \d+: expected 4 cells, found 3/,
    ],
    [
      "another header",
      README.replace("| metric | type | labels | meaning |", "| name | kind | labels | meaning |"),
      /README: line \d+: the table's header must be/,
    ],
    ["no Metrics section", README.replace("## Metrics", "## Telemetry"), /README: no `## Metrics` section/],
  ])("fails on %s", async (_case, readme, problem) => {
    const problems = checkMetricsContract(readme, await exported());
    expect(problems.join("\n")).toMatch(problem);
  });

  it("cannot check the labels of a labelled metric without a series, and says so", async () => {
    const registry = new Registry();
    new Counter({
      name: "demo_jobs_total",
      help: "h",
      labelNames: ["queue", "outcome"],
      registers: [registry],
    });
    const readme =
      "## Metrics\n\n| metric | type | labels | meaning |\n| - | - | - | - |\n| `demo_jobs_total` | counter | `queue`, `outcome` | jobs |\n";
    expect(checkMetricsContract(readme, await registryMetrics(registry))).toEqual([
      "demo_jobs_total: exports no series, so its labels (outcome, queue) cannot be checked; make the test produce one",
    ]);
  });
});

describe("parseExposition", () => {
  it("reads /metrics text into the families and label sets of the registry's JSON", async () => {
    const registry = new Registry();
    const registers = [registry];
    new Counter({ name: "demo_jobs_total", help: "h", labelNames: ["queue"], registers }).inc({
      queue: 'a "quoted", {odd} one',
    });
    new Histogram({
      name: "demo_job_seconds",
      help: "h",
      labelNames: ["queue"],
      buckets: [1],
      registers,
    }).observe({ queue: "b" }, 2);
    new Gauge({ name: "demo_queue_depth", help: "h", registers }).set(1);
    const shape = (metrics: readonly ExportedMetric[]) =>
      metrics.map((m) => ({
        name: m.name,
        type: m.type,
        values: m.values.map((v) => ({ labels: { ...v.labels }, series: v.metricName ?? m.name })),
      }));
    const fromText = parseExposition(await registry.metrics());
    const fromJson = await registryMetrics(registry);
    // The JSON keeps numeric labels (le) as numbers; the text has strings.
    const normalise = (metrics: ReturnType<typeof shape>) =>
      metrics.map((m) => ({
        ...m,
        values: m.values.map((v) => ({
          ...v,
          labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])),
        })),
      }));
    expect(normalise(shape(fromText))).toEqual(normalise(shape(fromJson)));
    expect(fromText.find((m) => m.name === "demo_jobs_total")!.values[0]!.labels).toEqual({
      queue: 'a "quoted", {odd} one',
    });
  });
});
