/*
 * The REAL add-in server (buildApp, plain HTTP on a free port) against the fake exchange: upstream counts,
 * failure modes, stale values, hostile requests.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Exchange, Quote, QuoteResult } from "../../src/market/types";
import { VENUES } from "../../src/market/venues";
import { start, type FakeExchange } from "../fake-exchange/server";
import { startServer, type RunningServer } from "../support/server";

const TIMEOUT_MS = 300;
/** Two attempts, the jitter between them (at most 400 ms), and slack for a loaded machine. */
const ANSWER_BUDGET_MS = 2 * TIMEOUT_MS + 400 + 700;

/** Twelve symbols on the eight venues, including coin aliases and dated futures. */
const ITEMS = [
  "bybit:BTCUSD",
  "bybit:ETH",
  "binance:BTCUSD_PERP",
  "binance:BTCUSD_270326",
  "bitmex:XBTUSD",
  "deribit:BTC-PERPETUAL",
  "deribit:ETH",
  "okx:BTC-USD-SWAP",
  "okx:ETH-USD-SWAP",
  "kraken:PI_XBTUSD",
  "bingx:BTC",
  "mexc:BTC",
];

let fake: FakeExchange;

beforeAll(async () => {
  fake = await start();
});
afterAll(async () => {
  await fake.close();
});

async function getJson(server: RunningServer, path: string, init?: RequestInit) {
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: JSON.parse(text) };
}

async function quotes(server: RunningServer, items: string[]): Promise<QuoteResult[]> {
  const { status, body } = await getJson(
    server,
    `/api/v1/quotes?items=${encodeURIComponent(items.join(","))}`,
  );
  expect(status).toBe(200);
  return body.quotes;
}

const isQuote = (q: QuoteResult): q is Quote => !("error" in q);

/** Distinct calls of a venue's quote refresh and instrument list together. */
const plan = (venue: Exchange) =>
  new Set([...VENUES[venue].quoteRequests, ...VENUES[venue].instrumentRequests].map((r) => r.name)).size;

/** Every number in a quote is finite, prices are positive, and nothing is a zero standing in for "unknown". */
function expectSound(q: Quote) {
  for (const [k, v] of Object.entries(q)) {
    if (typeof v === "number") expect(Number.isFinite(v), k).toBe(true);
  }
  expect(q.markPrice).toBeGreaterThan(0);
  expect(q.indexPrice).toBeGreaterThan(0);
  expect(q.contractSize).toBeGreaterThan(0);
  if (q.kind === "perpetual") {
    expect(q.fundingRate).not.toBe(0);
    expect(q.fundingIntervalHours).toBeGreaterThan(0);
  } else {
    expect(q.fundingRate).toBeNull();
    expect(q.expiry).not.toBeNull();
  }
}

