/**
 * The metrics contract of a service: the `## Metrics` table of its README against
 * what its registry exports. Pure functions over text and prom-client's JSON shape
 * (`registry.getMetricsAsJSON()`), so that the rules can be shown to fail on broken
 * input without running a service.
 */

export const METRIC_TYPES = ["counter", "gauge", "histogram", "summary"] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

/** One row of a README's metrics table. */
export interface DocumentedMetric {
  readonly name: string;
  readonly type: MetricType;
  /** Label names, in the README's order. */
  readonly labels: readonly string[];
  /** 1-based line of the row in the README. */
  readonly line: number;
}

/** A metric family as prom-client's `getMetricsAsJSON()` gives it (the fields used here). */
export interface ExportedMetric {
  readonly name: string;
  readonly type: string;
  readonly values: readonly {
    readonly labels: Readonly<Record<string, string | number | undefined>>;
    readonly metricName?: string;
  }[];
}

/**
 * A prom-client registry's metrics in that shape. (Its typings declare `type` a
 * numeric enum; the objects carry the string, e.g. "counter".)
 */
export async function registryMetrics(registry: {
  getMetricsAsJSON(): Promise<readonly object[]>;
}): Promise<ExportedMetric[]> {
  return (await registry.getMetricsAsJSON()) as unknown as ExportedMetric[];
}

/** Metrics every prom-client registry with default metrics has; not part of a service's contract. */
export const DEFAULT_METRIC_PREFIXES = ["process_", "nodejs_"] as const;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Cells meaning "no labels". */
const NO_LABELS = new Set(["–", "-", ""]);
/** Labels a histogram or summary adds to its series by itself. */
const BUILT_IN_LABELS: Partial<Record<string, string>> = { histogram: "le", summary: "quantile" };

/** The cells of a Markdown table row (`|` escaped as `\|` stays in its cell). */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

