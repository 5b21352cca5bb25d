/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit raw venue payloads of many shapes */
/*
 * The daily-candle parsers on the recorded payloads (src/market/replay, each venue's documented format), and the
 * ways a payload can be wrong: a bar not on a UTC day, a venue error envelope, a shape no venue sends.
 */
import { describe, expect, it } from "vitest";
import { CANDLES, DAY_MS, servedKind, type CandleVenue, type PriceKind } from "../../src/market/candles";
import { MarketError } from "../../src/market/errors";
import type { Exchange } from "../../src/market/types";
import { readRecorded } from "../../src/server/market/recorded";

const LAST_DAY = Date.UTC(2026, 10, 26);
const venue = (e: Exchange): CandleVenue => CANDLES[e]!;

async function recorded(e: Exchange, symbol: string, coin: string, kind: PriceKind): Promise<any> {
  const request = venue(e).request({ symbol, coin }, kind, LAST_DAY - 150 * DAY_MS, LAST_DAY);
  const payload = await readRecorded(e, request.name);
  if (payload === undefined) throw new Error(`no recorded ${request.name}`);
  return payload;
}

function failure(fn: () => unknown): MarketError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MarketError) return err;
    throw err;
  }
  throw new Error("did not fail");
}

const CASES: [Exchange, string, string][] = [
  ["bybit", "BTCUSD", "BTC"],
  ["bybit", "SOLUSD", "SOL"],
  ["binance", "ETHUSD_PERP", "ETH"],
  ["binance", "XRPUSD_PERP", "XRP"],
  ["bitmex", "XBTUSD", "BTC"],
  ["deribit", "BTC-PERPETUAL", "BTC"],
  ["okx", "SOL-USD-SWAP", "SOL"],
  ["kraken", "PI_XRPUSD", "XRP"],
];

describe("daily candles from recorded payloads", () => {
  for (const [e, symbol, coin] of CASES) {
    for (const kind of venue(e).kinds) {
      it(`${e} ${symbol} ${kind}: at least 120 UTC days, oldest first, ending on the recorded day`, async () => {
        const candles = venue(e).parse(await recorded(e, symbol, coin, kind));
        expect(candles.length).toBeGreaterThanOrEqual(120);
        expect(candles[candles.length - 1].time).toBe(LAST_DAY);
        for (let i = 1; i < candles.length; i++) {
          expect(candles[i].time - candles[i - 1].time).toBeGreaterThanOrEqual(DAY_MS);
          expect(candles[i].time % DAY_MS).toBe(0);
        }
        expect(candles.every((c) => c.close > 0 && Number.isFinite(c.close))).toBe(true);
      });
    }
  }

  it("bybit: the close is the fifth string of a newest-first row", async () => {
    const p = await recorded("bybit", "BTCUSD", "BTC", "mark");
    const newest = p.result.list[0];
    const candles = venue("bybit").parse(p);
    expect(candles[candles.length - 1]).toEqual({ time: Number(newest[0]), close: Number(newest[4]) });
  });

  it("bitmex: a bucket is stamped with its END, so the candle's day is the day before", async () => {
    const p = await recorded("bitmex", "XBTUSD", "BTC", "last");
    p.splice(1);
    p[0].timestamp = "2026-11-27T00:00:00.000Z";
    expect(venue("bitmex").parse(p)).toEqual([{ time: LAST_DAY, close: p[0].close }]);
  });

  it("deribit: parallel ticks and closes; no_data is an empty window", () => {
    const ok = { result: { status: "ok", ticks: [LAST_DAY - DAY_MS, LAST_DAY], close: [90_000, 91_000.5] } };
    expect(venue("deribit").parse(ok)).toEqual([
      { time: LAST_DAY - DAY_MS, close: 90_000 },
      { time: LAST_DAY, close: 91_000.5 },
    ]);
    expect(venue("deribit").parse({ result: { status: "no_data", ticks: [], close: [] } })).toEqual([]);
    const uneven = { result: { status: "ok", ticks: [LAST_DAY], close: [] } };
    expect(failure(() => venue("deribit").parse(uneven)).code).toBe("upstream_bad_response");
  });

  it("okx: a Hong Kong day bar (16:00 UTC) is refused, not shifted", async () => {
    const p = await recorded("okx", "BTC-USD-SWAP", "BTC", "mark");
    p.data[0][0] = String(LAST_DAY - 8 * 3_600_000);
    expect(failure(() => venue("okx").parse(p)).code).toBe("upstream_bad_response");
  });

  it("a zero or non-numeric close is refused, never served", async () => {
    const p = await recorded("kraken", "PI_XBTUSD", "BTC", "mark");
    p.candles[3].close = "0";
    expect(failure(() => venue("kraken").parse(p)).code).toBe("upstream_bad_response");
    const b = await recorded("binance", "BTCUSD_PERP", "BTC", "mark");
    b[0][4] = "NaN";
    expect(failure(() => venue("binance").parse(b)).code).toBe("upstream_bad_response");
  });

  it("each venue's own error envelope is the venue's error", () => {
    expect(failure(() => venue("bybit").parse({ retCode: 10001, retMsg: "params error" })).message).toMatch(
      /bybit retCode 10001/,
    );
    expect(failure(() => venue("binance").parse({ code: -1121, msg: "Invalid symbol." })).message).toMatch(
      /binance -1121/,
    );
    expect(
      failure(() => venue("okx").parse({ code: "51001", msg: "Instrument ID does not exist", data: [] }))
        .code,
    ).toBe("upstream_error");
    expect(
      failure(() => venue("bitmex").parse({ error: { message: "Not Found", name: "HTTPError" } })).code,
    ).toBe("upstream_error");
  });

  it("a shape no venue sends is not understood, for every venue", () => {
    for (const e of Object.keys(CANDLES) as Exchange[]) {
      expect(failure(() => venue(e).parse({ hello: "world", data: { list: 42 } })).code, e).toMatch(
        /^upstream_/,
      );
    }
  });
});

