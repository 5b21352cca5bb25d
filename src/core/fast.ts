/*
 * Fast paths of the core's formulas on the certified kernel (see kernel.ts). Each mirrors its decimal.js
 * definition step for step (same operations, same order) and returns the double the definition returns, or NaN
 * when the kernel cannot prove it (then the caller computes the definition). No function here is a second
 * definition: the property tests and `npm run verify:exact` hold each to its decimal twin bit for bit.
 */
import { R, add, certify, div, input, mul, set, twoProd } from "./kernel";
import type { Side } from "./side";

/** Sign flip of a certified double: -NaN is NaN, and -0 stays a zero. */
const signed = (y: number, side: Side) => (side === 1 ? y : -y);

/** N x (X - E) / (E x X). */
export function pnl(n: number, e: number, x: number, side: Side): number {
  if (x === e) return 0; // N x 0 / (E X), exact in decimal too
  if (!input(x)) return NaN;
  const xh = R.h,
    xl = R.l,
    xe = R.e;
  if (!input(e)) return NaN;
  const eh = R.h,
    el = R.l,
    ee = R.e;
  if (!input(n)) return NaN;
  const nh = R.h,
    nl = R.l,
    ne = R.e;
  add(xh, xl, xe, -eh, -el, ee);
  mul(nh, nl, ne, R.h, R.l, R.e);
  const th = R.h,
    tl = R.l,
    te = R.e;
  mul(eh, el, ee, xh, xl, xe);
  div(th, tl, te, R.h, R.l, R.e);
  return signed(certify(), side);
}

/** N x (X - E) / E. */
export function pnlUsd(n: number, e: number, x: number, side: Side): number {
  if (x === e) return 0;
  if (!input(x)) return NaN;
  const xh = R.h,
    xl = R.l,
    xe = R.e;
  if (!input(e)) return NaN;
  const eh = R.h,
    el = R.l,
    ee = R.e;
  if (!input(n)) return NaN;
  const nh = R.h,
    nl = R.l,
    ne = R.e;
  add(xh, xl, xe, -eh, -el, ee);
  mul(nh, nl, ne, R.h, R.l, R.e);
  div(R.h, R.l, R.e, eh, el, ee);
  return signed(certify(), side);
}

/** (1 - E / X) x leverage. */
export function roe(e: number, x: number, side: Side, leverage: number): number {
  if (x === e) return 0; // (1 - 1) x leverage
  if (!input(x)) return NaN;
  const xh = R.h,
    xl = R.l,
    xe = R.e;
  if (!input(leverage)) return NaN;
  const lh = R.h,
    ll = R.l,
    le = R.e;
  if (!input(e)) return NaN;
  div(R.h, R.l, R.e, xh, xl, xe);
  add(1, 0, 0, -R.h, -R.l, R.e);
  mul(R.h, R.l, R.e, lh, ll, le);
  return signed(certify(), side);
}

/** N / (price x leverage). */
export function margin(n: number, price: number, leverage: number): number {
  if (!input(leverage)) return NaN;
  const lh = R.h,
    ll = R.l,
    le = R.e;
  if (!input(n)) return NaN;
  const nh = R.h,
    nl = R.l,
    ne = R.e;
  if (!input(price)) return NaN;
  mul(R.h, R.l, R.e, lh, ll, le);
  div(nh, nl, ne, R.h, R.l, R.e);
  return certify();
}

/** N / price. */
export function size(n: number, price: number): number {
  if (!input(price)) return NaN;
  const ph = R.h,
    pl = R.l,
    pe = R.e;
  if (!input(n)) return NaN;
  div(R.h, R.l, R.e, ph, pl, pe);
  return certify();
}

/** quantity x price x hedge_ratio. */
export function notional(quantity: number, price: number, hedgeRatio: number): number {
  if (!input(price)) return NaN;
  const ph = R.h,
    pl = R.l,
    pe = R.e;
  if (!input(hedgeRatio)) return NaN;
  const rh = R.h,
    rl = R.l,
    re = R.e;
  if (!input(quantity)) return NaN;
  mul(R.h, R.l, R.e, ph, pl, pe);
  mul(R.h, R.l, R.e, rh, rl, re);
  return certify();
}

/**
 * Whole contracts: N / size rounded down (toward zero), up (away from zero) or to nearest (halves up). The
 * quotient's bound must keep clear of the integer (or half) the rounding turns on, else NaN.
 */
