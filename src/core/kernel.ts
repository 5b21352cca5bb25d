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
 *   by q2 = fl(r fl(1 / bh)) (the reciprocal computed beside q1, so no second division waits on the first; two
 *   roundings of q2, |q2| <~ u|q|, so ~2u^2). Error <= 24u^2|q| (residual roundings ~10u^2, q2's rounding ~4u^2,
 *   bh for b ~4u^2, with room); zero when the residual is exactly zero and the inputs exact.
 * Propagated input errors: e(a+b) = ea + eb; e(ab) = ea|b| + eb|a| + ea eb; e(a/b) = (ea + |q| eb) / (|b| - eb).
 * Every bound is computed in floats with its own rounding; the factor SAFETY at the end covers it (the bound is
 * a sum of a few dozen positive terms, each off by at most a few u relative).
 *
 * Formulas keep their values in numbered slots of V (hi, lo, error bound: three doubles each) and name them by
 * number, so nothing allocates.
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

/** Smallest double magnitude the kernel certifies (far above where lows and bounds would underflow). */
const TINY = 1e-280;
const HUGE = 1e280;

/**
 * The slots: formulas name their values by number; slot i is V[3i] (hi), V[3i + 1] (lo), V[3i + 2] (bound). The
 * operations take slot numbers, never doubles: a double passed to a function V8 does not inline is boxed (a heap
 * allocation), a small integer is not, and a double stored into a typed array never allocates.
 */
export const V = new Float64Array(3 * 40);
/** Slots 0 to 35 are the formulas'; 36 to 39 are the register R and its operands (tests of the primitives). */
const REG = 39;
/** The register: R[0] + R[1] with bound R[2] (slot 39, a view: the same memory). */
export const R = V.subarray(3 * REG, 3 * REG + 3);

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

/**
 * Slot d = slot a + sign x slot b (sign -1: a - b). (s, t) = TwoSum(ah, bh) exact; w = fl(al + bl);
 * c = fl(w + t); (hi, lo) = TwoSum(s, c) exact.
 */
export function sum(d: number, a: number, b: number, sign = 1): void {
  const i = 3 * a;
  const j = 3 * b;
  const ah = V[i];
  const al = V[i + 1];
  const bh = sign * V[j];
  const bl = sign * V[j + 1];
  const s = ah + bh;
  let bb = s - ah;
  const t = ah - (s - bb) + (bh - bb);
  const w = al + bl;
  const c = w + t;
  const local = w === 0 ? 0 : U * (abs(al) + abs(bl) + abs(w) + abs(t));
  const h = s + c;
  bb = h - s;
  const k = 3 * d;
  V[k + 2] = V[i + 2] + V[j + 2] + local + DEC * abs(h);
  V[k + 1] = s - (h - bb) + (c - bb);
  V[k] = h;
}

/** Slot d = slot a x slot b. (p, q) = TwoProduct(ah, bh) exact; c = fl(q + fl(fl(ah bl) + fl(al bh))). */
export function prod(d: number, a: number, b: number): void {
  const i = 3 * a;
  const j = 3 * b;
  const ah = V[i];
  const al = V[i + 1];
  const ae = V[i + 2];
  const bh = V[j];
  const bl = V[j + 1];
  const be = V[j + 2];
  const p = ah * bh;
  let t = SPLITTER * ah;
  const ahh = t - (t - ah);
  const ahl = ah - ahh;
  t = SPLITTER * bh;
  const bhh = t - (t - bh);
  const bhl = bh - bhh;
  const q = ahh * bhh - p + ahh * bhl + ahl * bhh + ahl * bhl;
  const x = ah * bl;
  const y = al * bh;
  const c = q + (x + y);
  const local = al === 0 && bl === 0 ? 0 : 3 * U * (abs(x) + abs(y)) + U * abs(c) + abs(al * bl);
  const h = p + c;
  const bb = h - p;
  const k = 3 * d;
  V[k + 2] = ae * abs(bh) + be * abs(ah) + ae * be + local + DEC * abs(h);
  V[k + 1] = p - (h - bb) + (c - bb);
  V[k] = h;
}

