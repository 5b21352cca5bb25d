/*
 * Inverse (coin-margined) positions: the face value N is in USD, profit and margin are in coin.
 * s = +1 long, -1 short; E = entry price, X = exit price.
 */
import { D, ONE, dec, type Num } from "./decimal";
import { InvalidArgument, NotApplicable } from "./errors";
import type { Side } from "./side";

/** Profit in coin: s x N x (1/E - 1/X), computed as s x N x (X - E) / (E x X) so only one division rounds. */
export function pnl(notionalUsd: Num, entryPrice: Num, exitPrice: Num, side: Side): D {
  const e = dec(entryPrice);
  const x = dec(exitPrice);
  const coin = dec(notionalUsd).times(x.minus(e)).div(e.times(x));
  return side === 1 ? coin : coin.neg();
}

/** The same profit valued at the exit price, in USD: s x N x (X - E) / E. */
export function pnlUsd(notionalUsd: Num, entryPrice: Num, exitPrice: Num, side: Side): D {
  const e = dec(entryPrice);
  const usd = dec(notionalUsd).times(dec(exitPrice).minus(e)).div(e);
  return side === 1 ? usd : usd.neg();
}

/** Return on initial margin: s x (1 - E/X) x leverage. */
export function roe(entryPrice: Num, exitPrice: Num, side: Side, leverage: Num): D {
  const r = ONE.minus(dec(entryPrice).div(exitPrice)).times(leverage);
  return side === 1 ? r : r.neg();
}

/** Initial margin in coin: N / (price x leverage). */
export function margin(notionalUsd: Num, price: Num, leverage: Num): D {
  return dec(notionalUsd).div(dec(price).times(leverage));
}

export const NEVER_LIQUIDATED =
  "a short whose coin collateral covers its face value (1x or less) cannot be liquidated: no liquidation price";
export const LIQUIDATED_ON_OPENING =
  "the maintenance margin at entry (maint_margin_rate x notional / entry_price) is at or above the collateral: the position would be liquidated on opening, so it has no liquidation price";

/**
 * Isolated-margin liquidation price: where equity W + s x N x (1/E - 1/P) equals maintenance margin m x N / P,
 * with W = N / (E x leverage) + extra margin. A short whose collateral covers any rise has none, and neither has a
 * position whose maintenance margin at entry m x N / E is at or above W (liquidated on opening): NotApplicable.
 */
export function liquidationPrice(
  notionalUsd: Num,
  entryPrice: Num,
  side: Side,
  leverage: Num,
  maintMarginRate: Num = 0.005,
  extraMargin: Num = 0,
): D {
  const n = dec(notionalUsd);
  const faceInCoin = n.div(entryPrice);
  const collateral = faceInCoin.div(leverage).plus(extraMargin);
  const m = dec(maintMarginRate);
  const shortfall = faceInCoin.minus(collateral);
  if (side === -1 && shortfall.lte(0)) throw new NotApplicable(NEVER_LIQUIDATED);
  // Maintenance margin at entry m x N / E at or above the collateral: equity is already at the line.
  if (m.times(faceInCoin).gte(collateral)) throw new NotApplicable(LIQUIDATED_ON_OPENING);
  if (side === 1) return n.times(ONE.plus(m)).div(collateral.plus(faceInCoin));
  return n.times(ONE.minus(m)).div(shortfall);
}

/** Average entry price of several fills: sum(N_i) / sum(N_i / P_i), the harmonic mean weighted by notional. */
export function averageEntry(notionals: readonly Num[], prices: readonly Num[]): D {
  if (notionals.length !== prices.length) {
    throw new InvalidArgument(
      "prices",
      `must hold as many values as notionals (${notionals.length}, not ${prices.length})`,
    );
  }
  if (notionals.length === 0) throw new InvalidArgument("notionals", "must hold at least one fill");
  let totalUsd = new D(0);
  let totalCoin = new D(0);
  for (let i = 0; i < notionals.length; i++) {
    const n = dec(notionals[i]);
    totalUsd = totalUsd.plus(n);
    totalCoin = totalCoin.plus(n.div(prices[i]));
  }
  return totalUsd.div(totalCoin);
}
