import type { Bar } from "@hdp/shared";

/** A well-formed bar, for tests that break one field at a time. */
export function validBar(overrides: Partial<Bar> = {}): Bar {
  return {
    ticker: "AAPL",
    start: "2024-03-04T14:30:00.000Z",
    open: 180.1,
    high: 180.9,
    low: 179.8,
    close: 180.5,
    volume: 12_345,
    source: "test",
    ...overrides,
  };
}

/** The malformed-message kinds processing must park, each with the raw value and the reason it must give. */
export function malformedBarCases(now: number): { name: string; raw: string; reason: RegExp }[] {
  const json = (value: unknown) => JSON.stringify(value);
  const { volume: _omitted, ...missingVolume } = validBar({ start: "2024-03-04T14:40:00.000Z" });
  return [
    { name: "not JSON", raw: "{ticker: AAPL, open: 1", reason: /not JSON/ },
    { name: "missing field", raw: json(missingVolume), reason: /volume/ },
    {
      name: "negative price",
      raw: json(validBar({ start: "2024-03-04T14:41:00.000Z", low: -1 })),
      reason: /low: must be a positive price/,
    },
    {
      name: "high below low",
      raw: json(validBar({ start: "2024-03-04T14:42:00.000Z", high: 170, low: 175, open: 172, close: 172 })),
      reason: /high is below low/,
    },
    {
      name: "instant far in the future",
      raw: json(validBar({ start: new Date(Math.floor(now / 60_000) * 60_000 + 86_400_000).toISOString() })),
      reason: /start: is in the future/,
    },
    {
      name: "malformed ticker",
      raw: json(validBar({ start: "2024-03-04T14:43:00.000Z", ticker: "aapl!" })),
      reason: /ticker: must be an upper-case ticker/,
    },
  ];
}

/**
 * A seeded random walk of `n` one-minute bars for `ticker` from `start`: the same seed gives the same bars,
 * for tests that check exactly what was stored.
 */
export function randomWalkBars(
  ticker: string,
  n: number,
  seed: number,
  options: { start?: string; source?: string } = {},
): Bar[] {
  const from = Date.parse(options.start ?? "2024-02-01T14:30:00Z");
  let x = seed;
  let price = 50 + seed;
  return Array.from({ length: n }, (_, i) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const open = price;
    price = Math.round(price * (1 + (x / 2 ** 31 - 0.5) * 0.01) * 100) / 100;
    return {
      ticker,
      start: new Date(from + i * 60_000).toISOString(),
      open,
      high: Math.max(open, price) + 0.01,
      low: Math.min(open, price) - 0.01,
      close: price,
      volume: 100 + i,
      source: options.source ?? "test",
    };
  });
}