/**
 * Slot d = slot a / slot b: q1 = fl(ah / bh), the residual a - q1 b from TwoProduct(q1, bh), corrected by
 * q2 = fl(r fl(1 / bh)); a bound of Infinity when b's error is not small beside b.
 */
export function quot(d: number, a: number, b: number): void {
  const i = 3 * a;
  const j = 3 * b;
  const ah = V[i];
  const al = V[i + 1];
  const bh = V[j];
  const bl = V[j + 1];
  const be = V[j + 2];
  const q1 = ah / bh;
  const inv = 1 / bh; // beside q1, not after it: q2 below waits for a multiplication, not a second division
  const p = q1 * bh;
  let t = SPLITTER * q1;
  const qh = t - (t - q1);
  const ql = q1 - qh;
  t = SPLITTER * bh;
  const bhh = t - (t - bh);
  const bhl = bh - bhh;
  const e = qh * bhh - p + qh * bhl + ql * bhh + ql * bhl; // q1 bh = p + e exactly
  const r = ah - p - e + al - q1 * bl;
  const exact = r === 0 && al === 0 && bl === 0 && e === 0 && p === ah;
  const q2 = r * inv;
  const h = q1 + q2;
  const bb = h - q1;
  const m = abs(bh) * (1 - 2 * U) - be;
  const q = abs(q1);
  const k = 3 * d;
  V[k + 2] =
    (m > abs(bh) * 0.5 ? (V[i + 2] + q * be) / m : INFINITY) + (exact ? 0 : 24 * U2 * q) + DEC * abs(h);
  V[k + 1] = q1 - (h - bb) + (q2 - bb);
  V[k] = h;
}

/**
 * The double every real in [hi + lo - bound, hi + lo + bound] of slot s rounds to (ties to even), or NaN when
 * they do not all round to one double (or the value is outside the range the kernel certifies).
 */
export function cert(s: number): number {
  const i = 3 * s;
  const h = V[i];
  if (h === 0) return V[i + 1] === 0 && V[i + 2] === 0 ? 0 : NAN;
  const m = abs(h);
  if (!(m > TINY && m < HUGE)) return NAN;
  // Rounding to nearest is monotone: if the two ends round to h, so does everything between them. The ends
  // are widened by the bound's own rounding (SAFETY) and by the rounding of l +- e (at most 2^-53 |l| + u e).
  const l = V[i + 1];
  const e = V[i + 2] * SAFETY + abs(l) * 2 ** -50;
  return h + (l + e) === h && h + (l - e) === h ? h : NAN;
}

/** Slot d = the exact constant x. */
export function num(d: number, x: number): void {
  V[3 * d] = x;
  V[3 * d + 1] = 0;
  V[3 * d + 2] = 0;
}

/** +1 when slot s is surely above 0, -1 surely below, 0 when its bound does not tell. */
export function signOf(s: number): number {
  const v = V[3 * s] + V[3 * s + 1];
  const e = V[3 * s + 2] * SAFETY + abs(v) * 2 ** -50;
  return v > e ? 1 : v < -e ? -1 : 0;
}

// The register R and the primitives on plain doubles: for the tests of the kernel (the formulas use slots).

/** Sets the register to a DD value. */
export function set(hi: number, lo: number, err: number): void {
  R[0] = hi;
  R[1] = lo;
  R[2] = err;
}

function operands(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  V.set([ah, al, ae, bh, bl, be], 3 * (REG - 2));
}

/** R = a + b. */
export function add(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  operands(ah, al, ae, bh, bl, be);
  sum(REG, REG - 2, REG - 1);
}

/** R = a x b. */
export function mul(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  operands(ah, al, ae, bh, bl, be);
  prod(REG, REG - 2, REG - 1);
}

/** R = a / b. */
export function div(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
  operands(ah, al, ae, bh, bl, be);
  quot(REG, REG - 2, REG - 1);
}

/** The double R certifies (see cert). */
export function certify(): number {
  return cert(REG);
}

// ---------------------------------------------------------------------------------------------
// Inputs: a JS number read as decimal.js reads it (its shortest round-trip decimal)
// ---------------------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/**
 * 10^k = POW10[k] + POW10_TAIL[k] for k <= 44, exactly (POW10[k] the nearest double; the tail is 0 for k <= 22,
 * where 10^k is a double), POW10[k] for k <= 46, and POW10[k]'s Veltkamp halves, so that a TwoProduct by a power
 * of ten splits only the input. 10^k = 5^k 2^k and 5^k = 5^a 5^(k-a), both exact doubles for a, k - a <= 22: one
 * TwoProduct gives 5^k exactly.
 */
