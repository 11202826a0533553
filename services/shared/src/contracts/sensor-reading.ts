import { z } from "zod";
import { instantField } from "./fields.js";

/** One device telemetry sample: the message of `sensor.readings.v1`. */
export const sensorReadingSchema = z
  .object({
    /** Node name, e.g. `pi-lab-1`. */
    device: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label"),
    at: instantField,
    /** CPU temperature in degrees Celsius. */
    cpuTempC: z.number().finite().min(-40).max(150),
    /** One-minute load average. */
    load1: z.number().finite().nonnegative(),
  })
  .strict();

export type SensorReading = z.infer<typeof sensorReadingSchema>;
