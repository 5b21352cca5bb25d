/*
 * HEDGE.PRICE.HISTORY, HEDGE.FUNDING.STATS and HEDGE.FUNDING.EARNED through the BUILT bundle (dist/functions.js in
 * a vm) against the real add-in server, which serves replay data or talks to the fake exchange. The funding
 * figures are checked the way a person would: a formula engine computes SUM/AVERAGE/COUNT/MIN/MAX/COUNTIF over
 * the table HEDGE.FUNDING.HISTORY spills, beside HEDGE.FUNDING.STATS and HEDGE.FUNDING.EARNED of the same window.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANDLES, type PriceKind } from "../../src/market/candles";
import { findContract } from "../../src/market/contracts";
import type { Exchange } from "../../src/market/types";
import { readRecorded } from "../../src/server/market/recorded";
import { start, type FakeExchange } from "../fake-exchange/server";
import { ExcelError, loadBundle, type LoadedBundle } from "../support/bundle";
import { EngineError, FormulaWorkbook, bundleFunctions } from "../support/formula-engine";
import { startServer, type RunningServer } from "../support/server";

const DAY = 86_400_000;
const serialOf = (ms: number) => (ms - Date.UTC(1899, 11, 30)) / DAY;
const LAST_DAY = Date.UTC(2026, 10, 26);

/** Starts a streaming function in a fresh cell and waits (real time: HTTP is real) for its first result. */
async function first(bundle: LoadedBundle, id: string, args: unknown[]): Promise<unknown> {
  const cell = bundle.stream(id, args);
  const end = Date.now() + 10_000;
  while (cell.results.length === 0) {
    if (Date.now() > end) throw new Error(`${id} gave no result`);
    await new Promise((r) => setTimeout(r, 5));
  }
  cell.cancel();
  return cell.results[0];
}

const errorOf = (v: unknown) => (v instanceof ExcelError ? { code: v.code, message: v.message } : v);

function bundleFor(server: RunningServer, fetched: string[] = []): LoadedBundle {
  return loadBundle({
    location: { origin: server.url, href: `${server.url}/taskpane.html` },
    fetch: ((input: string, init?: RequestInit) => {
      fetched.push(String(input).slice(server.url.length));
      return fetch(input, init);
    }) as typeof fetch,
  });
}

/** Closes of a recorded candle payload as [serial, close], oldest first (parsed independently of the server). */
async function recordedCloses(e: Exchange, symbol: string, kind: PriceKind): Promise<[number, number][]> {
  const contract = findContract(e, symbol);
  if (!contract.ok) throw new Error(contract.message);
  const source = CANDLES[e]!;
  const payload = await readRecorded(e, source.request(contract.contract, kind, 0, 0).name);
  return source.parse(payload).map((c) => [serialOf(c.time), c.close]);
}

