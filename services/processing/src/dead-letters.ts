import { type DeadLetter, type IncomingMessage, type OutgoingMessage } from "@hdp/shared";

/** Builds the dead-letter record of a message: its coordinates, the reason and the original bytes. */
export function toDeadLetter(
  message: IncomingMessage,
  reason: string,
  now: Date = new Date(),
): OutgoingMessage {
  const bytes = message.value ?? Buffer.alloc(0);
  const text = bytes.toString("utf8");
  // Bytes that are not valid UTF-8 would not survive a round trip as text: keep them as base64.
  const isUtf8 = Buffer.from(text, "utf8").equals(bytes);
  const record: DeadLetter = {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    reason,
    payload: isUtf8 ? text : bytes.toString("base64"),
    payloadEncoding: isUtf8 ? "utf8" : "base64",
    failedAt: now.toISOString(),
  };
  // Keyed by coordinates so that a redelivered failure can be recognised downstream.
  return { key: `${message.topic}/${message.partition}/${message.offset}`, value: JSON.stringify(record) };
}
