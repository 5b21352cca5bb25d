import { DAYS_PER_YEAR, ONE, type D, dec, type Num } from "./decimal";
import { InvalidArgument } from "./errors";
import type { AprMethod } from "./funding";

/** Premium (+) or discount (-) of a future over spot: F/S - 1. */
export function basis(futuresPrice: Num, spotPrice: Num): D {
  return dec(futuresPrice).div(spotPrice).minus(ONE);
}

/**
 * Annualised basis to expiry, with days = expiry - as_of (Excel serial days, fractional, > 0):
 * simple = (F/S - 1) x 365 / days; compound = (F/S)^(365 / days) - 1.
 */
export function basisApr(
  futuresPrice: Num,
  spotPrice: Num,
  expiry: Num,
  asOf: Num,
  method: AprMethod = "simple",
): D {
  const days = dec(expiry).minus(asOf);
  if (days.lte(0)) throw new InvalidArgument("expiry", "must be after as_of");
  const ratio = dec(futuresPrice).div(spotPrice);
  if (method === "simple") return ratio.minus(ONE).times(DAYS_PER_YEAR).div(days);
  return ratio.pow(DAYS_PER_YEAR.div(days)).minus(ONE);
}
