import { describe, expect, it } from "vitest";
import { MemoryBus, TOPICS, type SensorReading } from "@hdp/shared";
import { captureLogger } from "../testing/capture-logger.js";
import { SensorReadError } from "../sources/sensor/sensor-source.js";
import { createSensorMetrics } from "../metrics/sensor-metrics.js";
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

  it("records each published reading: its instant, temperature and load, and the count", async () => {
    const bus = new MemoryBus();
    const controller = new AbortController();
    const metrics = createSensorMetrics("pi-lab-1");
    let reads = 0;
    const started = Date.parse("2024-03-05T15:00:00Z");
    await runSensorLoop({
      producer: await bus.producer(),
      logger: captureLogger().logger,
      sensor,
      intervalSeconds: 0.01,
      signal: controller.signal,
      clock: () => new Date(started + reads * 15_000),
      metrics,
      read: async (_, now) => {
        if (++reads === 2) controller.abort();
        return { device: "pi-lab-1", at: now.toISOString(), cpuTempC: 50 + reads, load1: 0.25 * reads };
      },
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('sensor_readings_published_total{device="pi-lab-1"} 2');
    expect(text).toContain(
      `sensor_last_reading_timestamp_seconds{device="pi-lab-1"} ${(started + 15_000) / 1000}`,
    );
    expect(text).toContain('sensor_cpu_temperature_celsius{device="pi-lab-1"} 52');
    expect(text).toContain('sensor_load1{device="pi-lab-1"} 0.5');
    expect(text).toContain('sensor_read_failures_total{device="pi-lab-1"} 0');
  });

  it("counts a failed reading after the first, logs it, and goes on at the next interval", async () => {
    const bus = new MemoryBus();
    const controller = new AbortController();
    const metrics = createSensorMetrics("pi-lab-1");
    const log = captureLogger();
    let reads = 0;
    const published = await runSensorLoop({
      producer: await bus.producer(),
      logger: log.logger,
      sensor,
      intervalSeconds: 0.01,
      signal: controller.signal,
      metrics,
      read: async (_, now) => {
        reads++;
        if (reads === 2) throw new SensorReadError("/t", "device or resource busy");
        if (reads === 3) controller.abort();
        return { device: "pi-lab-1", at: now.toISOString(), cpuTempC: 40, load1: 0 };
      },
    });
    expect(published).toBe(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('sensor_read_failures_total{device="pi-lab-1"} 1');
    expect(text).toContain('sensor_readings_published_total{device="pi-lab-1"} 2');
    expect(log.text()).toContain("could not take a reading");
  });

  it("counts the failed first reading before stopping with it", async () => {
    const metrics = createSensorMetrics("pi-lab-1");
    await expect(
      runSensorLoop({
        producer: await new MemoryBus().producer(),
        logger: captureLogger().logger,
        sensor,
        intervalSeconds: 1,
        signal: new AbortController().signal,
        metrics,
        read: async () => {
          throw new SensorReadError("/t", "no such file");
        },
      }),
    ).rejects.toThrow(/no such file/);
    expect(await metrics.registry.metrics()).toContain('sensor_read_failures_total{device="pi-lab-1"} 1');
  });
});
