import type { IsoDate } from "../calendar.js";

/** The date to show: the one asked for when the picker offers it, otherwise the newest offered. */
export function clampToOptions(
  requested: IsoDate | undefined,
  options: readonly IsoDate[],
): IsoDate | undefined {
  return requested !== undefined && options.includes(requested) ? requested : options[0];
}
