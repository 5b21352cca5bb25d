/*
 * Realised funding statistics: a worked example by hand, and properties against the spreadsheet aggregates
 * (SUM, AVERAGE, COUNT, MIN, MAX) they promise to equal. Tolerance: 1e-12 relative, because a spreadsheet adds
 * doubles one at a time while the core adds exactly and rounds once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidArgument, NotApplicable } from "../../src/core/errors";
import { fundingEarned, fundingStats, statsRow } from "../../src/core/funding-stats";

function close(actual: number, expected: number, rel = 1e-12): void {
  const tolerance = rel * Math.max(Math.abs(expected), 1e-300);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe("funding stats", () => {
  it("worked example: three 8-hourly settlements over one day", () => {
    // rates 0.0001, -0.00005, 0.0002: sum 0.00025, mean 0.0000833.., apr 0.00025 x 365 / 1 = 0.09125,
    // min -0.00005, max 0.0002, two of three positive.
    const s = fundingStats([0.0001, -0.00005, 0.0002], 1);
    expect(s.settlements).toBe(3);
    expect(s.sumRate.toString()).toBe("0.00025");
    close(s.meanRate.toNumber(), 0.00025 / 3);
    expect(s.apr.toString()).toBe("0.09125");
    expect(s.minRate.toNumber()).toBe(-0.00005);
    expect(s.maxRate.toNumber()).toBe(0.0002);
    close(s.positiveShare.toNumber(), 2 / 3);
  });

  it("a short of 10,000 USD receives 2.5 USD on those rates; a long pays it", () => {
    // -(-1) x 10,000 x 0.00025 = 2.5
    expect(fundingEarned([0.0001, -0.00005, 0.0002], 10_000, -1).toNumber()).toBe(2.5);
    expect(fundingEarned([0.0001, -0.00005, 0.0002], 10_000, 1).toNumber()).toBe(-2.5);
  });

  it("no settlements is not applicable; a window of 0 days is invalid", () => {
    expect(() => fundingStats([], 30)).toThrow(NotApplicable);
    expect(() => fundingEarned([], 1000, -1)).toThrow(NotApplicable);
    expect(() => fundingStats([0.0001], 0)).toThrow(InvalidArgument);
  });

  const rate = fc.double({ min: -0.03, max: 0.03, noNaN: true, noDefaultInfinity: true });
  it("equals SUM/AVERAGE/COUNT/MIN/MAX of the same doubles (property)", () => {
    fc.assert(
      fc.property(
        fc.array(rate, { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 365 }),
        (rates, days) => {
          const [count, sum, mean, apr, min, max, positive] = statsRow(fundingStats(rates, days));
          const floatSum = rates.reduce((a, b) => a + b, 0);
          const scale = rates.reduce((a, b) => a + Math.abs(b), 0);
          // Sequential double addition errs by at most n x eps x sum|r|: the bound the comparison allows.
          const slack = rates.length * Number.EPSILON * scale + Number.MIN_VALUE;
          expect(count).toBe(rates.length);
          expect(Math.abs(sum - floatSum)).toBeLessThanOrEqual(slack);
          expect(Math.abs(mean - floatSum / rates.length)).toBeLessThanOrEqual(
            slack / rates.length + Number.MIN_VALUE,
          );
          expect(Math.abs(apr - (floatSum * 365) / days)).toBeLessThanOrEqual(((slack * 365) / days) * 2);
          expect(min).toBe(Math.min(...rates));
          expect(max).toBe(Math.max(...rates));
          expect(positive).toBe(rates.filter((r) => r > 0).length / rates.length);
        },
      ),
    );
  });

  it("earned is -side x notional x the stats' sum (property)", () => {
    fc.assert(
      fc.property(
        fc.array(rate, { minLength: 1, maxLength: 100 }),
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        fc.constantFrom<1 | -1>(1, -1),
        (rates, notional, side) => {
          const sum = fundingStats(rates, 30).sumRate;
          expect(fundingEarned(rates, notional, side).toNumber()).toBe(
            sum.times(notional).times(-side).toNumber(),
          );
        },
      ),
    );
  });
});
