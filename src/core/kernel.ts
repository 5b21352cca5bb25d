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
 * The register R carries a DD result (hi, lo, error bound) without allocating; formulas keep their values in
 * numbered slots of V (three doubles each) through the slot operations at the end of this module.
 */

// Locals, not globals: a host may run this file in a context where every global lookup is slow.
export const { abs, floor, round } = Math;
export const NAN = Number.NaN;
const INFINITY = Number.POSITIVE_INFINITY;
const U = 2 ** -53;
const U2 = 2 ** -106;
/** Twice the worst relative rounding of one decimal.js step at 40 significant digits. */
const DEC = 1e-39;
const SPLITTER = 134_217_729; // 2^27 + 1
const SAFETY = 1.0001;

/**
 * The result register: a DD value R[0] + R[1] and the bound R[2] on its distance from the decimal path's value
 * (a typed array: storing a double into it never allocates).
 */
export const R = new Float64Array(3);

/** TwoSum (Knuth): a + b = R[0] + R[1] exactly. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  R[1] = a - (s - bb) + (b - bb);
  R[0] = s;
}

/** TwoProduct (Dekker, Veltkamp splitting): a x b = R[0] + R[1] exactly (|a|, |b| < 2^995, no underflow). */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  R[1] = ah * bh - p + ah * bl + al * bh + al * bl;
  R[0] = p;
}

/** Sets the registers to a DD value. */
export function set(hi: number, lo: number, err: number): void {
  R[0] = hi;
  R[1] = lo;
  R[2] = err;
}

/** a + b into R. */
export function add(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  twoSum(ah, bh);
  const s = R[0];
  const t = R[1];
  const w = al + bl;
  const c = w + t;
  const local = w === 0 ? 0 : U * (abs(al) + abs(bl) + abs(w) + abs(t));
  twoSum(s, c);
  R[2] = ae + be + local + DEC * abs(R[0]);
}

/** a x b into R. */
export function mul(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  twoProd(ah, bh);
  const p = R[0];
  const q = R[1];
  const x = ah * bl;
  const y = al * bh;
  const s1 = x + y;
  const c = q + s1;
  const local = al === 0 && bl === 0 ? 0 : 3 * U * (abs(x) + abs(y)) + U * abs(c) + abs(al * bl);
  twoSum(p, c);
  R[2] = ae * abs(bh) + be * abs(ah) + ae * be + local + DEC * abs(R[0]);
}

/** a / b into R; a bound of Infinity when b's error is not small beside b. */
export function div(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  const q1 = ah / bh;
  twoProd(q1, bh);
  const r = ah - R[0] - R[1] + al - q1 * bl;
  const exact = r === 0 && al === 0 && bl === 0 && R[1] === 0 && R[0] === ah;
  const q2 = r / bh;
  twoSum(q1, q2);
  const b = abs(bh) * (1 - 2 * U) - be;
  const q = abs(q1);
  R[2] = (b > abs(bh) * 0.5 ? (ae + q * be) / b : INFINITY) + (exact ? 0 : 24 * U2 * q) + DEC * abs(R[0]);
}

/** Smallest double magnitude the kernel certifies (far above where lows and bounds would underflow). */
const TINY = 1e-280;
const HUGE = 1e280;

/**
 * The double every real in [R[0] + R[1] - R[2], R[0] + R[1] + R[2]] rounds to (ties to even), or NaN when they do not all round
 * to one double (or the value is outside the range the kernel certifies).
 */