describe("history functions against replay data", () => {
  let server: RunningServer;
  let bundle: LoadedBundle;
  const fetched: string[] = [];
  beforeAll(async () => {
    server = await startServer({ HEDGE_MARKET: "replay" });
    bundle = bundleFor(server, fetched);
  });
  afterAll(async () => {
    await server.close();
  });

  it("PRICE.HISTORY spills time and close of the last `days` UTC days, oldest first, header by default", async () => {
    const table = (await first(bundle, "PRICE.HISTORY", ["okx", "SOL", 120, null, null])) as unknown[][];
    expect(table[0]).toEqual(["time", "close"]);
    const rows = table.slice(1) as number[][];
    expect(rows).toHaveLength(120);
    expect(rows[rows.length - 1][0]).toBe(serialOf(LAST_DAY));
    expect(rows[0][0]).toBe(serialOf(LAST_DAY - 119 * DAY));
    // Each close is the recorded mark candle's close of that day.
    const recorded = new Map(await recordedCloses("okx", "SOL-USD-SWAP", "mark"));
    for (const [t, close] of rows) expect(close).toBe(recorded.get(t));
  });

  it("a venue's missing day is missing from its table, not filled (kraken lacks 2026-10-15)", async () => {
    const rows = (await first(bundle, "PRICE.HISTORY", [
      "kraken",
      "PI_XRPUSD",
      60,
      "index",
      false,
    ])) as number[][];
    expect(rows).toHaveLength(59);
    expect(rows.map((r) => r[0])).not.toContain(serialOf(Date.UTC(2026, 9, 15)));
  });

  it("a venue without mark candles answers with its last-trade closes (deribit, bitmex)", async () => {
    const deribit = (await first(bundle, "PRICE.HISTORY", [
      "deribit",
      "BTC",
      10,
      "mark",
      false,
    ])) as number[][];
    const trades = new Map(await recordedCloses("deribit", "BTC-PERPETUAL", "last"));
    expect(deribit).toHaveLength(10);
    for (const [t, close] of deribit) expect(close).toBe(trades.get(t));
    const response = await fetch(
      `${server.url}/api/v1/price-history?exchange=bitmex&symbol=XBTUSD&days=5&price=mark`,
    );
    expect((await response.json()).price).toBe("last");
  });

  it("bad arguments are #VALUE! naming the argument, before any request", async () => {
    const before = fetched.length;
    const cases: [string, unknown[], RegExp][] = [
      ["PRICE.HISTORY", ["okx", "SOL", 0, null, null], /^days must be/],
      ["PRICE.HISTORY", ["okx", "SOL", 366, null, null], /^days must be/],
      ["PRICE.HISTORY", ["okx", "SOL", 30, "close", null], /^price must be/],
      ["PRICE.HISTORY", ["ftx", "BTC", 30, null, null], /^exchange must be/],
      ["PRICE.HISTORY", ["bybit", "BTC USD", 30, null, null], /^symbol must be 1 to 40/],
      ["FUNDING.STATS", ["bybit", "BTC", 1.5, null], /^days must be/],
      ["FUNDING.EARNED", ["bybit", "BTC", -5, null, null], /^notional must be/],
      ["FUNDING.EARNED", ["bybit", "BTC", 1000, null, "flat"], /^side must be/],
    ];
    for (const [id, args, message] of cases) {
      const e = errorOf(await first(bundle, id, args)) as { code: string; message: string };
      expect(e.code, `${id} ${JSON.stringify(args)}`).toBe("#VALUE!");
      expect(e.message).toMatch(message);
    }
    expect(fetched.length).toBe(before);
  });

  it("missing data is #N/A with the reason: not listed, linear, a dated future's funding", async () => {
    const linear = errorOf(
      await first(bundle, "PRICE.HISTORY", ["bybit", "BTCUSDT", 30, null, null]),
    ) as ExcelError;
    expect(linear.code).toBe("#N/A");
    expect(linear.message).toMatch(/not an inverse/);
    const none = errorOf(
      await first(bundle, "PRICE.HISTORY", ["bybit", "ADA", 30, null, null]),
    ) as ExcelError;
    expect(none.code).toBe("#N/A");
    expect(none.message).toMatch(/^bybit: /);
    const dated = errorOf(
      await first(bundle, "FUNDING.STATS", ["binance", "BTCUSD_270326", 30, null]),
    ) as ExcelError;
    expect(dated.code).toBe("#N/A");
    expect(dated.message).toMatch(/dated future/);
  });

  const VENUES: [Exchange, string][] = [
    ["bybit", "BTC"],
    ["binance", "ETH"],
    ["bitmex", "XBTUSD"],
    ["deribit", "BTC"],
    ["okx", "ETH"],
    ["kraken", "BTC"],
  ];
  for (const [exchange, symbol] of VENUES) {
    it(`${exchange} ${symbol}: FUNDING.STATS and EARNED equal COUNT/SUM/AVERAGE/MIN/MAX/COUNTIF over FUNDING.HISTORY`, async () => {
      for (const days of [7, 30]) {
        const wb = new FormulaWorkbook();
        const s = "Check";
        const args = `"${exchange}","${symbol}",${days}`;
        const rates = "B1:B2000";
        wb.set(s, "A1", { formula: `=HEDGE.FUNDING.HISTORY(${args},FALSE)` });
        wb.set(s, "D1", { formula: `=HEDGE.FUNDING.STATS(${args},FALSE)` });
        const checks: Record<string, string> = {
          D3: `=COUNT(${rates})`,
          E3: `=SUM(${rates})`,
          F3: `=AVERAGE(${rates})`,
          G3: `=SUM(${rates})*365/${days}`,
          J3: `=COUNTIF(${rates},">0")/COUNT(${rates})`,
          D5: `=HEDGE.FUNDING.EARNED(${args.replace(`,${days}`, `,25000,${days}`)})`,
          E5: `=-(-1)*25000*SUM(${rates})`,
          D6: `=HEDGE.FUNDING.EARNED(${args.replace(`,${days}`, `,25000,${days}`)},"long")`,
          E6: `=-(1)*25000*SUM(${rates})`,
        };
        for (const [address, formula] of Object.entries(checks)) wb.set(s, address, { formula });
        await wb.calculate(bundleFunctions(bundle));
        const stats = wb.values(s, "D1:J1")[0] as number[];
        const spreadsheet = wb.values(s, "D3:J3")[0] as number[];
        // fast-formula-parser leaves MIN and MAX unimplemented: take them from the spilled cells themselves.
        const spilled = wb
          .values(s, rates)
          .map((r) => r[0])
          .filter((v): v is number => typeof v === "number");
        spreadsheet[4] = Math.min(...spilled);
        spreadsheet[5] = Math.max(...spilled);
        expect(stats.every((v) => typeof v === "number")).toBe(true);
        expect(stats[0]).toBeGreaterThan(days * 2);
        // COUNT, MIN, MAX and the share are exact; sums agree to 1e-12 relative (a spreadsheet adds doubles one
        // by one, the function adds exactly and rounds once).
        expect(stats[0]).toBe(spreadsheet[0]);
        expect(stats[4]).toBe(spreadsheet[4]);
        expect(stats[5]).toBe(spreadsheet[5]);
        expect(stats[6]).toBeCloseTo(spreadsheet[6], 14);
        for (const i of [1, 2, 3]) {
          expect(Math.abs(stats[i] - spreadsheet[i])).toBeLessThanOrEqual(
            1e-12 * Math.abs(spreadsheet[i]) + 1e-18,
          );
        }
        for (const row of [5, 6]) {
          const [fn, sheet] = wb.values(s, `D${row}:E${row}`)[0] as number[];
          expect(Math.abs(fn - sheet)).toBeLessThanOrEqual(1e-12 * Math.abs(sheet) + 1e-12);
        }
        expect(wb.value(s, "D5")).not.toBeInstanceOf(EngineError);
      }
    });
  }
});

