/*
 * Fast paths of the core's formulas on the certified kernel (see kernel.ts). Each mirrors its decimal.js
 * definition step for step (same operations, same order) and returns the double the definition returns, or NaN
 * when the kernel cannot prove it, or when the definition refuses (then the caller runs the definition, which
 * gives the answer or the reason). None is a second definition: the property tests and `npm run verify:exact`
 * hold each to its decimal twin bit for bit. Values live in the kernel's numbered slots.
 */
import { NAN, R, V, abs, cert, floor, inp, num, prod, quot, signOf, sum, twoProd } from "./kernel";

const { isInteger } = Number;
import type { Side } from "./side";

/** Sign flip of a certified double: -NaN is NaN, and a -0 becomes 0 at the Excel boundary. */
const signed = (y: number, side: Side) => (side === 1 ? y : -y);

/** N x (X - E) / (E x X). */
export function pnl(n: number, e: number, x: number, side: Side): number {
  if (x === e) return 0; // N x 0 / (E X), exact in decimal too
  if (!inp(0, n) || !inp(1, e) || !inp(2, x)) return NAN;
  sum(3, 2, 1, -1);
  prod(3, 0, 3);
  prod(4, 1, 2);
  quot(3, 3, 4);
  return signed(cert(3), side);
}

/** N x (X - E) / E. */
export function pnlUsd(n: number, e: number, x: number, side: Side): number {
  if (x === e) return 0;
  if (!inp(0, n) || !inp(1, e) || !inp(2, x)) return NAN;
  sum(3, 2, 1, -1);
  prod(3, 0, 3);
  quot(3, 3, 1);
  return signed(cert(3), side);
}

/** (1 - E / X) x leverage. */
export function roe(e: number, x: number, side: Side, leverage: number): number {
  if (x === e) return 0; // (1 - 1) x leverage
  if (!inp(0, e) || !inp(1, x) || !inp(2, leverage)) return NAN;
  quot(3, 0, 1);
  num(4, 1);
  sum(3, 4, 3, -1);
  prod(3, 3, 2);
  return signed(cert(3), side);
}

/** N / (price x leverage). */
export function margin(n: number, price: number, leverage: number): number {
  if (!inp(0, n) || !inp(1, price) || !inp(2, leverage)) return NAN;
  prod(3, 1, 2);
  quot(3, 0, 3);
  return cert(3);
}

/** N / price. */
export function size(n: number, price: number): number {
  if (!inp(0, n) || !inp(1, price)) return NAN;
  quot(2, 0, 1);
  return cert(2);
}

/** quantity x price x hedge_ratio. */
export function notional(quantity: number, price: number, hedgeRatio: number): number {
  if (!inp(0, quantity) || !inp(1, price) || !inp(2, hedgeRatio)) return NAN;
  prod(3, 0, 1);
  prod(3, 3, 2);
  return cert(3);
}

/**
 * Whole contracts: N / size rounded down (toward zero), up (away from zero) or to nearest (halves up). Decided
 * exactly when the quotient of the two inputs is exact; otherwise the quotient's bound must keep clear of the
 * integer (or half) the rounding turns on.
 */
export function contracts(n: number, contractSize: number, rounding: "nearest" | "down" | "up"): number {
  if (!inp(0, n) || !inp(1, contractSize)) return NAN;
  if (V[1] === 0 && V[2] === 0 && V[4] === 0 && V[5] === 0) {
    // both inputs are exactly their decimals: if the binary quotient is exact, so is decimal's
    const q = n / contractSize;
    twoProd(q, contractSize);
    if (q < 2 ** 52 && R[0] === n && R[1] === 0) {
      const k = floor(q);
      const f = q - k;
      if (rounding === "down" || f === 0) return k;
      return rounding === "up" || f >= 0.5 ? k + 1 : k;
    }
  }
  quot(2, 0, 1);
  const qh = V[6];
  if (!(qh < 2 ** 52)) return NAN;
  // the boundary the rounding turns on: an integer for down/up, a half for nearest
  const shift = rounding === "nearest" ? 0.5 : 0;
  const k = floor(qh + shift);
  const f = qh + shift - k + V[7];
  // f carries the bound, and two roundings of qh + shift (exact only when qh's ulp divides 1/2)
  const margin = (abs(V[7]) + V[8]) * 2 + 2 ** -51 * (qh + 1);
  if (f < margin || f > 1 - margin) return NAN;
  return rounding === "up" ? k + 1 : k; // q + shift lies strictly inside (k, k + 1)
}

