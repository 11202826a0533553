import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./reconnect.js";

describe("reconnectDelay", () => {
  it("doubles from one second", () => {
    expect([0, 1, 2, 3].map(reconnectDelay)).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it("never waits more than thirty seconds", () => {
    expect(reconnectDelay(10)).toBe(30_000);
  });
});