describe("history functions against the fake exchange", () => {
  let fake: FakeExchange;
  let server: RunningServer;
  let bundle: LoadedBundle;
  beforeAll(async () => {
    fake = await start();
    server = await startServer({ ...fake.env() });
    bundle = bundleFor(server);
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  it("asks each venue's real candle endpoint and spills what it answered", async () => {
    const cases: [Exchange, string, PriceKind, string][] = [
      ["bybit", "BTCUSD", "mark", "/v5/market/mark-price-kline?category=inverse&symbol=BTCUSD&interval=D"],
      ["binance", "BTCUSD_PERP", "index", "/dapi/v1/indexPriceKlines?pair=BTCUSD&interval=1d"],
      ["bitmex", "XBTUSD", "last", "/api/v1/trade/bucketed?binSize=1d&partial=true&symbol=XBTUSD"],
      [
        "deribit",
        "ETH-PERPETUAL",
        "last",
        "/api/v2/public/get_tradingview_chart_data?instrument_name=ETH-PERPETUAL",
      ],
      ["okx", "XRP-USD-SWAP", "last", "/api/v5/market/history-candles?instId=XRP-USD-SWAP&bar=1Dutc"],
      ["kraken", "PI_ETHUSD", "mark", "/api/charts/v1/mark/PI_ETHUSD/1d?from="],
    ];
    for (const [exchange, symbol, kind, path] of cases) {
      fake.reset();
      const rows = (await first(bundle, "PRICE.HISTORY", [exchange, symbol, 365, kind, false])) as number[][];
      expect(
        fake.requests(exchange).some((r) => r.startsWith(path)),
        `${exchange}: ${fake.requests(exchange)}`,
      ).toBe(true);
      // The window ends today (the clock is real here); every row is a recorded close of its day.
      const recorded = new Map(await recordedCloses(exchange, symbol, kind));
      expect(rows.length).toBeGreaterThan(100);
      for (const [t, close] of rows) expect(close).toBe(recorded.get(t));
    }
  });

  it("a failing venue is #N/A with the venue's reason; a shape no venue sends is not understood", async () => {
    fake.reset();
    fake.setMode("okx", "500");
    const failed = errorOf(
      await first(bundle, "PRICE.HISTORY", ["okx", "ETH", 30, null, null]),
    ) as ExcelError;
    expect(failed.code).toBe("#N/A");
    expect(failed.message).toMatch(/^okx: /);
    fake.reset();
    fake.setMode("kraken", "wrong-shape");
    const odd = errorOf(
      await first(bundle, "PRICE.HISTORY", ["kraken", "BTC", 30, null, null]),
    ) as ExcelError;
    expect(odd.code).toBe("#N/A");
    expect(odd.message).toMatch(/kraken: upstream response not understood/);
    fake.reset();
  });

  it("FUNDING.EARNED of a short equals -notional x the sum of the rates FUNDING.HISTORY spills", async () => {
    fake.reset();
    const history = (await first(bundle, "FUNDING.HISTORY", ["okx", "BTC", 365, false])) as number[][];
    const earned = (await first(bundle, "FUNDING.EARNED", ["okx", "BTC", 100_000, 365, null])) as number;
    const sum = history.reduce((a, r) => a + r[1], 0);
    expect(history.length).toBeGreaterThan(0);
    expect(Math.abs(earned - 100_000 * sum)).toBeLessThanOrEqual(1e-9 * Math.abs(100_000 * sum));
  });
});
