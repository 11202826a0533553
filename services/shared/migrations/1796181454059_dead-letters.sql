-- Up Migration

-- One row per message processing parked in a dead-letter topic, written after the
-- dead letter was published and before the batch's offsets are committed. The key is
-- the message's coordinates, so a redelivered batch adds no row. `topic` is the topic
-- the message was read from (the contract's name, without an environment prefix);
-- `reason` is the short category of DEAD_LETTER_REASONS in @hdp/shared (the full
-- reason text travels in the dead-letter message itself).
CREATE TABLE dead_letters (
  topic       text        NOT NULL,
  partition   int         NOT NULL,
  "offset"    text        NOT NULL,
  reason      text        NOT NULL,
  failed_at   timestamptz NOT NULL,
  PRIMARY KEY (topic, partition, "offset")
);
-- "Dead letters in the last hour, by topic" reads a recent range of failed_at.
CREATE INDEX dead_letters_recent ON dead_letters (failed_at DESC, topic);

-- Down Migration

DROP TABLE dead_letters;
