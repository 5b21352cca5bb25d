import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { niceTicks } from "../../src/taskpane/funding-chart";

describe("funding chart axis ticks", () => {
  it("span the data, so no line is drawn outside the axes (a worked case: -4.8 % to 21 %)", () => {
    expect(niceTicks(-0.048, 0.21)).toEqual([-0.1, 0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 0.2)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
  });

  it("cover any range with at most a dozen evenly spaced round values", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        (lo, width) => {
          const hi = lo + width;
          const ticks = niceTicks(lo, hi);
          expect(ticks[0]).toBeLessThanOrEqual(lo + width * 1e-9);
          expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(hi - width * 1e-9);
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          expect(ticks.length).toBeLessThanOrEqual(12);
          const step = ticks[1] - ticks[0];
          for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBeCloseTo(step, 9);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