export function contracts(n: number, contractSize: number, rounding: "nearest" | "down" | "up"): number {
  if (!input(contractSize)) return NaN;
  const sh = R.h,
    sl = R.l,
    se = R.e;
  if (!input(n)) return NaN;
  if (sl === 0 && se === 0 && R.l === 0 && R.e === 0) {
    // both inputs are exactly their decimals: if the binary quotient is exact, so is decimal's, and the
    // rounding can be decided on it exactly (halves included)
    const q = n / contractSize;
    const k = Math.floor(q);
    twoProd(q, contractSize);
    if (R.h === n && R.l === 0 && q < 2 ** 52) {
      const f = q - k;
      if (rounding === "down" || f === 0) return k;
      return rounding === "up" || f >= 0.5 ? k + 1 : k;
    }
  }
  div(R.h, R.l, R.e, sh, sl, se);
  const qh = R.h;
  if (!(qh < 2 ** 52)) return NaN;
  // the boundary the rounding turns on: an integer for down/up, a half for nearest
  const shift = rounding === "nearest" ? 0.5 : 0;
  const k = Math.floor(qh + shift);
  const f = qh + shift - k + R.l;
  // f carries the bound, and two roundings of qh + shift (exact only when qh's ulp divides 1/2)
  const margin = (Math.abs(R.l) + R.e) * 2 + 4 * 2 ** -53 * (qh + 1);
  if (f < margin || f > 1 - margin) return NaN;
  // q + shift lies strictly inside (k, k + 1)
  return rounding === "up" ? k + 1 : k;
}

/**
 * Liquidation price; NaN when not certified, and when the definition refuses (a short that cannot be liquidated,
 * or liquidated on opening: the definition then gives the reason).
 */
export function liquidationPrice(
  n: number,
  e: number,
  side: Side,
  leverage: number,
  m: number,
  extra: number,
): number {
  if (!input(e)) return NaN;
  const eh = R.h,
    el = R.l,
    ee = R.e;
  if (!input(n)) return NaN;
  const nh = R.h,
    nl = R.l,
    ne = R.e;
  div(nh, nl, ne, eh, el, ee); // face = N / E
  const fh = R.h,
    fl = R.l,
    fe = R.e;
  if (!input(leverage)) return NaN;
  div(fh, fl, fe, R.h, R.l, R.e);
  const ch = R.h,
    cl = R.l,
    ce = R.e;
  if (!input(extra)) return NaN;
  add(ch, cl, ce, R.h, R.l, R.e); // collateral W
  const wh = R.h,
    wl = R.l,
    we = R.e;
  add(fh, fl, fe, -wh, -wl, we); // shortfall = face - W
  const dh = R.h,
    dl = R.l,
    de = R.e;
  if (side === -1 && !(dh + dl > de)) return NaN;
  if (!input(m)) return NaN;
  const mh = R.h,
    ml = R.l,
    me = R.e;
  mul(mh, ml, me, fh, fl, fe); // m x face
  add(R.h, R.l, R.e, -wh, -wl, we);
  if (!(R.h + R.l < -R.e)) return NaN;
  add(1, 0, 0, side === 1 ? mh : -mh, side === 1 ? ml : -ml, me); // 1 + m or 1 - m
  mul(nh, nl, ne, R.h, R.l, R.e);
  const ph = R.h,
    pl = R.l,
    pe = R.e;
  if (side === 1) {
    add(wh, wl, we, fh, fl, fe);
    div(ph, pl, pe, R.h, R.l, R.e);
  } else {
    div(ph, pl, pe, dh, dl, de);
  }
  return certify();
}

/** -s x N / mark x rate. */
export function fundingPayment(n: number, mark: number, rate: number, side: Side): number {
  if (!input(mark)) return NaN;
  const mh = R.h,
    ml = R.l,
    me = R.e;
  if (!input(rate)) return NaN;
  const rh = R.h,
    rl = R.l,
    re = R.e;
  if (!input(n)) return NaN;
  div(R.h, R.l, R.e, mh, ml, me);
  mul(R.h, R.l, R.e, rh, rl, re);
  return signed(certify(), side === 1 ? -1 : 1);
}

