import { z } from "zod";

/** The shape of a ticker, in upper case: letters and digits, optionally a class suffix (`BRK.B`). */
export const TICKER_PATTERN = /^[A-Z][A-Z0-9]{0,9}(?:[.-][A-Z0-9]{1,3})?$/;

/** Exchange ticker as messages carry it: upper-case letters and digits, optionally a class suffix (`BRK.B`). */
export const tickerField = z
  .string()
  .regex(TICKER_PATTERN, "must be an upper-case ticker such as AAPL or BRK.B");

/** A UTC instant in ISO 8601 with a `Z` suffix, e.g. `2024-03-01T14:30:00.000Z`. */
export const instantField = z.iso.datetime({ message: "must be an ISO 8601 UTC instant ending in Z" });

/** A finite, strictly positive price. */
export const priceField = z.number().finite().positive("must be a positive price");
