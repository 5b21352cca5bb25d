/*
 * The certified fast path against its definition: for every function, 10,000 argument lists (random across the
 * accepted domain, and near ties built to sit on or beside a rounding boundary or decision) must give the very
 * double the decimal.js path gives. `npm run verify:exact` runs the same checks a million times a function.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { D } from "../../src/core/decimal";
import * as K from "../../src/core/kernel";
import { SUBJECTS, check, checkScenario, scenarioRandom, scenarioTies } from "../support/exact-cases";
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
      fc.property(numbers, (x) => {
        if (!K.input(x)) return true;
        read++;
        const shortest = new Wide(String(x));
        const held = exactOf(K.R[0]).plus(exactOf(K.R[1]));
        return shortest.minus(held).abs().lte(K.R[2]);
      }),
      { numRuns: 10_000 },
    );
    expect(read).toBeGreaterThan(9_000);
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
    for (const x of [1e-7, 1e15 + 0.5, 2 ** 60, Infinity, NaN]) expect(K.input(x), String(x)).toBe(false);
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
