import type { z } from "zod";
import { ValidationError } from "../errors/errors.js";
import { articleSchema, type Article } from "./article.js";
import type { DeadLetterReason } from "./dead-letter.js";
import { barSchema, type Bar } from "./bar.js";
import { sensorReadingSchema, type SensorReading } from "./sensor-reading.js";
import { TOPICS, type DataTopic } from "./topics.js";

/** The message type carried by each data topic. */
export interface TopicMessages {
  [TOPICS.bars]: Bar;
  [TOPICS.news]: Article;
  [TOPICS.sensors]: SensorReading;
}

/** How far in the future a message's instant may be before it is refused as clock skew or a bug. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

interface TopicContract<T> {
  readonly schema: z.ZodType<T>;
  /** Kafka key: messages with one key stay in order. */
  readonly key: (message: T) => string;
  /** The instant checked against the clock. */
  readonly instant: (message: T) => string;
  readonly instantField: string;
}

const CONTRACTS: { readonly [T in DataTopic]: TopicContract<TopicMessages[T]> } = {
  [TOPICS.bars]: { schema: barSchema, key: (m) => m.ticker, instant: (m) => m.start, instantField: "start" },
  [TOPICS.news]: {
    schema: articleSchema,
    key: (m) => m.id,
    instant: (m) => m.publishedAt,
    instantField: "publishedAt",
  },
  [TOPICS.sensors]: {
    schema: sensorReadingSchema,
    key: (m) => m.device,
    instant: (m) => m.at,
    instantField: "at",
  },
};

/** Why a message was refused, as a category (see DEAD_LETTER_REASONS). */
export type DecodeFailure = Extract<DeadLetterReason, "undecodable" | "schema" | "sanity" | "future_instant">;

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly category: DecodeFailure };

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || "(message)"}: ${issue.message}`);
}

/** Checks a value against the topic's schema and sanity rules. */
export function validateMessage<T extends DataTopic>(
  topic: T,
  value: unknown,
  now: number = Date.now(),
): Decoded<TopicMessages[T]> {
  const contract = CONTRACTS[topic] as TopicContract<TopicMessages[T]>;
  const parsed = contract.schema.safeParse(value);
  if (!parsed.success) {
    // Refinements (`custom` issues) are the rules across fields; every other issue is the schema's.
    const category = parsed.error.issues.every((issue) => issue.code === "custom") ? "sanity" : "schema";
    return { ok: false, reason: describeIssues(parsed.error).join("; "), category };
  }
  const instant = Date.parse(contract.instant(parsed.data));
  if (instant > now + MAX_FUTURE_SKEW_MS) {
    return {
      ok: false,
      reason: `${contract.instantField}: is in the future (more than 5 minutes ahead)`,
      category: "future_instant",
    };
  }
  return { ok: true, value: parsed.data };
}

/** Parses raw message bytes as JSON and validates them. Never throws. */
export function decodeMessage<T extends DataTopic>(
  topic: T,
  raw: Buffer | string | null,
  now: number = Date.now(),
): Decoded<TopicMessages[T]> {
  if (raw === null)
    return { ok: false, reason: "(message): value is empty (tombstone)", category: "undecodable" };
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
  } catch (error) {
    return {
      ok: false,
      reason: `(message): not JSON (${(error as Error).message})`,
      category: "undecodable",
    };
  }
  return validateMessage(topic, value, now);
}

/** Validates and serialises a message; throws ValidationError on a bad value. */
export function encodeMessage<T extends DataTopic>(
  topic: T,
  value: TopicMessages[T],
  now: number = Date.now(),
): { key: string; value: string } {
  const checked = validateMessage(topic, value, now);
  if (!checked.ok) throw new ValidationError([`${topic}: ${checked.reason}`]);
  const contract = CONTRACTS[topic] as TopicContract<TopicMessages[T]>;
  return { key: contract.key(checked.value), value: JSON.stringify(checked.value) };
}

/** The Kafka key of a message of `topic`. */
export function messageKey<T extends DataTopic>(topic: T, value: TopicMessages[T]): string {
  return (CONTRACTS[topic] as TopicContract<TopicMessages[T]>).key(value);
}
