/*
 * The streaming and history functions through the BUILT bundle (dist/functions.js in a vm), talking to the REAL
 * add-in server over HTTP, which talks to the fake exchange. The poller runs on a fake clock; HTTP is real.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { ExcelError, type LoadedBundle, type StreamingCell } from "../support/bundle";
import { loadBundleOnClock, until } from "../support/bundle-on-clock";
import type { FakeClock } from "../support/fake-clock";
import { startServer, type RunningServer } from "../support/server";
import { start, type FakeExchange } from "../fake-exchange/server";

const serial = (iso: string) => (Date.parse(iso) - Date.UTC(1899, 11, 30)) / 86_400_000;

let fake: FakeExchange;
beforeAll(async () => {
  fake = await start();
});
afterAll(async () => {
  await fake.close();
});

interface Harness {
  bundle: LoadedBundle;
  clock: FakeClock;
  /** Paths the bundle fetched from the add-in server. */
  fetched: string[];
  cells: StreamingCell[];
}

function harness(server: RunningServer): Harness {
  const loaded = loadBundleOnClock({ href: `${server.url}/taskpane.html`, relativeTo: server.url });
  return { ...loaded, cells: [] };
}

const quoteCalls = (h: Harness) => h.fetched.filter((p) => p.startsWith("/api/v1/quotes"));
const errorOf = (v: unknown) => (v instanceof ExcelError ? { code: v.code, message: v.message } : v);

describe("live functions in the built bundle", () => {
  let server: RunningServer;
  let h: Harness;

  beforeAll(async () => {
    server = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "0" });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    for (const c of h?.cells ?? []) c.cancel();
    fake.reset();
  });

  it("many cells on two instruments share one request per tick; cancelled cells stop the polling", async () => {
    h = harness(server);
    const open = (id: string, args: unknown[]) => {
      const cell = h.bundle.stream(id, args);
      h.cells.push(cell);
      return cell;
    };
    const marks = [1, 2, 3].map(() => open("MARKET", ["bybit", "BTC", null]));
    const rate = open("FUNDING.RATE", ["BYBIT", "btcusd"]);
    const apr = open("MARKET", ["bybit", "BTCUSD", "funding_apr"]);
    const next = open("MARKET", ["bybit", "BTCUSD", "next_funding_time"]);
    const okx = open("MARKET", ["okx", "ETH", "funding_rate"]);
    await h.clock.advance(0);
    await until(() => h.cells.every((c) => c.results.length > 0));

    expect(quoteCalls(h)).toEqual([
      `/api/v1/quotes?items=${encodeURIComponent("bybit:BTCUSD,okx:ETH-USD-SWAP")}`,
    ]);
    for (const m of marks) expect(m.latest()).toBe(91250.5);
    expect(rate.latest()).toBe(0.0001);
    // 0.0001 x 8760 / 8
    expect(apr.latest()).toBeCloseTo(0.1095, 12);
    expect(next.latest()).toBeCloseTo(serial("2026-11-26T16:00:00Z"), 9);
    expect(okx.latest()).toBe(-0.0000321);

    await h.clock.advance(10_000);
    await until(() => okx.results.length === 2);
    expect(quoteCalls(h)).toHaveLength(2);

    for (const c of h.cells) c.cancel();
    await h.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(quoteCalls(h)).toHaveLength(2);
    expect(h.clock.size).toBe(0);
  });

  it("a failing venue shows #N/A with the reason in its cells only, and they recover by themselves", async () => {
    // A server that never had a good OKX value (one that had would serve it, flagged stale).
    const fresh = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "0" });
    onTestFinished(() => fresh.close());
    fake.setMode("okx", "500");
    h = harness(fresh);
    const okx = h.bundle.stream("FUNDING.RATE", ["okx", "BTC"]);
    const bybit = h.bundle.stream("FUNDING.RATE", ["bybit", "BTC"]);
    h.cells.push(okx, bybit);
    await h.clock.advance(0);
    await until(() => okx.results.length > 0 && bybit.results.length > 0);
    expect(errorOf(okx.latest())).toEqual({ code: "#N/A", message: "okx: upstream failed (HTTP 500)" });
    expect(bybit.latest()).toBe(0.0001);

    fake.setMode("okx", "ok");
    await h.clock.advance(10_000);
    await until(() => okx.results.length > 1);
    expect(okx.latest()).toBe(0.0000912);
    expect(quoteCalls(h)).toHaveLength(2);
  });

  it("fields a contract does not have are #N/A saying why", async () => {
    h = harness(server);
    const deribitNext = h.bundle.stream("MARKET", ["deribit", "BTC", "next_funding_time"]);
    const futureRate = h.bundle.stream("MARKET", ["binance", "BTCUSD_270326", "funding_rate"]);
    const futureMark = h.bundle.stream("MARKET", ["binance", "BTCUSD_270326", "MARK_PRICE"]);
    h.cells.push(deribitNext, futureRate, futureMark);
    await h.clock.advance(0);
    await until(() => h.cells.every((c) => c.results.length > 0));
    expect(errorOf(deribitNext.latest())).toEqual({
      code: "#N/A",
      message: "deribit:BTC-PERPETUAL has no next funding time (funding is continuous)",
    });
    expect(errorOf(futureRate.latest())).toEqual({
      code: "#N/A",
      message: "binance:BTCUSD_270326 has no funding rate (a dated future does not fund)",
    });
    expect(futureMark.latest()).toBe(93401.7);
  });

  it("a symbol the venue does not list, or lists as linear, is #N/A with the server's reason", async () => {
    h = harness(server);
    const linear = h.bundle.stream("MARKET", ["bybit", "BTCUSDT", null]);
    const unlisted = h.bundle.stream("MARKET", ["bybit", "NOSUCH", null]);
    h.cells.push(linear, unlisted);
    await h.clock.advance(0);
    await until(() => h.cells.every((c) => c.results.length > 0));
    expect(errorOf(linear.latest())).toEqual({
      code: "#N/A",
      message: expect.stringMatching(/^bybit:BTCUSDT is not an inverse \(coin-margined\) contract/),
    });
    expect(errorOf(unlisted.latest())).toEqual({ code: "#N/A", message: "bybit: NOSUCH is not listed now" });
  });

  it("bad arguments are #VALUE! at once, and never reach the server", async () => {
    h = harness(server);
    const cases: [string, unknown[], RegExp][] = [
      ["MARKET", ["nasdaq", "BTC", null], /^exchange must be one of bybit, binance/],
      ["MARKET", ["bybit", "BTC/USD", null], /^symbol must be 1 to 40/],
      ["MARKET", ["bybit", "BTC", "colour"], /^field must be one of/],
      ["FUNDING.RATE", ["okx", null], /^symbol is required/],
    ];
    for (const [id, args, message] of cases) {
      const cell = h.bundle.stream(id, args);
      h.cells.push(cell);
      const e = errorOf(cell.latest()) as { code: string; message: string };
      expect(e.code, String(args)).toBe("#VALUE!");
      expect(e.message).toMatch(message);
    }
    await h.clock.advance(20_000);
    expect(h.fetched).toEqual([]);
  });
});

