import type { BusConsumer, BusProducer, ConsumerOptions, MessageBus, OutgoingMessage } from "./types.js";

/**
 * A view of a bus in which every topic name gets `prefix` on the wire, while the
 * code above it keeps using the contract's names (`market.candles.1m.v1` …):
 * producers write to `<prefix><topic>`, consumers read from it and see batches
 * under the unprefixed name. Lets several environments, or test runs, share one
 * Kafka cluster without reading each other's messages.
 */
export function withTopicPrefix(bus: MessageBus, prefix: string): MessageBus {
  if (prefix === "") return bus;
  const wire = (topic: string) => `${prefix}${topic}`;
  const contract = (topic: string) => (topic.startsWith(prefix) ? topic.slice(prefix.length) : topic);
  return {
    ensureTopics: (topics: readonly string[]) => bus.ensureTopics(topics.map(wire)),
    async producer(): Promise<BusProducer> {
      const inner = await bus.producer();
      return {
        send: (topic: string, messages: readonly OutgoingMessage[]) => inner.send(wire(topic), messages),
        close: () => inner.close(),
      };
    },
    consume(options: ConsumerOptions): Promise<BusConsumer> {
      return bus.consume({
        ...options,
        topics: options.topics.map(wire),
        handleBatch: (batch, context) =>
          options.handleBatch(
            {
              ...batch,
              topic: contract(batch.topic),
              messages: batch.messages.map((m) => ({ ...m, topic: contract(m.topic) })),
            },
            context,
          ),
      });
    },
    close: () => bus.close(),
  };
}
