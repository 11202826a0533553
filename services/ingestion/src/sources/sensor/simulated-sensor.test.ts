import { describe, expect, it } from "vitest";
import { sensorReadingSchema } from "@hdp/shared";
import { simulatedSensor } from "./simulated-sensor.js";

const device = { device: "pi-sim", thermalPath: "unused", loadavgPath: "unused" };
const at = (minute: number) => new Date(Date.UTC(2024, 2, 6, 14, 30) + minute * 60_000);

describe("simulatedSensor", () => {
  it("gives valid readings shaped like a Pi's, the same for the same seed, device and minute", async () => {
    const read = simulatedSensor("hdp");
    const day = await Promise.all(Array.from({ length: 390 }, (_, m) => read(device, at(m))));
    for (const reading of day) expect(sensorReadingSchema.parse(reading)).toEqual(reading);
    const temps = day.map((r) => r.cpuTempC);
    expect(Math.min(...temps)).toBeGreaterThan(40);
    expect(Math.max(...temps)).toBeLessThan(62);
    // A slow wave, not a constant: the board warms up and cools down over the day.
    expect(Math.max(...temps) - Math.min(...temps)).toBeGreaterThan(8);
    expect(await simulatedSensor("hdp")(device, at(17))).toEqual(day[17]);
    expect(await simulatedSensor("other")(device, at(17))).not.toEqual(day[17]);
    expect((await read({ ...device, device: "pi-b" }, at(17))).device).toBe("pi-b");
  });
});
