import { z } from "zod";

/** What a dead-letter topic carries: the original bytes and why they were refused. */
export const deadLetterSchema = z
  .object({
    /** Topic the message was read from. */
    topic: z.string(),
    partition: z.number().int().nonnegative(),
    offset: z.string(),
    key: z.string().nullable(),
    /** Human-readable reasons, each naming the offending field. */
    reason: z.string(),
    /** The original value, as UTF-8 text when it decodes, else base64. */
    payload: z.string(),
    payloadEncoding: z.enum(["utf8", "base64"]),
    failedAt: z.iso.datetime(),
  })
  .strict();

export type DeadLetter = z.infer<typeof deadLetterSchema>;

/**
 * The short, fixed category of a dead letter: the `reason` label of
 * `processing_dead_letters_total` and the `reason` column of table `dead_letters`
 * (the dead-letter message keeps the full text).
 * - `undecodable`: no value (a tombstone) or not JSON;
 * - `schema`: JSON that does not fit the topic's schema (a missing, extra or
 *   mistyped field, a value out of range, a malformed ticker or instant);
 * - `sanity`: fits the schema but breaks a rule across fields (high below low, high
 *   below open or close, low above them, a bar start that is not a whole minute);
 * - `future_instant`: its instant is more than 5 minutes ahead of the clock;
 * - `database_rejected`: PostgreSQL refused to store it;
 * - `analytics_rejected`: the analytics service refused the article for good (a 4xx).
 */
export const DEAD_LETTER_REASONS = [
  "undecodable",
  "schema",
  "sanity",
  "future_instant",
  "database_rejected",
  "analytics_rejected",
] as const;

export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];
