import { setTimeout as sleep } from "node:timers/promises";
import { TOPICS, type BusProducer, type Logger, type SensorReading } from "@hdp/shared";
import { recordPublished, type SensorMetrics } from "../metrics/sensor-metrics.js";
import { readSensor, type SensorSourceOptions } from "../sources/sensor/sensor-source.js";
import { publishValidated } from "./publish.js";

export interface SensorLoopOptions {
  readonly producer: BusProducer;
  readonly logger: Logger;
  readonly sensor: SensorSourceOptions;
  /** Seconds between readings. */
  readonly intervalSeconds: number;
  /** Stops the loop (after the reading in hand is published). */
  readonly signal: AbortSignal;
  /** @default readSensor */
  readonly read?: (options: SensorSourceOptions, now: Date) => Promise<SensorReading>;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** Where readings and read failures are counted; none when omitted. */
  readonly metrics?: SensorMetrics;
}

/**
 * Reads the device every `intervalSeconds` and publishes each reading to
 * `TOPICS.sensors`, keyed by device, until `signal` aborts. If the first reading
 * cannot be taken (a wrong path), the loop stops with its error: it would fail
 * every time. A later failed reading is counted, logged and skipped: the files
 * were readable, so the next interval may read them again. A failure to publish
 * stops the loop. Resolves with the number of readings published.
 */
export async function runSensorLoop(options: SensorLoopOptions): Promise<number> {
  const read = options.read ?? readSensor;
  const clock = options.clock ?? (() => new Date());
  const device = { device: options.sensor.device };
  let published = 0;
  let readOnce = false;
  while (!options.signal.aborted) {
    const now = clock();
    let reading: SensorReading | undefined;
    try {
      reading = await read(options.sensor, now);
      readOnce = true;
    } catch (error) {
      options.metrics?.readFailures.inc(device);
      if (!readOnce) throw error;
      options.logger.warn({ err: error }, "sensors: could not take a reading, trying again next interval");
    }
    if (reading) {
      const count = await publishValidated(options.producer, options.logger, TOPICS.sensors, [reading], now);
      published += count.published;
      if (count.published > 0 && options.metrics) recordPublished(options.metrics, reading);
      options.logger.debug({ reading }, "sensors: published a reading");
    }
    try {
      await sleep(options.intervalSeconds * 1000, undefined, { signal: options.signal });
    } catch {
      break; // aborted while waiting: the only way sleep rejects
    }
  }
  options.logger.info({ published }, `sensors: stopped after ${published} readings`);
  return published;
}
