/*
 * Realised funding over a window of settlements: what HEDGE.FUNDING.STATS and HEDGE.FUNDING.EARNED report.
 * Each figure is the decimal.js value of a spreadsheet aggregate over the same rates (SUM, AVERAGE, COUNT, MIN,
 * MAX, COUNTIF(>0)/COUNT), so a person checking it with HEDGE.FUNDING.HISTORY gets the same numbers.
 */
import { DAYS_PER_YEAR, type D, dec, type Num, ZERO } from "./decimal";
import { InvalidArgument, NotApplicable } from "./errors";
import type { Side } from "./side";

export interface FundingStats {
  settlements: number;
  sumRate: D;
  meanRate: D;
  /** sum_rate x 365 / days: what a position held through the window earned, annualised. */
  apr: D;
  minRate: D;
  maxRate: D;
  /** Share of settlements with a rate above zero (longs paid shorts). */
  positiveShare: D;
}

/** The header row FUNDING.STATS spills above its numbers, in the order of `statsRow`. */
export const FUNDING_STATS_HEADERS = [
  "settlements",
  "sum_rate",
  "mean_rate",
  "apr",
  "min_rate",
  "max_rate",
  "positive_share",
] as const;

/** Statistics of the settled rates of a `days`-day window; #N/A (NotApplicable) when nothing settled in it. */
export function fundingStats(rates: readonly number[], days: Num): FundingStats {
  const window = dec(days);
  if (!window.isFinite() || window.lte(0)) throw new InvalidArgument("days", "must be greater than 0");
  if (rates.length === 0) throw new NotApplicable("no funding settlements in the window");
  const sum = rates.reduce<D>((acc, r) => acc.plus(r), ZERO);
  const count = rates.length;
  return {
    settlements: count,
    sumRate: sum,
    meanRate: sum.div(count),
    apr: sum.times(DAYS_PER_YEAR).div(window),
    // The smallest and largest of doubles are doubles: no arithmetic, nothing to round.
    minRate: dec(Math.min(...rates)),
    maxRate: dec(Math.max(...rates)),
    positiveShare: dec(rates.filter((r) => r > 0).length).div(count),
  };
}

/** The stats as one row of numbers, in FUNDING_STATS_HEADERS order. */
export function statsRow(s: FundingStats): number[] {
  return [s.settlements, s.sumRate, s.meanRate, s.apr, s.minRate, s.maxRate, s.positiveShare].map(Number);
}

/**
 * USD a position of `notional` earned (+) or paid (-) in funding over the settlements: -s x notional x sum of
 * the rates. Each inverse settlement is notional / mark x rate coin, which is notional x rate USD at the mark it
 * was paid at, so the USD total does not depend on the marks.
 */
export function fundingEarned(rates: readonly number[], notional: Num, side: Side): D {
  const paidByLongs = fundingStats(rates, 1).sumRate.times(notional);
  return side === 1 ? paidByLongs.neg() : paidByLongs;
}
