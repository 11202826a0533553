// Benchmark: GET /v1/candles and GET /marketData/oneMinute for a full day (390 bars) under load,
// each against its own query without HTTP; and the gzipped size of the web page's JavaScript.
// Usage: npm run bench:api -- [--connections 50] [--seconds 10]
import { parseArgs } from "node:util";
import { runApiBench, type LatencyFigures } from "./lib/bench-api.js";

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
const figures = (f: LatencyFigures, unit: string) =>
  `${Math.round(f.requestsPerSecond)} ${unit}/s, p50 ${ms(f.p50Ms)}, p99 ${ms(f.p99Ms)}`;
const met = (ok: boolean) => (ok ? "met" : "NOT met");
console.log(`database:      ${r.database}, ${r.bars} bars`);
for (const route of r.routes) {
  console.log(route.route);
  console.log(`  closed day:  ${figures(route.cached, "req")} (${route.cachedRequest})`);
  console.log(
    `  uncached:    ${figures(route.uncached, "req")} (${route.uncachedRequest}: the database every time)`,
  );
  console.log(`  ceiling:     ${figures(route.ceiling, "queries")} (same SQL, same driver, no HTTP)`);
  console.log(
    `  ratio:       ${(route.ratio * 100).toFixed(1)} % of the ceiling (closed day), ${(route.ratioUncached * 100).toFixed(1)} % (uncached)`,
  );
  console.log(
    `  targets:     p99 < 25 ms ${met(route.cached.p99Ms < 25)} (closed day), >= 60 % ${met(route.ratioUncached >= 0.6)} (uncached)`,
  );
}
console.log(`page JS:       ${(r.pageJsGzipBytes / 1024).toFixed(1)} KB gzipped`);
console.log(`target:        JS <= 200 KB ${met(r.pageJsGzipBytes <= 200 * 1024)}`);
