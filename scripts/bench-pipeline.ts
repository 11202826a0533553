// Benchmark: bars produced into a real Kafka broker, consumed by processing into PostgreSQL.
// Usage: npm run bench:pipeline -- [--bars 600000] [--tickers 100] [--ceiling-batch 2000]
// (600,000 bars by default so that the consumer's start and group join weigh little in the whole-run rate)
import { parseArgs } from "node:util";
import { runPipelineBench } from "./lib/bench-pipeline.js";

const { values } = parseArgs({
  options: {
    bars: { type: "string", default: "600000" },
    tickers: { type: "string", default: "100" },
    "ceiling-batch": { type: "string", default: "2000" },
  },
});
const r = await runPipelineBench({
  bars: Number(values.bars),
  tickers: Number(values.tickers),
  ceilingBatch: Number(values["ceiling-batch"]),
  log: (line) => console.error(line),
});
const rate = (n: number) => `${Math.round(n).toLocaleString("en-US")} bars/s`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
console.log(`database:   ${r.database}`);
console.log(`bars:       ${r.bars} (produced in ${r.produceSeconds.toFixed(2)} s)`);
console.log(`pipeline:   ${rate(r.steadyBarsPerSecond)} steady (Kafka -> validation -> EMA9 -> PostgreSQL)`);
console.log(
  `            ${rate(r.pipelineBarsPerSecond)} whole run, incl. ${r.startupSeconds.toFixed(2)} s consumer start and group join`,
);
console.log(
  `ceiling:    ${rate(r.ceilingBarsPerSecond)} (same rows, one multi-row insert per batch, no Kafka)`,
);
console.log(`ratio:      ${pct(r.ratio)} steady, ${pct(r.ratioWithStartup)} whole run`);
console.log(
  `targets:    >= 20,000 bars/s ${r.steadyBarsPerSecond >= 20_000 ? "met" : "NOT met"}, >= 50 % of ceiling ${r.ratio >= 0.5 ? "met" : "NOT met"} (steady)`,
);
