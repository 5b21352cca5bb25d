/*
 * Edge behaviour a person meets in real Excel: ranges paired by position, no liquidation price on the wrong side,
 * exact date-time differences, a capped scenario table, and messages that never repeat long text.
 */
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { D } from "../../src/core/decimal";
import { setWorkbookDate1904 } from "../../src/live/date-system";
import { ErrorCode, ExcelError } from "../support/bundle";

type Fns = typeof import("../../src/functions/functions");
let fns: Fns;
let runner: typeof import("../../src/functions/runner");

beforeAll(async () => {
  (globalThis as { CustomFunctions?: unknown }).CustomFunctions = {
    Error: ExcelError,
    ErrorCode,
    associate() {},
  };
  fns = await import("../../src/functions/functions");
  runner = await import("../../src/functions/runner");
});

afterEach(() => vi.useRealTimers());

function cell(call: () => unknown): unknown {
  try {
    return call();
  } catch (err) {
    if (err instanceof ExcelError) return `${err.code} ${err.message}`;
    throw err;
  }
}

/** Minimum-variance ratio of simple returns in plain floats: the independent reference. */
function floatRatio(spot: number[], futures: number[]): number {
  const r = (p: number[]) => p.slice(1).map((x, i) => x / p[i] - 1);
  const [a, b] = [r(spot), r(futures)];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [sab, sbb] = [0, 0];
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    sbb += (b[i] - mb) ** 2;
  }
  return sab / sbb;
}

describe("paired ranges", () => {
  it("RATIO pairs by position and drops a row where either cell is blank, as SLOPE does", () => {
    const spot = [[100], [110], [""], [88], [92.4], [95]];
    const futures = [[100], [105], [94.5], [96.8625], [""], [99]];
    const value = fns.ratio(spot, futures);
    // the complete rows are 1, 2, 4 and 6
    expect(value).toBeCloseTo(floatRatio([100, 110, 88, 95], [100, 105, 96.8625, 99]), 12);
    expect(value).toBeCloseTo(2.4733, 4);
  });

  it("EFFECTIVENESS pairs the same way", () => {
    const spot = [[100], [110], [""], [88], [92.4], [95]];
    const futures = [[100], [105], [94.5], [96.8625], [""], [99]];
    expect(fns.effectiveness(spot, futures, 1)).toBe(
      fns.effectiveness([[100], [110], [88], [95]], [[100], [105], [96.8625], [99]], 1),
    );
  });

  it("AVGENTRY keeps only complete fills", () => {
    expect(fns.inverseAvgEntry([[1000], [""], [2000]], [[5000], [6000], [""]])).toBe(5000);
    expect(fns.inverseAvgEntry([[50], [null], [50]], [[10_000], [99], [15_000]])).toBe(12_000);
  });

  it("refuses ranges of different sizes, and too few complete rows", () => {
    expect(cell(() => fns.inverseAvgEntry([[1000], [2000], [""]], [[5000], [6000]]))).toBe(
      "#VALUE! prices must have as many cells as notionals (3, not 2), paired by position",
    );
    expect(cell(() => fns.ratio([[1], [2], [""], [4]], [[1], [""], [3], [4]]))).toBe(
      "#VALUE! spot_prices must hold at least 3 prices",
    );
  });
});

