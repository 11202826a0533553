import type { FastifyReply, FastifyRequest } from "fastify";
import type { IsoDate } from "@hdp/shared";
import { cacheControlForDay, CACHE_CLOSED_DAY } from "./cache.js";
import { ClosedDayCache } from "./closed-day-cache.js";
import type { RecordCacheLookup } from "./metrics/metrics.js";
import { PreparedAnswer, sendJsonText, sendPrepared } from "./prepared-answer.js";

/**
 * How long (real time) an answer for a closed session is reused: late corrections show within this
 * time. Real time, not the service's clock: a replay's clock stands still outside its session.
 */
export const CLOSED_DAY_TTL_MS = 30_000;

/** Closed-day answers kept per route, the oldest dropped first beyond this. */
const MAX_KEPT_ANSWERS = 1_000;

/**
 * The answer path of a route that answers one exchange day as JSON text (`/v1/candles?date=`,
 * `/marketData/oneMinute?date=`). A day that is final (`cacheControlForDay` says so: its session
 * over on the service's clock and its stored bars reaching the close) is kept in
 * memory as prepared bytes, with an entity tag and a gzip copy, and sent again without the
 * database for `CLOSED_DAY_TTL_MS`; a day still open goes out as it is, `no-cache`, every time.
 * Only an answer for a day the request names is kept (`key`): without one, the day is found
 * in the database anyway.
 */
export class ClosedDayAnswers {
  private readonly kept: ClosedDayCache<PreparedAnswer>;
  private readonly now: () => Date;
  private readonly record: RecordCacheLookup;

  constructor(options: { readonly now: () => Date; readonly record: RecordCacheLookup }) {
    this.now = options.now;
    this.record = options.record;
    this.kept = new ClosedDayCache<PreparedAnswer>({
      ttlMs: CLOSED_DAY_TTL_MS,
      maxEntries: MAX_KEPT_ANSWERS,
      onLookup: (result) => this.record("closed_day", result),
    });
  }

  /** Sends the answer kept for `key` and answers the reply; undefined when none is kept. */
  sendKept(request: FastifyRequest, reply: FastifyReply, key: string | undefined): FastifyReply | undefined {
    const answer = key === undefined ? undefined : this.kept.get(key);
    if (answer === undefined) return undefined;
    reply.header("cache-control", CACHE_CLOSED_DAY);
    return sendPrepared(request, reply, answer, this.record);
  }

  /**
   * Sends `text`, the answer for exchange day `day` whose newest bar starts at `lastBarStart`
   * (read with it), with that day's `Cache-Control`; keeps it for `key` when the day is final.
   * The bytes kept are those sent now.
   */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    answer: {
      readonly day: IsoDate;
      readonly key: string | undefined;
      readonly text: string;
      readonly lastBarStart: Date | undefined;
    },
  ): FastifyReply {
    const { day, key, text, lastBarStart } = answer;
    const cacheControl = cacheControlForDay(day, this.now(), lastBarStart);
    reply.header("cache-control", cacheControl);
    if (key === undefined || cacheControl !== CACHE_CLOSED_DAY) return sendJsonText(reply, text);
    const prepared = new PreparedAnswer(text);
    this.kept.set(key, prepared);
    return sendPrepared(request, reply, prepared, this.record);
  }
}