const POW10 = new Float64Array(47);
const POW10_TAIL = new Float64Array(47);
const POW10_HI = new Float64Array(47);
const POW10_LO = new Float64Array(47);
for (let k = 0, five = 1, fives: number[] = []; k <= 46; k++, five *= 5) {
  if (k <= 22) fives.push(five);
  const p = Number(`1e${k}`);
  POW10[k] = p;
  if (k <= 44) {
    twoProd(fives[k > 22 ? 22 : k], fives[k > 22 ? k - 22 : 0]);
    POW10_TAIL[k] = R[1] * 2 ** k;
  }
  const t = SPLITTER * p;
  POW10_HI[k] = t - (t - p);
  POW10_LO[k] = p - POW10_HI[k];
}
/** The double nearest 10^j at index j + 31, -31 <= j <= 16. */
const DECADES = new Float64Array(48);
for (let j = -31; j <= 16; j++) DECADES[j + 31] = Number(`1e${j}`);

/**
 * By biased binary exponent (less EXPONENT_BASE; 1e-30 <= a < 1e15 spans 923 to 1072): half an ulp,
 * 2^(exponent - 1076), and floor(log10 2^(exponent - 1023)). Tables, not bit surgery on a typed array: reading a
 * double just written as two 32-bit halves stalls the processor.
 */
const EXPONENT_BASE = 920;
const HALF_ULP = new Float64Array(160);
const DECADE_OF = new Int32Array(160);
for (let e = 0; e < 160; e++) {
  HALF_ULP[e] = 2 ** (e + EXPONENT_BASE - 1076);
  DECADE_OF[e] = floor((e + EXPONENT_BASE - 1023) * 0.3010299956639812);
}

/** 2^53: every integer below it is its own shortest decimal. */
const INTEGER_LIMIT = 9_007_199_254_740_992;
/** Relative margin kept from every decision the reader takes in floats (its own errors are below 1e-25). */
const CLOSE = 1e-9;

/**
 * Reads x as decimal.js does into slot d: hi = x and lo with s(x) = x + lo, s(x) the shortest decimal that rounds
 * to x (ECMAScript's Number::toString), and a bound on |s(x) - (hi + lo)|. Returns false when it cannot be sure of
 * s(x) (then the caller falls back): a non-integer outside 1e-30 <= |x| < 1e15, a decimal on the edge of x's
 * rounding interval, two candidates nearly equally near, or a power of two not a short decimal itself.
 *
 * Why this finds s(x) with one exact product. toString takes the fewest significant digits n such that some
 * n-digit decimal rounds to x, and of those the one nearest x (the even one of two equally near). With a = |x| in
 * decade D (10^D <= a < 10^(D+1)) and Q = a 10^k, k = 14 - D, held exactly as qh + ql by TwoProduct (10^k is exact
 * for k <= 22, a >= 1e-8; below, 10^k's tail adds a product and Q is within 2u^2 Q), the n-digit decimals near a are m 10^(15-n) 10^-k for whole m: for n = 15, 16, 17 the nearest one
 * is round(Q 10^(n-15)), found from the previous level's remainder F (Q 10^(n-15) - m) as round(10 F), so the
 * remainders stay in double-double exactly enough (10 F = 8 F + 2 F, both exact). It rounds to x iff |F| is below
 * half an ulp of a scaled alike (the gap, exact: a power of two times 10^k); when it does not, no n-digit decimal
 * does. Decimals of at most 15 digits round-trip, so at n = 15 one that rounds to x is the only one; at 17 one
 * always does. An estimated decade one too high (x just at a power of ten) only makes the levels mean one digit
 * fewer, which can miss the 17-digit answer (then we give up) but never picks a wrong one.
 * Then d = -F / 10^(k + n - 15), |d| < ulp(a) / 2 <= 2^-53 a, within two roundings: |error| < 3u^2 a (below 1e-8:
 * Q's 2u^2 a, and three roundings as 10^(k + n - 15) is rounded too, under 6u^2 a; no tie is resolved there).
 */
