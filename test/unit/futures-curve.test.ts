/*
 * HEDGE.FUTURES.CURVE from source: the core's table (decimal.js, checked against independent worked examples
 * and a property), and the streaming function over an injected curve poller on a fake clock.
 */
import Decimal from "decimal.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CURVE_COLUMNS, curveRows, type CurvePoint } from "../../src/core/curve";
import type { Quote } from "../../src/market/types";
import { ErrorCode, ExcelError } from "../support/bundle";
import { FakeClock } from "../support/fake-clock";

let curve: typeof import("../../src/functions/curve");
let polling: typeof import("../../src/live/curve-poller");

beforeAll(async () => {
  (globalThis as { CustomFunctions?: unknown }).CustomFunctions = {
    Error: ExcelError,
    ErrorCode,
    associate() {},
  };
  curve = await import("../../src/functions/curve");
  polling = await import("../../src/live/curve-poller");
});

/** An independent decimal.js oracle with the spec's precision (40 digits, halves away from zero). */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

const NOW = Date.parse("2026-11-26T15:30:00Z");
const perp: CurvePoint = {
  symbol: "BTC-PERPETUAL",
  kind: "perpetual",
  expiryMs: null,
  markPrice: 91210.5,
  indexPrice: 91200.25,
  fundingRate: 0.0001,
  fundingIntervalHours: 8,
};
const future = (symbol: string, iso: string, mark: number): CurvePoint => ({
  symbol,
  kind: "future",
  expiryMs: Date.parse(iso),
  markPrice: mark,
  indexPrice: 91200.25,
  fundingRate: null,
  fundingIntervalHours: null,
});
const MAR = future("BTC-26MAR27", "2027-03-26T08:00:00Z", 93475.5);
const DEC = future("BTC-25DEC26", "2026-12-25T08:00:00Z", 92100);
const num = (v: unknown) => (v instanceof Decimal || (v as { toNumber?: unknown }).toNumber ? Number(v) : v);

describe("curveRows (core)", () => {
  it("puts the perpetual first and dated futures by expiry, with basis = mark / index - 1", () => {
    const rows = curveRows([MAR, perp, DEC], NOW).map((r) => r.map(num));
    expect(rows.map((r) => r[0])).toEqual(["BTC-PERPETUAL", "BTC-25DEC26", "BTC-26MAR27"]);
    // Worked example, March: days = 2027-03-26T08:00Z - 2026-11-26T15:30Z = 119 d 16.5 h = 119.6875 d exactly;
    // basis = 2275.25 / 91200.25 = 0.0249478482794729...; basis_apr = basis x 365 / 119.6875.
    const [, , mar] = rows;
    expect(mar[1]).toBe("future");
    expect(mar[2]).toBe((Date.parse("2027-03-26T08:00:00Z") - Date.UTC(1899, 11, 30)) / 86_400_000);
    expect(mar[3]).toBe(119.6875);
    expect(mar[6]).toBeCloseTo(2275.25 / 91200.25, 15);
    expect(mar[7]).toBeCloseTo(((2275.25 / 91200.25) * 365) / 119.6875, 14);
    expect(mar[8]).toBe("");
    // The perpetual: no expiry, days or basis APR; funding APR = 0.0001 x 8760 / 8 = 0.1095.
    expect(rows[0]).toEqual([
      "BTC-PERPETUAL",
      "perpetual",
      "",
      "",
      91210.5,
      91200.25,
      rows[0][6],
      "",
      0.1095,
    ]);
    expect(rows[0][6]).toBeCloseTo(10.25 / 91200.25, 15);
  });

  it("is exactly the decimal.js definition (property): basis and basis_apr round to the same doubles", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 800 * 86_400_000 }),
        (mark, index, ahead) => {
          const p = {
            ...future("X", "2027-01-01T00:00:00Z", mark),
            indexPrice: index,
            expiryMs: NOW + ahead,
          };
          const [row] = curveRows([p], NOW);
          const b = new Exact(mark).div(index).minus(1);
          const days = new Exact(ahead).div(86_400_000);
          return (
            Number(row[6]) === b.toNumber() &&
            Number(row[3]) === days.toNumber() &&
            Number(row[7]) === b.times(365).div(days).toNumber()
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leaves out a future at or past its expiry: it is no longer live", () => {
    const gone = future("BTC-27NOV26", "2026-11-26T15:30:00Z", 91000);
    expect(curveRows([gone, perp], NOW).map((r) => r[0])).toEqual(["BTC-PERPETUAL"]);
  });
});

const quote = (p: CurvePoint): Quote => ({
  exchange: "deribit",
  symbol: p.symbol,
  coin: "BTC",
  kind: p.kind,
  contractSize: 10,
  fundingRate: p.fundingRate,
  fundingIntervalHours: p.fundingIntervalHours,
  nextFundingTime: null,
  predictedFundingRate: null,
  markPrice: p.markPrice,
  indexPrice: p.indexPrice,
  premium: p.markPrice / p.indexPrice - 1,
  fundingApr: p.fundingRate === null ? null : (p.fundingRate * 8760) / 8,
  expiry: p.expiryMs === null ? null : new Date(p.expiryMs).toISOString(),
  exchangeTime: "2026-11-26T15:30:00.000Z",
  fetchedAt: "2026-11-26T15:30:00.000Z",
  stale: false,
  source: "replay",
});

