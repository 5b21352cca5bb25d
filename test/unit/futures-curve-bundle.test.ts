/*
 * HEDGE.FUTURES.CURVE through the BUILT bundle (dist/functions.js in a vm) against the REAL server in replay
 * mode: the recorded Deribit BTC contracts spill perpetual first, then the dated futures in expiry order, with
 * basis = mark / index - 1 equal to the decimal.js definition (40 digits) for every row.
 */
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Quote } from "../../src/market/types";
import { ExcelError, type LoadedBundle, type StreamingCell } from "../support/bundle";
import { loadBundleOnClock, until } from "../support/bundle-on-clock";
import type { FakeClock } from "../support/fake-clock";
import { startServer, type RunningServer } from "../support/server";

const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

describe("HEDGE.FUTURES.CURVE in the built bundle, replay mode", () => {
  let server: RunningServer;
  let bundle: LoadedBundle;
  let clock: FakeClock;
  let fetched: string[];
  const cells: StreamingCell[] = [];

  beforeAll(async () => {
    server = await startServer({ HEDGE_MARKET: "replay" });
    ({ bundle, clock, fetched } = loadBundleOnClock({
      href: `${server.url}/taskpane.html`,
      relativeTo: server.url,
    }));
  });
  afterAll(async () => {
    for (const c of cells) c.cancel();
    await server.close();
  });

  it('=HEDGE.FUTURES.CURVE("deribit","BTC") spills the perpetual, then the futures by expiry, basis = mark/index - 1', async () => {
    const before = Date.now();
    const cell = bundle.stream("FUTURES.CURVE", ["deribit", "BTC", null]);
    cells.push(cell);
    await clock.advance(0);
    await until(() => cell.results.length > 0);
    const after = Date.now();
    const table = cell.latest();
    if (table instanceof ExcelError) throw new Error(`${table.code} ${table.message}`);
    const rows = table as (string | number)[][];

    expect(rows[0]).toEqual([
      "symbol",
      "kind",
      "expiry",
      "days",
      "mark_price",
      "index_price",
      "basis",
      "basis_apr",
      "funding_apr",
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      "BTC-PERPETUAL",
      "BTC-25DEC26",
      "BTC-26MAR27",
      "BTC-25JUN27",
    ]);
    expect(fetched.filter((p) => p.includes("/api/v1/curve"))).toEqual([
      "/api/v1/curve?exchange=deribit&coin=BTC",
    ]);

    // The independent side: the server's own quotes, and decimal.js at 40 digits.
    const body = (await (await fetch(`${server.url}/api/v1/curve?exchange=deribit&coin=BTC`)).json()) as {
      quotes: Quote[];
    };
    const bySymbol = new Map(body.quotes.map((q) => [q.symbol, q]));
    for (const row of rows.slice(1)) {
      const q = bySymbol.get(row[0] as string)!;
      expect(row[4]).toBe(q.markPrice);
      expect(row[5]).toBe(q.indexPrice);
      const basis = new Exact(q.markPrice).div(q.indexPrice).minus(1);
      expect(row[6]).toBe(basis.toNumber());
      if (q.kind === "perpetual") {
        expect(row.slice(1, 4)).toEqual(["perpetual", "", ""]);
        expect(row[7]).toBe("");
        // funding_8h 0.00012 every 8 h: 0.00012 x 8760 / 8 = 0.1314
        expect(row[8]).toBe(new Exact(q.fundingRate!).times(8760).div(q.fundingIntervalHours!).toNumber());
      } else {
        const expiryMs = Date.parse(q.expiry!);
        expect(row[2]).toBe((expiryMs - EXCEL_EPOCH_MS) / 86_400_000);
        // days is taken at the function's clock, somewhere between before and after.
        const days = row[3] as number;
        expect(days).toBeLessThanOrEqual((expiryMs - before) / 86_400_000);
        expect(days).toBeGreaterThanOrEqual((expiryMs - after) / 86_400_000);
        // basis_apr = basis x 365 / days, with the row's own days.
        expect(row[7]).toBeCloseTo(basis.times(365).div(days).toNumber(), 15);
        expect(row[8]).toBe("");
      }
    }
    const expiries = rows.slice(2).map((r) => r[2] as number);
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
  });
});
