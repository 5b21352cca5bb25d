/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read raw venue payloads of many shapes */
/*
 * Every adapter over every real recorded payload that covers its endpoints (test/fixtures/real-payloads,
 * provenance in SOURCES.md there). The payloads are passed as recorded: an adapter that needs a key the real
 * answer lacks fails here. Values are compared with the payload's own, after the documented unit conversions.
 * Where a recorder kept only part of an answer (the `result` list, or `null` for an empty array), the test
 * rebuilds the envelope and says so.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MarketError } from "../../src/market/errors";
import { fractionOf } from "../../src/market/kraken";
import type { Exchange } from "../../src/market/types";
import type { Listing, MarketData, VenueSnapshot } from "../../src/market/venue";
import { VENUES } from "../../src/market/venues";

const real = (venue: Exchange, file: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/real-payloads/${venue}/${file}`, import.meta.url), "utf8"));

function ok(s: VenueSnapshot, symbol: string): MarketData {
  const m = s.get(symbol);
  if (!m || m instanceof MarketError)
    throw new Error(`${symbol}: ${m?.message ?? "missing"} ${m?.detail ?? ""}`);
  return m;
}

const num = (s: string) => Number(s);
const iso = (s: string) => Date.parse(s);
const listed = (l: Listing, symbol: string) => l.contracts.find((c) => c.symbol === symbol);

describe("bybit: tickers?category=inverse, 2023 (no fundingIntervalHour)", () => {
  const tickers = real("bybit", "tickers-inverse.gct-2023-08-16.json");
  const perpetuals = tickers.result.list.filter((t: any) => t.deliveryTime === "0");
  const futures = tickers.result.list.filter((t: any) => t.deliveryTime !== "0");

  it("refuses every perpetual when neither the ticker nor instruments-info gives an interval", () => {
    const s = VENUES.bybit.parseQuotes([tickers, undefined]);
    expect(perpetuals).toHaveLength(8);
    for (const t of perpetuals) expect(s.get(t.symbol)).toMatchObject({ code: "upstream_bad_response" });
  });

  it("takes the interval from instruments-info fundingInterval (minutes / 60) and reads every value as sent", () => {
    // instruments-info in its documented shape (no real recording kept): 480 minutes for every perpetual.
    const info = {
      retCode: 0,
      retMsg: "OK",
      time: tickers.time,
      result: {
        category: "inverse",
        list: perpetuals.map((t: any) => ({
          symbol: t.symbol,
          contractType: "InversePerpetual",
          status: "Trading",
          baseCoin: t.symbol.replace(/USD$/, ""),
          quoteCoin: "USD",
          deliveryTime: "0",
          fundingInterval: 480,
        })),
      },
    };
    const s = VENUES.bybit.parseQuotes([tickers, info]);
    for (const t of perpetuals) {
      expect(ok(s, t.symbol)).toEqual({
        symbol: t.symbol,
        kind: "perpetual",
        fundingRate: num(t.fundingRate),
        fundingIntervalHours: 8,
        nextFundingTime: num(t.nextFundingTime),
        predictedFundingRate: null,
        markPrice: num(t.markPrice),
        indexPrice: num(t.indexPrice),
        expiry: null,
        exchangeTime: tickers.time,
      });
    }
    expect(ok(s, "MANAUSD").fundingRate).toBe(-0.000182);
  });

  it('reads the quarterlies (nextFundingTime "0", fundingRate ""): no funding, expiry = deliveryTime', () => {
    const s = VENUES.bybit.parseQuotes([tickers, undefined]);
    expect(futures.map((t: any) => t.symbol)).toEqual(["BTCUSDU23", "BTCUSDZ23", "ETHUSDU23", "ETHUSDZ23"]);
    for (const t of futures) {
      expect(ok(s, t.symbol)).toMatchObject({
        kind: "future",
        fundingRate: null,
        fundingIntervalHours: null,
        nextFundingTime: null,
        expiry: num(t.deliveryTime),
        markPrice: num(t.markPrice),
      });
    }
    // 1695974400000 = 2023-09-29T08:00Z, Bybit's quarterly delivery time.
    expect(ok(s, "BTCUSDU23").expiry).toBe(iso("2023-09-29T08:00:00Z"));
  });
});

describe("binance COIN-M", () => {
  // The recorder wrote an empty top-level array as null (SOURCES.md): COIN-M had no adjusted interval then.
  const fundingInfo = real("binance", "fundingInfo.gct.json") ?? [];

  it("premiumIndex (2023): every entry read as sent; quarterlies have no funding, expiry 08:00 UTC of the date", () => {
    const payload = real("binance", "premiumIndex.gct-2023-09-11.json");
    expect(real("binance", "fundingInfo.gct.json")).toBeNull();
    const s = VENUES.binance.parseQuotes([payload, fundingInfo]);
    expect(s.size).toBe(6);
    for (const p of payload) {
      const m = ok(s, p.symbol);
      expect(m.markPrice).toBe(num(p.markPrice));
      expect(m.indexPrice).toBe(num(p.indexPrice));
      expect(m.exchangeTime).toBe(p.time);
      if (p.symbol.endsWith("_PERP")) {
        expect(m).toMatchObject({
          kind: "perpetual",
          fundingRate: num(p.lastFundingRate),
          fundingIntervalHours: 8,
          nextFundingTime: p.nextFundingTime,
        });
      } else {
        expect(m).toMatchObject({ kind: "future", fundingRate: null, nextFundingTime: null });
      }
    }
    expect(ok(s, "LINKUSD_231229").expiry).toBe(iso("2023-12-29T08:00:00Z"));
  });

  it("premiumIndex?symbol= is an array of one", () => {
    const payload = real("binance", "premiumIndex-symbol-BTCUSD_PERP.gct-2023-06-20.json");
    const s = VENUES.binance.parseQuotes([payload, fundingInfo]);
    expect([...s.keys()]).toEqual(["BTCUSD_PERP"]);
    expect(ok(s, "BTCUSD_PERP").markPrice).toBe(num(payload[0].markPrice));
  });

  it("premiumIndex?pair=BTCUSD still lists BTCUSD_200925 after delivery: read with its past expiry", () => {
    const payload = real("binance", "premiumIndex-pair-BTCUSD.gct-2020-10-16.json");
    const s = VENUES.binance.parseQuotes([payload, fundingInfo]);
    const delivered = ok(s, "BTCUSD_200925");
    expect(delivered.expiry).toBe(iso("2020-09-25T08:00:00Z"));
    // Recorded three weeks after delivery: the service must refuse it (see the service tests).
    expect(delivered.expiry!).toBeLessThan(payload[0].time);
    expect(ok(s, "BTCUSD_PERP").fundingRate).toBe(0.0001);
  });

  it("fundingRate history: 5 rows, 50 rows and an empty window (recorded as null = [])", () => {
    const five = real("binance", "fundingRate-BTCUSD_PERP.gct-2020-11-16.json");
    expect(VENUES.binance.parseHistory(five)).toEqual(
      five.map((r: any) => ({ time: r.fundingTime, fundingRate: num(r.fundingRate) })),
    );
    const fifty = real("binance", "fundingRate-BTCUSD_PERP-50.gct-2020-11.json");
    expect(VENUES.binance.parseHistory(fifty)).toHaveLength(50);
    const empty = real("binance", "fundingRate-BTCUSD_PERP-empty-window.gct.json") ?? [];
    expect(VENUES.binance.parseHistory(empty)).toEqual([]);
  });

  it("exchangeInfo (2025, 25 symbols): the venue's own size, delivery date and state", () => {
    const l = VENUES.binance.parseInstruments([real("binance", "exchangeInfo.gct-2025-08-07.json")]);
    expect(listed(l, "BTCUSD_PERP")).toEqual({
      symbol: "BTCUSD_PERP",
      coin: "BTC",
      kind: "perpetual",
      contractSize: 100,
      expiry: null,
      fundingIntervalHours: null,
    });
    expect(listed(l, "ETHUSD_PERP")?.contractSize).toBe(10);
    // GALAUSD_PERP was being delivered (delisted): listed, but an item error, never served.
    expect(listed(l, "GALAUSD_PERP")).toBeUndefined();
    expect(l.refused.get("GALAUSD_PERP")).toMatchObject({ code: "expired" });
    expect(l.contracts).toHaveLength(24);
  });

  it("exchangeInfo symbols (2022, 62 symbols): quarterlies with deliveryDate as expiry", () => {
    const symbols = real("binance", "exchangeInfo-symbols.cmrd-2022-11-23.json");
    // The crawl kept the `symbols` list only.
    const l = VENUES.binance.parseInstruments([{ symbols }]);
    expect(l.contracts).toHaveLength(62);
    expect(listed(l, "BTCUSD_221230")).toMatchObject({
      kind: "future",
      contractSize: 100,
      expiry: iso("2022-12-30T08:00:00Z"),
    });
    expect(listed(l, "APTUSD_PERP")).toMatchObject({ kind: "perpetual", coin: "APT", contractSize: 10 });
  });
});

describe("bitmex", () => {
  it("funding rows (the funding table's shape) read as sent", () => {
    for (const file of [
      "ws-funding-partial-XBTUSD.cmp-2021-04-01.json",
      "ws-funding-partial-ETHUSD.cmp-2021-04-01.json",
    ]) {
      const { data } = real("bitmex", file);
      expect(VENUES.bitmex.parseHistory(data)).toEqual(
        data.map((r: any) => ({ time: iso(r.timestamp), fundingRate: r.fundingRate })),
      );
    }
  });

  it("an instrument row without the keys BitMEX leaves out when null (expiry, settle) is a perpetual", () => {
    // The 2024 captures' XBTUSD rows have no expiry key (their licences kept them out of the fixtures); this is
    // the replay row, which has the same keys, read after deleting every key whose value would be null.
    const row = {
      symbol: "XBTUSD",
      state: "Open",
      typ: "FFWCSX",
      quoteCurrency: "USD",
      isInverse: true,
      isQuanto: false,
      underlying: "XBT",
      multiplier: -100000000,
      underlyingToSettleMultiplier: -100000000,
      fundingTimestamp: "2024-11-26T20:00:00.000Z",
      fundingInterval: "2000-01-01T08:00:00.000Z",
      fundingRate: 0.0001,
      indicativeFundingRate: 0.0001,
      markPrice: 91255.84,
      indicativeSettlePrice: 91204.12,
      timestamp: "2024-11-26T15:29:58.123Z",
    };
    expect("expiry" in row).toBe(false);
    expect(ok(VENUES.bitmex.parseQuotes([[row]]), "XBTUSD")).toMatchObject({
      kind: "perpetual",
      expiry: null,
    });
    expect(VENUES.bitmex.parseInstruments([[row]]).contracts).toEqual([
      {
        symbol: "XBTUSD",
        coin: "BTC",
        kind: "perpetual",
        contractSize: 1,
        expiry: null,
        fundingIntervalHours: null,
      },
    ]);
  });
});

describe("deribit", () => {
  it("book summary: the perpetual's funding_8h as sent, a dated future without the key, options dropped", () => {
    const perp = real("deribit", "book-summary-BTC-PERPETUAL.cmp-2022-06-04.json");
    const future = real("deribit", "book-summary-BTC-24JUN22.cmp-2022-06-04.json");
    const options = real("deribit", "book-summary-BTC-all-kinds.cmp-2022-06-04.json");
    expect("funding_8h" in future.result[0]).toBe(false);
    const s = VENUES.deribit.parseQuotes([perp, future, options]);
    expect([...s.keys()].sort()).toEqual(["BTC-24JUN22", "BTC-PERPETUAL"]);
    const p = perp.result[0];
    expect(ok(s, "BTC-PERPETUAL")).toEqual({
      symbol: "BTC-PERPETUAL",
      kind: "perpetual",
      fundingRate: p.funding_8h,
      fundingIntervalHours: 8,
      nextFundingTime: null,
      predictedFundingRate: null,
      markPrice: p.mark_price,
      indexPrice: p.estimated_delivery_price,
      expiry: null,
      exchangeTime: p.creation_timestamp,
    });
    expect(ok(s, "BTC-24JUN22")).toMatchObject({
      kind: "future",
      fundingRate: null,
      markPrice: future.result[0].mark_price,
      expiry: iso("2022-06-24T08:00:00Z"),
    });
  });

  it("get_instruments: contract_size and expiration_timestamp as the venue gives them", () => {
    const all = real("deribit", "get_instruments-future-BTC+ETH.cmrd-2025-05-02.json");
    // The crawl kept the `result` lists of the BTC and ETH calls, concatenated.
    const wrap = (currency: string) => ({
      jsonrpc: "2.0",
      result: all.filter((i: any) => i.base_currency === currency),
    });
    const l = VENUES.deribit.parseInstruments([wrap("BTC"), wrap("ETH")]);
    expect(l.contracts).toHaveLength(16);
    for (const i of all) {
      expect(listed(l, i.instrument_name)).toEqual({
        symbol: i.instrument_name,
        coin: i.base_currency,
        kind: i.settlement_period === "perpetual" ? "perpetual" : "future",
        contractSize: i.contract_size,
        expiry: i.settlement_period === "perpetual" ? null : i.expiration_timestamp,
        fundingIntervalHours: null,
      });
    }
    expect(listed(l, "BTC-27MAR26")?.expiry).toBe(iso("2026-03-27T08:00:00Z"));
  });
});

describe("okx: instruments SWAP and FUTURES", () => {
  // The crawl kept the `data` lists; the REST answer wraps them in {code, msg, data}.
  const wrap = (data: unknown) => ({ code: "0", msg: "", data });
  const swaps = real("okx", "instruments-SWAP.cmrd-2025-05-08.json");
  const futures = real("okx", "instruments-FUTURES.cmrd-2025-05-08.json");
  const l = VENUES.okx.parseInstruments([wrap(swaps), wrap(futures)]);

  it("keeps exactly the inverse contracts, with ctVal x ctMult USD a contract and expTime", () => {
    const inverse = [...swaps, ...futures].filter((i: any) => i.ctType === "inverse");
    expect(l.contracts.map((c) => c.symbol).sort()).toEqual(inverse.map((i: any) => i.instId).sort());
    for (const i of inverse) {
      expect(listed(l, i.instId)).toMatchObject({
        coin: i.settleCcy,
        contractSize: num(i.ctVal) * num(i.ctMult),
        expiry: i.expTime === "" ? null : num(i.expTime),
      });
    }
    expect(listed(l, "BTC-USD-SWAP")?.contractSize).toBe(100);
    expect(listed(l, "ETH-USD-SWAP")?.contractSize).toBe(10);
    expect(listed(l, "BTC-USD-260327")).toMatchObject({ kind: "future", expiry: 1774598400000 });
  });

  it("names the linear ones as not inverse", () => {
    expect(l.refused.get("BTC-USDT-SWAP")).toMatchObject({ code: "not_inverse" });
    expect(l.refused.get("BTC-USDC-250627")).toMatchObject({ code: "not_inverse" });
  });
});

describe("kraken", () => {
  it("instruments (lower-case symbols): futures_inverse kept with contractSize and lastTradingTime", () => {
    const instruments = real("kraken", "instruments.cmrd-2022-03-23.json");
    // The crawl kept the `instruments` list; the answer wraps it in {result: "success", instruments}.
    const l = VENUES.kraken.parseInstruments([{ result: "success", instruments }]);
    const inverse = instruments.filter((i: any) => i.type === "futures_inverse");
    expect(l.contracts.map((c) => c.symbol).sort()).toEqual(
      inverse.map((i: any) => i.symbol.toUpperCase()).sort(),
    );
    expect(listed(l, "PI_BCHUSD")).toEqual({
      symbol: "PI_BCHUSD",
      coin: "BCH",
      kind: "perpetual",
      contractSize: 1,
      expiry: null,
      fundingIntervalHours: null,
    });
    expect(listed(l, "FI_XBTUSD_220624")).toMatchObject({
      coin: "BTC",
      kind: "future",
      expiry: iso("2022-06-24T15:00:00Z"),
    });
    expect(l.refused.get("PF_XBTUSD")).toMatchObject({ code: "not_inverse" });
  });

  it("tickers: a linear PF_ entry is dropped (its strings never read)", () => {
    const s = VENUES.kraken.parseQuotes([real("kraken", "tickers-PF_DOGEUSD.ccxt-2026-02-08.json")]);
    expect(s.size).toBe(0);
  });

  it("relative funding = absolute funding x mark price, on the venue's own numbers", () => {
    const t = real("kraken", "ws-ticker-PI_XBTUSD.cmp-2022-06-02.json");
    // 3.216424e-12 x 29919.75 = 9.6234e-8; the feed rounds its relative rate to 9.6321875e-8 (0.1 %).
    expect(fractionOf(t.funding_rate, t.markPrice)).toBeCloseTo(t.relative_funding_rate, 9);
    expect(Math.abs(fractionOf(t.funding_rate, t.markPrice) / t.relative_funding_rate - 1)).toBeLessThan(
      0.002,
    );
  });
});
