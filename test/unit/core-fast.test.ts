/*
 * The certified fast path against its definition: for every function, 10,000 argument lists (random across the
 * accepted domain, and near ties built to sit on or beside a rounding boundary or decision) must give the very
 * double the decimal.js path gives. `npm run verify:exact` runs the same checks a million times a function.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { D } from "../../src/core/decimal";
import * as K from "../../src/core/kernel";
import {
  SUBJECTS,
  check,
  checkReader,
  checkScenario,
  readerRandom,
  readerTies,
  scenarioRandom,
  scenarioTies,
} from "../support/exact-cases";
import { Wide, exactOf } from "../support/exact-binary";

const RANDOM_RUNS = 7_000;
const TIE_RUNS = 3_000;

describe("fast path = decimal.js definition, bit for bit", () => {
  for (const subject of SUBJECTS) {
    it(`${subject.name}: ${RANDOM_RUNS} random and ${TIE_RUNS} near-tie cases`, () => {
      let fallbacks = 0;
      const prop = (args: unknown[]) => {
        const verdict = check(subject, args);
        if (verdict.fallback) fallbacks++;
        if (!verdict.ok) throw new Error(verdict.detail);
      };
      fc.assert(fc.property(subject.random, prop), { numRuns: RANDOM_RUNS });
      fc.assert(fc.property(subject.ties, prop), { numRuns: TIE_RUNS });
      // the fast path must actually answer most of the time, or this proves nothing about it
      expect(fallbacks).toBeLessThan(RANDOM_RUNS + TIE_RUNS);
    });
  }

  it("SCENARIO: every row of random and full-hedge tables", () => {
    let rows = 0;
    const prop = (args: Parameters<typeof checkScenario>[0]) => {
      const verdict = checkScenario(args);
      rows += verdict.rows - verdict.fallbacks;
      if (!verdict.ok) throw new Error(verdict.detail);
    };
    fc.assert(fc.property(scenarioRandom, prop), { numRuns: 700 });
    fc.assert(fc.property(scenarioTies, prop), { numRuns: 300 });
    expect(rows).toBeGreaterThan(1000);
  });
});

describe("kernel", () => {
  it(`reads numbers as decimal.js does: ${RANDOM_RUNS} random and ${TIE_RUNS} near-decision numbers`, () => {
    let fallbacks = 0;
    const prop = (x: number) => {
      const verdict = checkReader(x);
      if (verdict.fallback) fallbacks++;
      if (!verdict.ok) throw new Error(verdict.detail);
    };
    fc.assert(fc.property(readerRandom, prop), { numRuns: RANDOM_RUNS });
    const randomFallbacks = fallbacks;
    fc.assert(fc.property(readerTies, prop), { numRuns: TIE_RUNS });
    // within its range the reader answers for all but a handful of numbers (the near-decision ones are
    // mostly outside it, or powers of two, by design)
    expect(randomFallbacks).toBeLessThan(RANDOM_RUNS * 0.001);
  });

  const readsShortest = (x: number) => checkReader(x).ok;
  /** Doubles a few ulps from x. */
  const ulpsFrom = (x: number, k: number) => {
    const f = new Float64Array([x]);
    new BigInt64Array(f.buffer)[0] += BigInt(k);
    return f[0];
  };
  const withSign = <T extends number>(a: fc.Arbitrary<T>) =>
    fc.tuple(a, fc.boolean()).map(([x, negative]) => (negative ? -x : x));

  it("reads a number as its shortest decimal (Number.prototype.toString), within the stated bound", () => {
    const numbers = fc.oneof(
      fc.double({ min: 1e-6, max: 1e15, noNaN: true }),
      fc
        .tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 0, max: 14 }))
        .map(([m, k]) => m / 10 ** k),
      fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
      // dyadic values with few bits often sit exactly halfway between two shortest candidates
      fc
        .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(1, 100, 80_000, 1e6))
        .map(([k, w]) => 1 + (k / 2 ** 32) * w),
    );
    let read = 0;
    fc.assert(
      fc.property(withSign(numbers), (x) => {
        if (K.input(x)) read++;
        return readsShortest(x);
      }),
      { numRuns: 10_000 },
    );
    expect(read).toBeGreaterThan(9_000);
  });

  it("reads quoted values (ticks of 0.5, 0.1, 0.01, rates of up to 8 decimals) and 15, 16, 17-digit values", () => {
    const quoted = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 2e8 }), fc.constantFrom(2, 10, 100)).map(([k, per]) => k / per), // prices on a tick, as typed
      fc
        .tuple(fc.integer({ min: 1, max: 1e7 }), fc.constantFrom(0.5, 0.1, 0.01))
        .map(([k, tick]) => k * tick), // the same ticks as a formula computes them
      fc.integer({ min: -1e8, max: 1e8 }).map((k) => k / 1e8), // rates with up to 8 decimals
    );
    const digits = fc
      .tuple(fc.double({ min: 1e-30, max: 1e15, noNaN: true }), fc.constantFrom(15, 16, 17))
      .map(([x, n]) => Number(x.toPrecision(n)));
    // decimals with more digits than 17 that doubles hold exactly: two shortest candidates can be equally near
    const dyadicTails = fc
      .tuple(fc.integer({ min: 1e9, max: 9e14 }), fc.integer({ min: 1, max: 7 }), fc.nat())
      .map(([whole, j, f]) => whole + (f % 2 ** j) / 2 ** j);
    for (const [name, arb, minRead] of [
      ["quoted", quoted, 0.999],
      ["15 to 17 digits", digits, 0.999],
      ["dyadic tails", dyadicTails, 0.99],
    ] as const) {
      let read = 0;
      let runs = 0;
      fc.assert(
        fc.property(withSign(arb), (x) => {
          if (x === 0 || Math.abs(x) >= 1e-30) {
            runs++; // within the reader's range (below 1e-30 it declines: see the next test)
            if (K.input(x)) read++;
          }
          return readsShortest(x);
        }),
        { numRuns: 3_000 },
      );
      expect(read / runs, name).toBeGreaterThan(minRead);
    }
  });

  it("reads the boundary values of its range, and declines subnormal, huge and out-of-range ones", () => {
    const edges = [
      ...[1e-30, 1e-23, 1e-22, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 0.1, 1, 10, 1e14, 1e15],
      ...[2 ** 53, 2 ** -20, 2 ** -60, 0.5, 2 ** 49, 1e14 + 0.125],
    ];
    for (const e of edges) {
      for (let k = -4; k <= 4; k++) {
        const x = ulpsFrom(e, k);
        expect(readsShortest(x), `${x}`).toBe(true);
        expect(readsShortest(-x), `${-x}`).toBe(true);
      }
    }
    // halves between two 17-digit candidates go to the even one, as V8 prints them
    expect(K.input(1e14 + 0.125)).toBe(true);
    expect(readsShortest(1e14 + 0.125) && readsShortest(1e14 + 0.375)).toBe(true);
    for (const x of [
      5e-324,
      2.2250738585072014e-308,
      1e-300,
      1e-31,
      ulpsFrom(1e-30, -1),
      1e300,
      1.7976931348623157e308,
    ]) {
      expect(K.input(x), String(x)).toBe(false);
      expect(K.input(-x), String(-x)).toBe(false);
    }
    // what it reads near 1e-30, 1e-8 (where 10^k stops being a double) and 1e-6 it reads right, and it reads
    // all of them in its range
    let read = 0;
    let inRange = 0;
    for (const e of [1e-30, 1e-8, 1e-6]) {
      for (let k = 0; k < 1000; k++) {
        const x = ulpsFrom(e, k * 997 - 500_000);
        if (x >= 1e-30) inRange++;
        if (K.input(x)) read++;
        expect(readsShortest(x), String(x)).toBe(true);
      }
    }
    expect(inRange).toBeGreaterThan(2400);
    expect(read).toBe(inRange);
  });

  it("reads short decimals and integers exactly, and refuses what it cannot be sure of", () => {
    for (const x of [0.5, 12.25, 3, -7, 2 ** 52]) {
      expect(K.input(x)).toBe(true);
      expect([K.R[0], K.R[1], K.R[2]]).toEqual([x, 0, 0]);
    }
    expect(K.input(0.1)).toBe(true);
    expect(
      new Wide(0.1)
        .minus(exactOf(K.R[0]).plus(exactOf(K.R[1])))
        .abs()
        .lte(K.R[2]),
    ).toBe(true);
    expect(K.R[2]).toBeGreaterThan(0);
    for (const x of [1e-31, 1e15 + 0.5, 2 ** 60, Infinity, NaN]) expect(K.input(x), String(x)).toBe(false);
  });

  it("TwoProduct is exact", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        (a, b) => {
          fc.pre(Math.abs(a * b) > 1e-200 || a === 0 || b === 0);
          K.twoProd(a, b);
          return exactOf(K.R[0])
            .plus(exactOf(K.R[1]))
            .eq(exactOf(a).times(exactOf(b)));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("holds the exact sum, product and quotient of double-double operands within its bound", () => {
    // normalised: |lo| <= |hi| 2^-54 <= ulp(hi) / 2
    const dd = fc
      .tuple(
        fc.double({ min: 1e-30, max: 1e30, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.boolean(),
      )
      .map(([h, t, negative]) => [negative ? -h : h, (negative ? -h : h) * 2 ** -53 * t] as const);
    fc.assert(
      fc.property(dd, dd, fc.constantFrom("add", "mul", "div"), ([ah, al], [bh, bl], op) => {
        const a = exactOf(ah).plus(exactOf(al));
        const b = exactOf(bh).plus(exactOf(bl));
        const exact = op === "add" ? a.plus(b) : op === "mul" ? a.times(b) : a.div(b);
        (op === "add" ? K.add : op === "mul" ? K.mul : K.div)(ah, al, 0, bh, bl, 0);
        return exact
          .minus(exactOf(K.R[0]).plus(exactOf(K.R[1])))
          .abs()
          .lte(K.R[2]);
      }),
      { numRuns: 3_000 },
    );
  });

  it("certifies only when every value within the bound rounds to one double, ties to even", () => {
    const one = 1;
    const halfUlp = 2 ** -53;
    K.set(one, halfUlp * 0.5, 0);
    expect(K.certify()).toBe(1);
    // exactly on the midpoint above 1 (ties to even would give 1): too close to call with the safety margin
    K.set(one, halfUlp, 0);
    expect(K.certify()).toBeNaN();
    K.set(one, halfUlp * 0.999, 1e-40);
    expect(K.certify()).toBe(1);
    K.set(one, halfUlp * 0.999, halfUlp * 0.002);
    expect(K.certify()).toBeNaN();
    // below 1 the ulp halves: 1 - 2^-54 is already the midpoint
    K.set(one, -(2 ** -54) * 0.99, 0);
    expect(K.certify()).toBe(1);
    K.set(one, -(2 ** -54) * 1.01, 0);
    expect(K.certify()).toBeNaN();
    K.set(0, 0, 0);
    expect(K.certify()).toBe(0);
    K.set(0, 0, 1e-300);
    expect(K.certify()).toBeNaN();
    K.set(NaN, 0, 0);
    expect(K.certify()).toBeNaN();
  });

  it("bounds what decimal.js's 40-digit steps do: an exact product on a tie falls back", () => {
    // 134217729 x 134217727 = 2^54 - 1: odd, halfway between two doubles; decimal holds it exactly
    K.mul(134_217_729, 0, 0, 134_217_727, 0, 0);
    expect(K.R[0] + K.R[1]).toBe(2 ** 54);
    expect(K.certify()).toBeNaN();
    expect(new D(134_217_729).times(134_217_727).toNumber()).toBe(2 ** 54);
  });
});
