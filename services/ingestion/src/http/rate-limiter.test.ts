import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limiter.js";

describe("createRateLimiter", () => {
  it("spaces calls evenly at the configured rate", async () => {
    const acquire = createRateLimiter(1200); // one call every 50 ms
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      await acquire();
      times.push(performance.now());
    }
    // Single gaps carry timer noise; three intervals cannot take less than ~150 ms.
    expect((times[3] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(140);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(20);
  });

  it("lets the first call through at once", async () => {
    const started = performance.now();
    await createRateLimiter(5)(); // the next call would wait 12 s
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([0, -1, Number.NaN])("refuses a rate of %s calls per minute", (rate) => {
    expect(() => createRateLimiter(rate)).toThrow(RangeError);
  });
});
