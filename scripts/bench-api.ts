// Benchmark: GET /v1/candles for a full day (390 bars) under load, against the same query
// without HTTP; and the gzipped size of the web page's JavaScript.
// Usage: npm run bench:api -- [--connections 50] [--seconds 10]
import { parseArgs } from "node:util";
import { runApiBench } from "./lib/bench-api.js";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
  },
});
const r = await runApiBench({
  connections: Number(values.connections),
  seconds: Number(values.seconds),
  log: (line) => console.error(line),
});
const ms = (n: number) => `${n.toFixed(2)} ms`;
console.log(`database:  ${r.database}`);
console.log(
  `api:       ${Math.round(r.api.requestsPerSecond)} req/s, p50 ${ms(r.api.p50Ms)}, p99 ${ms(r.api.p99Ms)} (GET /v1/candles?date=, ${r.bars} bars; a closed day, served from memory)`,
);
console.log(
  `uncached:  ${Math.round(r.apiUncached.requestsPerSecond)} req/s, p50 ${ms(r.apiUncached.p50Ms)}, p99 ${ms(r.apiUncached.p99Ms)} (GET /v1/candles?from=&to=, same rows, database every time)`,
);
console.log(
  `ceiling:   ${Math.round(r.ceiling.requestsPerSecond)} queries/s, p50 ${ms(r.ceiling.p50Ms)}, p99 ${ms(r.ceiling.p99Ms)} (same SQL, same driver, no HTTP)`,
);
console.log(
  `ratio:     ${(r.ratio * 100).toFixed(1)} % of the ceiling (cached), ${(r.ratioUncached * 100).toFixed(1)} % (uncached)`,
);
console.log(`page JS:   ${(r.pageJsGzipBytes / 1024).toFixed(1)} KB gzipped`);
console.log(
  `targets:   >= 60 % ${r.ratioUncached >= 0.6 ? "met" : "NOT met"} (uncached), p99 < 25 ms ${r.api.p99Ms < 25 ? "met" : "NOT met"}, JS <= 200 KB ${r.pageJsGzipBytes <= 200 * 1024 ? "met" : "NOT met"}`,
);