describe("LIQPRICE", () => {
  it("is #N/A when maintenance margin at entry reaches the collateral (liquidated on opening)", () => {
    for (const side of ["long", "short"]) {
      expect(cell(() => fns.inverseLiqPrice(10_000, 50_000, side, 125, 0.01))).toMatch(
        /^#N\/A .*liquidated on opening/,
      );
    }
    // exactly at the line: m x N / E = W (leverage 100, m = 1 %)
    expect(cell(() => fns.inverseLiqPrice(10_000, 50_000, "long", 100, 0.01))).toMatch(
      /liquidated on opening/,
    );
    // just inside it a price exists, below the entry
    expect(fns.inverseLiqPrice(10_000, 50_000, "long", 99, 0.01)).toBeLessThan(50_000);
  });

  it("never gives a price on the wrong side of the entry", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        fc.double({ min: 0.01, max: 1e7, noNaN: true }),
        fc.constantFrom("long", "short"),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        (n, e, side, lev, m, extra) => {
          const p = cell(() => fns.inverseLiqPrice(n, e, side, lev, m, extra));
          if (typeof p === "string") return p.startsWith("#N/A ");
          return side === "long" ? (p as number) <= e : (p as number) >= e;
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("BASIS.APR dates", () => {
  const exact = (days: D) => new D(51_000).div(50_000).minus(1).times(365).div(days).toNumber();

  it("takes the days between ISO date-times exactly, not through binary serials", () => {
    // one day and one millisecond
    const days = new D(1).plus(new D(1).div(86_400_000));
    expect(fns.basisApr(51_000, 50_000, "2025-06-28T08:00:00.001Z", "2025-06-27T08:00Z")).toBe(exact(days));
    // offsets and fractions of a second
    const days2 = new D(90).plus(new D("3600.25").div(86_400));
    expect(fns.basisApr(51_000, 50_000, "2025-09-25T10:00:00.25+01:00", "2025-06-27T08:00Z")).toBe(
      exact(days2),
    );
  });

  it("reads the clock exactly when as_of is omitted", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-06-27T08:00:00.000Z"));
    const days = new D(1).plus(new D(7).div(86_400_000));
    expect(fns.basisApr(51_000, 50_000, "2025-06-28T08:00:00.007Z", null as never)).toBe(exact(days));
  });
});

describe("BASIS.APR in a 1904 workbook", () => {
  afterEach(() => setWorkbookDate1904(false));

  it("reads a serial expiry in the workbook's date system against the clock and ISO text", () => {
    // 2025-06-28 08:00 UTC is serial 45836.3333... in 1900 and 1462 days less in 1904.
    const expiry1900 = 45_836 + 1 / 3;
    const expected = fns.basisApr(51_000, 50_000, expiry1900, "2025-06-27T08:00Z");
    setWorkbookDate1904(true);
    expect(fns.basisApr(51_000, 50_000, expiry1900 - 1462, "2025-06-27T08:00Z")).toBeCloseTo(
      expected as number,
      9,
    );
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-06-27T08:00:00.000Z"));
    expect(fns.basisApr(51_000, 50_000, expiry1900 - 1462, null as never)).toBeCloseTo(expected as number, 9);
    // two serials of the same workbook: the offset cancels
    expect(fns.basisApr(51_000, 50_000, 45_836 - 1462, 45_835 - 1462)).toBe(
      fns.basisApr(51_000, 50_000, "2025-06-28T00:00Z", "2025-06-27T00:00Z"),
    );
  });
});

describe("SCENARIO size", () => {
  it("takes 10,000 moves and refuses more with #VALUE!", () => {
    const moves = (n: number) => Array.from({ length: n }, (_, i) => [i / n - 0.5]);
    expect(fns.scenario(1, 60_000, 60_000, 60_000, moves(10_000))).toHaveLength(10_001);
    expect(cell(() => fns.scenario(1, 60_000, 60_000, 60_000, moves(10_001)))).toBe(
      "#VALUE! price_changes must hold at most 10,000 moves (a larger table would pass Excel's 5 MB result limit)",
    );
  });
});

describe("messages", () => {
  it("never repeat text longer than 40 characters whole", () => {
    const long = "X".repeat(5000);
    const shown = cell(() => fns.contractSizeOf("bybit", long)) as string;
    expect(shown).toMatch(/^#VALUE! symbol must be/);
    expect(shown).not.toContain("X".repeat(41));
    const wrapped = runner.excelError("notAvailable", `venue said ${"Y".repeat(300)} and stopped`);
    expect(wrapped.message).not.toContain("Y".repeat(41));
    expect(wrapped.message).toMatch(/^venue said Y+\.\.\. \(300 characters\) and stopped$/);
  });

  it("speak spreadsheet: a number too large for Excel is not called infinite or finite", () => {
    const shown = cell(() => fns.inversePnl("1e400" as never, 8_000, 10_000, "long")) as string;
    expect(shown).toBe("#VALUE! notional must be a number within the range of Excel numbers");
    expect(cell(() => fns.scenario(1, 1, 1, 1, [["1e999"]]))).toBe(
      "#VALUE! price_changes must contain only numbers within the range of Excel numbers",
    );
  });
});
