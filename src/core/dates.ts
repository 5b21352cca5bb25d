/*
 * Excel serial dates: days since 1899-12-30 00:00 UTC (so serial 1 is 1900-01-01 only after Excel's fictitious
 * 1900-02-29; from 1900-03-01 on, serials and calendar dates agree). Pure conversions: no clock here.
 */

const MS_PER_DAY = 86_400_000;
/** 1899-12-30T00:00:00Z in Unix milliseconds. */
export const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Serial of 1900-03-01, the first day on which Excel's serials match the calendar. */
export const FIRST_CALENDAR_SERIAL = 61;
/** Serial of 10000-01-01: Excel's dates end the day before. */
export const END_SERIAL = 2_958_466;

/** Excel serial (days, fractional) of a Unix time in milliseconds. */
export function serialFromEpochMs(ms: number): number {
  return (ms - EXCEL_EPOCH_MS) / MS_PER_DAY;
}

/** Unix time in milliseconds of an Excel serial. */
export function epochMsFromSerial(serial: number): number {
  return serial * MS_PER_DAY + EXCEL_EPOCH_MS;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An ISO 8601 instant as Excel serial parts: `day`, the serial of its UTC calendar day's midnight (a whole number),
 * plus `seconds` (whole seconds from that midnight after the offset, possibly negative or past a day) plus
 * `fraction` (the decimal digits of a second, "" for none). Undefined when the text is not an ISO date or
 * date-time or names an impossible date.
 */
export interface IsoParts {
  day: number;
  seconds: number;
  fraction: string;
}

export function isoParts(text: string): IsoParts | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const fraction = m[7] ?? "";
  if (month < 1 || month > 12 || hour > 24 || minute > 59 || second > 59) return undefined;
  if (hour === 24 && (minute > 0 || second > 0 || /[1-9]/.test(fraction))) return undefined;
  const midnight = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 02-30 over into March; a day that does not exist must not.
  const check = new Date(midnight);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const hours = Number(digits.slice(0, 2));
    const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  return {
    day: serialFromEpochMs(midnight),
    seconds: (hour * 60 + minute - offsetMinutes) * 60 + second,
    fraction,
  };
}

/**
 * Excel serial (nearest double) of an ISO 8601 date or date-time (UTC unless it carries an offset), or undefined
 * when the text is not one, names an impossible date, or falls outside 1900-03-01 .. 9999-12-31.
 */
export function serialFromIso(text: string): number | undefined {
  const parts = isoParts(text);
  if (!parts) return undefined;
  const fraction = parts.fraction ? Number(`0.${parts.fraction}`) : 0;
  const serial = parts.day + ((parts.seconds + fraction) * 1000) / MS_PER_DAY;
  return serial >= FIRST_CALENDAR_SERIAL && serial < END_SERIAL ? serial : undefined;
}
