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

/**
 * Centred second moments of the paired simple returns (sums, not divided by the count, which cancels in every
 * ratio used here): css = S(r_s, r_s), cff = S(r_f, r_f), csf = S(r_s, r_f), with S(x, y) = sum (x - mean x)(y - mean y).
 * One pass: S(x, y) = sum xy - (sum x)(sum y) / n, computed on the price relatives P_t / P_(t-1); subtracting 1
 * from both would not change a centred moment. At 40 digits the cancellation this invites costs nothing
 * a double could show.
 */
interface ReturnMoments {
  css: D;
  cff: D;
  csf: D;
  /** Uncentred sums of squares, the scale that decides whether a variance is zero. */
  sss: D;
  sff: D;
}

function returnMoments(spotPrices: readonly Num[], futuresPrices: readonly Num[]): ReturnMoments {
  if (spotPrices.length !== futuresPrices.length) {
    throw new InvalidArgument(
      "futures_prices",
      `must hold as many prices as spot_prices (${spotPrices.length}, not ${futuresPrices.length})`,
    );
  }
  if (spotPrices.length < MIN_PRICES) {
    throw new InvalidArgument("spot_prices", `must hold at least ${MIN_PRICES} prices`);
  }
  let previousSpot = dec(spotPrices[0]);
  let previousFutures = dec(futuresPrices[0]);
  let ss = ZERO;
  let sf = ZERO;
  let sss = ZERO;
  let sff = ZERO;
  let ssf = ZERO;
  for (let i = 1; i < spotPrices.length; i++) {
    const spot = dec(spotPrices[i]);
    const futures = dec(futuresPrices[i]);
    const xs = spot.div(previousSpot);
    const xf = futures.div(previousFutures);
    ss = ss.plus(xs);
    sf = sf.plus(xf);
    sss = sss.plus(xs.times(xs));
    sff = sff.plus(xf.times(xf));
    ssf = ssf.plus(xs.times(xf));
    previousSpot = spot;
    previousFutures = futures;
  }
  const n = spotPrices.length - 1;
  return {
    css: sss.minus(ss.times(ss).div(n)),
    cff: sff.minus(sf.times(sf).div(n)),
    csf: ssf.minus(ss.times(sf).div(n)),
    sss,
    sff,
  };
}

/**
 * Whether a centred sum of squares is nil: zero, or below rounding noise of the 40-digit sums (a spread of
 * returns under 1e-15 relative, finer than prices held as doubles can express).
 */
function noVariance(centred: D, scale: D): boolean {
  return centred.lte(scale.times(NOISE));
}
const NOISE = new D("1e-30");

/** Minimum-variance hedge ratio h = Cov(r_s, r_f) / Var(r_f). */
export function hedgeRatio(spotPrices: readonly Num[], futuresPrices: readonly Num[]): D {
  const m = returnMoments(spotPrices, futuresPrices);
  if (noVariance(m.cff, m.sff)) {
    throw new InvalidArgument("futures_prices", "must vary (their returns have no variance)");
  }
  return m.csf.div(m.cff);
}

/**
 * Share of spot return variance the hedge removes: 1 - Var(r_s - h r_f) / Var(r_s), h defaulting to the hedge
 * ratio; Var(r_s - h r_f) = Var(r_s) - 2h Cov(r_s, r_f) + h^2 Var(r_f).
 */
export function hedgeEffectiveness(
  spotPrices: readonly Num[],
  futuresPrices: readonly Num[],
  ratio?: Num,
): D {
  const m = returnMoments(spotPrices, futuresPrices);
  if (noVariance(m.css, m.sss)) {
    throw new InvalidArgument("spot_prices", "must vary (their returns have no variance)");
  }
  let residual: D;
  if (ratio === undefined) {
    if (noVariance(m.cff, m.sff)) {
      throw new InvalidArgument("futures_prices", "must vary (their returns have no variance)");
    }
    // With h = Cov / Var(r_f) the residual is Var(r_s) - Cov^2 / Var(r_f): the result is corr^2.
    residual = m.css.minus(m.csf.times(m.csf).div(m.cff));
  } else {
    const h = dec(ratio);
    residual = m.css.minus(h.times(2).times(m.csf)).plus(h.times(h).times(m.cff));
  }
  // A variance is never negative; below zero is the last digit's rounding of a perfect hedge.
  return ONE.minus(D.max(residual, ZERO).div(m.css));
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
  const table: (string | D)[][] = [[...SCENARIO_HEADER]];
  for (const change of priceChanges)
    table.push(scenarioRow(quantity, spotPrice, notionalUsd, futuresPrice, change, side));
  return table;
}

/** One row of the scenario table for the move c. */
export function scenarioRow(
  quantity: Num,
  spotPrice: Num,
  notionalUsd: Num,
  futuresPrice: Num,
  change: Num,
  side: Side = -1,
): D[] {
  const q = dec(quantity);
  const f = dec(futuresPrice);
  const c = dec(change);
  const factor = ONE.plus(c);
  const price = dec(spotPrice).times(factor);
  const spotUsd = q.times(price);
  const hedgeCoin = pnl(notionalUsd, f, f.times(factor), side);
  const hedgeUsd = hedgeCoin.times(price);
  return [c, price, spotUsd, hedgeCoin, hedgeUsd, spotUsd.plus(hedgeUsd), q.plus(hedgeCoin)];
}
