import { describe, expect, it } from "vitest";
import type { QuoteItem } from "../../src/live/client";
import { QuotePoller } from "../../src/live/poller";
import type { QuoteResult } from "../../src/market/types";
import { FakeClock } from "../support/fake-clock";

/** A fetchQuotes double: records each request, answers from `answer`, optionally held until released. */
function fakeApi(answer: (item: QuoteItem, call: number) => QuoteResult | "throw" = okQuote) {
  const calls: QuoteItem[][] = [];
  return {
    calls,
    fetchQuotes: async (items: readonly QuoteItem[]) => {
      calls.push([...items]);
      const results = items.map((i) => answer(i, calls.length));
      if (results.includes("throw"))
        throw Object.assign(new Error("add-in server unreachable"), { code: "unreachable" });
      return results as QuoteResult[];
    },
  };
}

function okQuote(item: QuoteItem, call: number): QuoteResult {
  return { exchange: item.exchange, symbol: item.symbol, markPrice: 90000 + call } as unknown as QuoteResult;
}

function setup(answer?: Parameters<typeof fakeApi>[0]) {
  const clock = new FakeClock();
  const api = fakeApi(answer);
  const poller = new QuotePoller({ fetchQuotes: api.fetchQuotes, intervalMs: 10_000, timers: clock.timers });
  const seen = (item: QuoteItem) => {
    const got: QuoteResult[] = [];
    const off = poller.subscribe(item, (r) => got.push(r));
    return { got, off };
  };
  return { clock, api, poller, seen };
}

const BTC = { exchange: "bybit", symbol: "BTCUSD" };
const OKX = { exchange: "okx", symbol: "BTC-USD-SWAP" };

describe("the shared quote poller", () => {
  it("N cells on the same instrument make one poll; all instruments go in one request per tick", async () => {
    const { clock, api, seen } = setup();
    const cells = [seen(BTC), seen(BTC), seen(BTC), seen(OKX), seen({ exchange: "BYBIT", symbol: "BTCUSD" })];
    await clock.advance(0);
    expect(api.calls).toEqual([[BTC, OKX]]);
    for (const c of cells) expect(c.got).toHaveLength(1);
    await clock.advance(10_000);
    await clock.advance(10_000);
    expect(api.calls).toHaveLength(3);
    expect(cells[0].got.map((r) => (r as { markPrice: number }).markPrice)).toEqual([90001, 90002, 90003]);
  });

  it("a new cell for an instrument already polled gets its last value at once, without a request", async () => {
    const { clock, api, seen } = setup();
    seen(BTC);
    await clock.advance(0);
    const late = seen(BTC);
    expect(late.got).toHaveLength(1);
    await clock.advance(0);
    expect(api.calls).toHaveLength(1);
  });

  it("cancelled cells unsubscribe; with no subscribers nothing is polled and no timer is left", async () => {
    const { clock, api, seen, poller } = setup();
    const a = seen(BTC);
    const b = seen(OKX);
    await clock.advance(0);
    a.off();
    a.off();
    await clock.advance(10_000);
    expect(api.calls[1]).toEqual([OKX]);
    b.off();
    expect(poller.size).toBe(0);
    expect(clock.size).toBe(0);
    await clock.advance(60_000);
    expect(api.calls).toHaveLength(2);
  });

  it("a failing venue errors only its own instruments, and they recover by themselves", async () => {
    let okxDown = true;
    const { clock, seen } = setup((item, call) =>
      item.exchange === "okx" && okxDown
        ? {
            exchange: "okx",
            symbol: item.symbol,
            error: { code: "upstream_timeout", message: "okx: upstream timed out" },
          }
        : okQuote(item, call),
    );
    const btc = seen(BTC);
    const okx = seen(OKX);
    await clock.advance(0);
    expect(btc.got[0]).not.toHaveProperty("error");
    expect(okx.got[0]).toMatchObject({ error: { message: "okx: upstream timed out" } });
    okxDown = false;
    await clock.advance(10_000);
    expect(okx.got[1]).toMatchObject({ symbol: "BTC-USD-SWAP", markPrice: 90002 });
  });

  it("an unreachable add-in server errors every cell and polling carries on", async () => {
    let down = true;
    const { clock, api, seen } = setup((item, call) => (down ? "throw" : okQuote(item, call)));
    const btc = seen(BTC);
    await clock.advance(0);
    expect(btc.got[0]).toMatchObject({
      error: { code: "unreachable", message: "add-in server unreachable" },
    });
    down = false;
    await clock.advance(10_000);
    expect(api.calls).toHaveLength(2);
    expect(btc.got[1]).not.toHaveProperty("error");
  });

  it("splits more than 50 instruments into requests of 50", async () => {
    const { clock, api, seen } = setup();
    for (let i = 0; i < 120; i++) seen({ exchange: "binance", symbol: `C${i}USD_PERP` });
    await clock.advance(0);
    expect(api.calls.map((c) => c.length)).toEqual([50, 50, 20]);
  });

  it("instruments added while a poll is in flight are fetched right after it, not a full interval later", async () => {
    const clock = new FakeClock();
    let release!: () => void;
    const calls: QuoteItem[][] = [];
    const poller = new QuotePoller({
      timers: clock.timers,
      fetchQuotes: async (items) => {
        calls.push([...items]);
        if (calls.length === 1) await new Promise<void>((r) => (release = r));
        return items.map((i) => okQuote(i, calls.length));
      },
    });
    poller.subscribe(BTC, () => {});
    await clock.advance(0);
    const got: QuoteResult[] = [];
    poller.subscribe(OKX, (r) => got.push(r));
    release();
    await clock.advance(0);
    expect(calls).toEqual([[BTC], [BTC, OKX]]);
    expect(got).toHaveLength(1);
  });

  it("a cancelled poll's late answer is dropped", async () => {
    const clock = new FakeClock();
    let release!: () => void;
    const poller = new QuotePoller({
      timers: clock.timers,
      fetchQuotes: async (items) => {
        await new Promise<void>((r) => (release = r));
        return items.map((i) => okQuote(i, 1));
      },
    });
    const got: QuoteResult[] = [];
    const off = poller.subscribe(BTC, (r) => got.push(r));
    await clock.advance(0);
    off();
    release();
    await clock.advance(20_000);
    expect(got).toHaveLength(0);
    expect(clock.size).toBe(0);
  });
});
