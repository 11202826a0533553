import type { PoolClient, SensorReading } from "@hdp/shared";

/** Upserts sensor readings by (device, instant); a replayed reading writes nothing. */
export async function storeReadings(client: PoolClient, readings: readonly SensorReading[]): Promise<number> {
  const unique = new Map(readings.map((r) => [`${r.device}\u0000${new Date(r.at).toISOString()}`, r]));
  if (unique.size === 0) return 0;
  const list = [...unique.values()];
  const result = await client.query(
    `INSERT INTO sensor_readings AS r (device, at, cpu_temp_c, load1)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[])
     ON CONFLICT (device, at) DO UPDATE SET cpu_temp_c = excluded.cpu_temp_c, load1 = excluded.load1
      WHERE (r.cpu_temp_c, r.load1) IS DISTINCT FROM (excluded.cpu_temp_c, excluded.load1)`,
    [list.map((r) => r.device), list.map((r) => r.at), list.map((r) => r.cpuTempC), list.map((r) => r.load1)],
  );
  return result.rowCount ?? 0;
}
