import {
  type DeadLetter,
  type DeadLetterReason,
  type IncomingMessage,
  type OutgoingMessage,
  type PoolClient,
} from "@hdp/shared";

/** A message processing could not use, with why. */
export interface ParkedMessage {
  readonly message: IncomingMessage;
  /** The short category: metric label and `dead_letters.reason`. */
  readonly category: DeadLetterReason;
  /** The full, human-readable reason, naming the offending field. */
  readonly reason: string;
  readonly failedAt: Date;
}

/** Builds the dead-letter record of a message: its coordinates, the reason and the original bytes. */
export function toDeadLetter(parked: ParkedMessage): OutgoingMessage {
  const { message } = parked;
  const bytes = message.value ?? Buffer.alloc(0);
  const text = bytes.toString("utf8");
  // Bytes that are not valid UTF-8 would not survive a round trip as text: keep them as base64.
  const isUtf8 = Buffer.from(text, "utf8").equals(bytes);
  const record: DeadLetter = {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    reason: parked.reason,
    payload: isUtf8 ? text : bytes.toString("base64"),
    payloadEncoding: isUtf8 ? "utf8" : "base64",
    failedAt: parked.failedAt.toISOString(),
  };
  // Keyed by coordinates so that a redelivered failure can be recognised downstream.
  return { key: `${message.topic}/${message.partition}/${message.offset}`, value: JSON.stringify(record) };
}

/**
 * Records dead letters in table `dead_letters`, once per message coordinates (a
 * redelivered batch adds nothing: the first failure's row is kept). Returns the
 * ones recorded for the first time.
 */
export async function recordDeadLetters(
  client: PoolClient,
  parked: readonly ParkedMessage[],
): Promise<ParkedMessage[]> {
  if (parked.length === 0) return [];
  const inserted = await client.query<{ topic: string; partition: number; offset: string }>(
    `INSERT INTO dead_letters (topic, partition, "offset", reason, failed_at)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::timestamptz[])
     ON CONFLICT DO NOTHING
     RETURNING topic, partition, "offset"`,
    [
      parked.map((p) => p.message.topic),
      parked.map((p) => p.message.partition),
      parked.map((p) => p.message.offset),
      parked.map((p) => p.category),
      parked.map((p) => p.failedAt.toISOString()),
    ],
  );
  const coordinates = (topic: string, partition: number, offset: string) => `${topic}/${partition}/${offset}`;
  const fresh = new Set(inserted.rows.map((r) => coordinates(r.topic, r.partition, r.offset)));
  return parked.filter((p) => fresh.has(coordinates(p.message.topic, p.message.partition, p.message.offset)));
}
