/* eslint-disable @typescript-eslint/no-explicit-any -- the tests poke into raw venue payloads */
/*
 * MEXC's Coin-M perpetuals: the adapter over the replay data (shaped as MEXC's documentation and a published
 * probe of the live API say, test/fixtures/venues/mexc/SOURCES.md), and end to end through the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findContract } from "../../src/market/contracts";
import { MarketError } from "../../src/market/errors";
import { mexc } from "../../src/market/mexc";
import type { Quote, QuoteResult } from "../../src/market/types";
import type { MarketData, VenueSnapshot } from "../../src/market/venue";
import { readRecorded } from "../../src/server/market/recorded";
import { start, type FakeExchange } from "../fake-exchange/server";
import { startServer, type RunningServer } from "../support/server";

function market(s: VenueSnapshot, symbol: string): MarketData {
  const m = s.get(symbol);
  if (!m || m instanceof MarketError) throw new Error(`${symbol}: ${m?.message ?? "missing"}`);
  return m;
}

let funding: any;
let detail: any;
beforeAll(async () => {
  funding = await readRecorded("mexc", "funding_rate");
  detail = await readRecorded("mexc", "contract-detail");
});
const parse = (mutate?: (p: any) => void) => {
  const p = structuredClone(funding);
  mutate?.(p);
  return mexc.parseQuotes([p]);
};

describe("mexc adapter", () => {
  it("serves the USD-quoted (coin-margined) perpetuals only, with JSON numbers read as they are", () => {
    const s = parse();
    expect([...s.keys()]).toEqual(["BTC_USD", "ETH_USD", "SOL_USD", "XRP_USD"]);
    expect(market(s, "BTC_USD")).toEqual({
      symbol: "BTC_USD",
      kind: "perpetual",
      fundingRate: 0.0001,
      fundingIntervalHours: 8,
      nextFundingTime: Date.parse("2026-11-26T16:00:00Z"),
      predictedFundingRate: null,
      markPrice: 91251.2,
      indexPrice: 91203.6,
      expiry: null,
      exchangeTime: 1795707000214,
    });
  });

  it("takes the interval from collectCycle (hours): XRP_USD funds every 4 h", () => {
    expect(market(parse(), "XRP_USD").fundingIntervalHours).toBe(4);
  });

  it("refuses a row without its index or fair price (older answers), not the others", () => {
    const s = parse((p) => delete p.data[2].idxPrice);
    expect(s.get("ETH_USD")).toMatchObject({ code: "upstream_bad_response" });
    expect(market(s, "BTC_USD").indexPrice).toBe(91203.6);
  });

  it("turns MEXC's own error envelope into the venue's error", () => {
    expect(() =>
      mexc.parseQuotes([{ success: false, code: 510, message: "Excessive frequency of requests" }]),
    ).toThrow(/upstream error: mexc 510 Excessive frequency of requests/);
  });

  it("lists the Coin-M contracts with MEXC's own sizes; linear ones and delivered ones are refused", () => {
    const p = structuredClone(detail);
    p.data.push({ ...p.data[1], symbol: "LTC_USD", baseCoin: "LTC", settleCoin: "LTC", state: 2 });
    const listing = mexc.parseInstruments([p]);
    expect(listing.contracts.map((c) => [c.symbol, c.coin, c.contractSize])).toEqual([
      ["BTC_USD", "BTC", 100],
      ["ETH_USD", "ETH", 10],
      ["SOL_USD", "SOL", 10],
      ["XRP_USD", "XRP", 10],
    ]);
    expect(listing.refused.get("BTC_USDT")).toMatchObject({ code: "not_inverse" });
    expect(listing.refused.get("LTC_USD")).toMatchObject({ code: "expired" });
  });

  it("reads the funding history (newest first on the wire) as fractions at the settlement times", async () => {
    const rows = mexc.parseHistory(await readRecorded("mexc", "history-BTC_USD"));
    expect(rows).toHaveLength(100);
    expect(rows[0].time).toBe(Date.parse("2026-11-26T08:00:00Z"));
    expect(rows.every((r) => Number.isFinite(r.fundingRate) && r.time % (8 * 3_600_000) === 0)).toBe(true);
    expect(mexc.historyRequest("BTC_USD", 0, 1).query).toEqual({
      symbol: "BTC_USD",
      page_num: "1",
      page_size: "100",
    });
  });

  it("the contract table: BTC is BTC_USD at 100 USD, other coins 10 USD, BTC_USDT is linear", () => {
    expect(findContract("mexc", "btc")).toMatchObject({
      ok: true,
      contract: { symbol: "BTC_USD", contractSize: 100 },
    });
    expect(findContract("mexc", "LINK_USD")).toMatchObject({ ok: true, contract: { coin: "LINK" } });
    expect(findContract("mexc", "BTC_USDT")).toMatchObject({ ok: false, reason: "linear" });
  });
});

describe("mexc end to end", () => {
  let fake: FakeExchange;
  let live: RunningServer;
  beforeAll(async () => {
    fake = await start();
    live = await startServer({ ...fake.env(), HEDGE_MARKET: "live", HEDGE_UPSTREAM_TIMEOUT_MS: "2000" });
  });
  afterAll(async () => {
    await live.close();
    await fake.close();
  });

  it("quotes mexc:BTC and mexc:ETH_USD from the fake with one funding_rate call", async () => {
    fake.reset();
    const res = await fetch(`${live.url}/api/v1/quotes?items=${encodeURIComponent("mexc:BTC,mexc:ETH_USD")}`);
    expect(res.status).toBe(200);
    const [btc, eth] = ((await res.json()) as { quotes: QuoteResult[] }).quotes as Quote[];
    expect(btc).toMatchObject({ symbol: "BTC_USD", coin: "BTC", contractSize: 100, markPrice: 91251.2 });
    // 0.0001 x 8760 / 8
    expect(btc.fundingApr).toBeCloseTo(0.1095, 12);
    expect(eth).toMatchObject({ symbol: "ETH_USD", contractSize: 10 });
    expect(fake.requests("mexc").filter((r) => r.startsWith("/api/v1/contract/funding_rate"))).toEqual([
      "/api/v1/contract/funding_rate",
    ]);
  });

  it("serves the funding history through MEXC's real path, oldest first", async () => {
    const res = await fetch(`${live.url}/api/v1/funding-history?exchange=mexc&symbol=BTC&days=10`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { time: string; fundingRate: number }[] };
    expect(body.items.length).toBeGreaterThan(0);
    const times = body.items.map((i) => i.time);
    expect(times).toEqual([...times].sort());
  });
});
