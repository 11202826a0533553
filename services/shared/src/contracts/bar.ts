import { z } from "zod";
import { instantField, priceField, tickerField } from "./fields.js";

/** One-minute OHLCV bar: the message of `market.candles.1m.v1`. */
export const barSchema = z
  .object({
    ticker: tickerField,
    /** Bar start (inclusive), a whole UTC minute. */
    start: instantField.refine((s) => Date.parse(s) % 60_000 === 0, "must be a whole minute"),
    open: priceField,
    high: priceField,
    low: priceField,
    close: priceField,
    volume: z.number().int().nonnegative("must be a non-negative integer"),
    /** Which source produced the bar (`replay`, `polygon`, `finnhub`). */
    source: z.string().min(1).max(32),
  })
  .strict()
  .superRefine((bar, ctx) => {
    if (bar.high < bar.low) ctx.addIssue({ code: "custom", path: ["high"], message: "high is below low" });
    if (bar.high < Math.max(bar.open, bar.close))
      ctx.addIssue({ code: "custom", path: ["high"], message: "high is below open or close" });
    if (bar.low > Math.min(bar.open, bar.close))
      ctx.addIssue({ code: "custom", path: ["low"], message: "low is above open or close" });
  });

export type Bar = z.infer<typeof barSchema>;