describe("candle requests", () => {
  it("a venue without the kind asked answers with the kind it has", () => {
    expect(servedKind(venue("deribit"), "mark")).toBe("last");
    expect(servedKind(venue("deribit"), "index")).toBe("last");
    expect(servedKind(venue("bitmex"), "mark")).toBe("last");
    expect(servedKind(venue("bitmex"), "index")).toBe("index");
    expect(servedKind(venue("okx"), "index")).toBe("index");
  });

  it("binance never asks for more than 200 days at once; its index is the pair's", () => {
    const r = venue("binance").request({ symbol: "BTCUSD_PERP", coin: "BTC" }, "index", 0, LAST_DAY);
    expect(r.path).toBe("/dapi/v1/indexPriceKlines");
    expect(r.query.pair).toBe("BTCUSD");
    expect(LAST_DAY - Number(r.query.startTime)).toBeLessThan(200 * DAY_MS);
  });

  it("okx asks for UTC days; kraken takes seconds in the path's market; bitmex's index is .BXBT", () => {
    const o = venue("okx").request({ symbol: "BTC-USD-SWAP", coin: "BTC" }, "index", 0, LAST_DAY);
    expect(o.query).toMatchObject({ instId: "BTC-USD", bar: "1Dutc" });
    const k = venue("kraken").request(
      { symbol: "PI_XBTUSD", coin: "BTC" },
      "index",
      LAST_DAY - DAY_MS,
      LAST_DAY,
    );
    expect(k.path).toBe("/api/charts/v1/spot/PI_XBTUSD/1d");
    expect(k.query).toEqual({ from: String((LAST_DAY - DAY_MS) / 1000), to: String(LAST_DAY / 1000) });
    const m = venue("bitmex").request({ symbol: "XBTUSD", coin: "BTC" }, "index", 0, LAST_DAY);
    expect(m.query.symbol).toBe(".BXBT");
  });
});
