import type { UTCTimestamp } from "lightweight-charts";
import { EXCHANGE_TIME_ZONE } from "../calendar.js";

const wallClockParts = new Intl.DateTimeFormat("en-US", {
  timeZone: EXCHANGE_TIME_ZONE,
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  hourCycle: "h23",
});

/**
 * lightweight-charts labels its time axis in UTC. To make the axis read New York
 * wall-clock time, each instant is shifted by the exchange's UTC offset at that
 * instant (so EST and EDT days both read 09:30 at the open).
 */
export function toExchangeChartTime(instant: string | Date): UTCTimestamp {
  const parts = wallClockParts.formatToParts(typeof instant === "string" ? new Date(instant) : instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wallClock = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return (wallClock / 1000) as UTCTimestamp;
}

const newsTimeFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: EXCHANGE_TIME_ZONE,
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** `Nov 21, 14:05` in New York time, for news timestamps. */
export function formatExchangeTime(instant: string): string {
  return newsTimeFormat.format(new Date(instant));
}
