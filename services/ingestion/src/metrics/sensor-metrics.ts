import type { SensorReading } from "@hdp/shared";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics of the sensor agent, one device per agent. */
export interface SensorMetrics {
  readonly registry: Registry;
  /** Instant of the last reading published, in seconds since the epoch. */
  readonly lastReading: Gauge<"device">;
  /** CPU temperature of the last reading published, °C. */
  readonly cpuTemperature: Gauge<"device">;
  /** One-minute load average of the last reading published. */
  readonly load1: Gauge<"device">;
  readonly published: Counter<"device">;
  /** Readings that could not be taken (a device file missing or unreadable). */
  readonly readFailures: Counter<"device">;
}

/**
 * Creates the agent's metrics on a registry of their own, with Node's process
 * metrics; the counters of `device` start at 0.
 */
export function createSensorMetrics(device: string): SensorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const labelNames = ["device"] as const;
  const metrics: SensorMetrics = {
    registry,
    lastReading: new Gauge({
      name: "sensor_last_reading_timestamp_seconds",
      help: "Instant of the last reading published, seconds since the epoch",
      labelNames,
      registers,
    }),
    cpuTemperature: new Gauge({
      name: "sensor_cpu_temperature_celsius",
      help: "CPU temperature of the last reading published, degrees Celsius",
      labelNames,
      registers,
    }),
    load1: new Gauge({
      name: "sensor_load1",
      help: "One-minute load average of the last reading published",
      labelNames,
      registers,
    }),
    published: new Counter({
      name: "sensor_readings_published_total",
      help: "Readings published to Kafka",
      labelNames,
      registers,
    }),
    readFailures: new Counter({
      name: "sensor_read_failures_total",
      help: "Readings that could not be taken (a device file missing, unreadable or malformed)",
      labelNames,
      registers,
    }),
  };
  metrics.published.inc({ device }, 0);
  metrics.readFailures.inc({ device }, 0);
  return metrics;
}

/** Records a reading once it is published. */
export function recordPublished(metrics: SensorMetrics, reading: SensorReading): void {
  const labels = { device: reading.device };
  metrics.published.inc(labels);
  metrics.lastReading.set(labels, Date.parse(reading.at) / 1000);
  metrics.cpuTemperature.set(labels, reading.cpuTempC);
  metrics.load1.set(labels, reading.load1);
}
