/*
 * Hedge analytics on price series: simple returns r_t = P_t / P_(t-1) - 1 paired by position, the
 * minimum-variance hedge ratio, hedge effectiveness, and the scenario table.
 */
import { D, ONE, ZERO, dec, type Num } from "./decimal";
import { InvalidArgument } from "./errors";
import { pnl } from "./inverse";
import type { Side } from "./side";

/** Fewest prices a series needs (two returns). */
export const MIN_PRICES = 3;

function returns(prices: readonly Num[]): D[] {
  const out: D[] = [];
  let previous = dec(prices[0]);
  for (let i = 1; i < prices.length; i++) {
    const price = dec(prices[i]);
    out.push(price.div(previous).minus(ONE));
    previous = price;
  }
  return out;
}

function mean(xs: readonly D[]): D {
  return xs.reduce((sum, x) => sum.plus(x), ZERO).div(xs.length);
}

/** Sum of (x - mean x)(y - mean y): covariance without the divisor, which cancels in every ratio used here. */
function coMoment(xs: readonly D[], ys: readonly D[]): D {
  const mx = mean(xs);
  const my = mean(ys);
  let sum = ZERO;
  for (let i = 0; i < xs.length; i++) sum = sum.plus(xs[i].minus(mx).times(ys[i].minus(my)));
  return sum;
}

function pairedReturns(spotPrices: readonly Num[], futuresPrices: readonly Num[]): [D[], D[]] {
  if (spotPrices.length !== futuresPrices.length) {
    throw new InvalidArgument(
      "futures_prices",
      `must hold as many prices as spot_prices (${spotPrices.length}, not ${futuresPrices.length})`,
    );
  }
  if (spotPrices.length < MIN_PRICES) {
    throw new InvalidArgument("spot_prices", `must hold at least ${MIN_PRICES} prices`);
  }
  return [returns(spotPrices), returns(futuresPrices)];
}

function ratioOfReturns(rs: readonly D[], rf: readonly D[]): D {
  const varF = coMoment(rf, rf);
  if (varF.isZero())
    throw new InvalidArgument("futures_prices", "must vary (their returns have no variance)");
  return coMoment(rs, rf).div(varF);
}

/** Minimum-variance hedge ratio h = Cov(r_s, r_f) / Var(r_f). */
export function hedgeRatio(spotPrices: readonly Num[], futuresPrices: readonly Num[]): D {
  const [rs, rf] = pairedReturns(spotPrices, futuresPrices);
  return ratioOfReturns(rs, rf);
}

/** Share of spot return variance the hedge removes: 1 - Var(r_s - h r_f) / Var(r_s); h defaults to the hedge ratio. */
export function hedgeEffectiveness(
  spotPrices: readonly Num[],
  futuresPrices: readonly Num[],
  ratio?: Num,
): D {
  const [rs, rf] = pairedReturns(spotPrices, futuresPrices);
  const varS = coMoment(rs, rs);
  if (varS.isZero()) throw new InvalidArgument("spot_prices", "must vary (their returns have no variance)");
  const h = ratio === undefined ? ratioOfReturns(rs, rf) : dec(ratio);
  const residual = rs.map((r, i) => r.minus(h.times(rf[i])));
  return ONE.minus(coMoment(residual, residual).div(varS));
}

export const SCENARIO_HEADER = [
  "change",
  "price",
  "spot_usd",
  "hedge_coin",
  "hedge_usd",
  "total_usd",
  "total_coin",
] as const;

/**
 * Spot holding plus inverse hedge under each fractional price move c (> -1), spot and futures moving alike:
 * a header row, then [c, price, spot_usd, hedge_coin, hedge_usd, total_usd, total_coin] per move.
 */
export function scenario(
  quantity: Num,
  spotPrice: Num,
  notionalUsd: Num,
  futuresPrice: Num,
  priceChanges: readonly Num[],
  side: Side = -1,
): (string | D)[][] {
  const q = dec(quantity);
  const s = dec(spotPrice);
  const f = dec(futuresPrice);
  const table: (string | D)[][] = [[...SCENARIO_HEADER]];
  for (const change of priceChanges) {
    const c = dec(change);
    const factor = ONE.plus(c);
    const price = s.times(factor);
    const spotUsd = q.times(price);
    const hedgeCoin = pnl(notionalUsd, f, f.times(factor), side);
    const hedgeUsd = hedgeCoin.times(price);
    table.push([c, price, spotUsd, hedgeCoin, hedgeUsd, spotUsd.plus(hedgeUsd), q.plus(hedgeCoin)]);
  }
  return table;
}
