/**
 * Kafka topic names. The schema version is part of the name: a breaking change
 * to a message gets a new topic, never a silent change to an old one.
 */
export const TOPICS = {
  /** One-minute OHLCV bars, keyed by ticker. */
  bars: "market.candles.1m.v1",
  /** News articles, keyed by article id. */
  news: "news.articles.v1",
  /** Device telemetry, keyed by device name. */
  sensors: "sensor.readings.v1",
} as const;

export type DataTopic = (typeof TOPICS)[keyof typeof TOPICS];

/** Name of the dead-letter topic that receives the unusable messages of `topic`. */
export function deadLetterTopic(topic: DataTopic): `${DataTopic}.dlq` {
  return `${topic}.dlq`;
}

export const ALL_TOPICS: readonly string[] = [
  ...Object.values(TOPICS),
  ...Object.values(TOPICS).map((t) => deadLetterTopic(t)),
];