/**
 * Annualised funding: simple = 8760 / hours x rate. Compound = (1 + rate)^(8760 / hours) - 1 only when the
 * periods are a whole number (decimal.js then multiplies by squaring, within (p + 2) x 5e-40 relative, which
 * the bound adds); a fractional exponent goes through decimal's exp(ln) and falls back.
 */
export function fundingApr(rate: number, hours: number, method: "simple" | "compound"): number {
  if (!input(hours)) return NaN;
  const hh = R.h,
    hl = R.l,
    he = R.e;
  if (!input(rate)) return NaN;
  const rh = R.h,
    rl = R.l,
    re = R.e;
  if (method === "simple") {
    div(8760, 0, 0, hh, hl, he);
    mul(R.h, R.l, R.e, rh, rl, re);
    return certify();
  }
  if (rate === 0) return 0; // 1^p - 1
  const periods = 8760 / hours;
  if (!(Number.isInteger(hours) && Number.isInteger(periods))) return NaN;
  add(1, 0, 0, rh, rl, re);
  let bh = R.h,
    bl = R.l,
    be = R.e;
  let ph = 1,
    pl = 0,
    pe = 0;
  for (let p = periods; ;) {
    if (p % 2) {
      mul(ph, pl, pe, bh, bl, be);
      ph = R.h;
      pl = R.l;
      pe = R.e;
    }
    p = Math.floor(p / 2);
    if (p === 0) break;
    mul(bh, bl, be, bh, bl, be);
    bh = R.h;
    bl = R.l;
    be = R.e;
  }
  add(ph, pl, pe + (periods + 2) * 1e-39 * Math.abs(ph), -1, 0, 0);
  return certify();
}

/** F / S - 1. */
export function basis(f: number, s: number): number {
  if (f === s) return 0;
  if (!input(s)) return NaN;
  const sh = R.h,
    sl = R.l,
    se = R.e;
  if (!input(f)) return NaN;
  div(R.h, R.l, R.e, sh, sl, se);
  add(R.h, R.l, R.e, -1, 0, 0);
  return certify();
}

/** Simple annualised basis (F / S - 1) x 365 / (expiry - as_of); NaN for compound (decimal's exp(ln)). */
export function basisApr(
  f: number,
  s: number,
  expiry: number,
  asOf: number,
  method: "simple" | "compound",
): number {
  if (method !== "simple") return NaN;
  if (!input(expiry)) return NaN;
  const xh = R.h,
    xl = R.l,
    xe = R.e;
  if (!input(asOf)) return NaN;
  add(xh, xl, xe, -R.h, -R.l, R.e);
  const dh = R.h,
    dl = R.l,
    de = R.e;
  if (!(dh + dl > de)) return NaN; // days not surely > 0: the definition decides (and may refuse)
  if (!input(s)) return NaN;
  const sh = R.h,
    sl = R.l,
    se = R.e;
  if (!input(f)) return NaN;
  div(R.h, R.l, R.e, sh, sl, se);
  add(R.h, R.l, R.e, -1, 0, 0);
  mul(R.h, R.l, R.e, 365, 0, 0);
  div(R.h, R.l, R.e, dh, dl, de);
  return certify();
}

/** sum(N) / sum(N / P) over the fills, in one pass. */
export function averageEntry(notionals: readonly number[], prices: readonly number[]): number {
  const count = notionals.length;
  if (count === 0 || prices.length !== count) return NaN;
  let uh = 0,
    ul = 0,
    ue = 0;
  let ch = 0,
    cl = 0,
    ce = 0;
  for (let i = 0; i < count; i++) {
    if (!input(prices[i])) return NaN;
    const ph = R.h,
      pl = R.l,
      pe = R.e;
    if (!input(notionals[i])) return NaN;
    const nh = R.h,
      nl = R.l,
      ne = R.e;
    add(uh, ul, ue, nh, nl, ne);
    uh = R.h;
    ul = R.l;
    ue = R.e;
    div(nh, nl, ne, ph, pl, pe);
    add(ch, cl, ce, R.h, R.l, R.e);
    ch = R.h;
    cl = R.l;
    ce = R.e;
  }
  div(uh, ul, ue, ch, cl, ce);
  return certify();
}

/**
 * Centred moments of the paired price relatives, as analytics.returnMoments computes them: css, cff, csf and the
 * uncentred sss, sff, each as [hi, lo, err]; undefined when an input cannot be read.
 */
