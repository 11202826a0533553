import type { Pool } from "@hdp/shared";

/** A device with its newest reading. */
export interface DeviceRow {
  readonly device: string;
  readonly lastSeenAt: Date;
  readonly cpuTempC: number;
  readonly load1: number;
}

/** One telemetry sample. */
export interface ReadingRow {
  readonly at: Date;
  readonly cpuTempC: number;
  readonly load1: number;
}

/** Every device that has reported, with its newest reading, by name. */
export async function devices(pool: Pool): Promise<DeviceRow[]> {
  const result = await pool.query<DeviceRow>(
    `SELECT DISTINCT ON (device) device, at AS "lastSeenAt", cpu_temp_c AS "cpuTempC", load1
       FROM sensor_readings ORDER BY device, at DESC`,
  );
  return result.rows;
}

/** True when `device` has any reading. */
export async function deviceExists(pool: Pool, device: string): Promise<boolean> {
  const result = await pool.query("SELECT 1 FROM sensor_readings WHERE device = $1 LIMIT 1", [device]);
  return result.rowCount !== null && result.rowCount > 0;
}

/** Readings of `device` with `from <= at < to`, oldest first, at most `limit`. */
export async function readingsBetween(
  pool: Pool,
  device: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<ReadingRow[]> {
  const result = await pool.query<ReadingRow>(
    `SELECT at, cpu_temp_c AS "cpuTempC", load1 FROM sensor_readings
      WHERE device = $1 AND at >= $2 AND at < $3 ORDER BY at LIMIT $4`,
    [device, from, to, limit],
  );
  return result.rows;
}
