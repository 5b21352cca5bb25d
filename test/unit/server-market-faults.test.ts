/*
 * The market service under faults and abuse, on an injected clock with the venues in memory (no I/O, no real
 * timer): every time below is the injected clock's, so each figure is exact and no test races a timer.
 * - a hanging venue never holds an answer hostage (stale value at the deadline, cold answers within the
 *   upstream timeout + 1 s);
 * - a failing venue backs off and its real error is what clients read;
 * - history goes upstream only for listed symbols, once per window, failures cached, within its budget share;
 * - the venues' lists decide what is served (a listed contract missing from the table, an expired future).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Exchange, Quote, QuoteResult } from "../../src/market/types";
import { readConfig } from "../../src/server/config";
import {
  COLD_EXTRA_MS,
  HISTORY_FAILURE_TTL_MS,
  MarketService,
  STALE_WAIT_MS,
} from "../../src/server/market/service";
import { HISTORY_BUDGET_SHARE, VenueGate } from "../../src/server/market/upstream";
import { FakeClock } from "../support/fake-clock";
import { venueFetch, type VenueFetch } from "../support/venue-fetch";

const T0 = Date.parse("2026-11-26T15:30:00Z");
const TIMEOUT_MS = 5_000;
const TTL_MS = 10_000;
/** The injected clock moves in steps this long; every in-memory answer lands between two steps. */
const STEP_MS = 10;

const drain = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
};

async function setup(historySymbols: Partial<Record<Exchange, string[]>> = {}) {
  const venues = await venueFetch(historySymbols);
  const clock = new FakeClock();
  clock.now = T0;
  const config = readConfig({
    ...venues.env,
    HEDGE_QUOTE_TTL_MS: String(TTL_MS),
    HEDGE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
  });
  const svc = new MarketService(config, {
    fetch: venues.fetch,
    env: {
      now: () => clock.now,
      random: () => 0,
      sleep: (ms) => new Promise<void>((resolve) => clock.timers.setTimeout(resolve, ms)),
      timer: (fn, ms) => {
        const id = clock.timers.setTimeout(fn, ms);
        return () => clock.timers.clearTimeout(id);
      },
    },
  });

  /** Settles `p` while moving the clock in small steps; returns its value and how long it took on the clock. */
  async function timed<T>(p: Promise<T>, limitMs = 120_000): Promise<{ value: T; ms: number }> {
    let settled: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    p.then(
      (value) => (settled = { ok: true, value }),
      (error) => (settled = { ok: false, error }),
    );
    const start = clock.now;
    await drain();
    while (!settled && clock.now - start < limitMs) {
      await clock.advance(STEP_MS);
      await drain();
    }
    if (!settled) throw new Error(`not settled within ${limitMs} ms`);
    if (!settled.ok) throw settled.error;
    return { value: settled.value, ms: clock.now - start };
  }

  /** Moves the clock on, letting background work run. */
  async function wait(ms: number) {
    const end = clock.now + ms;
    while (clock.now < end) {
      await clock.advance(Math.min(STEP_MS * 10, end - clock.now));
      await drain();
    }
  }

  return { venues, clock, svc, timed, wait };
}

/** One item on each venue. */
const ALL = [
  "bybit:BTCUSD",
  "binance:BTCUSD_PERP",
  "bitmex:XBTUSD",
  "deribit:BTC-PERPETUAL",
  "okx:BTC-USD-SWAP",
  "kraken:PI_XBTUSD",
  "bingx:BTC-USD",
  "mexc:BTC_USD",
].map((i) => {
  const [exchange, symbol] = i.split(":");
  return { exchange: exchange as Exchange, symbol };
});

const byVenue = (results: QuoteResult[], venue: string) => results.find((r) => r.exchange === venue)!;
const calls = (v: VenueFetch, venue: Exchange, path: string) =>
  v.requests(venue).filter((p) => p.split("?")[0] === path).length;

