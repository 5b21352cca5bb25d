import { HOURS_PER_YEAR, ONE, type D, dec, type Num } from "./decimal";
import type { Side } from "./side";

export type AprMethod = "simple" | "compound";

/** Funding for one interval in coin, positive when received: -s x N / mark_price x rate (a positive rate: longs pay). */
export function fundingPayment(notionalUsd: Num, markPrice: Num, fundingRate: Num, side: Side): D {
  const paidByLongs = dec(notionalUsd).div(markPrice).times(fundingRate);
  return side === 1 ? paidByLongs.neg() : paidByLongs;
}

/** Annualised funding rate: simple = rate x 8760 / interval_hours; compound = (1 + rate)^(8760 / interval_hours) - 1. */
export function fundingApr(fundingRate: Num, intervalHours: Num = 8, method: AprMethod = "simple"): D {
  const periods = HOURS_PER_YEAR.div(intervalHours);
  if (method === "simple") return periods.times(fundingRate);
  return ONE.plus(fundingRate).pow(periods).minus(ONE);
}