/** Liquidation price as inverse.liquidationPrice; NaN when unproven or when the definition refuses. */
export function liquidationPrice(
  n: number,
  e: number,
  side: Side,
  leverage: number,
  m: number,
  extra: number,
): number {
  if (!inp(0, n) || !inp(1, e) || !inp(2, leverage) || !inp(3, m)) return NAN;
  quot(5, 0, 1); // face = N / E
  quot(6, 5, 2);
  if (extra !== 0) {
    // (no extra margin, the default, adds an exact 0: the decimal sum is the face / leverage decimal itself)
    if (!inp(4, extra)) return NAN;
    sum(6, 6, 4); // collateral W = face / leverage + extra
  }
  if (side === -1) {
    sum(7, 5, 6, -1); // shortfall = face - W
    if (signOf(7) !== 1) return NAN; // a short that cannot be liquidated, or unsure
  }
  // m x face surely below W by a factor of 2 (far beyond every error of these doubles, each within 1e-10 of its
  // decimal): not liquidated on opening, no need to work out m x face - W to the last digit
  if (!(V[9] * V[15] < 0.5 * V[18] && V[17] < 1e-10 * V[15] && V[20] < 1e-10 * V[18])) {
    prod(8, 3, 5);
    sum(8, 8, 6, -1); // m x face - W
    if (signOf(8) !== -1) return NAN; // liquidated on opening, or unsure
  }
  num(9, 1);
  sum(9, 9, 3, side); // 1 + m or 1 - m
  prod(9, 0, 9);
  if (side === 1) {
    sum(10, 6, 5);
    quot(9, 9, 10);
  } else {
    quot(9, 9, 7);
  }
  return cert(9);
}

/** -s x N / mark x rate. */
export function fundingPayment(n: number, mark: number, rate: number, side: Side): number {
  if (!inp(0, n) || !inp(1, mark) || !inp(2, rate)) return NAN;
  quot(3, 0, 1);
  prod(3, 3, 2);
  return signed(cert(3), side === 1 ? -1 : 1);
}

/**
 * Annualised funding: simple = 8760 / hours x rate. Compound = (1 + rate)^(8760 / hours) - 1 only when the
 * periods are a whole number: decimal.js then multiplies by squaring (its error, within (p + 2) x 5e-40
 * relative, is added to the bound) and so do we; a fractional exponent goes through decimal's exp(ln) and is
 * left to the definition.
 */
export function fundingApr(rate: number, hours: number, method: "simple" | "compound"): number {
  if (!inp(0, rate) || !inp(1, hours)) return NAN;
  num(2, 8760);
  if (method === "simple") {
    quot(2, 2, 1);
    prod(2, 2, 0);
    return cert(2);
  }
  if (rate === 0) return 0; // 1^p - 1
  let p = 8760 / hours;
  if (!(isInteger(hours) && isInteger(p))) return NAN;
  const periods = p;
  num(2, 1);
  sum(3, 2, 0); // base = 1 + rate; slot 2 = the power
  for (;;) {
    if (p % 2) prod(2, 2, 3);
    p = floor(p / 2);
    if (p === 0) break;
    prod(3, 3, 3);
  }
  V[8] += (periods + 2) * 1e-39 * abs(V[6]);
  num(3, 1);
  sum(2, 2, 3, -1);
  return cert(2);
}

/** F / S - 1. */
export function basis(f: number, s: number): number {
  if (f === s) return 0;
  if (!inp(0, f) || !inp(1, s)) return NAN;
  quot(2, 0, 1);
  num(3, 1);
  sum(2, 2, 3, -1);
  return cert(2);
}

/** Simple annualised basis (F / S - 1) x 365 / (expiry - as_of); NaN for compound (decimal's exp(ln)). */
export function basisApr(
  f: number,
  s: number,
  expiry: number,
  asOf: number,
  method: "simple" | "compound",
): number {
  if (method !== "simple") return NAN;
  if (!inp(0, f) || !inp(1, s) || !inp(2, expiry) || !inp(3, asOf)) return NAN;
  sum(2, 2, 3, -1); // days
  if (signOf(2) !== 1) return NAN; // not surely after as_of: the definition decides, and may refuse
  quot(0, 0, 1);
  num(3, 1);
  sum(0, 0, 3, -1);
  num(3, 365);
  prod(0, 0, 3);
  quot(0, 0, 2);
  return cert(0);
}