describe("HEDGE.FUNDING.HISTORY in the built bundle (replay server)", () => {
  let server: RunningServer;
  let h: Harness;
  beforeAll(async () => {
    server = await startServer({ HEDGE_MARKET: "replay" });
    h = harness(server);
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    for (const c of h.cells.splice(0)) c.cancel();
  });

  /** Opens a FUNDING.HISTORY cell and waits (real time: HTTP is real) for its first result. */
  async function history(args: unknown[]): Promise<{ cell: StreamingCell; value: unknown }> {
    const cell = h.bundle.stream("FUNDING.HISTORY", args);
    h.cells.push(cell);
    await until(() => cell.results.length > 0);
    return { cell, value: cell.latest() };
  }
  const historyCalls = () => h.fetched.filter((p) => p.startsWith("/api/v1/funding-history"));

  it("spills time (Excel serial, UTC) and funding_rate, oldest first, with a header row by default", async () => {
    const rows = (await history(["kraken", "BTC", 7, null])).value as (string | number)[][];
    expect(rows[0]).toEqual(["time", "funding_rate"]);
    // 7 days of hourly settlements ending at the newest recorded one (2026-11-26T15:00Z), both ends included.
    expect(rows).toHaveLength(1 + 169);
    expect(rows[rows.length - 1][0]).toBeCloseTo(serial("2026-11-26T15:00:00Z"), 9);
    expect(rows[1][0]).toBeCloseTo(serial("2026-11-19T15:00:00Z"), 9);
    const times = rows.slice(1).map((r) => r[0] as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("headers FALSE, default days (30) on an 8-hourly venue", async () => {
    const rows = (await history(["bybit", "BTCUSD", null, false])).value as (string | number)[][];
    // 30 days x 3 settlements + the window's first edge
    expect(rows).toHaveLength(91);
    expect(typeof rows[0][0]).toBe("number");
  });

  it("days out of range is #VALUE!; no recorded data is #N/A with the server's reason", async () => {
    expect(errorOf((await history(["bybit", "BTC", 366, null])).value)).toEqual({
      code: "#VALUE!",
      message: "days must be a whole number at least 1 and at most 365",
    });
    expect(errorOf((await history(["bybit", "SOLUSD", 7, null])).value)).toEqual({
      code: "#N/A",
      message: "bybit: no sample data for this in replay mode",
    });
  });

  it("a dated future says it does not fund, without asking the server", async () => {
    const before = h.fetched.length;
    for (const [exchange, symbol] of [
      ["binance", "BTCUSD_270326"],
      ["deribit", "BTC-27MAR26"],
      ["bybit", "BTCUSDH26"],
    ]) {
      const cell = h.bundle.stream("FUNDING.HISTORY", [exchange, symbol, 7, null]);
      h.cells.push(cell);
      expect(errorOf(cell.latest())).toEqual({
        code: "#N/A",
        message: `${exchange}:${symbol} is a dated future, which does not fund`,
      });
    }
    expect(h.fetched.length).toBe(before);
  });

  it("refreshes every 5 minutes until the cell is cancelled, then asks no more", async () => {
    const { cell } = await history(["okx", "BTC", 3, null]);
    const asked = historyCalls().length;
    await h.clock.advance(5 * 60_000 - 1);
    expect(historyCalls()).toHaveLength(asked);
    await h.clock.advance(1);
    expect(historyCalls()).toHaveLength(asked + 1);
    await until(() => cell.results.length === 2);
    expect(cell.results[1]).toEqual(cell.results[0]);
    cell.cancel();
    expect(h.clock.size).toBe(0);
    await h.clock.advance(60 * 60_000);
    expect(historyCalls()).toHaveLength(asked + 1);
  });
});
