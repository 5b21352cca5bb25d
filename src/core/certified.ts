/*
 * The core's functions as the Excel functions call them: the certified fast path when it can prove its double,
 * else the decimal.js definition (which also gives every refusal and its reason). A result is a double, or a
 * decimal for the caller to convert; either way it is the double the definition gives.
 */
import * as analytics from "./analytics";
import * as basisMath from "./basis";
import type { D } from "./decimal";
import * as fast from "./fast";
import * as fundingMath from "./funding";
import * as fundingStatsMath from "./funding-stats";
import type { AprMethod } from "./funding";
import * as inverse from "./inverse";
import type { Side } from "./side";
import * as sizing from "./sizing";
import type { Rounding } from "./sizing";

type Result = number | D;

// Each function is written out (not built by a combinator) so that its call sites see one fast path and one
// definition each and V8 can inline them. y === y: NaN, the fast path's "not proven", is the one value that
// differs from itself.

export function pnl(n: number, e: number, x: number, side: Side): Result {
  const y = fast.pnl(n, e, x, side);
  return y === y ? y : inverse.pnl(n, e, x, side);
}

export function pnlUsd(n: number, e: number, x: number, side: Side): Result {
  const y = fast.pnlUsd(n, e, x, side);
  return y === y ? y : inverse.pnlUsd(n, e, x, side);
}

export function roe(e: number, x: number, side: Side, leverage: number): Result {
  const y = fast.roe(e, x, side, leverage);
  return y === y ? y : inverse.roe(e, x, side, leverage);
}

export function margin(n: number, price: number, leverage: number): Result {
  const y = fast.margin(n, price, leverage);
  return y === y ? y : inverse.margin(n, price, leverage);
}

export function liquidationPrice(
  n: number,
  e: number,
  side: Side,
  leverage: number,
  m: number,
  extra: number,
): Result {
  const y = fast.liquidationPrice(n, e, side, leverage, m, extra);
  return y === y ? y : inverse.liquidationPrice(n, e, side, leverage, m, extra);
}

export function averageEntry(notionals: readonly number[], prices: readonly number[]): Result {
  const y = fast.averageEntry(notionals, prices);
  return y === y ? y : inverse.averageEntry(notionals, prices);
}

export function notional(quantity: number, price: number, hedgeRatio: number): Result {
  const y = fast.notional(quantity, price, hedgeRatio);
  return y === y ? y : sizing.notional(quantity, price, hedgeRatio);
}

export function size(n: number, price: number): Result {
  const y = fast.size(n, price);
  return y === y ? y : sizing.size(n, price);
}

export function contracts(n: number, contractSize: number, rounding: Rounding): Result {
  const y = fast.contracts(n, contractSize, rounding);
  return y === y ? y : sizing.contracts(n, contractSize, rounding);
}

export function fundingPayment(n: number, mark: number, rate: number, side: Side): Result {
  const y = fast.fundingPayment(n, mark, rate, side);
  return y === y ? y : fundingMath.fundingPayment(n, mark, rate, side);
}

export function fundingApr(rate: number, hours: number, method: AprMethod): Result {
  const y = fast.fundingApr(rate, hours, method);
  return y === y ? y : fundingMath.fundingApr(rate, hours, method);
}

export function basis(f: number, s: number): Result {
  const y = fast.basis(f, s);
  return y === y ? y : basisMath.basis(f, s);
}

export function hedgeRatio(spot: readonly number[], futures: readonly number[]): Result {
  const y = fast.hedgeRatio(spot, futures);
  return y === y ? y : analytics.hedgeRatio(spot, futures);
}

export function hedgeEffectiveness(
  spot: readonly number[],
  futures: readonly number[],
  ratio?: number,
): Result {
  const y = fast.hedgeEffectiveness(spot, futures, ratio);
  return y === y ? y : analytics.hedgeEffectiveness(spot, futures, ratio);
}

/** FUNDING.STATS's row of numbers (see funding-stats' statsRow). */
export function fundingStatsRow(rates: readonly number[], days: number): number[] {
  const row = [0, 0, 0, 0, 0, 0, 0];
  return fast.fundingStatsRow(rates, days, row)
    ? row
    : fundingStatsMath.statsRow(fundingStatsMath.fundingStats(rates, days));
}

export function fundingEarned(rates: readonly number[], notional: number, side: Side): Result {
  const y = fast.fundingEarned(rates, notional, side);
  return y === y ? y : fundingStatsMath.fundingEarned(rates, notional, side);
}

/** Dates as numbers (serials) take the fast path; exact decimal serials (ISO text) go to the definition. */
export function basisApr(
  f: number,
  s: number,
  expiry: number | D,
  asOf: number | D,
  method: AprMethod,
): Result {
  if (typeof expiry === "number" && typeof asOf === "number") {
    const y = fast.basisApr(f, s, expiry, asOf, method);
    if (y === y) return y;
  }
  return basisMath.basisApr(f, s, expiry, asOf, method);
}

/**
 * The scenario table, each row certified on its own (a row the kernel cannot prove is computed in decimal and
 * converted to the doubles it rounds to: ±Infinity if a value is beyond them, for the caller to refuse). Every
 * row below the header holds numbers only, so a caller reads them as the doubles they are.
 */
export function scenario(
  quantity: number,
  spotPrice: number,
  notionalUsd: number,
  futuresPrice: number,
  priceChanges: readonly number[],
  side: Side = -1,
): (string | number)[][] {
  const table: (string | number)[][] = [[...analytics.SCENARIO_HEADER]];
  const readable = fast.scenarioInputs(quantity, spotPrice, notionalUsd, futuresPrice);
  const row = [0, 0, 0, 0, 0, 0];
  for (const c of priceChanges) {
    if (readable && fast.scenarioRow(c, side, row)) {
      table.push([c + 0, row[0], row[1], row[2], row[3], row[4], row[5]]);
    } else {
      const r = analytics.scenarioRow(quantity, spotPrice, notionalUsd, futuresPrice, c, side);
      const n = (k: number) => r[k].toNumber();
      table.push([n(0), n(1), n(2), n(3), n(4), n(5), n(6)]);
    }
  }
  return table;
}
