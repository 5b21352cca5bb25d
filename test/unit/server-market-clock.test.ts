/*
 * Market service behaviour that depends on time (stale limit, budgets, reuse, back-off, history paging), with an
 * injected clock, real HTTP to the fake exchange, and the API plugin on a bare Fastify over real HTTP.
 */
import Fastify from "fastify";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findContract, type ResolvedContract } from "../../src/market/contracts";
import type { Quote } from "../../src/market/types";
import { readConfig } from "../../src/server/config";
import { marketApi } from "../../src/server/market/plugin";
import { MarketService, STALE_LIMIT_MS } from "../../src/server/market/service";
import { retryAfterMs, VenueGate } from "../../src/server/market/upstream";
import { start, type FakeExchange } from "../fake-exchange/server";

const T0 = Date.parse("2026-11-26T15:30:00Z");
const MIN = 60_000;

let fake: FakeExchange;
beforeAll(async () => {
  fake = await start();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.reset());

function contract(exchange: Parameters<typeof findContract>[0], symbol: string): ResolvedContract {
  const r = findContract(exchange, symbol);
  if (!r.ok) throw new Error(r.message);
  return r.contract;
}

function service(ttlMs = 10_000) {
  const clock = { now: T0 };
  const config = readConfig({
    ...fake.env(),
    HEDGE_QUOTE_TTL_MS: String(ttlMs),
    // No test here is about timeouts (none uses "hang"): a short one only turned slow reads on a loaded
    // machine into failures.
    HEDGE_UPSTREAM_TIMEOUT_MS: "10000",
  });
  const svc = new MarketService(config, { env: { now: () => clock.now, sleep: async () => {} } });
  return { clock, svc, config };
}

describe("stale values", () => {
  it("are served flagged for up to 10 minutes after the last good fetch, then the error", async () => {
    const { clock, svc } = service();
    const btc = contract("deribit", "BTC");
    const [good] = (await svc.quotes([btc])) as Quote[];
    expect(good.stale).toBe(false);
    fake.setMode("deribit", "500");
    clock.now = T0 + STALE_LIMIT_MS - 1;
    expect(await svc.quotes([btc])).toMatchObject([
      { stale: true, fetchedAt: good.fetchedAt, markPrice: 91248.37 },
    ]);
    clock.now = T0 + STALE_LIMIT_MS + 1;
    expect(await svc.quotes([btc])).toEqual([
      {
        exchange: "deribit",
        symbol: "BTC-PERPETUAL",
        error: { code: "upstream_unavailable", message: "deribit: upstream failed (HTTP 500)" },
      },
    ]);
  });

  it("within the TTL nothing is fetched again", async () => {
    const { clock, svc } = service();
    const tickers = () => fake.requests("kraken").filter((p) => p.includes("/tickers")).length;
    await svc.quotes([contract("kraken", "BTC")]);
    clock.now += 9_999;
    await svc.quotes([contract("kraken", "ETH")]);
    expect(tickers()).toBe(1);
    clock.now += 1;
    await svc.quotes([contract("kraken", "BTC")]);
    expect(tickers()).toBe(2);
    // The instrument list is asked once (it is kept for an hour).
    expect(fake.count("kraken")).toBe(3);
  });
});

describe("per-venue budgets and back-off", () => {
  it("BitMEX: never more than 25 requests in a minute (its limit is 30), then stale values until the window moves", async () => {
    const { clock, svc } = service(0);
    const xbt = contract("bitmex", "XBTUSD");
    const results: Quote[] = [];
    for (let i = 0; i < 40; i++) {
      results.push(...((await svc.quotes([xbt])) as Quote[]));
      clock.now += 100;
    }
    expect(fake.count("bitmex")).toBe(25);
    expect(results.slice(0, 25).every((q) => !q.stale)).toBe(true);
    expect(results.slice(25).every((q) => q.stale && q.markPrice === 91255.84)).toBe(true);
    clock.now = T0 + 61_000;
    // The last refresh failed: the last good value at once, the refresh in the background.
    expect(((await svc.quotes([xbt])) as Quote[])[0].stale).toBe(true);
    await svc.idle();
    expect(fake.count("bitmex")).toBe(26);
    expect(((await svc.quotes([xbt])) as Quote[])[0].stale).toBe(false);
  });

  it("Binance fundingInfo is fetched once an hour, premiumIndex every refresh", async () => {
    const { clock, svc } = service(0);
    const sol = contract("binance", "SOL");
    for (let i = 0; i < 3; i++) {
      expect(((await svc.quotes([sol])) as Quote[])[0].fundingIntervalHours).toBe(4);
      clock.now += MIN;
    }
    const calls = (path: string) => fake.requests("binance").filter((p) => p.split("?")[0] === path).length;
    expect(calls("/dapi/v1/premiumIndex")).toBe(3);
    expect(calls("/dapi/v1/fundingInfo")).toBe(1);
    // The contract list is hourly too.
    expect(calls("/dapi/v1/exchangeInfo")).toBe(1);
    expect(fake.count("binance")).toBe(5);
    clock.now = T0 + 61 * MIN;
    await svc.quotes([sol]);
    await svc.idle();
    expect(calls("/dapi/v1/fundingInfo")).toBe(2);
    expect(calls("/dapi/v1/exchangeInfo")).toBe(2);
  });

  it("after a 429 the venue is not called for Retry-After, for quotes and histories alike", async () => {
    const { clock, svc } = service(0);
    fake.setMode("okx", "429", { retryAfterSeconds: 120 });
    await svc.quotes([contract("okx", "BTC")]);
    const sent = fake.count("okx");
    expect(sent).toBeGreaterThanOrEqual(1);
    fake.setMode("okx", "ok");
    clock.now += 119_000;
    expect(await svc.quotes([contract("okx", "BTC")])).toMatchObject([
      { error: { code: "upstream_rate_limited" } },
    ]);
    await expect(svc.history(contract("okx", "BTC"), 30)).rejects.toMatchObject({
      code: "upstream_rate_limited",
    });
    expect(fake.count("okx")).toBe(sent);
    clock.now += 2_000;
    expect(await svc.quotes([contract("okx", "BTC")])).toMatchObject([
      { symbol: "BTC-USD-SWAP", stale: false },
    ]);
  });

  it("Retry-After in seconds or as an HTTP date, bounded to 10 minutes", () => {
    expect(retryAfterMs("30", T0)).toBe(30_000);
    expect(retryAfterMs(new Date(T0 + 90_000).toUTCString(), T0)).toBe(90_000);
    expect(retryAfterMs("999999", T0)).toBe(10 * MIN);
    expect(retryAfterMs("soon", T0)).toBe(MIN);
    expect(retryAfterMs(null, T0)).toBe(MIN);
  });

  it("the budget is a sliding window of weights", () => {
    const gate = new VenueGate(20, 1_000);
    expect(gate.take(10, 0)).toBe(true);
    expect(gate.take(10, 500)).toBe(true);
    expect(gate.take(1, 999)).toBe(false);
    expect(gate.take(10, 1_000)).toBe(true);
    expect(gate.take(10, 1_400)).toBe(false);
  });
});

describe("funding history", () => {
  it("pages back through the venue with the window's own times until covered or no progress", async () => {
    const { svc } = service();
    const h = await svc.history(contract("bybit", "BTC"), 365);
    // The recorded page holds 90 days (270 settlements); the fake answers every page with it, so the second page
    // brings nothing older and paging stops there.
    expect(h.items).toHaveLength(270);
    const pages = fake.requests("bybit").map((p) => new URL(p, "http://x").searchParams);
    expect(pages).toHaveLength(2);
    expect(pages[0].get("startTime")).toBe(String(T0 - 365 * 86_400_000));
    expect(pages[0].get("endTime")).toBe(String(T0));
    expect(pages[1].get("endTime")).toBe(String(Date.parse(h.items[0].time) - 1));
    expect(pages[0].get("category")).toBe("inverse");
  });

  it("a venue that returns everything is asked once, and the window is cut on our side", async () => {
    const { svc } = service();
    const h = await svc.history(contract("kraken", "BTC"), 2);
    expect(fake.count("kraken")).toBe(1);
    // 2 days back from 15:30: the hourly settlements from 2026-11-24T16:00 to 2026-11-26T15:00.
    expect(h.items).toHaveLength(48);
    expect(h.items[0].time).toBe("2026-11-24T16:00:00.000Z");
  });

  it("is cached per venue, symbol and days", async () => {
    const { clock, svc } = service();
    await svc.history(contract("okx", "BTC"), 30);
    await svc.history(contract("okx", "BTC-USD-SWAP"), 30);
    expect(fake.count("okx")).toBe(1);
    clock.now += 61_000;
    await svc.history(contract("okx", "BTC"), 30);
    expect(fake.count("okx")).toBe(2);
  });
});

describe("history errors over HTTP (plugin on a bare Fastify)", () => {
  async function api() {
    const app = Fastify();
    const config = readConfig({ ...fake.env(), HEDGE_UPSTREAM_TIMEOUT_MS: "200" });
    await app.register(marketApi, { config });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const get = async (path: string) => {
      const res = await fetch(url + path);
      return { status: res.status, body: await res.json() };
    };
    return { app, get };
  }

  it("a hanging venue is a 504 in JSON, a failing one a 502, a wrong shape a 502 'not understood'", async () => {
    const cases: [Parameters<FakeExchange["setMode"]>[1], number, string, string][] = [
      ["hang", 504, "upstream_timeout", "kraken: upstream timed out"],
      ["500", 502, "upstream_unavailable", "kraken: upstream failed (HTTP 500)"],
      ["wrong-shape", 502, "upstream_bad_response", "kraken: upstream response not understood"],
    ];
    for (const [mode, status, code, message] of cases) {
      const { app, get } = await api();
      try {
        fake.setMode("kraken", mode);
        // The venue's instrument list fails the same way: the built-in table says PI_XBTUSD exists.
        expect(await get("/api/v1/funding-history?exchange=kraken&symbol=BTC&days=3")).toEqual({
          status,
          body: { error: { code, message } },
        });
      } finally {
        await app.close();
      }
    }
  });
});
