import { z } from "zod";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { deviceExists, devices, readingsBetween } from "../data/sensors.js";
import { BadRequestError, NotFoundError } from "../errors.js";
import { boundParam, deviceParam, lowerBound, upperBound } from "../params.js";
import {
  databaseUnavailableResponse,
  documented,
  invalidQueryResponse,
  notFoundResponse,
} from "../responses.js";

/** Readings answered at most per request, and the default window when `from` is not given. */
export const MAX_READINGS = 10_000;
export const DEFAULT_SENSOR_WINDOW_MS = 24 * 3_600_000;

/** `GET /v1/devices`: each device with its newest reading. */
export const deviceSchema = z.object({
  device: z.string(),
  lastSeenAt: z.iso.datetime(),
  cpuTempC: z.number(),
  load1: z.number(),
});

/** `GET /v1/sensors`: one device's readings, oldest first. */
export const sensorReadingsSchema = z.object({
  device: z.string(),
  readings: z.array(z.object({ at: z.iso.datetime(), cpuTempC: z.number(), load1: z.number() })),
});

const querySchema = z.object({
  device: deviceParam,
  from: boundParam.optional().meta({ description: "Inclusive start; default 24 hours before to" }),
  to: boundParam
    .optional()
    .meta({ description: "Exclusive end, or a date meaning through that day; default now" }),
});

/** `GET /v1/devices` and `GET /v1/sensors?device=&from=&to=`. */
export function registerSensorRoutes(app: MiddleTierApp, { pool, now }: RouteContext): void {
  app.get(
    "/v1/devices",
    {
      schema: {
        summary: "Devices reporting telemetry, with their newest reading",
        tags: ["devices"],
        response: {
          200: documented(z.array(deviceSchema), "Every device with its newest reading"),
          503: databaseUnavailableResponse,
        },
      },
    },
    async () => (await devices(pool)).map((row) => ({ ...row, lastSeenAt: row.lastSeenAt.toISOString() })),
  );

  app.get(
    "/v1/sensors",
    {
      schema: {
        summary: "A device's readings over a time range",
        tags: ["devices"],
        querystring: querySchema,
        response: {
          200: documented(sensorReadingsSchema, "The device's readings in the range, oldest first"),
          400: invalidQueryResponse,
          404: notFoundResponse("Unknown device"),
          503: databaseUnavailableResponse,
        },
      },
    },
    async (request) => {
      const { device, from, to } = request.query;
      const end = to === undefined ? new Date(now().getTime() + 1) : upperBound(to);
      const start =
        from === undefined ? new Date(end.getTime() - DEFAULT_SENSOR_WINDOW_MS) : lowerBound(from);
      if (end <= start) throw new BadRequestError("to", "must be after from");
      if (!(await deviceExists(pool, device))) throw new NotFoundError(`unknown device ${device}`);
      const rows = await readingsBetween(pool, device, start, end, MAX_READINGS);
      return { device, readings: rows.map((row) => ({ ...row, at: row.at.toISOString() })) };
    },
  );
}
