import { freshnessBadge } from "./freshness-badge.js";
import { useStatus } from "./use-status.js";

/**
 * How current the stored data is, from `/v1/status` (read every 15 s): green fresh,
 * amber late, red stale, grey while unknown. The level is a polite live region (it
 * changes rarely); the details (ages, which change at every read) are in the tooltip
 * and in text for screen readers beside it, outside the live region.
 */
export function FreshnessBadge({ ticker }: { ticker: string }) {
  const reading = useStatus();
  const { level, label, detail } = freshnessBadge(
    reading.status === "ready" ? reading.data : undefined,
    ticker,
    reading.status === "error" ? reading.message : undefined,
  );
  return (
    <span className={`freshness freshness--${level}`} title={detail} data-freshness={level}>
      <span role="status">{label}</span>
      <span className="visually-hidden">: {detail}</span>
    </span>
  );
}