describe("market API over HTTP against the fake exchange", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({
      ...fake.env(),
      HEDGE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      HEDGE_QUOTE_TTL_MS: "60000",
    });
  });
  afterAll(async () => {
    await server.close();
  });

  describe("upstream cost", () => {
    let cold: RunningServer;
    beforeAll(async () => {
      cold = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "60000" });
      fake.reset();
    });
    afterAll(async () => {
      await cold.close();
    });

    it("200 concurrent clients asking for 12 symbols on 8 venues cost one refresh per venue", async () => {
      const all = await Promise.all(Array.from({ length: 200 }, () => quotes(cold, ITEMS)));
      for (const result of all) {
        expect(result.map((q) => `${q.exchange}:${q.symbol}`)).toEqual([
          "bybit:BTCUSD",
          "bybit:ETHUSD",
          "binance:BTCUSD_PERP",
          "binance:BTCUSD_270326",
          "bitmex:XBTUSD",
          "deribit:BTC-PERPETUAL",
          "deribit:ETH-PERPETUAL",
          "okx:BTC-USD-SWAP",
          "okx:ETH-USD-SWAP",
          "kraken:PI_XBTUSD",
          "bingx:BTC-USD",
          "mexc:BTC_USD",
        ]);
        for (const q of result) {
          expect(isQuote(q), JSON.stringify(q)).toBe(true);
          expectSound(q as Quote);
        }
      }
      // One refresh = the venue's fixed request plan: tickers + instruments-info for bybit, one call for bitmex,
      // kraken, bingx and mexc; premiumIndex + fundingInfo for binance; BTC + ETH book summaries for deribit; funding,
      // 2 marks and index for okx.
      // The venue's instrument list comes on top, once (BitMEX's is the same call; Bybit's instruments-info
      // serves both).
      for (const venue of Object.keys(VENUES) as Exchange[]) {
        expect(fake.count(venue), venue).toBe(plan(venue));
      }
      expect(fake.count("bybit") + fake.count("bitmex") + fake.count("kraken")).toBe(5);

      // Within the TTL, more clients and other symbols of the same venues cost nothing.
      const before = fake.count();
      await Promise.all(
        Array.from({ length: 50 }, () => quotes(cold, ["bybit:SOLUSD", "okx:BTC-USD-261225", "kraken:ETH"])),
      );
      expect(fake.count()).toBe(before);
    });
  });

  describe("a failing venue", () => {
    beforeEach(() => fake.reset());
    afterEach(() => fake.reset());

    const cases: {
      mode: Parameters<FakeExchange["setMode"]>[1];
      code: string;
      message: string;
      tries: number;
      options?: Parameters<FakeExchange["setMode"]>[2];
      env?: Record<string, string>;
    }[] = [
      { mode: "hang", code: "upstream_timeout", message: "okx: upstream timed out", tries: 2 },
      { mode: "500", code: "upstream_unavailable", message: "okx: upstream failed (HTTP 500)", tries: 2 },
      {
        mode: "html",
        code: "upstream_bad_response",
        message: "okx: upstream response not understood",
        tries: 1,
      },
      {
        mode: "truncated",
        code: "upstream_bad_response",
        message: "okx: upstream response not understood",
        tries: 1,
      },
      {
        mode: "malformed",
        code: "upstream_bad_response",
        message: "okx: upstream response not understood",
        tries: 1,
      },
      {
        mode: "wrong-shape",
        code: "upstream_bad_response",
        message: "okx: upstream response not understood",
        tries: 1,
      },
      {
        // A small cap and a body four times over it, chunked with no Content-Length: the cap, not the
        // timeout, must stop the read (a body of megabytes raced the timeout on a loaded machine).
        mode: "huge",
        code: "upstream_bad_response",
        message: "okx: upstream response too large",
        tries: 1,
        options: { bodyBytes: 64 * 1024 },
        env: { HEDGE_UPSTREAM_MAX_BYTES: String(16 * 1024) },
      },
    ];
    for (const { mode, code, message, tries, options, env } of cases) {
      it(`${mode}: its items fail with "${message}", the others are served, within the time budget`, async () => {
        const fresh = await startServer({
          ...fake.env(),
          // Only the timeout cases need a short timeout; for the others a loaded machine must not turn a slow
          // read into a timeout and its retry.
          HEDGE_UPSTREAM_TIMEOUT_MS: String(tries === 2 ? TIMEOUT_MS : 5_000),
          ...env,
        });
        try {
          fake.setMode("okx", mode, options);
          const t0 = performance.now();
          const result = await quotes(fresh, ITEMS);
          expect(performance.now() - t0).toBeLessThan(ANSWER_BUDGET_MS);
          for (const q of result) {
            if (q.exchange === "okx") expect(q).toMatchObject({ error: { code, message } });
            else expectSound(q as Quote);
          }
          // One retry for timeouts and 5xx only, per request of the venue's plan (at most: requests run in parallel
          // and the first failure decides).
          expect(fake.count("okx"), fake.requests("okx").join("\n")).toBeLessThanOrEqual(tries * plan("okx"));
          expect(fake.count("okx")).toBeGreaterThanOrEqual(tries);
          // The server is still up and healthy for the other venues.
          const health = await getJson(fresh, "/api/v1/health");
          expect(health.body.exchanges.okx.lastError.message).toBe(message);
          expect(health.body.exchanges.bybit.lastSuccess).not.toBeNull();
        } finally {
          await fresh.close();
        }
      });
    }

    it("a slow body within the timeout is read; past the timeout it is a timeout", async () => {
      const fresh = await startServer({ ...fake.env(), HEDGE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
      try {
        fake.setMode("kraken", "slow-body", { slowBodyMs: 50 });
        expect(isQuote((await quotes(fresh, ["kraken:PI_XBTUSD"]))[0])).toBe(true);
      } finally {
        await fresh.close();
      }
      const slow = await startServer({ ...fake.env(), HEDGE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
      try {
        fake.setMode("kraken", "slow-body", { slowBodyMs: 5_000 });
        const t0 = performance.now();
        const [q] = await quotes(slow, ["kraken:PI_XBTUSD"]);
        expect(performance.now() - t0).toBeLessThan(ANSWER_BUDGET_MS);
        expect(q).toMatchObject({
          error: { code: "upstream_timeout", message: "kraken: upstream timed out" },
        });
      } finally {
        await slow.close();
      }
    });

    it("429 with Retry-After: no retry, no call at all until it has passed, then served again", async () => {
      const fresh = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "0" });
      try {
        fake.setMode("bitmex", "429", { retryAfterSeconds: 1 });
        const [q] = await quotes(fresh, ["bitmex:XBTUSD"]);
        expect(q).toMatchObject({ error: { code: "upstream_rate_limited" } });
        expect(fake.count("bitmex")).toBe(1);
        fake.setMode("bitmex", "ok");
        const [again] = await quotes(fresh, ["bitmex:XBTUSD"]);
        expect(again).toMatchObject({ error: { code: "upstream_rate_limited" } });
        expect(fake.count("bitmex")).toBe(1);
        await new Promise((r) => setTimeout(r, 1_100));
        expect(isQuote((await quotes(fresh, ["bitmex:XBTUSD"]))[0])).toBe(true);
        expect(fake.count("bitmex")).toBe(2);
      } finally {
        await fresh.close();
      }
    });

    it("a rate-limit 403 backs the venue off too", async () => {
      const fresh = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "0" });
      try {
        fake.setMode("binance", "403");
        const [q] = await quotes(fresh, ["binance:BTC"]);
        expect(q).toMatchObject({ error: { code: "upstream_rate_limited" } });
        const sent = fake.count("binance");
        await quotes(fresh, ["binance:BTC"]);
        expect(fake.count("binance")).toBe(sent);
      } finally {
        await fresh.close();
      }
    });

    it("serves the last good value flagged stale after the TTL when the venue fails, fresh again when it recovers", async () => {
      const fresh = await startServer({
        ...fake.env(),
        HEDGE_QUOTE_TTL_MS: "100",
        HEDGE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      });
      try {
        const [good] = (await quotes(fresh, ["deribit:BTC"])) as Quote[];
        expect(good.stale).toBe(false);
        fake.setMode("deribit", "500");
        await new Promise((r) => setTimeout(r, 150));
        const [stale] = (await quotes(fresh, ["deribit:BTC"])) as Quote[];
        expect(stale).toMatchObject({
          stale: true,
          fundingRate: good.fundingRate,
          fetchedAt: good.fetchedAt,
        });
        fake.setMode("deribit", "ok");
        // The last refresh failed, so the next answer is the stale value at once, its refresh behind it.
        const [kick] = (await quotes(fresh, ["deribit:BTC"])) as Quote[];
        expect(kick.stale).toBe(true);
        let back = kick;
        for (let i = 0; i < 50 && back.stale; i++) {
          await new Promise((r) => setTimeout(r, 20));
          [back] = (await quotes(fresh, ["deribit:BTC"])) as Quote[];
        }
        expect(back.stale).toBe(false);
        expect(Date.parse(back.fetchedAt)).toBeGreaterThan(Date.parse(good.fetchedAt));
      } finally {
        await fresh.close();
      }
    });

    it("never caches an error as data: the first request after recovery is served", async () => {
      const fresh = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "60000" });
      try {
        fake.setMode("bybit", "wrong-shape");
        expect((await quotes(fresh, ["bybit:BTC"]))[0]).toMatchObject({
          error: { code: "upstream_bad_response" },
        });
        fake.setMode("bybit", "ok");
        const [q] = (await quotes(fresh, ["bybit:BTC"])) as Quote[];
        expect(q).toMatchObject({ symbol: "BTCUSD", fundingRate: 0.0001, stale: false });
      } finally {
        await fresh.close();
      }
    });

    it("a contract the venue sends unreadable fails alone, with no zero standing in for it", async () => {
      const fresh = await startServer({ ...fake.env() });
      try {
        const tickers = structuredClone((await import("../../src/market/replay/bybit/tickers.json")).default);
        tickers.result.list[0].fundingRate = "";
        fake.setPayload("bybit", "tickers", tickers);
        const [btc, eth] = await quotes(fresh, ["bybit:BTCUSD", "bybit:ETHUSD"]);
        expect(btc).toMatchObject({
          error: { code: "upstream_bad_response", message: "bybit: upstream response not understood" },
        });
        expectSound(eth as Quote);
      } finally {
        fake.reset();
        await fresh.close();
      }
    });
  });

  describe("hostile or malformed requests: 4xx JSON and no upstream call", () => {
    const bad: [string, number, string][] = [
      ["/api/v1/quotes", 400, "invalid_parameter"],
      ["/api/v1/quotes?items=", 400, "invalid_parameter"],
      ["/api/v1/quotes?items=evil:BTCUSD", 400, "unknown_exchange"],
      ["/api/v1/quotes?items=bybit", 400, "invalid_item"],
      ["/api/v1/quotes?items=bybit:BTC/USD", 400, "invalid_symbol"],
      ["/api/v1/quotes?items=bybit:BTC%2FUSD", 400, "invalid_symbol"],
      ["/api/v1/quotes?items=bybit:..", 400, "invalid_symbol"],
      ["/api/v1/quotes?items=bybit:..%2F..%2Fetc%2Fpasswd", 400, "invalid_symbol"],
      ["/api/v1/quotes?items=bybit:user@evil.example", 400, "invalid_symbol"],
      ["/api/v1/quotes?items=bybit:http://evil.example/x", 400, "invalid_symbol"],
      ["/api/v1/quotes?items=bybit:%00", 400, "invalid_symbol"],
      ["/api/v1/quotes?items=bybit:BTCUSD%20", 400, "invalid_symbol"],
      [`/api/v1/quotes?items=bybit:${"A".repeat(41)}`, 400, "invalid_symbol"],
      [`/api/v1/quotes?items=${Array(51).fill("bybit:BTCUSD").join(",")}`, 400, "too_many_items"],
      [`/api/v1/quotes?items=${"bybit:BTCUSD,".repeat(300)}`, 400, "too_many_items"],
      ["/api/v1/quotes?items=bybit:BTCUSD&items=okx:BTC", 400, "invalid_parameter"],
      ["/api/v1/funding-history?exchange=bybit&symbol=BTCUSD&days=0", 400, "invalid_days"],
      ["/api/v1/funding-history?exchange=bybit&symbol=BTCUSD&days=366", 400, "invalid_days"],
      ["/api/v1/funding-history?exchange=bybit&symbol=BTCUSD&days=1.5", 400, "invalid_days"],
      ["/api/v1/funding-history?exchange=bybit&symbol=BTCUSD&days=abc", 400, "invalid_days"],
      ["/api/v1/funding-history?exchange=bybit&symbol=BTCUSD&days=-3", 400, "invalid_days"],
      ["/api/v1/funding-history?exchange=https://evil.example&symbol=BTCUSD", 400, "unknown_exchange"],
      ["/api/v1/funding-history?exchange=bybit&symbol=..%2F..%2Fbybit%2Ftickers", 400, "invalid_symbol"],
      ["/api/v1/funding-history?exchange=bybit", 400, "invalid_symbol"],
      ["/api/v1/funding-history?symbol=BTCUSD", 400, "unknown_exchange"],
    ];

    beforeAll(() => fake.reset());

    for (const [path, status, code] of bad) {
      it(`GET ${path.slice(0, 90)} -> ${status} ${code}`, async () => {
        const res = await getJson(server, path);
        expect(res.status).toBe(status);
        expect(res.type).toContain("application/json");
        expect(res.body.error.code).toBe(code);
        expect(typeof res.body.error.message).toBe("string");
      });
    }

    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      it(`${method} /api/v1/quotes -> 405 JSON, body never read`, async () => {
        const res = await getJson(server, "/api/v1/quotes?items=bybit:BTCUSD", {
          method,
          body: method === "OPTIONS" ? undefined : JSON.stringify({ x: "y".repeat(5000) }),
          headers: { "content-type": "application/json" },
        });
        expect(res.status).toBe(405);
        expect(res.body.error.code).toBe("method_not_allowed");
      });
    }

    it("none of them reached an exchange", () => {
      expect(
        fake.count(),
        JSON.stringify((Object.keys(VENUES) as Exchange[]).map((v) => fake.requests(v))),
      ).toBe(0);
    });
  });

  it("one good and three bad items: 200, one quote and three item errors; nothing unlisted goes upstream", async () => {
    const items = [
      "bybit:BTCUSDT",
      "okx:BTC-USDT-SWAP",
      "bitmex:ETHUSD",
      "bybit:NOSUCHCOIN",
      "bybit:BTC-29DEC23",
    ];
    const first = await quotes(server, ["okx:BTC", ...items]);
    expectSound(first[0] as Quote);
    expect(first.slice(1).map((q) => ("error" in q ? q.error.code : "quote"))).toEqual([
      "not_inverse",
      "not_inverse",
      "not_inverse",
      "not_listed",
      "not_inverse",
    ]);
    expect(first[2]).toMatchObject({
      error: { message: expect.stringMatching(/^okx: BTC-USDT-SWAP is linear/) },
    });
    // The venues' lists are known now: items they do not list cost no upstream call at all.
    fake.reset();
    const again = await getJson(server, `/api/v1/quotes?items=${items.join(",")}`);
    expect(again.status).toBe(200);
    expect(again.body.quotes.every((q: QuoteResult) => "error" in q)).toBe(true);
    expect(fake.count()).toBe(0);
  });

  it("contracts and health", async () => {
    const contracts = await getJson(server, "/api/v1/contracts");
    // From the venue's own list (exchangeInfo), with its contract size.
    expect(contracts.body.contracts).toContainEqual({
      exchange: "binance",
      symbol: "BTCUSD_PERP",
      coin: "BTC",
      kind: "perpetual",
      contractSize: 100,
      expiry: null,
      source: "live",
    });
    expect(contracts.body.contracts).toContainEqual(
      expect.objectContaining({
        exchange: "okx",
        symbol: "BTC-USD-261225",
        expiry: "2026-12-25T08:00:00.000Z",
      }),
    );
    const health = await getJson(server, "/api/v1/health");
    expect(health.body.status).toBe("ok");
    expect(Object.keys(health.body.exchanges)).toEqual([
      "bybit",
      "binance",
      "bitmex",
      "deribit",
      "okx",
      "kraken",
      "bingx",
      "mexc",
    ]);
  });

  it("funding history through the real paths, oldest first, as fractions", async () => {
    const res = await getJson(server, "/api/v1/funding-history?exchange=kraken&symbol=BTC&days=365");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ exchange: "kraken", symbol: "PI_XBTUSD", source: "live" });
    // The recorded hours end 2026-11-26T15:00Z; how many fall in the window depends on today's date.
    const items = res.body.items as { time: string; fundingRate: number }[];
    expect(items.map((i) => i.time)).toEqual([...items.map((i) => i.time)].sort());
    expect(items.every((i) => Math.abs(i.fundingRate) < 0.001)).toBe(true);
  });
});