/** sum(N) / sum(N / P) over the fills, in one pass. */
export function averageEntry(notionals: readonly number[], prices: readonly number[]): number {
  const count = notionals.length;
  if (count === 0 || prices.length !== count) return NAN;
  num(0, 0); // sum of N
  num(1, 0); // sum of N / P
  for (let i = 0; i < count; i++) {
    if (!inp(2, notionals[i]) || !inp(3, prices[i])) return NAN;
    sum(0, 0, 2);
    quot(2, 2, 3);
    sum(1, 1, 2);
  }
  quot(0, 0, 1);
  return cert(0);
}

/**
 * The moments of analytics.returnMoments into slots: 1 ss, 2 sf, 3 sss, 4 sff, 5 ssf, then the centred
 * 10 css, 11 cff, 12 csf. False when an input cannot be read.
 */
function moments(spot: readonly number[], futures: readonly number[]): boolean {
  if (!inp(6, spot[0]) || !inp(7, futures[0])) return false;
  for (let k = 1; k <= 5; k++) num(k, 0);
  // the previous prices in slots p, p + 1, these in c, c + 1: 6 and 8 by turns
  let p = 6;
  for (let i = 1; i < spot.length; i++) {
    const c = 14 - p;
    if (!inp(c, spot[i]) || !inp(c + 1, futures[i])) return false;
    quot(13, c, p); // xs
    quot(14, c + 1, p + 1); // xf
    sum(1, 1, 13);
    sum(2, 2, 14);
    prod(15, 13, 13);
    sum(3, 3, 15);
    prod(15, 14, 14);
    sum(4, 4, 15);
    prod(15, 13, 14);
    sum(5, 5, 15);
    p = c;
  }
  num(16, spot.length - 1);
  centred(10, 1, 1, 3);
  centred(11, 2, 2, 4);
  centred(12, 1, 2, 5);
  return true;
}

/** Slot d = s(xy) - s(x) s(y) / n, n in slot 16. */
function centred(d: number, x: number, y: number, sxy: number): void {
  prod(d, x, y);
  quot(d, d, 16);
  sum(d, sxy, d, -1);
}

/** Whether the centred sum of squares in slot c surely exceeds the definition's noise line, 1e-30 of slot s. */
function surelyVaries(c: number, s: number): boolean {
  return V[3 * c] + V[3 * c + 1] - V[3 * c + 2] > 1e-29 * (V[3 * s] + V[3 * s + 2]);
}

