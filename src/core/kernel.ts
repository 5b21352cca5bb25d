/*
 * The certified float kernel: double-double ("DD") arithmetic built on error-free transformations (TwoSum,
 * TwoProduct by Veltkamp splitting), where every value carries a rigorous bound on its distance from the value
 * the decimal.js definition computes. A fast result is returned only when that bound proves it is the very
 * double the decimal path returns; otherwise the caller falls back to decimal.js, the definition.
 *
 * What the decimal path computes: decimal.js reads a JS number through its shortest round-trip text
 * (Number.prototype.toString), so its inputs are those decimals, not the binary values; each operation then
 * rounds to 40 significant digits (relative error at most 5e-40); toNumber() rounds the decimal to the nearest
 * double, ties to even. The kernel therefore (1) reads each input as its shortest decimal, held exactly enough
 * as x + d (|d| < ulp(x)/2, d to within 3u^2|x|), (2) mirrors the decimal operation sequence in DD, adding to the
 * bound at each step both its own rounding and the decimal step's rounding (1e-39 of the step's result, twice
 * the worst case), and (3) certifies: every real within the bound of the DD value must round to one double.
 *
 * Local error of each DD step, u = 2^-53, derived in the standard model (|fl(a op b) - a op b| <= u|a op b|),
 * with lows normalised (|lo| <= ulp(hi)/2 <= u|hi|):
 * - add: (s, t) = TwoSum(ah, bh) exact; w = fl(al + bl); c = fl(w + t); (hi, lo) = TwoSum(s, c) exact.
 *   Error <= u|al + bl| + u|w + t| <= u(|al| + |bl| + |w| + |t|), zero when al = bl = 0.
 * - mul: (p, q) = TwoProduct(ah, bh) exact; s1 = fl(fl(ah bl) + fl(al bh)); c = fl(q + s1); al bl dropped.
 *   Error <= 3u(|ah bl| + |al bh|) + u|q + s1| + |al bl|, zero when al = bl = 0.
 * - div: q1 = fl(ah / bh); the residual a - q1 b from TwoProduct(q1, bh) (ah - p exact by Sterbenz), corrected
 *   by q2 = fl(r / bh). Error <= 24u^2|q| (residual roundings ~10u^2, q2's rounding ~4u^2, bh for b ~4u^2,
 *   doubled); zero when the residual is exactly zero and the inputs exact.
 * Propagated input errors: e(a+b) = ea + eb; e(ab) = ea|b| + eb|a| + ea eb; e(a/b) = (ea + |q| eb) / (|b| - eb).
 * Every bound is computed in floats with its own rounding; the factor SAFETY at the end covers it (the bound is
 * a sum of a few dozen positive terms, each off by at most a few u relative).
 *
 * The register R carries a DD result (hi, lo, error bound) without allocating.
 */

const U = 2 ** -53;
const U2 = 2 ** -106;
/** Twice the worst relative rounding of one decimal.js step at 40 significant digits. */
const DEC = 1e-39;
const SPLITTER = 134_217_729; // 2^27 + 1
const SAFETY = 1.0001;

/** The result register: a DD value hi + lo and the bound err on its distance from the decimal path's value. */
export const R = { h: 0, l: 0, e: 0 };

/** TwoSum (Knuth): a + b = R.h + R.l exactly. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  R.l = a - (s - bb) + (b - bb);
  R.h = s;
}

/** TwoProduct (Dekker, Veltkamp splitting): a x b = R.h + R.l exactly (|a|, |b| < 2^995, no underflow). */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  R.l = ah * bh - p + ah * bl + al * bh + al * bl;
  R.h = p;
}

/** Sets the registers to a DD value. */
export function set(hi: number, lo: number, err: number): void {
  R.h = hi;
  R.l = lo;
  R.e = err;
}

/** a + b into R. */
export function add(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  twoSum(ah, bh);
  const s = R.h;
  const t = R.l;
  const w = al + bl;
  const c = w + t;
  const local = w === 0 ? 0 : U * (Math.abs(al) + Math.abs(bl) + Math.abs(w) + Math.abs(t));
  twoSum(s, c);
  R.e = ae + be + local + DEC * Math.abs(R.h);
}

/** a x b into R. */
export function mul(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  twoProd(ah, bh);
  const p = R.h;
  const q = R.l;
  const x = ah * bl;
  const y = al * bh;
  const s1 = x + y;
  const c = q + s1;
  const local =
    al === 0 && bl === 0 ? 0 : 3 * U * (Math.abs(x) + Math.abs(y)) + U * Math.abs(c) + Math.abs(al * bl);
  twoSum(p, c);
  R.e = ae * Math.abs(bh) + be * Math.abs(ah) + ae * be + local + DEC * Math.abs(R.h);
}

