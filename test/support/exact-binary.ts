/*
 * Exact decimal values of doubles, for tests of the float kernel: decimal.js reads a JS number through its
 * shortest text, so `new Decimal(x)` is not x's binary value; these helpers give the binary value itself.
 */
import Decimal from "decimal.js";

/** Enough digits for any sum of a few doubles exactly (a double has at most 767 significant decimal digits). */
export const Wide = Decimal.clone({ precision: 1100, rounding: Decimal.ROUND_HALF_EVEN });
export type Wide = InstanceType<typeof Wide>;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** The exact value of a double. */
export function exactOf(x: number): Wide {
  if (x === 0 || !Number.isFinite(x)) return new Wide(x);
  F64[0] = Math.abs(x);
  const biased = U32[1] >>> 20;
  const mantissa = BigInt(U32[1] & 0xfffff) * 2n ** 32n + BigInt(U32[0]);
  const significand = biased === 0 ? mantissa : mantissa + 2n ** 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const value = new Wide(significand.toString()).times(new Wide(2).pow(exponent));
  return x < 0 ? value.neg() : value;
}
