import { setImmediate as yieldToCaller, setTimeout as sleep } from "node:timers/promises";
import {
  EXCHANGE_TIME_ZONE,
  TOPICS,
  closureReason,
  exchangeDate,
  latestTradingDays,
  previousTradingDay,
  sessionFor,
  type IsoDate,
  type TradingSession,
} from "@hdp/shared";
import { newsWindowFor, runBackfill, runMarketOnce, runNewsOnce, type JobContext } from "@hdp/ingestion";
import type { ProcessingMetrics } from "@hdp/processing";

/** What is replayed: `day` plays as today, `backfill` is stored first. */
export interface ReplayPlan {
  readonly day: IsoDate;
  readonly session: TradingSession;
  /** Trading days before `day`, oldest first. */
  readonly backfill: readonly IsoDate[];
  /** Why `day` is not the calendar date of `now`, when it is not. */
  readonly note: string | undefined;
}

export const MINUTE_MS = 60_000;
/** Shortest real wait between two replay steps, whatever the speed. */
const MIN_STEP_MS = 100;
/** Replay minutes between two progress lines, or a multiple of them at high speeds. */
const REPORT_EVERY_MINUTES = 15;
/** Real seconds between two progress lines, at least. */
const REPORT_EVERY_SECONDS = 4;

/**
 * The day replayed as today at `now` and the days before it: today once its
 * session has opened, otherwise the latest trading day (a weekend, a holiday, or
 * before the open).
 */
export function planReplay(now: Date, backfillDays: number): ReplayPlan {
  const [day] = latestTradingDays(1, now) as [IsoDate];
  const backfill: IsoDate[] = [];
  for (let d = day; backfill.length < backfillDays;) backfill.unshift((d = previousTradingDay(d)));
  const today = exchangeDate(now);
  const reason = closureReason(today);
  const note =
    day === today
      ? undefined
      : `${today} ${reason ? `is closed (${reason})` : "has not opened yet"}; replaying ${day}, the latest session`;
  return { day, session: sessionFor(day) as TradingSession, backfill, note };
}

/** `HH:MM` in New York. */
export function exchangeClock(instant: Date): string {
  return instant.toLocaleTimeString("en-GB", { timeZone: EXCHANGE_TIME_ZONE, timeStyle: "short" });
}

/** A count with thousands separators. */
const n = (x: number) => x.toLocaleString("en-US");

/** Messages processing stored so far, by kind. */
async function storedSummary(metrics: ProcessingMetrics): Promise<string> {
  const messages = (await metrics.messages.get()).values;
  const stored = (topic: string) =>
    messages.find((v) => v.labels.topic === topic && v.labels.outcome === "stored")?.value ?? 0;
  const scored = (await metrics.articlesScored.get()).values[0]?.value ?? 0;
  return `stored ${n(stored(TOPICS.bars))} bars, ${n(stored(TOPICS.news))} articles (${n(scored)} scored)`;
}

/**
 * The exchange clock of a replay: today's session open until today starts playing
 * (the backfill comes first), then running at `speed` from the open, never past the
 * close or the real clock. The local run's API reads the time from it, so that what it
 * reports (the session state, the age of the newest bar) is the replay's, not the wall's.
 */
export class ReplayClock {
  private startedAt: number | undefined;

  constructor(
    private readonly session: TradingSession,
    readonly speed: number,
  ) {}

  /** Starts the session's clock (once). */
  start(): void {
    this.startedAt ??= Date.now();
  }

  /** The replay's current instant. */
  now(): Date {
    const [open, close] = [this.session.open.getTime(), this.session.close.getTime()];
    if (this.startedAt === undefined) return new Date(Math.min(open, Date.now()));
    return new Date(Math.min(open + (Date.now() - this.startedAt) * this.speed, close, Date.now()));
  }

  /** Whether the accelerated clock has caught up with the real one (the session plays live). */
  isLive(): boolean {
    if (this.startedAt === undefined) return false;
    const accelerated = this.session.open.getTime() + (Date.now() - this.startedAt) * this.speed;
    return Date.now() < Math.min(accelerated, this.session.close.getTime());
  }
}

export interface ReplayRun {
  readonly context: JobContext;
  readonly plan: ReplayPlan;
  readonly clock: ReplayClock;
  readonly now: Date;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  /** Processing's metrics now (processing may be restarted during the run). */
  readonly metrics: () => ProcessingMetrics;
}

/**
 * Publishes today's bars and news as a simulated clock runs from the open to the
 * close at `speed`. The clock never passes the real one: processing refuses
 * instants in the future, so a session in progress plays fast up to the present,
 * then live.
 */
async function playToday(run: ReplayRun): Promise<void> {
  const { context, plan, clock: replayClock, signal, log } = run;
  const { speed } = replayClock;
  const { session } = plan;
  const newsFrom = newsWindowFor(plan.day).from.getTime();
  replayClock.start();
  const [open, close] = [session.open.getTime(), session.close.getTime()];
  let [bars, articles, reported, live] = [0, 0, open, false];
  const realMinutes = (close - open) / speed / MINUTE_MS;
  const period =
    REPORT_EVERY_MINUTES * MINUTE_MS * Math.ceil((speed * REPORT_EVERY_SECONDS) / 60 / REPORT_EVERY_MINUTES);
  log(
    `replay: playing ${plan.day} from ${exchangeClock(session.open)} New York, ${realMinutes.toFixed(1)} min for the session`,
  );
  while (!signal.aborted) {
    const now = replayClock.now();
    const clock = now.getTime();
    const market = await runMarketOnce(context, { now, minutes: (close - open) / MINUTE_MS });
    if (market.status === "ran") bars += market.published;
    articles += (await runNewsOnce(context, { now, lookbackMinutes: (clock - newsFrom) / MINUTE_MS }))
      .published;
    if (!live && replayClock.isLive()) {
      live = true;
      log(`replay: caught up with the clock at ${exchangeClock(now)} New York; following it live`);
    }
    if (Math.floor((clock - open) / period) > Math.floor((reported - open) / period) || clock >= close) {
      reported = clock;
      const minute = `${Math.round((clock - open) / MINUTE_MS)}/${(close - open) / MINUTE_MS}`;
      log(
        `replay: ${plan.day} ${exchangeClock(now)} New York (minute ${minute}), published ${n(bars)} bars, ` +
          `${n(articles)} articles; ${await storedSummary(run.metrics())}`,
      );
    }
    if (clock >= close) return;
    await sleep(Math.max(MIN_STEP_MS, MINUTE_MS / speed), undefined, { signal }).catch(() => undefined);
  }
}

/** The backfill, then today's session. */
export async function replay(run: ReplayRun): Promise<void> {
  // Let the caller print its banner before the first progress line.
  await yieldToCaller();
  if (run.signal.aborted) return;
  const { plan, log } = run;
  const first = plan.backfill[0];
  const last = plan.backfill.at(-1);
  if (first && last) {
    const started = performance.now();
    const result = await runBackfill(run.context, { from: first, to: last, now: run.now, onProgress: log });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(
      `backfill: published ${n(result.bars)} bars and ${n(result.articles)} articles of ` +
        `${result.days} trading day${result.days === 1 ? "" : "s"} in ${seconds} s`,
    );
    if (result.failures.length > 0) throw new Error(`backfill: ${result.failures.length} fetches failed`);
  }
  await playToday(run);
}