/** a / b into R; a bound of Infinity when b's error is not small beside b. */
export function div(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  const q1 = ah / bh;
  twoProd(q1, bh);
  const r = ah - R.h - R.l + al - q1 * bl;
  const exact = r === 0 && al === 0 && bl === 0 && R.l === 0 && R.h === ah;
  const q2 = r / bh;
  twoSum(q1, q2);
  const b = Math.abs(bh) * (1 - 2 * U) - be;
  const q = Math.abs(q1);
  R.e =
    (b > Math.abs(bh) * 0.5 ? (ae + q * be) / b : Infinity) + (exact ? 0 : 24 * U2 * q) + DEC * Math.abs(R.h);
}

/** Smallest double magnitude the kernel certifies (far above where lows and bounds would underflow). */
const TINY = 1e-280;
const HUGE = 1e280;

/**
 * The double every real in [R.h + R.l - R.e, R.h + R.l + R.e] rounds to (ties to even), or NaN when they do not all round
 * to one double (or the value is outside the range the kernel certifies).
 */
export function certify(): number {
  const h = R.h;
  if (h === 0) return R.l === 0 && R.e === 0 ? 0 : NaN;
  const m = Math.abs(h);
  if (!(m > TINY && m < HUGE)) return NaN;
  // Rounding to nearest is monotone: if the two ends round to h, so does everything between them.
  const t = (Math.abs(R.l) + R.e) * SAFETY;
  return h + t === h && h - t === h ? h : NaN;
}

// ---------------------------------------------------------------------------------------------
// Inputs: a JS number read as decimal.js reads it (its shortest round-trip decimal)
// ---------------------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const POW10: number[] = [];
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10.push(p);

/** 2^53: every integer below it is its own shortest decimal. */
const INTEGER_LIMIT = 9_007_199_254_740_992;

/**
 * Reads x as decimal.js does, into R: R.h = x, R.l = d with s(x) = x + d the shortest decimal that rounds to x
 * (ECMAScript's Number::toString), R.e a bound on |s(x) - (R.h + R.l)|. Returns false when it cannot be sure of s(x)
 * (then the caller falls back): outside 1e-6 <= |x| < 1e15 for non-integers, or a closeness tie.
 *
 * Why this finds s(x): toString uses the fewest significant digits n such that an n-digit decimal rounds to x,
 * and among those the one closest to x. For n = 15, 16, 17 in turn, the n-digit decimal nearest to x is
 * M x 10^-k with k = n - 1 - floor(log10 x) and M = round(x 10^k) (x 10^k held exactly by TwoProduct); if it
 * rounds to x it is the answer for that n, and if it does not, no n-digit decimal does. Decimals of at most 15
 * digits round-trip through doubles, so at n = 15 any one found is the only candidate of <= 15 digits; 17 always
 * suffices. An estimated decade that is off by one shows as an M of the wrong length: then we give up.
 */
export function input(x: number): boolean {
  const a = Math.abs(x);
  if (a < INTEGER_LIMIT && Math.floor(a) === a) {
    set(x, 0, 0);
    return true;
  }
  if (!(a >= 1e-6 && a < 1e15)) return false;
  F64[0] = a;
  const hiWord = U32[1];
  const exponent = hiWord >>> 20;
  const powerOfTwo = (hiWord & 0xfffff) === 0 && U32[0] === 0;
  // half an ulp of a, 2^(exponent - 1076); a >= 1e-6 so this is a normal number
  U32[1] = (exponent - 53) << 20;
  U32[0] = 0;
  const halfUlp = F64[0];
  const decade = Math.floor(Math.log10(a));
  for (let n = 15; n <= 17; n++) {
    const k = n - 1 - decade;
    if (k < 0 || k > 22) return false;
    const scale = POW10[k];
    twoProd(a, scale); // a 10^k = R.h + R.l exactly
    const m0 = Math.round(R.h);
    twoSum(R.h - m0, R.l); // p - m0 is exact (|p - m0| <= 1/2 and p >= 1e14)
    let fh = R.h;
    let fl = R.l;
    // the nearest integer m = m0 + j to a 10^k; frac = a 10^k - m = fh + fl, |frac| <= 1/2
    let j = Math.round(fh);
    if (fh - j === -0.5 && fl < 0) j -= 1;
    if (j !== 0) {
      twoSum(fh - j, fl);
      fh = R.h;
      fl = R.l;
    }
    const m = m0 + j;
    if (m < POW10[n - 1] || m > (n === 15 ? 1e15 : POW10[n - 1] * 10 - 1)) return false;
    const gap = halfUlp * scale; // exact: a power of two times 10^k <= 10^22
    const dist = Math.abs(fh);
    if (dist < gap * (1 - 1e-9) && !(powerOfTwo && fh !== 0)) {
      if (Math.abs(dist - 0.5) < 1e-9) return false; // two nearest candidates: a closeness tie
      // s(x) = m 10^-k, so d = s(x) - a = -frac / 10^k (|d| < ulp(a)/2; two roundings, < 3u^2 a)
      if (fh === 0)
        set(x, 0, 0); // x is its shortest decimal exactly (0.5, 12.25, ...)
      else {
        const d = -(fh + fl) / scale;
        set(x, x < 0 ? -d : d, 3 * U2 * a);
      }
      return true;
    }
    if (dist <= gap * (1 + 1e-9)) return false; // on the rounding interval's edge: not sure either way
  }
  return false;
}
