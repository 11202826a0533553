import { setTimeout as sleep } from "node:timers/promises";
import { TOPICS, type BusProducer, type Logger, type SensorReading } from "@hdp/shared";
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
}

/**
 * Reads the device every `intervalSeconds` and publishes each reading to
 * `TOPICS.sensors`, keyed by device, until `signal` aborts. A reading that cannot
 * be taken (a wrong path) stops the loop with its error: it would fail every
 * time. Resolves with the number of readings published.
 */
export async function runSensorLoop(options: SensorLoopOptions): Promise<number> {
  const read = options.read ?? readSensor;
  const clock = options.clock ?? (() => new Date());
  let published = 0;
  while (!options.signal.aborted) {
    const now = clock();
    const reading = await read(options.sensor, now);
    const count = await publishValidated(options.producer, options.logger, TOPICS.sensors, [reading], now);
    published += count.published;
    options.logger.debug({ reading }, "sensors: published a reading");
    try {
      await sleep(options.intervalSeconds * 1000, undefined, { signal: options.signal });
    } catch {
      break; // aborted while waiting: the only way sleep rejects
    }
  }
  options.logger.info({ published }, `sensors: stopped after ${published} readings`);
  return published;
}
