import type { Freshness, StatusResponse } from "../contracts.js";
import { formatExchangeTime } from "../time/exchange-time.js";

/** What the badge shows: `unknown` while the status cannot be read. */
export type BadgeLevel = Freshness | "unknown";

export interface BadgeContent {
  readonly level: BadgeLevel;
  /** The badge's text. */
  readonly label: string;
  /** The tooltip (and the text a screen reader finds beside the label). */
  readonly detail: string;
}

const LABELS: Record<BadgeLevel, string> = {
  fresh: "Data fresh",
  late: "Data late",
  stale: "Data stale",
  unknown: "Data status unknown",
};

/** A duration for people: `45 s`, `3 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/**
 * The badge for `status` as seen from the page showing `ticker`: the overall level,
 * and a tooltip with the age of that ticker's newest bar, the ticker furthest behind
 * when another one sets the level, and the session state.
 */
export function freshnessBadge(
  status: StatusResponse | undefined,
  ticker: string,
  error?: string,
): BadgeContent {
  if (!status) {
    const detail = error ? `The status could not be read: ${error}.` : "Reading the status…";
    return { level: "unknown", label: LABELS.unknown, detail };
  }
  const parts: string[] = [];
  const own = status.tickers.find((t) => t.ticker === ticker);
  parts.push(
    own
      ? `Newest ${ticker} bar ended ${formatAge(own.ageSeconds)} ago (${formatExchangeTime(own.lastBarEnd)} ET).`
      : `No ${ticker} bar in the last week.`,
  );
  const furthest = [...status.tickers].sort((a, b) => b.behindSeconds - a.behindSeconds)[0];
  if (furthest && furthest.ticker !== ticker && furthest.freshness !== "fresh") {
    parts.push(`Furthest behind: ${furthest.ticker}, ${formatAge(furthest.behindSeconds)}.`);
  }
  parts.push(
    status.market.open
      ? "Market open."
      : `Market closed; opens ${formatExchangeTime(status.market.nextOpen)} ET.`,
  );
  return { level: status.freshness, label: LABELS[status.freshness], detail: parts.join(" ") };
}
