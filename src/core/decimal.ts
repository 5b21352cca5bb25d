import Decimal from "decimal.js";

/**
 * The one decimal type of the core: 40 significant digits (the spec asks for at least 34), halves rounded
 * away from zero. A clone, so nothing else that loads decimal.js can change our configuration.
 */
export const D = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -7,
  toExpPos: 21,
});
export type D = InstanceType<typeof D>;

/** What core functions accept for a quantity: a JS number (as Excel passes it), numeric text or a decimal. */
export type Num = number | string | D;

export const ZERO = new D(0);
export const ONE = new D(1);
export const HOURS_PER_YEAR = new D(8760);
export const DAYS_PER_YEAR = new D(365);

/** Wraps a value in the configured decimal type (a no-op copy for one already). */
export function dec(value: Num): D {
  return new D(value);
}