function sameSeries(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Cov(r_s, r_f) / Var(r_f); NaN when unproven or when the definition refuses. */
export function hedgeRatio(spot: readonly number[], futures: readonly number[]): number {
  if (spot.length !== futures.length || spot.length < 3) return NAN;
  if (!moments(spot, futures) || !surelyVaries(11, 4)) return NAN;
  // the same series twice: the definition's Cov and Var are one decimal, so the ratio is exactly 1
  if (V[36] === V[33] && V[37] === V[34] && sameSeries(spot, futures)) return 1;
  quot(17, 12, 11);
  return cert(17);
}

/** 1 - max(residual, 0) / Var(r_s); NaN when unproven or when the definition refuses. */
export function hedgeEffectiveness(
  spot: readonly number[],
  futures: readonly number[],
  ratio?: number,
): number {
  if (spot.length !== futures.length || spot.length < 3) return NAN;
  if (!moments(spot, futures) || !surelyVaries(10, 3)) return NAN;
  if (ratio === undefined) {
    if (!surelyVaries(11, 4)) return NAN;
    prod(17, 12, 12);
    quot(17, 17, 11);
    sum(17, 10, 17, -1); // css - csf^2 / cff
  } else {
    if (!inp(18, ratio)) return NAN;
    num(19, 2);
    prod(19, 18, 19);
    prod(19, 19, 12);
    sum(17, 10, 19, -1);
    prod(19, 18, 18);
    prod(19, 19, 11);
    sum(17, 17, 19); // css - 2h csf + h^2 cff
  }
  const r = V[51] + V[52];
  const e = V[53];
  // max(residual, 0) lies in [max(r - e, 0), r + e]; below zero is the rounding of a perfect hedge
  if (!(r > e)) {
    const t = (r + e) / (V[30] - V[32]); // 1 - t rounds to 1 for 0 <= t < 2^-54; ask for half of that
    return t <= 0 || (t < 2 ** -55 && V[30] - V[32] > 0) ? 1 : NAN;
  }
  quot(17, 17, 10);
  num(19, 1);
  sum(17, 19, 17, -1);
  return cert(17);
}

/** Reads SCENARIO's fixed inputs (quantity, spot, notional, futures) into slots 20 to 23; false if it cannot. */
export function scenarioInputs(q: number, s: number, n: number, f: number): boolean {
  return inp(20, q) && inp(21, s) && inp(22, n) && inp(23, f);
}

/**
 * One SCENARIO row for move c into `row` (price, spot_usd, hedge_coin, hedge_usd, total_usd, total_coin), after
 * scenarioInputs; false when any cell is unproven (the caller computes the row by the definition).
 */
export function scenarioRow(c: number, side: Side, row: number[]): boolean {
  if (c === 0) {
    // factor 1: price = spot, the futures do not move, the hedge is exactly 0
    prod(25, 20, 21);
    row[0] = V[63]; // the spot price itself
    row[1] = row[4] = cert(25);
    row[2] = row[3] = 0;
    row[5] = V[60];
    return row[1] === row[1];
  }
  if (!inp(24, c)) return false;
  num(25, 1);
  sum(24, 25, 24); // factor
  prod(25, 21, 24); // price
  prod(26, 20, 25); // spot_usd
  prod(27, 23, 24); // futures exit
  sum(28, 27, 23, -1);
  prod(28, 22, 28);
  prod(27, 23, 27);
  quot(28, 28, 27); // hedge_coin, long
  if (side === -1) {
    V[84] = -V[84];
    V[85] = -V[85];
  }
  prod(29, 28, 25); // hedge_usd
  sum(27, 26, 29); // total_usd
  sum(24, 20, 28); // total_coin
  return (
    (row[0] = cert(25)) === row[0] &&
    (row[1] = cert(26)) === row[1] &&
    (row[2] = cert(28)) === row[2] &&
    (row[3] = cert(29)) === row[3] &&
    (row[4] = cert(27)) === row[4] &&
    (row[5] = cert(24)) === row[5]
  );
}

/** The rates' sum into slot 0, added in order as funding-stats adds them; false when a rate cannot be read. */
function rateSum(rates: readonly number[]): boolean {
  num(0, 0);
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i];
    if (!inp(1, r)) {
      // below the reader's range (a subnormal): r itself, its decimal within |r| of it (the bound)
      if (!(abs(r) < 1e-30)) return false;
      num(1, r);
      V[5] = abs(r);
    }
    sum(0, 0, 1);
  }
  return true;
}

/**
 * FUNDING.STATS's row (settlements, sum, mean, apr, min, max, positive share) as statsRow(fundingStats(rates,
 * days)) gives it, into `row`, in one pass of double-double sums; false when a figure is unproven or when the
 * definition refuses (then the caller runs the definition).
 */
export function fundingStatsRow(rates: readonly number[], days: number, row: number[]): boolean {
  const count = rates.length;
  if (count === 0 || !(days > 0) || !inp(2, days) || !rateSum(rates)) return false;
  let positive = 0;
  for (let i = 0; i < count; i++) if (rates[i] > 0) positive++;
  num(3, count);
  quot(4, 0, 3); // mean = sum / count
  num(5, 365);
  prod(5, 0, 5);
  quot(5, 5, 2); // apr = sum x 365 / days
  num(6, positive);
  quot(6, 6, 3); // positive share
  row[0] = count;
  row[4] = Math.min(...rates); // a double is its own decimal: nothing to round
  row[5] = Math.max(...rates);
  return (
    (row[1] = cert(0)) === row[1] &&
    (row[2] = cert(4)) === row[2] &&
    (row[3] = cert(5)) === row[3] &&
    (row[6] = cert(6)) === row[6]
  );
}

/** FUNDING.EARNED: -s x notional x sum of the rates, as funding-stats computes it; NaN when unproven. */
export function fundingEarned(rates: readonly number[], notional: number, side: Side): number {
  if (rates.length === 0 || !inp(2, notional) || !rateSum(rates)) return NAN;
  prod(0, 0, 2);
  return signed(cert(0), side === 1 ? -1 : 1);
}
