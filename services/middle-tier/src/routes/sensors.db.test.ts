import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NOW, useSeededApp } from "../test-support.js";
import { deviceSchema, sensorReadingsSchema } from "./sensors.js";

const seeded = useSeededApp();

describe("GET /v1/devices", () => {
  it("lists each device with its newest reading", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/v1/devices" });
    expect(response.statusCode).toBe(200);
    const devices = z.array(deviceSchema).parse(response.json());
    expect(devices).toEqual([
      {
        device: "pi-1",
        lastSeenAt: new Date(NOW.getTime() - 60_000).toISOString(),
        cpuTempC: 49,
        load1: 0.9,
      },
      {
        device: "pi-2",
        lastSeenAt: new Date(NOW.getTime() - 60_000).toISOString(),
        cpuTempC: 49,
        load1: 0.9,
      },
    ]);
  });
});

describe("GET /v1/sensors", () => {
  it("answers the readings of the last day, oldest first, by default", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/v1/sensors?device=pi-1" });
    expect(response.statusCode).toBe(200);
    const body = sensorReadingsSchema.parse(response.json());
    expect(body.readings.map((r) => r.cpuTempC)).toEqual([45, 46, 47, 48, 49]);
  });

  it("limits readings to the from/to window", async () => {
    const from = new Date(NOW.getTime() - 3 * 60_000).toISOString();
    const to = new Date(NOW.getTime() - 60_000).toISOString();
    const response = await seeded.app.inject({
      method: "GET",
      url: `/v1/sensors?device=pi-2&from=${from}&to=${to}`,
    });
    expect(sensorReadingsSchema.parse(response.json()).readings.map((r) => r.cpuTempC)).toEqual([47, 48]);
  });

  it("answers 404 for an unknown device", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/v1/sensors?device=pi-9" });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe("unknown device pi-9");
  });

  it.each([
    ["", "querystring.device"],
    ["device=Pi_1", "querystring.device"],
    ["device=pi-1&to=later", "querystring.to"],
    ["device=pi-1&from=2024-03-05&to=2024-03-04", "querystring.to"],
  ])("answers 400 naming the parameter for ?%s", async (query, parameter) => {
    const response = await seeded.app.inject({ method: "GET", url: `/v1/sensors?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(parameter);
  });
});
