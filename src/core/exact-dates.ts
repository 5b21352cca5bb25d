/*
 * Excel serials in decimal: an ISO date-time or a clock reading becomes days exactly (to 40 digits), so a
 * difference of two date-times (BASIS.APR's days to expiry) does not carry a binary serial's rounding (about
 * 1e-11 day near 2025, a thousand ulps of a short interval).
 */
import { END_SERIAL, EXCEL_EPOCH_MS, FIRST_CALENDAR_SERIAL, isoParts } from "./dates";
import { D, dec } from "./decimal";

const SECONDS_PER_DAY = new D(86_400);
const MS_PER_DAY = new D(86_400_000);

/** Serial of an ISO 8601 date or date-time in decimal, or undefined as serialFromIso. */
export function exactSerialFromIso(text: string): D | undefined {
  const parts = isoParts(text);
  if (!parts) return undefined;
  const seconds = parts.fraction ? dec(parts.seconds).plus(`0.${parts.fraction}`) : dec(parts.seconds);
  const serial = seconds.div(SECONDS_PER_DAY).plus(parts.day);
  return serial.gte(FIRST_CALENDAR_SERIAL) && serial.lt(END_SERIAL) ? serial : undefined;
}

/** Serial of a Unix time in milliseconds (a clock reading), in decimal. */
export function exactSerialFromEpochMs(ms: number): D {
  return dec(ms).minus(EXCEL_EPOCH_MS).div(MS_PER_DAY);
}