/** A streaming cell double: every result set on it, and its cancel hook. */
function cellOf() {
  const results: unknown[] = [];
  const invocation = {
    address: "A1",
    setResult: (v: unknown) => results.push(v),
    onCanceled: undefined as undefined | (() => void),
  };
  return { results, invocation, last: () => results.at(-1), cancel: () => invocation.onCanceled?.() };
}
const shown = (v: unknown) => (v instanceof ExcelError ? `${v.code} ${v.message}` : v);

describe("HEDGE.FUTURES.CURVE streaming (injected poller, fake clock)", () => {
  function setup(answers: (() => Promise<{ quotes: Quote[] }>)[]) {
    const clock = new FakeClock();
    const asked: string[] = [];
    let i = 0;
    const poller = new polling.CurvePoller({
      timers: clock.timers,
      fetchCurve: (exchange, coin) => {
        asked.push(`${exchange}:${coin}`);
        return answers[Math.min(i++, answers.length - 1)]();
      },
    });
    return { clock, asked, deps: { poller, now: () => NOW } };
  }
  const ok = (points: CurvePoint[]) => () => Promise.resolve({ quotes: points.map(quote) });
  const fail = (status: number, code: string, message: string) => () =>
    Promise.reject(Object.assign(new Error(message), { status, code }));

  it("spills a header row and the sorted contracts; cells on the same curve share one request a tick", async () => {
    const { clock, asked, deps } = setup([ok([MAR, DEC, perp])]);
    const a = cellOf();
    const b = cellOf();
    curve.streamFuturesCurve("Deribit", "btc", null, a.invocation as never, deps);
    curve.streamFuturesCurve("deribit", "BTC", false, b.invocation as never, deps);
    await clock.advance(0);
    expect(asked).toEqual(["deribit:BTC"]);
    const table = a.last() as unknown[][];
    expect(table[0]).toEqual([...CURVE_COLUMNS]);
    expect(table.slice(1).map((r) => r[0])).toEqual(["BTC-PERPETUAL", "BTC-25DEC26", "BTC-26MAR27"]);
    expect(b.last()).toEqual(table.slice(1));
    expect(table.flat().every((v) => typeof v === "string" || Number.isFinite(v))).toBe(true);
    await clock.advance(10_000);
    expect(asked).toHaveLength(2);
    a.cancel();
    b.cancel();
    await clock.advance(60_000);
    expect(asked).toHaveLength(2);
    expect(clock.size).toBe(0);
  });

  it("a bad argument is #VALUE! naming it, without any request", async () => {
    const { clock, asked, deps } = setup([ok([perp])]);
    const bad = [
      ["ftx", "BTC", "#VALUE! exchange must be one of"],
      ["deribit", "BTC/USD", "#VALUE! coin must be 1 to 12 letters or digits"],
      ["deribit", "BTC", "#VALUE! headers"],
    ] as const;
    for (const [exchange, coin, message] of bad) {
      const c = cellOf();
      curve.streamFuturesCurve(
        exchange,
        coin,
        exchange === "deribit" && coin === "BTC" ? "maybe" : null,
        c.invocation as never,
        deps,
      );
      expect(String(shown(c.last()))).toContain(message);
    }
    await clock.advance(0);
    expect(asked).toEqual([]);
  });

  it("#N/A with the server's reason while the venue fails, and the cell recovers by itself", async () => {
    const { clock, deps } = setup([fail(502, "upstream_timeout", "deribit: upstream timed out"), ok([perp])]);
    const c = cellOf();
    curve.streamFuturesCurve("deribit", "BTC", null, c.invocation as never, deps);
    await clock.advance(0);
    expect(shown(c.last())).toBe("#N/A deribit: upstream timed out");
    await clock.advance(10_000);
    expect((c.last() as unknown[][])[1][0]).toBe("BTC-PERPETUAL");
    c.cancel();
  });

  it("a 400 from the server is #VALUE!; a coin without contracts is #N/A saying so", async () => {
    const { clock, deps } = setup([fail(400, "unknown_exchange", "unknown exchange")]);
    const c = cellOf();
    curve.streamFuturesCurve("deribit", "BTC", null, c.invocation as never, deps);
    await clock.advance(0);
    expect(shown(c.last())).toBe("#VALUE! unknown exchange");
    c.cancel();
    const empty = setup([ok([])]);
    const d = cellOf();
    curve.streamFuturesCurve("bingx", "ZZZ", null, d.invocation as never, empty.deps);
    await empty.clock.advance(0);
    expect(shown(d.last())).toBe("#N/A bingx lists no live inverse contract of ZZZ");
    d.cancel();
  });

  it("writes the expiry in the workbook's date system (1904 when the pane says so)", async () => {
    const { setWorkbookDate1904 } = await import("../../src/live/date-system");
    const table = (on: boolean) => {
      setWorkbookDate1904(on);
      return curve.curveTable(
        "deribit",
        "BTC",
        false,
        { ok: true, quotes: [quote(MAR)] },
        NOW,
      ) as unknown[][];
    };
    try {
      expect((table(false)[0][2] as number) - (table(true)[0][2] as number)).toBe(1462);
    } finally {
      setWorkbookDate1904(false);
    }
  });

  it("never hands Excel a non-finite number: an unreadable expiry is #N/A", () => {
    const broken = { ...quote(MAR), expiry: "not a date" };
    const out = curve.curveTable("deribit", "BTC", true, { ok: true, quotes: [broken] }, NOW);
    expect(shown(out)).toBe("#N/A deribit: futures curve not understood");
  });
});
