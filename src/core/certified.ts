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
import type { AprMethod } from "./funding";
import * as inverse from "./inverse";
import type { Side } from "./side";
import * as sizing from "./sizing";

type Result = number | D;

/**
 * The fast path where it proves its double, else the definition. y === y: NaN, the fast path's "not proven", is
 * the one value that differs from itself. Six positional parameters, no rest array, so a call allocates nothing.
 */
function either<A extends unknown[]>(
  fastPath: (...args: A) => number,
  definition: (...args: A) => Result,
): (...args: A) => Result {
  const f = fastPath as unknown as (
    a: unknown,
    b: unknown,
    c: unknown,
    d: unknown,
    e: unknown,
    g: unknown,
  ) => number;
  const def = definition as unknown as (
    a: unknown,
    b: unknown,
    c: unknown,
    d: unknown,
    e: unknown,
    g: unknown,
  ) => Result;
  return ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, g: unknown) => {
    const y = f(a, b, c, d, e, g);
    return y === y ? y : def(a, b, c, d, e, g);
  }) as never;
}

export const pnl = either(fast.pnl, inverse.pnl);
export const pnlUsd = either(fast.pnlUsd, inverse.pnlUsd);
export const roe = either(fast.roe, inverse.roe);
export const margin = either(fast.margin, inverse.margin);
export const liquidationPrice = either(fast.liquidationPrice, inverse.liquidationPrice);
export const averageEntry = either(fast.averageEntry, inverse.averageEntry);
export const notional = either(fast.notional, sizing.notional);
export const size = either(fast.size, sizing.size);
export const contracts = either(fast.contracts, sizing.contracts);
export const fundingPayment = either(fast.fundingPayment, fundingMath.fundingPayment);
export const fundingApr = either(fast.fundingApr, fundingMath.fundingApr);
export const basis = either(fast.basis, basisMath.basis);
export const hedgeRatio = either(fast.hedgeRatio, analytics.hedgeRatio);
export const hedgeEffectiveness = either(fast.hedgeEffectiveness, analytics.hedgeEffectiveness);

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

/** The scenario table, each row certified on its own (a row the kernel cannot prove is computed in decimal). */
export function scenario(
  quantity: number,
  spotPrice: number,
  notionalUsd: number,
  futuresPrice: number,
  priceChanges: readonly number[],
  side: Side = -1,
): (string | number | D)[][] {
  const table: (string | number | D)[][] = [[...analytics.SCENARIO_HEADER]];
  const readable = fast.scenarioInputs(quantity, spotPrice, notionalUsd, futuresPrice);
  const row = [0, 0, 0, 0, 0, 0];
  for (const c of priceChanges) {
    if (readable && fast.scenarioRow(c, side, row)) {
      table.push([c + 0, row[0], row[1], row[2], row[3], row[4], row[5]]);
    } else {
      table.push(analytics.scenarioRow(quantity, spotPrice, notionalUsd, futuresPrice, c, side));
    }
  }
  return table;
}
