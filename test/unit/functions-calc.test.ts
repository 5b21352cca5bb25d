/*
 * The Excel boundary from source: arguments as Excel passes them (null for omitted, "", numeric text, booleans,
 * ranges as arrays of rows) through the declared rules and the runner, with a CustomFunctions stub.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ErrorCode, ExcelError } from "../support/bundle";

type Fns = typeof import("../../src/functions/functions");
let fns: Fns;
let runner: typeof import("../../src/functions/runner");
let params: typeof import("../../src/functions/params");

beforeAll(async () => {
  (globalThis as { CustomFunctions?: unknown }).CustomFunctions = {
    Error: ExcelError,
    ErrorCode,
    associate() {},
  };
  fns = await import("../../src/functions/functions");
  runner = await import("../../src/functions/runner");
  params = await import("../../src/functions/params");
});

afterEach(() => vi.useRealTimers());

/** What Excel would show: the value, or "#CODE message". */
function cell(call: () => unknown): unknown {
  try {
    return call();
  } catch (err) {
    if (err instanceof ExcelError) return `${err.code} ${err.message}`;
    throw err;
  }
}

describe("reading arguments", () => {
  it("takes numbers, numeric text and percentages; omitted optionals use the default", () => {
    expect(cell(() => fns.notional(5, 65_000))).toBe(325_000);
    for (const omitted of [null, undefined, "", "  "]) {
      expect(cell(() => fns.notional(5, 65_000, omitted as never))).toBe(325_000);
    }
    expect(cell(() => fns.notional(" 5 " as never, "6.5e4" as never, "50%" as never))).toBe(162_500);
    expect(cell(() => fns.notional([[5]] as never, 65_000, 0.5))).toBe(162_500);
  });

  it("names the argument and the rule when a value is refused", () => {
    expect(cell(() => fns.inversePnl(10_000, 0, 10_000, "long"))).toBe(
      "#VALUE! entry_price must be greater than 0",
    );
    expect(cell(() => fns.inversePnl(null as never, 8_000, 10_000, "long"))).toBe(
      "#VALUE! notional is required",
    );
    expect(cell(() => fns.inversePnl(true as never, 8_000, 10_000, "long"))).toBe(
      "#VALUE! notional must be a number, not TRUE",
    );
    expect(cell(() => fns.inversePnl("ten" as never, 8_000, 10_000, "long"))).toBe(
      "#VALUE! notional must be a number",
    );
    expect(cell(() => fns.inversePnl(NaN, 8_000, 10_000, "long"))).toBe("#VALUE! notional must be a number");
    expect(cell(() => fns.inversePnl(Infinity, 8_000, 10_000, "long"))).toBe(
      "#VALUE! notional must be a number within the range of Excel numbers",
    );
    expect(cell(() => fns.inversePnl([[1], [2]] as never, 8_000, 10_000, "long"))).toBe(
      "#VALUE! notional must be a single value, not a range",
    );
    expect(cell(() => fns.inversePnl(10_000, 8_000, 10_000, "up"))).toBe(
      '#VALUE! side must be "long", "short", "buy", "sell", 1 or -1',
    );
    expect(cell(() => fns.notional(5, 65_000, 50))).toBe(
      "#VALUE! hedge_ratio must be at least 0 and at most 10",
    );
    expect(cell(() => fns.inverseMargin(10_000, 8_000, 0))).toBe(
      "#VALUE! leverage must be greater than 0 and at most 1000",
    );
    expect(cell(() => fns.fundingApr(0.0001, 8, "yearly"))).toBe(
      "#VALUE! method must be one of simple, compound",
    );
  });

  it("reads sides and words in any case", () => {
    const long = fns.inversePnl(10_000, 8_000, 10_000, "long");
    expect(long).toBe(0.25);
    for (const s of ["LONG", "Buy", 1, "1"]) expect(fns.inversePnl(10_000, 8_000, 10_000, s)).toBe(long);
    for (const s of ["short", "SELL", -1]) expect(fns.inversePnl(10_000, 8_000, 10_000, s)).toBe(-long);
    expect(fns.contracts(162_550, 100, "Down")).toBe(1_625);
    expect(fns.fundingApr(0.0001, null as never, "COMPOUND")).toBeCloseTo(
      Math.expm1(1095 * Math.log1p(0.0001)),
      14,
    );
  });

  it("gives 0, never -0", () => {
    expect(Object.is(fns.inversePnl(10_000, 8_000, 8_000, "short"), 0)).toBe(true);
    expect(Object.is(fns.fundingPayment(10_000, 8_000, 0, "long"), 0)).toBe(true);
  });
});

describe("ranges", () => {
  it("reads rows, skips blank cells and ignores the range's shape", () => {
    expect(fns.inverseAvgEntry([[50], [""], [50]], [[10_000, null, 15_000]])).toBe(12_000);
    expect(fns.inverseAvgEntry([[50, 50]], [["10000"], ["15000"]])).toBe(12_000);
  });

  it("refuses a 0 price, text, mismatched counts and empty ranges", () => {
    expect(cell(() => fns.inverseAvgEntry([[50], [50]], [[10_000], [0]]))).toBe(
      "#VALUE! prices must each be greater than 0",
    );
    expect(cell(() => fns.inverseAvgEntry([[50], ["fifty"]], [[10_000], [1]]))).toBe(
      "#VALUE! notionals must contain only numbers",
    );
    expect(cell(() => fns.inverseAvgEntry([[50], [50]], [[10_000]]))).toBe(
      "#VALUE! prices must have as many cells as notionals (2, not 1), paired by position",
    );
    expect(cell(() => fns.inverseAvgEntry([[""]], [[null]]))).toBe(
      "#VALUE! notionals must hold at least one number",
    );
    expect(cell(() => fns.ratio([[1], [2]], [[1], [2]]))).toBe(
      "#VALUE! spot_prices must hold at least 3 prices",
    );
    expect(cell(() => fns.ratio([[1], [2], [3]], [[4], [4], [4]]))).toBe(
      "#VALUE! futures_prices must vary (their returns have no variance)",
    );
  });

  it("refuses a range over the size limit", () => {
    const big = Array.from({ length: params.MAX_RANGE_VALUES + 1 }, (_, i) => [100 + i]);
    expect(cell(() => fns.ratio(big, big))).toBe(
      `#VALUE! spot_prices must hold at most ${params.MAX_RANGE_VALUES} numbers`,
    );
  });
});