export function inp(d: number, x: number): boolean {
  // a whole number is its own decimal: small enough for V8 to inline here, the reader below is not
  if (floor(x) === x && abs(x) < INTEGER_LIMIT) {
    V[3 * d] = x;
    V[3 * d + 1] = 0;
    V[3 * d + 2] = 0;
    return true;
  }
  return read(d, x);
}

/** inp for a number that is not a whole number below 2^53. */
function read(d: number, x: number): boolean {
  const a = abs(x);
  const o = 3 * d;
  if (!(a >= 1e-30 && a < 1e15)) return false;
  F64[0] = a;
  const hiWord = U32[1];
  const ex = (hiWord >>> 20) - EXPONENT_BASE; // the biased exponent, less the base (3 to 152 here)
  const powerOfTwo = (hiWord & 0xfffff) === 0 && U32[0] === 0;
  const halfUlp = HALF_ULP[ex];
  // floor(log10 a): log10 of the binary exponent's power of two, or one more
  let decade = DECADE_OF[ex];
  if (a >= DECADES[decade + 32]) decade++;
  let k = 14 - decade;
  if (k > 44) return false;
  // below 1e-8, 10^k is not a double: Q is then within 2u^2 Q of exact (the tail's product and one sum rounded)
  const inexact = k > 22;
  // Q = a 10^k = qh + ql exactly (Dekker's TwoProduct, the power pre-split)
  const scale = POW10[k];
  const qh = a * scale;
  const t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  const ql =
    ah * POW10_HI[k] - qh + ah * POW10_LO[k] + al * POW10_HI[k] + al * POW10_LO[k] + a * POW10_TAIL[k];
  let gap = halfUlp * scale;
  // 15 digits: F = Q - round(qh) = fh + fl exactly (qh - m is exact; TwoSum)
  const m = round(qh);
  const r = qh - m;
  let fh = r + ql;
  const bb = fh - r;
  let fl = r - (fh - bb) + (ql - bb);
  let dist = abs(fh);
  if (dist < gap * (1 - CLOSE)) {
    if (fh !== 0 && powerOfTwo) return false; // the interval below a power of two is half as wide
    V[o] = x;
    // fh = 0 (Q exact): x is its shortest decimal exactly (0.5, 12.25, 65432.5, ...)
    V[o + 1] = fh === 0 ? 0 : x < 0 ? fh / scale : -fh / scale;
    V[o + 2] = inexact ? 6 * U2 * a : fh === 0 ? 0 : 3 * U2 * a;
    return true;
  }
  if (dist <= gap * (1 + CLOSE)) return false;
  // 16 and 17 digits; `exact` while F is fh alone exactly (every low part so far zero)
  let exact = fl === 0 && !inexact;
  for (let level = 16; level <= 17; level++) {
    const x8 = 8 * fh;
    const x2 = 2 * fh;
    const xh = x8 + x2;
    const e = x2 - (xh - x8); // 8 fh + 2 fh = xh + e exactly
    const j = round(xh);
    exact = exact && e === 0;
    fl = e + 10 * fl;
    fh = xh - j; // exact (Sterbenz), in [-1/2, 1/2)
    let odd = j & 1;
    if (fh === -0.5 && fl < 0) {
      fh = 0.5; // below the half: the nearest is one lower
      odd ^= 1;
    }
    gap *= 10;
    k++;
    dist = abs(fh + fl);
    if (dist < gap * (1 - CLOSE)) {
      if (powerOfTwo) return false;
      if (exact && dist === 0.5) {
        // two candidates equally near: ECMAScript recommends, and V8 takes, the even one
        if (odd) fh = -fh;
      } else if (abs(dist - 0.5) < CLOSE) return false; // nearly a tie: not sure which is nearer
      const f = (fh + fl) / POW10[k];
      V[o] = x;
      V[o + 1] = x < 0 ? f : -f;
      V[o + 2] = (inexact ? 6 : 3) * U2 * a;
      return true;
    }
    if (dist <= gap * (1 + CLOSE)) return false;
  }
  return false;
}

/** Reads x into the register R (see inp). */
export function input(x: number): boolean {
  return inp(REG, x);
}
