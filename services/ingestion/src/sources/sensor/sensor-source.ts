import { readFile } from "node:fs/promises";
import { PipelineError, type SensorReading } from "@hdp/shared";

/** A device file is missing, unreadable or holds something unexpected. Not retriable: the path is wrong. */
export class SensorReadError extends PipelineError {
  /** The file that could not be used. */
  readonly path: string;

  constructor(path: string, reason: string, cause?: unknown) {
    super(`sensor: ${path}: ${reason}`, { retriable: false, cause });
    this.path = path;
  }
}

export interface SensorSourceOptions {
  /** Device name written into each reading (a DNS-1123 label). */
  readonly device: string;
  /** Thermal zone file in millidegrees Celsius, e.g. `/sys/class/thermal/thermal_zone0/temp`. */
  readonly thermalPath: string;
  /** Load average file in `/proc/loadavg` format. */
  readonly loadavgPath: string;
}

/** Degrees Celsius from a thermal zone file's text (millidegrees, e.g. `48312`). */
export function parseThermalZone(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return undefined;
  return Number(trimmed) / 1000;
}

/** The one-minute load average from `/proc/loadavg` text (`0.52 0.58 0.59 1/389 12345`). */
export function parseLoadAverage(text: string): number | undefined {
  const first = text.trim().split(/\s+/)[0] ?? "";
  if (!/^\d+(\.\d+)?$/.test(first)) return undefined;
  return Number(first);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? `no such file (is this the ${what} file of this device?)` : `cannot read (${code})`;
    throw new SensorReadError(path, reason, error);
  }
}

/** Reads the device's CPU temperature and load average now. Throws SensorReadError naming the bad file. */
export async function readSensor(
  options: SensorSourceOptions,
  now: Date = new Date(),
): Promise<SensorReading> {
  const [thermal, loadavg] = await Promise.all([
    readText(options.thermalPath, "thermal zone"),
    readText(options.loadavgPath, "load average"),
  ]);
  const cpuTempC = parseThermalZone(thermal);
  if (cpuTempC === undefined) {
    throw new SensorReadError(
      options.thermalPath,
      `expected millidegrees Celsius such as 48312, found ${JSON.stringify(thermal.slice(0, 40))}`,
    );
  }
  const load1 = parseLoadAverage(loadavg);
  if (load1 === undefined) {
    throw new SensorReadError(
      options.loadavgPath,
      `expected /proc/loadavg text such as "0.52 0.58 0.59 1/389 12345", found ${JSON.stringify(loadavg.slice(0, 40))}`,
    );
  }
  return { device: options.device, at: now.toISOString(), cpuTempC, load1 };
}