describe("replay mode", () => {
  let server: RunningServer;
  beforeAll(async () => {
    fake.reset();
    // Upstream overrides point at the fake, so any call replay made would be counted.
    server = await startServer({ ...fake.env(), HEDGE_MARKET: "replay" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("serves recorded quotes and histories marked replay, offline", async () => {
    const result = await quotes(server, ITEMS);
    for (const q of result) {
      expect(isQuote(q)).toBe(true);
      expect((q as Quote).source).toBe("replay");
      expectSound(q as Quote);
    }
    for (const [exchange, symbol] of [
      ["bybit", "BTC"],
      ["binance", "ETH"],
      ["bitmex", "XBTUSD"],
      ["deribit", "BTC"],
      ["okx", "ETH"],
      ["kraken", "BTC"],
    ]) {
      const h = await getJson(server, `/api/v1/funding-history?exchange=${exchange}&symbol=${symbol}&days=7`);
      expect(h.status, exchange).toBe(200);
      expect(h.body.source).toBe("replay");
      const hourly = exchange === "deribit" || exchange === "kraken";
      // The window ends at the newest recorded settlement: 7 days are 21 8-hourly or 168 hourly rows (+1 edge).
      expect(h.body.items.length, exchange).toBeGreaterThanOrEqual(hourly ? 168 : 21);
      expect(h.body.items.length, exchange).toBeLessThanOrEqual(hourly ? 169 : 22);
    }
    expect(fake.count()).toBe(0);
  });

  it("says so when nothing was recorded for a contract", async () => {
    const h = await getJson(server, "/api/v1/funding-history?exchange=bybit&symbol=SOLUSD&days=7");
    expect(h.status).toBe(404);
    expect(h.body.error.message).toBe("bybit: no sample data for this in replay mode");
  });

  it("the futures curve: the perpetual first, then dated futures by expiry, basis = mark / index - 1", async () => {
    for (const [exchange, coin, symbols] of [
      // Recorded out of expiry order: the curve sorts them.
      ["deribit", "BTC", ["BTC-PERPETUAL", "BTC-25DEC26", "BTC-26MAR27", "BTC-25JUN27"]],
      ["okx", "btc", ["BTC-USD-SWAP", "BTC-USD-261225"]],
      ["bitmex", "XBT", ["XBTUSD", "XBTH27"]],
      ["kraken", "BTC", ["PI_XBTUSD", "FI_XBTUSD_261225"]],
    ] as const) {
      const res = await getJson(server, `/api/v1/curve?exchange=${exchange}&coin=${coin}`);
      expect(res.status, exchange).toBe(200);
      expect(res.body.coin).toBe("BTC");
      const quotes = res.body.quotes as Quote[];
      expect(quotes.map((q) => q.symbol)).toEqual(symbols);
      expect(quotes.map((q) => q.kind)).toEqual(["perpetual", ...symbols.slice(1).map(() => "future")]);
      for (const q of quotes) {
        expect(q.source).toBe("replay");
        expect(q.premium).toBeCloseTo(q.markPrice / q.indexPrice - 1, 15);
      }
    }
    // Deribit BTC-26MAR27: 93380.61 / 91205.4 - 1
    const deribit = await getJson(server, "/api/v1/curve?exchange=deribit&coin=BTC");
    const mar27 = (deribit.body.quotes as Quote[]).find((q) => q.symbol === "BTC-26MAR27")!;
    expect(mar27.premium).toBeCloseTo(93380.61 / 91205.4 - 1, 15);
    expect(mar27.expiry).toBe("2027-03-26T08:00:00.000Z");
    expect((await getJson(server, "/api/v1/curve?exchange=deribit&coin=DOGE")).body.error.code).toBe(
      "not_listed",
    );
    const bad = await getJson(server, "/api/v1/curve?exchange=deribit&coin=BTC-USD");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_coin");
    expect(fake.count()).toBe(0);
  });

  it("contracts from the recorded lists: a contract the table lacks (PI_BCHUSD) is listed and quoted", async () => {
    const res = await getJson(server, "/api/v1/contracts");
    const contracts = res.body.contracts as { exchange: string; symbol: string; source: string }[];
    expect(contracts).toContainEqual({
      exchange: "kraken",
      symbol: "PI_BCHUSD",
      coin: "BCH",
      kind: "perpetual",
      contractSize: 1,
      expiry: null,
      source: "replay",
    });
    expect(contracts.filter((c) => c.exchange === "bitmex").map((c) => c.symbol)).toEqual([
      "XBTUSD",
      "XBTH27",
    ]);
    const [bch, xbteth, xbtusd] = await quotes(server, [
      "kraken:PI_BCHUSD",
      "bitmex:XBTETH",
      "bitmex:XBTUSD",
    ]);
    expect(bch).toMatchObject({ symbol: "PI_BCHUSD", coin: "BCH", contractSize: 1, source: "replay" });
    expect(xbteth).toMatchObject({ error: { code: "not_inverse" } });
    // Recorded as BitMEX sends it: no expiry key on the perpetual's row.
    expect(xbtusd).toMatchObject({ symbol: "XBTUSD", kind: "perpetual", expiry: null });
  });
});
