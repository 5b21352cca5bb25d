/*
 * Properties of the hedge math that must hold for any valid input (fast-check). Expected values are computed
 * independently (binary floating point, or algebraic identities), never by calling the function under test twice.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hedgeEffectiveness, hedgeRatio, scenario } from "../../src/core/analytics";
import { basisApr } from "../../src/core/basis";
import { D } from "../../src/core/decimal";
import { fundingApr } from "../../src/core/funding";
import { averageEntry, liquidationPrice, margin, pnl, roe } from "../../src/core/inverse";
import { contracts, notional } from "../../src/core/sizing";

const RUNS = { numRuns: 300 };

const price = fc.double({ min: 0.01, max: 1e7, noNaN: true });
const usd = fc.double({ min: 1, max: 1e9, noNaN: true });
const coin = fc.double({ min: 1e-4, max: 1e4, noNaN: true });
const side = fc.constantFrom(1 as const, -1 as const);

function relClose(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
}

describe("hedge properties", () => {
  it("a short of N = quantity x price with futures = spot keeps SCENARIO's total_usd constant", () => {
    fc.assert(
      fc.property(
        coin,
        price,
        fc.array(fc.double({ min: -0.999, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (q, p, moves) => {
          const table = scenario(q, p, notional(q, p), p, moves);
          const start = q * p;
          for (const row of table.slice(1)) {
            const totalUsd = (row[5] as D).toNumber();
            if (!relClose(totalUsd, start, 1e-12)) return false;
          }
          return table.length === moves.length + 1;
        },
      ),
      RUNS,
    );
  });

  it("INVERSE.PNL of a long is minus that of the short, and has the sign of the move", () => {
    fc.assert(
      fc.property(usd, price, price, (n, e, x) => {
        const long = pnl(n, e, x, 1);
        const short = pnl(n, e, x, -1);
        return long.plus(short).isZero() && long.comparedTo(0) === Math.sign(x - e);
      }),
      RUNS,
    );
  });

  it("ROE equals PnL over the initial margin at entry", () => {
    fc.assert(
      fc.property(
        usd,
        price,
        price,
        side,
        fc.double({ min: 0.1, max: 125, noNaN: true }),
        (n, e, x, s, l) => {
          const expected = pnl(n, e, x, s).div(margin(n, e, l));
          return relClose(roe(e, x, s, l).toNumber(), expected.toNumber(), 1e-15);
        },
      ),
      RUNS,
    );
  });

  it("AVGENTRY lies between the lowest and highest fill price", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(usd, price), { minLength: 1, maxLength: 20 }), (fills) => {
        const avg = averageEntry(
          fills.map((f) => f[0]),
          fills.map((f) => f[1]),
        );
        // compared as Excel sees it: the 40-digit quotient of one fill rounds back to that fill's price
        const prices = fills.map((f) => f[1]);
        const value = avg.toNumber();
        return value >= Math.min(...prices) && value <= Math.max(...prices);
      }),
      RUNS,
    );
  });

  it("LIQPRICE long < entry < LIQPRICE short while the short is liquidatable and margin exceeds maintenance", () => {
    fc.assert(
      fc.property(
        usd,
        price,
        fc.double({ min: 1.01, max: 125, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (n, e, lev, mShare, extraShare) => {
          // m below the initial margin rate 1/L, and extra coin below what would make the short unliquidatable
          const m = (mShare / lev) * 0.999;
          const extra = extraShare * (n / e) * (1 - 1 / lev) * 0.999;
          const long = liquidationPrice(n, e, 1, lev, m, extra);
          const short = liquidationPrice(n, e, -1, lev, m, extra);
          return long.lt(e) && short.gt(e);
        },
      ),
      RUNS,
    );
  });

  it("a short at leverage 1 or below can never be liquidated", () => {
    fc.assert(
      fc.property(usd, price, fc.double({ min: 0.01, max: 1, noNaN: true }), (n, e, lev) => {
        expect(() => liquidationPrice(n, e, -1, lev)).toThrow(/cannot be liquidated/);
      }),
      { numRuns: 100 },
    );
  });

  it("CONTRACTS: nearest is within half a contract; down and up bracket the exact count", () => {
    fc.assert(
      fc.property(usd, fc.constantFrom(1, 10, 100, 0.1, 0.01, 25), (n, size) => {
        const exact = new D(n).div(size);
        const nearest = contracts(n, size, "nearest");
        const down = contracts(n, size, "down");
        const up = contracts(n, size, "up");
        return (
          nearest.minus(exact).abs().lte(0.5) &&
          down.lte(exact) &&
          up.gte(exact) &&
          up.minus(down).lte(1) &&
          down.isInteger() &&
          up.isInteger() &&
          nearest.isInteger()
        );
      }),
      RUNS,
    );
  });

  it("APR compound >= simple for positive rates (funding, and basis up to a year)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 0.05, noNaN: true }),
        fc.constantFrom(1, 4, 8, 24),
        (rate, hours) => fundingApr(rate, hours, "compound").gte(fundingApr(rate, hours, "simple")),
      ),
      RUNS,
    );
    fc.assert(
      fc.property(
        price,
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 364, noNaN: true }), // up to a year: beyond, the exponent is below 1
        (s, premium, days) => {
          const f = s * (1 + premium);
          fc.pre(f > s);
          return basisApr(f, s, 45_000 + days, 45_000, "compound").gte(basisApr(f, s, 45_000 + days, 45_000));
        },
      ),
      RUNS,
    );
  });
});

/** Squared correlation of simple returns, in binary floating point: the independent reference. */
function squaredCorrelation(spot: number[], futures: number[]): number {
  const r = (p: number[]) => p.slice(1).map((x, i) => x / p[i] - 1);
  const [a, b] = [r(spot), r(futures)];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [sab, saa, sbb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return (sab * sab) / (saa * sbb);
}

describe("hedge analytics properties", () => {
  const series = fc
    .integer({ min: 3, max: 40 })
    .chain((len) =>
      fc.tuple(
        fc.array(fc.integer({ min: 1_000, max: 100_000 }), { minLength: len, maxLength: len }),
        fc.array(fc.integer({ min: 1_000, max: 100_000 }), { minLength: len, maxLength: len }),
      ),
    );
  const varies = (p: number[]) => p.slice(2).some((x, i) => x * p[i] !== p[i + 1] * p[i + 1]);

  it("EFFECTIVENESS with the default ratio equals the squared correlation", () => {
    fc.assert(
      fc.property(series, ([spot, futures]) => {
        fc.pre(varies(spot) && varies(futures));
        const e = hedgeEffectiveness(spot, futures).toNumber();
        return Math.abs(e - squaredCorrelation(spot, futures)) <= 1e-9;
      }),
      RUNS,
    );
  });

  it("no hedge ratio does better than the minimum-variance one, and none scores above 1", () => {
    fc.assert(
      fc.property(series, fc.double({ min: -5, max: 5, noNaN: true }), ([spot, futures], h) => {
        fc.pre(varies(spot) && varies(futures));
        const best = hedgeEffectiveness(spot, futures);
        const other = hedgeEffectiveness(spot, futures, h);
        return other.lte(best.plus(1e-30)) && best.lte(1);
      }),
      RUNS,
    );
  });

  it("RATIO scales inversely with the futures' move size: futures moving k times spot give 1/k", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.constantFrom(0.5, 2, 4),
        (moves, k) => {
          fc.pre(Math.max(...moves) - Math.min(...moves) > 1e-6);
          const spot = [100];
          const futures = [100];
          for (const m of moves) {
            spot.push(spot[spot.length - 1] * (1 + m));
            futures.push(futures[futures.length - 1] * (1 + k * m));
          }
          // the prices carry binary rounding, so the ratio is 1/k to about 1e-12
          return relClose(hedgeRatio(spot, futures).toNumber(), 1 / k, 1e-9);
        },
      ),
      RUNS,
    );
  });
});
