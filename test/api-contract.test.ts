// The pieces of `npm run api:contract` that do not need schemathesis: its pinned requirements and the
// verdict read from schemathesis' JSON run report.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeFigures, passes, readContractFigures } from "../scripts/api-contract/report.js";
import { schemathesisVersion } from "../scripts/api-contract/schemathesis.js";

const REQUIREMENTS = readFileSync(
  new URL("../scripts/api-contract/requirements.txt", import.meta.url),
  "utf8",
);

describe("the schemathesis requirements", () => {
  it("pin one schemathesis version, the cache folder's name", () => {
    expect(schemathesisVersion(REQUIREMENTS)).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("pin every package to one version with at least one hash, for pip --require-hashes", () => {
    const entries = REQUIREMENTS.split(/\n(?=[a-z])/).filter((entry) => /^[a-z]/.test(entry));
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) {
      expect(entry, entry.split("\n")[0]).toMatch(/^[a-z0-9-]+==[^\s]+ \\\n\s+--hash=sha256:[0-9a-f]{64}/);
    }
  });

  it("refuse a file without schemathesis", () => {
    expect(() => schemathesisVersion("hypothesis==6.0.0\n")).toThrow(/no schemathesis==<version> line/);
  });
});

describe("the verdict of a run", () => {
  const report = (overrides: Record<string, unknown> = {}) => ({
    schemathesis_version: "4.32.5",
    complete: true,
    operations: { total: 12, selected: 12, tested: 12 },
    test_cases: { generated: 997, with_failures: 0, unique_failures: 0, errored: 0 },
    errors: [],
    ...overrides,
  });

  async function figuresOf(content: object) {
    const dir = await mkdtemp(join(tmpdir(), "api-contract-"));
    try {
      await writeFile(join(dir, "json-20261203T124109Z.json"), JSON.stringify(content));
      return await readContractFigures(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("passes a complete run of every operation without a finding, and says its figures", async () => {
    const figures = await figuresOf(report());
    expect(passes(figures)).toBe(true);
    expect(describeFigures(figures)).toBe(
      "schemathesis 4.32.5: 12/12 operations, 997 test cases, 0 findings",
    );
  });

  it.each([
    ["a failure", { test_cases: { generated: 653, unique_failures: 12, errored: 0 } }, "12 findings"],
    ["an errored case", { test_cases: { generated: 607, unique_failures: 0, errored: 1 } }, "1 findings"],
    ["a run error", { errors: [{ message: "schema not loaded" }] }, "1 findings"],
    ["an operation not tested", { operations: { total: 12, tested: 11 } }, "11/12 operations"],
    ["a run stopped early", { complete: false }, "(incomplete: stopped before the end)"],
  ])("fails a run with %s", async (_case, overrides, said) => {
    const figures = await figuresOf(report(overrides));
    expect(passes(figures)).toBe(false);
    expect(describeFigures(figures)).toContain(said);
  });

  it("says so when schemathesis wrote no report", async () => {
    const dir = await mkdtemp(join(tmpdir(), "api-contract-"));
    await expect(readContractFigures(dir)).rejects.toThrow(/no JSON run report/);
    await rm(dir, { recursive: true, force: true });
  });
});