function moments(spot: readonly number[], futures: readonly number[]): Float64Array | undefined {
  const count = spot.length;
  if (!input(spot[0])) return undefined;
  let sh = R.h,
    sl = R.l,
    se = R.e;
  if (!input(futures[0])) return undefined;
  let fh = R.h,
    fl = R.l,
    fe = R.e;
  const acc = new Float64Array(15); // ss, sf, sss, sff, ssf as hi, lo, err
  for (let i = 1; i < count; i++) {
    if (!input(spot[i])) return undefined;
    const s2h = R.h,
      s2l = R.l,
      s2e = R.e;
    div(s2h, s2l, s2e, sh, sl, se);
    const ah = R.h,
      al = R.l,
      ae = R.e; // xs
    if (!input(futures[i])) return undefined;
    const f2h = R.h,
      f2l = R.l,
      f2e = R.e;
    div(f2h, f2l, f2e, fh, fl, fe);
    const bh = R.h,
      bl = R.l,
      be = R.e; // xf
    accumulate(acc, 0, ah, al, ae);
    accumulate(acc, 3, bh, bl, be);
    mul(ah, al, ae, ah, al, ae);
    accumulate(acc, 6, R.h, R.l, R.e);
    mul(bh, bl, be, bh, bl, be);
    accumulate(acc, 9, R.h, R.l, R.e);
    mul(ah, al, ae, bh, bl, be);
    accumulate(acc, 12, R.h, R.l, R.e);
    sh = s2h;
    sl = s2l;
    se = s2e;
    fh = f2h;
    fl = f2l;
    fe = f2e;
  }
  const n = count - 1;
  const out = new Float64Array(15);
  // c(x, y) = s(xy) - s(x) s(y) / n
  const centred = (at: number, x: number, y: number, sxy: number) => {
    mul(acc[x], acc[x + 1], acc[x + 2], acc[y], acc[y + 1], acc[y + 2]);
    div(R.h, R.l, R.e, n, 0, 0);
    add(acc[sxy], acc[sxy + 1], acc[sxy + 2], -R.h, -R.l, R.e);
    out[at] = R.h;
    out[at + 1] = R.l;
    out[at + 2] = R.e;
  };
  centred(0, 0, 0, 6); // css
  centred(3, 3, 3, 9); // cff
  centred(6, 0, 3, 12); // csf
  out.set(acc.subarray(6, 12), 9); // sss, sff
  return out;
}

function accumulate(acc: Float64Array, at: number, h: number, l: number, e: number): void {
  add(acc[at], acc[at + 1], acc[at + 2], h, l, e);
  acc[at] = R.h;
  acc[at + 1] = R.l;
  acc[at + 2] = R.e;
}

/** Whether a centred sum of squares surely exceeds the definition's noise line (1e-30 of its scale). */
function surelyVaries(m: Float64Array, centred: number, scale: number): boolean {
  return m[centred] + m[centred + 1] - m[centred + 2] > 1e-29 * (m[scale] + m[scale + 2]);
}

