import {
  ValidationError,
  encodeMessage,
  type BusProducer,
  type DataTopic,
  type Logger,
  type OutgoingMessage,
  type TopicMessages,
} from "@hdp/shared";

/** How many messages went out and how many were refused by the contract. */
export interface PublishCount {
  readonly published: number;
  readonly rejected: number;
}

/**
 * Validates each message against its topic's contract, logs and skips the ones
 * that fail (a provider's malformed bar must not hold back the rest), and sends
 * the others in one batch, keyed by the contract's key.
 */
export async function publishValidated<T extends DataTopic>(
  producer: BusProducer,
  logger: Logger,
  topic: T,
  values: readonly TopicMessages[T][],
  now: Date,
): Promise<PublishCount> {
  const messages: OutgoingMessage[] = [];
  let rejected = 0;
  for (const value of values) {
    try {
      messages.push(encodeMessage(topic, value, now.getTime()));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      rejected++;
      logger.warn({ topic, reasons: error.reasons }, `refused a message for ${topic}: ${error.message}`);
    }
  }
  await producer.send(topic, messages);
  return { published: messages.length, rejected };
}