describe("a hanging venue never holds an answer hostage", () => {
  it("with a last good value: served flagged stale at the 1.5 s deadline, the others fresh; the refresh goes on", async () => {
    const { venues, svc, timed, wait } = await setup();
    const primed = await timed(svc.quotes(ALL));
    expect(
      primed.value.every((q) => !("error" in q)),
      JSON.stringify(primed.value),
    ).toBe(true);
    const good = byVenue(primed.value, "okx") as Quote;

    venues.setMode("okx", "hang");
    await wait(TTL_MS);
    const answer = await timed(svc.quotes(ALL));
    // Without the deadline this answer waited for both attempts of the hung call: 2 x 5 s + the retry jitter.
    expect(answer.ms).toBe(STALE_WAIT_MS);
    expect(answer.ms).toBeLessThanOrEqual(2_000);
    expect(byVenue(answer.value, "okx")).toMatchObject({
      stale: true,
      fetchedAt: good.fetchedAt,
      markPrice: good.markPrice,
    });
    for (const q of answer.value.filter((r) => r.exchange !== "okx"))
      expect(q).toMatchObject({ stale: false });

    // The refresh went on behind the answer and failed with the venue's real error.
    await wait(2 * TIMEOUT_MS + 1_000);
    expect(svc.healthReport().okx.lastError?.message).toBe("okx: upstream timed out");
    // Now the last refresh failed: the next answer does not wait at all.
    const next = await timed(svc.quotes(ALL));
    expect(next.ms).toBe(0);
    expect(byVenue(next.value, "okx")).toMatchObject({ stale: true, fetchedAt: good.fetchedAt });
  });

  it("without one: the hung venue's items fail within the upstream timeout + 1 s, the others are served", async () => {
    const { venues, svc, timed } = await setup();
    venues.setMode("okx", "hang");
    const answer = await timed(svc.quotes(ALL));
    // Two attempts would take 2 x 5 s + jitter; the answer's deadline is the timeout + 0.8 s.
    expect(answer.ms).toBe(TIMEOUT_MS + COLD_EXTRA_MS);
    expect(answer.ms).toBeLessThanOrEqual(TIMEOUT_MS + 1_000);
    expect(byVenue(answer.value, "okx")).toEqual({
      exchange: "okx",
      symbol: "BTC-USD-SWAP",
      error: { code: "upstream_timeout", message: "okx: upstream timed out" },
    });
    for (const q of answer.value.filter((r) => r.exchange !== "okx")) expect("error" in q).toBe(false);
  });
});

describe("a failing venue backs off and reports its real error", () => {
  it("a cold HTTP 500 outage: 100 requests in 10 s cost at most 24 calls, every answer says HTTP 500", async () => {
    const { venues, svc, timed, wait } = await setup();
    venues.setMode("okx", "500");
    const okx = [{ exchange: "okx" as Exchange, symbol: "BTC" }];
    const messages = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { value, ms } = await timed(svc.quotes(okx));
      const [r] = value;
      if ("error" in r) messages.add(`${r.error.code}: ${r.error.message}`);
      await wait(100 - ms);
    }
    expect([...messages]).toEqual(["upstream_unavailable: okx: upstream failed (HTTP 500)"]);
    // First refresh: 4 quote calls + 2 list calls, each retried once (12); then single probes of the 4 quote
    // calls after rests of 2 s and 4 s (the list is asked again after a minute): 12 + 4 + 4 + 4.
    expect(venues.count("okx")).toBeLessThanOrEqual(24);
    expect(venues.count("okx")).toBeGreaterThanOrEqual(12);
  });

  it("recovers on the first probe after its rest", async () => {
    const { venues, svc, timed, wait } = await setup();
    venues.setMode("okx", "500");
    const okx = [{ exchange: "okx" as Exchange, symbol: "BTC" }];
    for (let i = 0; i < 3; i++) await timed(svc.quotes(okx));
    venues.setMode("okx", "ok");
    await wait(70_000);
    const { value } = await timed(svc.quotes(okx));
    expect(value[0]).toMatchObject({ symbol: "BTC-USD-SWAP", stale: false });
  });
});