describe("results", () => {
  it("SCENARIO spills a header and one finite row per move, short by default", () => {
    const table = fns.scenario(5, 65_000, 325_000, 65_000, [[-0.5], [""], [0.25]]);
    expect(table[0]).toEqual([
      "change",
      "price",
      "spot_usd",
      "hedge_coin",
      "hedge_usd",
      "total_usd",
      "total_coin",
    ]);
    expect(table).toHaveLength(3);
    expect(table[1].slice(0, 3)).toEqual([-0.5, 32_500, 162_500]);
    for (const row of table.slice(1)) expect(row[5]).toBeCloseTo(325_000, 6);
    expect(cell(() => fns.scenario(5, 65_000, 325_000, 65_000, [[-1]]))).toBe(
      "#VALUE! price_changes must each be greater than -1",
    );
  });

  it("LIQPRICE of a fully collateralised short is #N/A with the reason", () => {
    expect(cell(() => fns.inverseLiqPrice(162_500, 64_500, "short", 1))).toMatch(
      /^#N\/A .*cannot be liquidated/,
    );
    expect(fns.inverseLiqPrice(60_000, 50_000, "short", 10)).toBeCloseTo(59_700 / 1.08, 9);
    expect(fns.inverseLiqPrice(60_000, 50_000, "long", 10, null as never, 0.1)).toBeCloseTo(60_300 / 1.42, 9);
  });

  it("a result beyond Excel's numbers is #N/A, not Infinity", () => {
    expect(cell(() => fns.notional(1e308, 1e308))).toBe(
      "#N/A the result is outside the range of Excel numbers",
    );
    expect(cell(() => fns.fundingApr(0.9, 1e-300, "compound"))).toBe(
      "#N/A the result is outside the range of Excel numbers",
    );
  });

  it("BASIS.APR reads ISO text and takes as_of from the clock when omitted", () => {
    expect(fns.basisApr(51_000, 50_000, "2025-09-26T08:00Z", "2025-06-27T08:00Z")).toBeCloseTo(
      (0.02 * 365) / 91,
      12,
    );
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-06-27T08:00:00Z"));
    expect(fns.basisApr(51_000, 50_000, "2025-09-26T08:00Z", null as never)).toBeCloseTo(
      (0.02 * 365) / 91,
      12,
    );
    expect(cell(() => fns.basisApr(51_000, 50_000, "2025-06-27T08:00Z", null as never))).toBe(
      "#VALUE! expiry must be after as_of",
    );
    expect(cell(() => fns.basisApr(51_000, 50_000, "next friday", null as never))).toMatch(
      /^#VALUE! expiry must be an Excel date serial/,
    );
  });

  it("CONTRACT.SIZE reads the contract table; unknown venue #VALUE!, unknown contract #N/A", () => {
    expect(fns.contractSizeOf("bybit", "BTC")).toBe(1);
    expect(fns.contractSizeOf("Binance", "btcusd_perp")).toBe(100);
    expect(fns.contractSizeOf("OKX", "BTC-USD-250926")).toBe(100);
    expect(fns.contractSizeOf("deribit", "ETH")).toBe(1);
    expect(cell(() => fns.contractSizeOf("ftx", "BTC"))).toBe(
      "#VALUE! exchange must be one of bybit, binance, bitmex, deribit, okx, kraken, bingx, mexc",
    );
    expect(cell(() => fns.contractSizeOf("bybit", "DOGEUSD"))).toMatch(/^#N\/A /);
    expect(cell(() => fns.contractSizeOf("binance", "BTCUSDT"))).toMatch(/^#N\/A .*not an inverse/);
  });
});

describe("the runner", () => {
  it("turns an unexpected exception into #VALUE! with a generic message", () => {
    const broken = (x: number): number => {
      try {
        throw new TypeError(`boom at ${x}`);
      } catch (err) {
        throw runner.toExcelError(err);
      }
    };
    expect(cell(() => broken(1))).toBe("#VALUE! could not calculate: unexpected error (check the arguments)");
  });

  it("exposes rules the live functions can apply one by one", () => {
    const days = params.number("days", { ge: 1, le: 365, integer: true }, 30);
    expect(days.coerce(null)).toBe(30);
    expect(days.coerce("7")).toBe(7);
    const refused = runner.toExcelError(catchIt(() => days.coerce(7.5)));
    expect([refused.code, refused.message]).toEqual([
      ErrorCode.invalidValue,
      "days must be a whole number at least 1 and at most 365",
    ]);
    const headers = params.booleanRule("headers", true);
    expect([headers.coerce(null), headers.coerce(false), headers.coerce("FALSE"), headers.coerce(0)]).toEqual(
      [true, false, false, false],
    );
    expect(params.exchangeRule.coerce(" OKX ")).toBe("okx");
  });
});

function catchIt(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}
