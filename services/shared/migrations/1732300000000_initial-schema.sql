-- Up Migration

-- One-minute bars. Prices are double precision so that values round-trip exactly
-- between JavaScript numbers and the database (EMA9 is compared to 1e-9).
CREATE TABLE bars (
  ticker      text             NOT NULL,
  start_at    timestamptz      NOT NULL,
  open        double precision NOT NULL CHECK (open > 0),
  high        double precision NOT NULL CHECK (high > 0),
  low         double precision NOT NULL CHECK (low > 0),
  close       double precision NOT NULL CHECK (close > 0),
  volume      bigint           NOT NULL CHECK (volume >= 0),
  source      text             NOT NULL,
  -- NULL for the first eight bars of a ticker (EMA9 is seeded by the mean of nine closes).
  ema9        double precision,
  stored_at   timestamptz      NOT NULL DEFAULT now(),
  -- The primary key's index serves "one ticker, one day" (ticker = $1 AND start_at in a range).
  PRIMARY KEY (ticker, start_at),
  CHECK (high >= low)
);

CREATE TABLE articles (
  id            text        PRIMARY KEY,
  published_at  timestamptz NOT NULL,
  title         text        NOT NULL,
  author        text,
  url           text        NOT NULL,
  description   text,
  publisher     text        NOT NULL,
  tickers       text[]      NOT NULL,
  keywords      text[]      NOT NULL,
  image_url     text,
  stored_at     timestamptz NOT NULL DEFAULT now()
);

-- Which articles mention which ticker, with the publication instant copied so that
-- "one ticker, recent news" is one index range scan (keyset pagination on it).
CREATE TABLE article_tickers (
  article_id    text        NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  ticker        text        NOT NULL,
  published_at  timestamptz NOT NULL,
  PRIMARY KEY (article_id, ticker)
);
CREATE INDEX article_tickers_recent ON article_tickers (ticker, published_at DESC, article_id DESC);

CREATE TABLE sentiments (
  article_id  text             NOT NULL,
  ticker      text             NOT NULL,
  score       double precision NOT NULL CHECK (score BETWEEN -1 AND 1),
  label       text             NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
  model       text             NOT NULL,
  scored_at   timestamptz      NOT NULL,
  PRIMARY KEY (article_id, ticker),
  FOREIGN KEY (article_id, ticker) REFERENCES article_tickers (article_id, ticker) ON DELETE CASCADE
);

CREATE TABLE sensor_readings (
  device      text             NOT NULL,
  at          timestamptz      NOT NULL,
  cpu_temp_c  double precision NOT NULL,
  load1       double precision NOT NULL CHECK (load1 >= 0),
  stored_at   timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (device, at)
);

-- Down Migration

DROP TABLE sensor_readings;
DROP TABLE sentiments;
DROP TABLE article_tickers;
DROP TABLE articles;
DROP TABLE bars;