/** The text of a single backticked cell, or undefined when the cell is not one. */
function code(cell: string): string | undefined {
  return /^`([^`]+)`$/.exec(cell)?.[1];
}

/**
 * The rows of the `## Metrics` section's table (header `metric | type | labels |
 * meaning`). A section without rows is valid (a service with no metrics). Throws,
 * naming the line, when the section is missing or a row is malformed.
 */
export function parseMetricsTable(readme: string): DocumentedMetric[] {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => /^## Metrics\s*$/.test(l));
  if (start < 0) throw new Error("no `## Metrics` section");
  let end = lines.findIndex((l, i) => i > start && /^#{1,2} /.test(l));
  if (end < 0) end = lines.length;

  const rows: DocumentedMetric[] = [];
  let inTable = false;
  for (let i = start + 1; i < end; i++) {
    const text = lines[i]!;
    const where = `line ${i + 1}`;
    if (!text.trim().startsWith("|")) {
      inTable = false;
      continue;
    }
    const row = cells(text);
    if (!inTable) {
      inTable = true;
      if (row.map((c) => c.toLowerCase()).join("|") !== "metric|type|labels|meaning")
        throw new Error(`${where}: the table's header must be | metric | type | labels | meaning |`);
      continue;
    }
    if (row.every((c) => /^:?-+:?$/.test(c))) continue; // the separator row
    if (row.length !== 4) throw new Error(`${where}: expected 4 cells, found ${row.length}`);
    const [nameCell, typeCell, labelsCell, meaning] = row as [string, string, string, string];
    const name = code(nameCell);
    if (!name || !METRIC_NAME.test(name))
      throw new Error(`${where}: the metric name must be one backticked name`);
    if (!(METRIC_TYPES as readonly string[]).includes(typeCell)) {
      throw new Error(
        `${where}: type of ${name} must be one of ${METRIC_TYPES.join(", ")}, not "${typeCell}"`,
      );
    }
    let labels: string[] = [];
    if (!NO_LABELS.has(labelsCell)) {
      if (!labelsCell.startsWith("`") || !labelsCell.endsWith("`")) {
        throw new Error(`${where}: labels of ${name} must be backticked (or – for none)`);
      }
      labels = labelsCell
        .replace(/`/g, "")
        .split(",")
        .map((l) => l.trim());
      const bad = labels.find((l) => !LABEL_NAME.test(l));
      if (bad !== undefined) throw new Error(`${where}: "${bad}" is not a label name`);
    }
    if (meaning === "") throw new Error(`${where}: ${name} has no meaning`);
    rows.push({ name, type: typeCell as MetricType, labels, line: i + 1 });
  }
  return rows;
}

/** Label names a family's series carry, without the ones its type adds (`le`, `quantile`). */
function exportedLabels(metric: ExportedMetric): string[] {
  const names = new Set<string>();
  for (const value of metric.values) for (const key of Object.keys(value.labels)) names.add(key);
  const builtIn = BUILT_IN_LABELS[metric.type];
  if (builtIn) names.delete(builtIn);
  return [...names].sort();
}

/**
 * What is wrong between a README and the metrics a service exports: every
 * documented metric must be exported with exactly the documented type and label
 * names, and every exported one (prom-client's default `process_*`/`nodejs_*` aside)
 * must be documented. Labels are read from the series, so a labelled metric must
 * have at least one. Returns one line per problem; none when they agree.
 */
export function checkMetricsContract(readme: string, exported: readonly ExportedMetric[]): string[] {
  let documented: DocumentedMetric[];
  try {
    documented = parseMetricsTable(readme);
  } catch (error) {
    return [`README: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const byName = new Map<string, DocumentedMetric>();
  for (const row of documented) {
    if (byName.has(row.name)) problems.push(`${row.name}: documented twice (line ${row.line})`);
    byName.set(row.name, row);
  }
  const own = exported.filter((m) => !DEFAULT_METRIC_PREFIXES.some((prefix) => m.name.startsWith(prefix)));
  const exportedByName = new Map(own.map((m) => [m.name, m]));

  for (const row of byName.values()) {
    const metric = exportedByName.get(row.name);
    if (!metric) {
      problems.push(`${row.name}: documented (line ${row.line}) but not exported`);
      continue;
    }
    if (metric.type !== row.type) {
      problems.push(`${row.name}: documented as ${row.type}, exported as ${metric.type}`);
    }
    const want = [...row.labels].sort();
    if (want.length > 0 && metric.values.length === 0) {
      problems.push(
        `${row.name}: exports no series, so its labels (${want.join(", ")}) cannot be checked; ` +
          "make the test produce one",
      );
      continue;
    }
    const have = exportedLabels(metric);
    if (want.join(",") !== have.join(",")) {
      problems.push(
        `${row.name}: documented labels (${want.join(", ") || "none"}), exported (${have.join(", ") || "none"})`,
      );
    }
  }
  for (const metric of own) {
    if (!byName.has(metric.name)) {
      problems.push(`${metric.name}: exported (${metric.type}) but not in the README's Metrics table`);
    }
  }
  return problems;
}

/** Reads one `{a="x",b="y"}` label set starting at `text[at] === "{"`; returns it and the index after `}`. */
function readLabels(text: string, at: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = at + 1;
  while (i < text.length && text[i] !== "}") {
    const eq = text.indexOf("=", i);
    const name = text.slice(i, eq).trim();
    if (text[eq + 1] !== '"') throw new Error(`label ${name}: value must be quoted`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const next = text[++j];
        value += next === "n" ? "\n" : (next ?? "");
      } else value += text[j];
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
  }
  return [labels, i + 1];
}

/**
 * Parses the Prometheus text exposition format (what `/metrics` answers) into the
 * JSON shape of prom-client's `getMetricsAsJSON()`: one family per `# TYPE`, each
 * sample under its family (`_bucket`, `_sum`, `_count` of histograms and summaries).
 */
export function parseExposition(text: string): ExportedMetric[] {
  const families = new Map<
    string,
    { name: string; type: string; values: ExportedMetric["values"][number][] }
  >();
  const familyOf = (sample: string) => {
    if (families.has(sample)) return families.get(sample);
    for (const suffix of ["_bucket", "_sum", "_count"]) {
      const base = sample.endsWith(suffix) ? families.get(sample.slice(0, -suffix.length)) : undefined;
      if (base && (base.type === "histogram" || base.type === "summary")) return base;
    }
    return undefined;
  };
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      families.set(type[1]!, { name: type[1]!, type: type[2]!, values: [] });
      continue;
    }
    if (line.startsWith("#") || line.trim() === "") continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name) throw new Error(`not a sample line: ${line}`);
    const labels = line[name.length] === "{" ? readLabels(line, name.length)[0] : {};
    const family = familyOf(name) ?? { name, type: "untyped", values: [] };
    if (!families.has(family.name)) families.set(family.name, family);
    family.values.push(name === family.name ? { labels } : { labels, metricName: name });
  }
  return [...families.values()];
}