function sameSeries(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Cov(r_s, r_f) / Var(r_f); NaN when not certified or when the definition would refuse. */
export function hedgeRatio(spot: readonly number[], futures: readonly number[]): number {
  if (spot.length !== futures.length || spot.length < 3) return NaN;
  const m = moments(spot, futures);
  if (!m || !surelyVaries(m, 3, 12)) return NaN;
  // the same series twice: the definition's Cov and Var are the same decimal, so the ratio is exactly 1
  if (m[6] === m[3] && m[7] === m[4] && sameSeries(spot, futures)) return 1;
  div(m[6], m[7], m[8], m[3], m[4], m[5]);
  return certify();
}

/** 1 - max(residual, 0) / Var(r_s); NaN when not certified or when the definition would refuse. */
export function hedgeEffectiveness(
  spot: readonly number[],
  futures: readonly number[],
  ratio?: number,
): number {
  if (spot.length !== futures.length || spot.length < 3) return NaN;
  const m = moments(spot, futures);
  if (!m || !surelyVaries(m, 0, 9)) return NaN;
  if (ratio === undefined) {
    if (!surelyVaries(m, 3, 12)) return NaN;
    mul(m[6], m[7], m[8], m[6], m[7], m[8]);
    div(R.h, R.l, R.e, m[3], m[4], m[5]);
    add(m[0], m[1], m[2], -R.h, -R.l, R.e);
  } else {
    if (!input(ratio)) return NaN;
    const hh = R.h,
      hl = R.l,
      he = R.e;
    mul(hh, hl, he, 2, 0, 0);
    mul(R.h, R.l, R.e, m[6], m[7], m[8]);
    add(m[0], m[1], m[2], -R.h, -R.l, R.e);
    const ah = R.h,
      al = R.l,
      ae = R.e;
    mul(hh, hl, he, hh, hl, he);
    mul(R.h, R.l, R.e, m[3], m[4], m[5]);
    add(ah, al, ae, R.h, R.l, R.e);
  }
  const r = R.h + R.l;
  // max(residual, 0) lies in [max(r - e, 0), r + e]; a negative residual is the rounding of a perfect hedge
  if (!(r > R.e)) {
    // 1 - t rounds to 1 for 0 <= t < 2^-54; ask for half of that
    const t = (r + R.e) / (m[0] - m[2]);
    return t <= 0 || (t < 2 ** -55 && m[0] - m[2] > 0) ? 1 : NaN;
  }
  div(R.h, R.l, R.e, m[0], m[1], m[2]);
  add(1, 0, 0, -R.h, -R.l, R.e);
  return certify();
}

/**
 * One SCENARIO row for move c into `row` (price, spot_usd, hedge_coin, hedge_usd, total_usd, total_coin);
 * false when any cell is not certified (the caller computes the row by the definition). The inputs q, s, n, f
 * are read once by the caller into `inputs` (hi, lo, err each).
 */
export function scenarioRow(inputs: Float64Array, c: number, side: Side, row: number[]): boolean {
  if (c === 0) {
    // factor 1: price = spot, the futures do not move, the hedge is exactly 0
    mul(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]);
    row[0] = inputs[3] + inputs[4]; // the spot price's double (its lo is 0 or below half an ulp)
    row[1] = row[4] = certify();
    row[2] = row[3] = 0;
    row[5] = inputs[0] + inputs[1];
    return row[1] === row[1];
  }
  if (!input(c)) return false;
  add(1, 0, 0, R.h, R.l, R.e); // factor
  const gh = R.h,
    gl = R.l,
    ge = R.e;
  mul(inputs[3], inputs[4], inputs[5], gh, gl, ge); // price
  const ph = R.h,
    pl = R.l,
    pe = R.e;
  if ((row[0] = certify()) !== row[0]) return false;
  mul(inputs[0], inputs[1], inputs[2], ph, pl, pe); // spot_usd
  const uh = R.h,
    ul = R.l,
    ue = R.e;
  if ((row[1] = certify()) !== row[1]) return false;
  const fh = inputs[9],
    fl = inputs[10],
    fe = inputs[11];
  mul(fh, fl, fe, gh, gl, ge); // futures exit
  const xh = R.h,
    xl = R.l,
    xe = R.e;
  add(xh, xl, xe, -fh, -fl, fe);
  mul(inputs[6], inputs[7], inputs[8], R.h, R.l, R.e);
  const th = R.h,
    tl = R.l,
    te = R.e;
  mul(fh, fl, fe, xh, xl, xe);
  div(th, tl, te, R.h, R.l, R.e);
  const ch = side === 1 ? R.h : -R.h,
    cl = side === 1 ? R.l : -R.l,
    ce = R.e; // hedge_coin
  set(ch, cl, ce);
  if ((row[2] = certify()) !== row[2]) return false;
  mul(ch, cl, ce, ph, pl, pe); // hedge_usd
  const hh = R.h,
    hl = R.l,
    he = R.e;
  if ((row[3] = certify()) !== row[3]) return false;
  add(uh, ul, ue, hh, hl, he); // total_usd
  if ((row[4] = certify()) !== row[4]) return false;
  add(inputs[0], inputs[1], inputs[2], ch, cl, ce); // total_coin
  return (row[5] = certify()) === row[5];
}

/** Reads SCENARIO's fixed inputs (quantity, spot, notional, futures) for scenarioRow; undefined if it cannot. */
export function scenarioInputs(q: number, s: number, n: number, f: number): Float64Array | undefined {
  const out = new Float64Array(12);
  const values = [q, s, n, f];
  for (let i = 0; i < 4; i++) {
    if (!input(values[i])) return undefined;
    out[3 * i] = R.h;
    out[3 * i + 1] = R.l;
    out[3 * i + 2] = R.e;
  }
  return out;
}
