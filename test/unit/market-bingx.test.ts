/* eslint-disable @typescript-eslint/no-explicit-any -- the tests poke into raw venue payloads */
/*
 * BingX Coin-M: the adapter over BingX's real recorded answers (test/fixtures/venues/bingx/SOURCES.md), over
 * the replay data, and end to end through the real server against the fake exchange and in replay mode.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bingx } from "../../src/market/bingx";
import { findContract } from "../../src/market/contracts";
import { MarketError } from "../../src/market/errors";
import type { Quote, QuoteResult } from "../../src/market/types";
import type { MarketData, VenueSnapshot } from "../../src/market/venue";
import { readRecorded } from "../../src/server/market/recorded";
import { start, type FakeExchange } from "../fake-exchange/server";
import { startServer, type RunningServer } from "../support/server";

const real = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/venues/bingx/${name}`, import.meta.url), "utf8"));

function market(s: VenueSnapshot, symbol: string): MarketData {
  const m = s.get(symbol);
  if (!m || m instanceof MarketError) throw new Error(`${symbol}: ${m?.message ?? "missing"}`);
  return m;
}

describe("bingx adapter on BingX's real answers", () => {
  it("reads the recorded premiumIndex (strings, a numeric nextFundingTime, no interval key) as it is", () => {
    const payload = real("premiumIndex-BTC-USD.ccxt-2026-08-21.json");
    // The real entry has exactly these keys: the adapter must not need any other.
    expect(Object.keys(payload.data[0]).sort()).toEqual(
      ["indexPrice", "lastFundingRate", "markPrice", "nextFundingTime", "symbol"].sort(),
    );
    expect(market(bingx.parseQuotes([payload]), "BTC-USD")).toEqual({
      symbol: "BTC-USD",
      kind: "perpetual",
      fundingRate: 0.0001,
      fundingIntervalHours: 8,
      nextFundingTime: Date.parse("2026-08-22T00:00:00Z"),
      predictedFundingRate: null,
      markPrice: 76881.8,
      indexPrice: 76922.2,
      expiry: null,
      exchangeTime: 1787342456049,
    });
  });

  it("reads the recorded contract list: BTC-USD is a 100 USD perpetual (minTickSize)", () => {
    const listing = bingx.parseInstruments([real("contracts.ccxt.json")]);
    expect(listing.contracts).toEqual([
      {
        symbol: "BTC-USD",
        coin: "BTC",
        kind: "perpetual",
        contractSize: 100,
        expiry: null,
        fundingIntervalHours: null,
      },
    ]);
    expect(listing.refused.size).toBe(0);
  });

  it("leaves out a contract whose face value, minimum value and minimum quantity disagree", () => {
    const p = real("contracts.ccxt.json");
    p.data[0].minTradeValue = "50";
    expect(bingx.parseInstruments([p]).contracts).toEqual([]);
  });

  it("the replay contract list, with the venue's own types (numbers), gives every coin its size", async () => {
    const listing = bingx.parseInstruments([await readRecorded("bingx", "contracts")]);
    expect(listing.contracts.map((c) => [c.symbol, c.contractSize])).toEqual([
      ["BTC-USD", 100],
      ["ETH-USD", 10],
      ["SOL-USD", 10],
      ["XRP-USD", 10],
      ["DOGE-USD", 10],
      ["BNB-USD", 10],
    ]);
  });

  it("refuses a listed contract that is not trading, and a linear one, naming why", () => {
    const p = real("contracts.ccxt.json");
    p.data.push({ ...p.data[0], symbol: "ETH-USD", status: 0 }, { ...p.data[0], symbol: "ETH-USDT" });
    const listing = bingx.parseInstruments([p]);
    expect(listing.refused.get("ETH-USD")).toMatchObject({ code: "not_listed" });
    expect(listing.refused.get("ETH-USDT")).toMatchObject({ code: "not_inverse" });
  });
});

describe("bingx adapter on the replay data and on edge cases", () => {
  let replay: unknown;
  beforeAll(async () => {
    replay = await readRecorded("bingx", "premiumIndex");
  });
  const parse = (mutate?: (p: any) => void) => {
    const p = structuredClone(replay) as any;
    mutate?.(p);
    return bingx.parseQuotes([p]);
  };

  it("serves every USD-quoted perpetual of the replay answer", () => {
    const s = parse();
    expect([...s.keys()]).toEqual(["BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD", "DOGE-USD", "BNB-USD"]);
    expect(market(s, "SOL-USD").fundingRate).toBe(-0.000021);
  });

  it("ignores linear (USDT, USDC) entries instead of serving them", () => {
    const s = parse((p) => p.data.push({ ...p.data[0], symbol: "BTC-USDT" }));
    expect(s.has("BTC-USDT")).toBe(false);
  });

  it("refuses a contract whose next funding time is off the published 8 h schedule, not the others", () => {
    const s = parse((p) => (p.data[1].nextFundingTime = Date.parse("2026-11-26T20:00:00Z")));
    expect(s.get("ETH-USD")).toMatchObject({ code: "upstream_bad_response" });
    expect(market(s, "BTC-USD").fundingIntervalHours).toBe(8);
  });

  it("refuses an entry without a funding rate (a perpetual always has one)", () => {
    const s = parse((p) => delete p.data[0].lastFundingRate);
    expect(s.get("BTC-USD")).toMatchObject({ code: "upstream_bad_response" });
  });

  it("turns BingX's own error body (HTTP 400 or 200 with a code) into the venue's error", () => {
    for (const body of [
      { code: 104414, msg: "Invalid parameter", retryable: 0 },
      { code: 109400, msg: "Invalid parameters" },
    ]) {
      expect(() => bingx.parseQuotes([body])).toThrow(/upstream error: bingx 10\d+ Invalid parameter/);
    }
  });

  it("says there is no public funding history instead of inventing one", () => {
    expect(() => bingx.historyRequest("BTC-USD", 0, 1)).toThrow(
      /bingx publishes no funding history for its Coin-M perpetuals/,
    );
  });

  it("the contract table: BTC is BTC-USD at 100 USD, other coins 10 USD, USDT contracts are linear", () => {
    const btc = findContract("bingx", "btc");
    expect(btc).toMatchObject({ ok: true, contract: { symbol: "BTC-USD", contractSize: 100 } });
    expect(findContract("bingx", "ADA-USD")).toMatchObject({
      ok: true,
      contract: { symbol: "ADA-USD", coin: "ADA", contractSize: 10, kind: "perpetual" },
    });
    expect(findContract("bingx", "BTC-USDT")).toMatchObject({ ok: false, reason: "linear" });
  });
});

describe("bingx end to end", () => {
  let fake: FakeExchange;
  let live: RunningServer;
  let replayServer: RunningServer;
  beforeAll(async () => {
    fake = await start();
    live = await startServer({ ...fake.env(), HEDGE_MARKET: "live", HEDGE_UPSTREAM_TIMEOUT_MS: "2000" });
    replayServer = await startServer({ HEDGE_MARKET: "replay" });
  });
  afterAll(async () => {
    await live.close();
    await replayServer.close();
    await fake.close();
  });

  const quotes = async (server: RunningServer, items: string): Promise<QuoteResult[]> => {
    const res = await fetch(`${server.url}/api/v1/quotes?items=${encodeURIComponent(items)}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { quotes: QuoteResult[] }).quotes;
  };

  it("the fake answers like BingX: 400 with code 104414 without a timestamp", async () => {
    const res = await fetch(`${fake.url("bingx")}/openApi/cswap/v1/market/premiumIndex`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 104414, msg: "Invalid parameter", retryable: 0 });
  });

  it("quotes bingx:BTC and bingx:ETH-USD from the fake with one stamped upstream call", async () => {
    fake.reset();
    const [btc, eth] = (await quotes(live, "bingx:BTC,bingx:ETH-USD")) as Quote[];
    expect(btc).toMatchObject({
      exchange: "bingx",
      symbol: "BTC-USD",
      coin: "BTC",
      kind: "perpetual",
      contractSize: 100,
      fundingRate: 0.0001,
      fundingIntervalHours: 8,
      markPrice: 91247.3,
      indexPrice: 91201.8,
      nextFundingTime: "2026-11-26T16:00:00.000Z",
      source: "live",
      stale: false,
    });
    // 0.0001 x 8760 / 8 = 0.1095; premium = 91247.3 / 91201.8 - 1.
    expect(btc.fundingApr).toBeCloseTo(0.1095, 12);
    expect(btc.premium).toBeCloseTo(91247.3 / 91201.8 - 1, 15);
    expect(eth.contractSize).toBe(10);
    // One quote call, and the venue's contract list (kept for an hour) beside it.
    const sent = [...fake.requests("bingx")].sort();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^\/openApi\/cswap\/v1\/market\/contracts\?timestamp=\d{13}$/);
    expect(sent[1]).toMatch(/^\/openApi\/cswap\/v1\/market\/premiumIndex\?timestamp=\d{13}$/);
  });

  it("serves the same quote in replay mode, marked replay", async () => {
    const [q] = (await quotes(replayServer, "bingx:BTC-USD")) as Quote[];
    expect(q).toMatchObject({ symbol: "BTC-USD", markPrice: 91247.3, source: "replay" });
  });

  it("in replay mode too, funding history says BingX publishes none", async () => {
    const res = await fetch(`${replayServer.url}/api/v1/funding-history?exchange=bingx&symbol=BTC&days=7`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /bingx publishes no funding history for its Coin-M perpetuals/,
    );
  });

  it("funding history is a 404 saying BingX publishes none, not an empty table", async () => {
    const res = await fetch(`${live.url}/api/v1/funding-history?exchange=bingx&symbol=BTC&days=7`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: "not_listed",
        message: "bingx: bingx publishes no funding history for its Coin-M perpetuals (BTC-USD)",
      },
    });
  });
});
