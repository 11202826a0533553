import { describe, expect, it } from "vitest";
import { MemoryBus, TOPICS, type SensorReading } from "@hdp/shared";
import { captureLogger } from "../testing/capture-logger.js";
import { SensorReadError } from "../sources/sensor/sensor-source.js";
import { runSensorLoop } from "./sensor-loop.js";

const sensor = { device: "pi-lab-1", thermalPath: "/t", loadavgPath: "/l" };

describe("runSensorLoop", () => {
  it("publishes a reading every interval, keyed by device, until aborted", async () => {
    const bus = new MemoryBus();
    const controller = new AbortController();
    let reads = 0;
    const read = async (_: unknown, now: Date): Promise<SensorReading> => {
      if (++reads === 3) controller.abort();
      return { device: "pi-lab-1", at: now.toISOString(), cpuTempC: 40 + reads, load1: 0.5 };
    };
    const published = await runSensorLoop({
      producer: await bus.producer(),
      logger: captureLogger().logger,
      sensor,
      intervalSeconds: 0.01,
      signal: controller.signal,
      read,
    });
    expect(published).toBe(3);
    const messages = bus.messages(TOPICS.sensors);
    expect(messages.map((m) => m.key)).toEqual(["pi-lab-1", "pi-lab-1", "pi-lab-1"]);
    expect(messages.map((m) => (JSON.parse(m.value?.toString() ?? "{}") as SensorReading).cpuTempC)).toEqual([
      41, 42, 43,
    ]);
  });

  it("stops while waiting as soon as the signal aborts", async () => {
    const bus = new MemoryBus();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    await runSensorLoop({
      producer: await bus.producer(),
      logger: captureLogger().logger,
      sensor,
      intervalSeconds: 60,
      signal: controller.signal,
      read: async (_, now) => ({ device: "pi-lab-1", at: now.toISOString(), cpuTempC: 40, load1: 0 }),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(bus.messages(TOPICS.sensors)).toHaveLength(1);
  });

  it("fails with the read error when the device file is wrong", async () => {
    const bus = new MemoryBus();
    await expect(
      runSensorLoop({
        producer: await bus.producer(),
        logger: captureLogger().logger,
        sensor,
        intervalSeconds: 1,
        signal: new AbortController().signal,
        read: async () => {
          throw new SensorReadError("/t", "no such file");
        },
      }),
    ).rejects.toThrow(/sensor: \/t: no such file/);
  });
});
