import type { SensorReading } from "@hdp/shared";
import { gaussian, seededRandom } from "../replay/prng.js";
import type { SensorSourceOptions } from "./sensor-source.js";

/** Minutes of one warm-up and cool-down of the simulated board: a slow wave under the noise. */
const THERMAL_PERIOD_MINUTES = 47;

/**
 * A Raspberry Pi that is not there, for local runs: readings shaped like a Pi 4's under light load
 * (CPU about 44–58 °C in a slow wave, one-minute load about 0.2–1.6), the same for the same seed, device
 * and minute. A drop-in for {@link readSensor} in the sensor loop: the paths of `options` are not read.
 */
export function simulatedSensor(seed: string) {
  return async (options: SensorSourceOptions, now: Date): Promise<SensorReading> => {
    const minute = Math.floor(now.getTime() / 60_000);
    const random = seededRandom(seed, options.device, String(minute));
    const wave = Math.sin((2 * Math.PI * minute) / THERMAL_PERIOD_MINUTES);
    const cpuTempC = 51 + 5.5 * wave + 0.6 * gaussian(random);
    const load1 = Math.max(0.05, 0.8 + 0.45 * wave + 0.15 * gaussian(random));
    return {
      device: options.device,
      at: now.toISOString(),
      cpuTempC: Math.round(cpuTempC * 1000) / 1000,
      load1: Math.round(load1 * 100) / 100,
    };
  };
}
