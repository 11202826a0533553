import type { TickerSummary } from "../contracts.js";

/** A price with two decimals: `189.20`. */
export function formatPrice(price: number): string {
  return price.toFixed(2);
}

/** The day's change as text (`+1.25 (+0.66%)`) and its direction, which sets the colour. */
export function formatChange(ticker: Pick<TickerSummary, "change" | "changePercent">): {
  text: string;
  direction: "up" | "down" | "flat";
} {
  const { change, changePercent } = ticker;
  if (change === null) return { text: "no previous close", direction: "flat" };
  const sign = change > 0 ? "+" : "";
  const percent = changePercent === null ? "" : ` (${sign}${changePercent.toFixed(2)}%)`;
  return {
    text: `${sign}${change.toFixed(2)}${percent}`,
    direction: change > 0 ? "up" : change < 0 ? "down" : "flat",
  };
}