export function certify(): number {
  const h = R[0];
  if (h === 0) return R[1] === 0 && R[2] === 0 ? 0 : NAN;
  const m = abs(h);
  if (!(m > TINY && m < HUGE)) return NAN;
  // Rounding to nearest is monotone: if the two ends round to h, so does everything between them. The ends
  // are widened by the bound's own rounding (SAFETY) and by the rounding of l +- e (at most 2^-53 |l| + u e).
  const l = R[1];
  const e = R[2] * SAFETY + abs(l) * 2 ** -50;
  return h + (l + e) === h && h + (l - e) === h ? h : NAN;
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
 * Reads x as decimal.js does, into R: R[0] = x, R[1] = d with s(x) = x + d the shortest decimal that rounds to x
 * (ECMAScript's Number::toString), R[2] a bound on |s(x) - (R[0] + R[1])|. Returns false when it cannot be sure of s(x)
 * (then the caller falls back): outside 1e-6 <= |x| < 1e15 for non-integers, or a closeness tie.
 *
 * Why this finds s(x): toString uses the fewest significant digits n such that an n-digit decimal rounds to x,
 * and among those the one closest to x. For n = 15, 16, 17 in turn, the n-digit decimal nearest to x is
 * M x 10^-k with k = n - 1 - floor(log10 x) and M = round(x 10^k) (x 10^k held exactly by TwoProduct); if it
 * rounds to x it is the answer for that n, and if it does not, no n-digit decimal does. Decimals of at most 15
 * digits round-trip through doubles, so at n = 15 any one found is the only candidate of <= 15 digits; 17 always
 * suffices; two n-digit decimals equally near x go to the even one, as V8 does. An estimated decade that is off by
 * one shows as an M of the wrong length: then we give up.
 */
export function input(x: number): boolean {
  const a = abs(x);
  if (a < INTEGER_LIMIT && floor(a) === a) {
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
  // floor(log10 a) from the binary exponent: log10(2^e) or one more (a wrong guess fails the length check)
  let decade = floor((exponent - 1023) * 0.3010299956639812);
  const next = decade + 1;
  if (next >= 0 ? a >= POW10[next] : a * POW10[-next] >= 1) decade = next;
  for (let n = 15; n <= 17; n++) {
    const k = n - 1 - decade;
    if (k < 0 || k > 22) return false;
    const scale = POW10[k];
    twoProd(a, scale); // a 10^k = R[0] + R[1] exactly
    const m0 = round(R[0]);
    twoSum(R[0] - m0, R[1]); // p - m0 is exact (|p - m0| <= 1/2 and p >= 1e14)
    let fh = R[0];
    let fl = R[1];
    // the nearest integer m = m0 + j to a 10^k; frac = a 10^k - m = fh + fl, |frac| <= 1/2
    let j = round(fh);
    if (fh - j === -0.5 && fl < 0) j -= 1;
    if (j !== 0) {
      twoSum(fh - j, fl);
      fh = R[0];
      fl = R[1];
    }
    const m = m0 + j;
    if (m < POW10[n - 1] || m > (n === 15 ? 1e15 : POW10[n - 1] * 10 - 1)) return false;
    const gap = halfUlp * scale; // exact: a power of two times 10^k <= 10^22
    const dist = abs(fh);
    if (dist < gap * (1 - 1e-9) && !(powerOfTwo && fh !== 0)) {
      if (dist === 0.5 && fl === 0) {
        // two candidates equally near: ECMAScript recommends, and V8 takes, the even one
        if (abs(m0 % 2) !== abs(j % 2)) fh = -fh;
      } else if (abs(dist - 0.5) < 1e-9) return false; // nearly a tie: not sure which is nearer
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

// ---------------------------------------------------------------------------------------------
// Slots: formulas name their values by number; slot i is V[3i] (hi), V[3i + 1] (lo), V[3i + 2] (bound)
// ---------------------------------------------------------------------------------------------

export const V = new Float64Array(3 * 32);

function store(d: number): void {
  V[3 * d] = R[0];
  V[3 * d + 1] = R[1];
  V[3 * d + 2] = R[2];
}

/** Slot d = the input x as decimal.js reads it; false when it cannot be read (see input). */
export function inp(d: number, x: number): boolean {
  if (!input(x)) return false;
  store(d);
  return true;
}

/** Slot d = the exact constant x. */
export function num(d: number, x: number): void {
  V[3 * d] = x;
  V[3 * d + 1] = 0;
  V[3 * d + 2] = 0;
}

/** Slot d = slot a + sign x slot b (sign -1: a - b). */
export function sum(d: number, a: number, b: number, sign = 1): void {
  add(V[3 * a], V[3 * a + 1], V[3 * a + 2], sign * V[3 * b], sign * V[3 * b + 1], V[3 * b + 2]);
  store(d);
}

/** Slot d = slot a x slot b. */
export function prod(d: number, a: number, b: number): void {
  mul(V[3 * a], V[3 * a + 1], V[3 * a + 2], V[3 * b], V[3 * b + 1], V[3 * b + 2]);
  store(d);
}

/** Slot d = slot a / slot b. */
export function quot(d: number, a: number, b: number): void {
  div(V[3 * a], V[3 * a + 1], V[3 * a + 2], V[3 * b], V[3 * b + 1], V[3 * b + 2]);
  store(d);
}

/** The double slot s rounds to (certify), NaN when unproven. */
export function cert(s: number): number {
  set(V[3 * s], V[3 * s + 1], V[3 * s + 2]);
  return certify();
}

/** +1 when slot s is surely above 0, -1 surely below, 0 when its bound does not tell. */
export function signOf(s: number): number {
  const v = V[3 * s] + V[3 * s + 1];
  const e = V[3 * s + 2] * SAFETY + abs(v) * 2 ** -50;
  return v > e ? 1 : v < -e ? -1 : 0;
}