describe("history goes upstream only for listed symbols, once per window", () => {
  it("1,500 requests for invented COIN-M symbols: no history call at all, each not_listed", async () => {
    const { venues, svc, timed } = await setup();
    const asked = Array.from({ length: 1_500 }, (_, n) =>
      svc.listedContract("binance", `Q${n}USD_PERP`).then(
        () => "listed",
        (e: { code: string }) => e.code,
      ),
    );
    const { value } = await timed(Promise.all(asked));
    expect(new Set(value)).toEqual(new Set(["not_listed"]));
    expect(calls(venues, "binance", "/dapi/v1/fundingRate")).toBe(0);
    expect(calls(venues, "binance", "/dapi/v1/exchangeInfo")).toBe(1);
  });

  it("days = 1..365 on one symbol: one load per window (7, 30, 90, 365 days), each answer sliced", async () => {
    const { venues, svc, timed } = await setup({ binance: ["BTCUSD_PERP"] });
    const { value: btc } = await timed(svc.listedContract("binance", "BTC"));
    const sizes: number[] = [];
    for (let days = 1; days <= 365; days++) {
      const { value } = await timed(svc.history(btc, days));
      sizes.push(value.items.length);
      expect(value.items.every((p) => Date.parse(p.time) >= T0 - days * 86_400_000)).toBe(true);
    }
    // The recorded page holds the 270 settlements up to 08:00 today, 89 2/3 days: the 7- and 30-day windows
    // take one page each, the 90- and 365-day ones a second page that brings nothing older (1 + 1 + 2 + 2).
    expect(calls(venues, "binance", "/dapi/v1/fundingRate")).toBe(6);
    expect(sizes[0]).toBe(3);
    expect(sizes[29]).toBe(90);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  it("a failing history asked 100 times costs one call and its retry; asked again after 15 s, one more", async () => {
    const { venues, svc, timed, wait } = await setup({ binance: ["BTCUSD_PERP"] });
    const { value: btc } = await timed(svc.listedContract("binance", "BTC"));
    venues.setMode("binance", "500");
    for (let i = 0; i < 100; i++) {
      await expect(timed(svc.history(btc, 30))).rejects.toMatchObject({
        code: "upstream_unavailable",
        message: "upstream failed (HTTP 500)",
      });
    }
    expect(calls(venues, "binance", "/dapi/v1/fundingRate")).toBe(2);
    await wait(HISTORY_FAILURE_TTL_MS);
    await expect(timed(svc.history(btc, 30))).rejects.toMatchObject({ code: "upstream_unavailable" });
    expect(calls(venues, "binance", "/dapi/v1/fundingRate")).toBe(3);
  });

  it("history may spend only its share of a venue's budget; the rest stays for quotes", () => {
    const gate = new VenueGate(20, 60_000);
    let history = 0;
    while (gate.take(1, 0, "history")) history++;
    expect(history).toBe(20 * HISTORY_BUDGET_SHARE);
    let quotes = 0;
    while (gate.take(1, 0, "quotes")) quotes++;
    expect(quotes).toBe(20 - history);
    // The window slides for both.
    expect(gate.take(1, 60_000, "history")).toBe(true);
  });
});

describe("the venues' lists decide what is served", () => {
  const realPair = JSON.parse(
    readFileSync(
      new URL(
        "../fixtures/real-payloads/binance/premiumIndex-pair-BTCUSD.gct-2020-10-16.json",
        import.meta.url,
      ),
      "utf8",
    ),
  );

  it("an expired future the venue still quotes is never served, with or without its list", async () => {
    for (const listed of [true, false]) {
      const { venues, svc, timed } = await setup();
      // Binance's answer of 2020-10-16 still lists BTCUSD_200925, three weeks after its delivery.
      venues.setPayload("binance", "premiumIndex", realPair);
      if (!listed) venues.setPayload("binance", "exchangeInfo", { code: -1, msg: "maintenance" });
      const { value } = await timed(
        svc.quotes([
          { exchange: "binance", symbol: "BTCUSD_200925" },
          { exchange: "binance", symbol: "BTCUSD_PERP" },
        ]),
      );
      expect(value[0], String(listed)).toMatchObject({
        exchange: "binance",
        error: { code: listed ? "not_listed" : "expired" },
      });
      expect(value[1]).toMatchObject({ symbol: "BTCUSD_PERP", markPrice: 11354.19919373, stale: false });
    }
  });

  it("a contract the venue lists but the built-in table lacks is quoted with the venue's size", async () => {
    const { svc, timed } = await setup();
    const { value } = await timed(svc.quotes([{ exchange: "kraken", symbol: "pi_bchusd" }]));
    expect(value[0]).toMatchObject({
      exchange: "kraken",
      symbol: "PI_BCHUSD",
      coin: "BCH",
      contractSize: 1,
      markPrice: 512.4,
      // 2.4e-8 x 512.4 per hour
      fundingRate: expect.closeTo(2.4e-8 * 512.4, 18),
    });
  });

  it("/contracts: each venue's own list (live), the built-in table for a venue whose list failed", async () => {
    const { venues, svc, timed } = await setup();
    venues.setMode("bybit", "500");
    const { value } = await timed(svc.contracts());
    const bybit = value.filter((c) => c.exchange === "bybit");
    expect(new Set(bybit.map((c) => c.source))).toEqual(new Set(["builtin"]));
    expect(bybit).toContainEqual(
      expect.objectContaining({ symbol: "BTCUSDMYY", pattern: "^BTCUSD[FGHJKMNQUVXZ]\\d{2}$" }),
    );
    const okx = value.filter((c) => c.exchange === "okx");
    expect(new Set(okx.map((c) => c.source))).toEqual(new Set(["live"]));
    expect(okx.map((c) => [c.symbol, c.contractSize, c.expiry])).toEqual([
      ["BTC-USD-SWAP", 100, null],
      ["ETH-USD-SWAP", 10, null],
      ["XRP-USD-SWAP", 10, null],
      ["SOL-USD-SWAP", 10, null],
      ["BTC-USD-261225", 100, "2026-12-25T08:00:00.000Z"],
    ]);
  });

  it("BitMEX XBTETH is inverse but priced in ETH: not_inverse; XBTUSD from a row without an expiry key", async () => {
    const { venues, svc, timed } = await setup();
    const first = await timed(
      svc.quotes([
        { exchange: "bitmex", symbol: "XBTETH" },
        { exchange: "bitmex", symbol: "XBTUSD" },
      ]),
    );
    expect(first.value[0]).toMatchObject({
      error: { code: "not_inverse", message: expect.stringMatching(/ETH/) },
    });
    expect(first.value[1]).toMatchObject({ symbol: "XBTUSD", expiry: null });
    expect(venues.count("bitmex")).toBe(1);
  });
});
