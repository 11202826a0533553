import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TOPICS, validateMessage } from "@hdp/shared";
import { SensorReadError, parseLoadAverage, parseThermalZone, readSensor } from "./sensor-source.js";

describe("parseThermalZone", () => {
  it.each([
    ["48312\n", 48.312],
    ["0", 0],
    ["-5000", -5],
    ["", undefined],
    ["hot", undefined],
    ["48.3", undefined],
  ])("reads %j as %s °C", (text, expected) => {
    expect(parseThermalZone(text)).toBe(expected);
  });
});

describe("parseLoadAverage", () => {
  it.each([
    ["0.52 0.58 0.59 1/389 12345\n", 0.52],
    ["3.10 2.00 1.00 2/100 1", 3.1],
    ["", undefined],
    ["busy 1 1", undefined],
  ])("reads %j as %s", (text, expected) => {
    expect(parseLoadAverage(text)).toBe(expected);
  });
});

describe("readSensor", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sensor-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function files(temp: string, load: string) {
    const thermalPath = join(dir, "temp");
    const loadavgPath = join(dir, "loadavg");
    await writeFile(thermalPath, temp);
    await writeFile(loadavgPath, load);
    return { device: "pi-lab-1", thermalPath, loadavgPath };
  }

  it("reads the temperature and the load into a valid reading", async () => {
    const options = await files("51250\n", "0.75 0.60 0.50 1/200 999\n");
    const reading = await readSensor(options, new Date("2024-03-05T15:00:00Z"));
    expect(reading).toEqual({
      device: "pi-lab-1",
      at: "2024-03-05T15:00:00.000Z",
      cpuTempC: 51.25,
      load1: 0.75,
    });
    expect(validateMessage(TOPICS.sensors, reading, Date.parse("2024-03-05T15:00:00Z")).ok).toBe(true);
  });

  it("names the missing file", async () => {
    const options = { ...(await files("1", "1 1 1 1/1 1")), thermalPath: join(dir, "missing") };
    const error = await readSensor(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SensorReadError);
    expect((error as SensorReadError).path).toBe(join(dir, "missing"));
    expect((error as Error).message).toMatch(/no such file/);
  });

  it("names the file whose content it cannot parse", async () => {
    const options = await files("51250", "not a load average");
    await expect(readSensor(options)).rejects.toThrow(/loadavg: expected \/proc\/loadavg text/);
  });
});
