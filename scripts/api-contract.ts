// The API's contract checked by schemathesis against a local run: `npm run api:contract -- --help`.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkApiContract } from "./api-contract/check.js";
import { MissingToolError } from "./lib/go-build.js";

const USAGE = `Usage: npm run api:contract -- [options]

Starts the middle-tier on embedded defaults over a replayed session (PGlite, the in-process bus,
processing, analytics; nothing to install but Python 3), then runs schemathesis (installed once from
PyPI into the tool cache) against its /openapi.json: no server error, every answer in its documented
status, content type, schema and headers, 405 with Allow for other methods. Exits 1 on any finding.

Options:
  --max-examples <n>   test cases per operation and phase               [100]
  --seed <n>           schemathesis' seed, for a run that repeats another [1]
  --timeout <s>        stop schemathesis after this many seconds        [600]
  --report-dir <dir>   where the JUnit and JSON reports go    [test-results/api-contract]
  -h, --help           show this help`;

function usageError(message: string): never {
  console.error(`api-contract: ${message}\n(run with --help for usage)`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        "max-examples": { type: "string", default: "100" },
        seed: { type: "string", default: "1" },
        timeout: { type: "string", default: "600" },
        "report-dir": { type: "string", default: join("test-results", "api-contract") },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    return usageError((error as Error).message);
  }
}

function wholeNumber(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 1)
    usageError(`--${name}: a whole number ≥ 1, got "${value}"`);
  return n;
}

const values = parseCommandLine();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const maxExamples = wholeNumber("max-examples", values["max-examples"]);
const seed = wholeNumber("seed", values.seed);
const timeoutMs = wholeNumber("timeout", values.timeout) * 1000;
const reportDir = values["report-dir"];
const log = (line: string) => console.log(line);

try {
  const { passed } = await checkApiContract({ maxExamples, seed, timeoutMs, reportDir, log });
  process.exit(passed ? 0 : 1);
} catch (error) {
  if (!(error instanceof MissingToolError)) throw error;
  // As the test suites do: a notice outside CI, a failure in CI.
  if (process.env.CI === "true") {
    console.error(`api-contract: ${error.message}`);
    process.exit(1);
  }
  console.log(`api-contract: skipped: ${error.message}`);
}
