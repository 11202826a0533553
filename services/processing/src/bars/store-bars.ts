import type { Bar, PoolClient } from "@hdp/shared";
import { EMA_PERIOD, emaSeries, seedFromPrior } from "./ema.js";

/** A bar row as stored, EMA included. */
interface StoredBar {
  readonly start: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly source: string;
  readonly ema9: number | null;
}

export interface StoreBarsResult {
  /** Rows inserted or changed (bars and EMA recomputations). 0 when the batch was already stored. */
  readonly rowsWritten: number;
  /**
   * The batch's bars that were new or whose values (OHLCV, source) changed, one per
   * ticker and minute; a replayed bar, or one whose only change is a recomputed EMA9,
   * is not among them.
   */
  readonly stored: readonly Pick<Bar, "ticker" | "start" | "source">[];
}

/** Groups bars by ticker, keeps the last of duplicate minutes, sorts by time. */
function groupByTicker(bars: readonly Bar[]): Map<string, Map<string, Bar>> {
  const groups = new Map<string, Map<string, Bar>>();
  for (const bar of bars) {
    // The contract allows any ISO 8601 UTC form; compare minutes in one canonical form.
    const start = bar.start.length === 24 ? bar.start : new Date(bar.start).toISOString();
    let group = groups.get(bar.ticker);
    if (!group) groups.set(bar.ticker, (group = new Map()));
    group.set(start, start === bar.start ? bar : { ...bar, start });
  }
  return groups;
}

/** The smallest of ISO instants in one canonical form (they sort as text). */
function earliest(starts: Iterable<string>): string {
  let min: string | undefined;
  for (const start of starts) if (min === undefined || start < min) min = start;
  return min!;
}

/** The minutes of a ticker in time order: the stored ones from the earliest incoming on, and the incoming. */
function seriesStarts(
  stored: ReadonlyMap<string, unknown>,
  incoming: ReadonlyMap<string, unknown>,
): string[] {
  // The usual case, a stream in order with nothing stored after it, needs no merge and no sort.
  if (stored.size === 0) {
    const starts = [...incoming.keys()];
    for (let i = 1; i < starts.length; i++) if (starts[i - 1]! >= starts[i]!) return starts.sort();
    return starts;
  }
  return [...new Set([...stored.keys(), ...incoming.keys()])].sort();
}

function sameValues(a: StoredBar, b: StoredBar): boolean {
  return (
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.source === b.source
  );
}

function sameBar(a: StoredBar, b: StoredBar): boolean {
  return sameValues(a, b) && a.ema9 === b.ema9;
}

interface PriorRow {
  ticker: string;
  close: number;
  ema9: number | null;
}

interface LaterRow extends Omit<StoredBar, "start"> {
  ticker: string;
  start_at: Date;
}

/**
 * Stores bars idempotently and keeps EMA9 right: for every ticker in the batch,
 * EMA9 is recomputed from the batch's earliest bar onward (so a late or
 * out-of-order bar corrects every later bar), seeded from the bars just before.
 * Only rows whose values change are written; a replayed batch writes nothing.
 * Runs inside the caller's transaction.
 */
export async function storeBars(client: PoolClient, bars: readonly Bar[]): Promise<StoreBarsResult> {
  const groups = groupByTicker(bars);
  if (groups.size === 0) return { rowsWritten: 0, stored: [] };
  const tickers = [...groups.keys()].sort();
  const since = tickers.map((t) => earliest(groups.get(t)!.keys()));

  // One writer per ticker at a time, even while a consumer group rebalances.
  await client.query("SELECT pg_advisory_xact_lock(hashtext(t)) FROM unnest($1::text[]) AS t ORDER BY t", [
    tickers,
  ]);

  const prior = await client.query<PriorRow>(
    `SELECT s.ticker, b.close, b.ema9
       FROM unnest($1::text[], $2::timestamptz[]) AS s(ticker, since)
       CROSS JOIN LATERAL (
         SELECT start_at, close, ema9 FROM bars
          WHERE bars.ticker = s.ticker AND bars.start_at < s.since
          ORDER BY start_at DESC LIMIT ${EMA_PERIOD}
       ) b
      ORDER BY s.ticker, b.start_at`,
    [tickers, since],
  );
  const later = await client.query<LaterRow>(
    `SELECT b.ticker, b.start_at, b.open, b.high, b.low, b.close, b.volume, b.source, b.ema9
       FROM unnest($1::text[], $2::timestamptz[]) AS s(ticker, since)
       JOIN bars b ON b.ticker = s.ticker AND b.start_at >= s.since
      ORDER BY b.ticker, b.start_at`,
    [tickers, since],
  );

  const priorByTicker = new Map<string, PriorRow[]>();
  for (const row of prior.rows) {
    const list = priorByTicker.get(row.ticker) ?? [];
    list.push(row);
    priorByTicker.set(row.ticker, list);
  }
  const existing = new Map<string, Map<string, StoredBar>>();
  for (const row of later.rows) {
    const start = row.start_at.toISOString();
    let map = existing.get(row.ticker);
    if (!map) existing.set(row.ticker, (map = new Map()));
    map.set(start, { ...row, start });
  }

  const writes: (StoredBar & { ticker: string })[] = [];
  const stored: Pick<Bar, "ticker" | "start" | "source">[] = [];
  for (const ticker of tickers) {
    const incoming = groups.get(ticker)!;
    const before = existing.get(ticker) ?? new Map<string, StoredBar>();
    const starts = seriesStarts(before, incoming);
    const series = starts.map((start) => incoming.get(start) ?? before.get(start)!);
    const emas = emaSeries(
      seedFromPrior(priorByTicker.get(ticker) ?? []),
      series.map((b) => b.close),
    );
    for (let i = 0; i < series.length; i++) {
      const bar = series[i]!;
      const next = {
        ticker,
        start: bar.start,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        source: bar.source,
        ema9: emas[i] ?? null,
      };
      const old = before.get(bar.start);
      if (!old || !sameBar(old, next)) writes.push(next);
      if (incoming.has(bar.start) && (!old || !sameValues(old, next))) {
        stored.push({ ticker, start: bar.start, source: bar.source });
      }
    }
  }
  if (writes.length === 0) return { rowsWritten: 0, stored };

  // One JSON parameter instead of nine arrays: JSON.stringify is far cheaper than array literals.
  const result = await client.query(
    `INSERT INTO bars AS b (ticker, start_at, open, high, low, close, volume, source, ema9)
     SELECT ticker, start, open, high, low, close, volume, source, ema9
       FROM json_to_recordset($1::json) AS r(ticker text, start timestamptz, open float8, high float8, low float8,
                                             close float8, volume int8, source text, ema9 float8)
     ON CONFLICT (ticker, start_at) DO UPDATE
        SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
            volume = excluded.volume, source = excluded.source, ema9 = excluded.ema9
      WHERE (b.open, b.high, b.low, b.close, b.volume, b.source, b.ema9)
            IS DISTINCT FROM
            (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, excluded.source, excluded.ema9)`,
    [JSON.stringify(writes)],
  );
  return { rowsWritten: result.rowCount ?? 0, stored };
}
