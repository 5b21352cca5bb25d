import { OfficeMockObject } from "office-addin-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { QuoteItem } from "../../src/live/client";
import type { Quote, QuoteResult } from "../../src/market/types";
import { RatesController, type RatesState } from "../../src/taskpane/controller";
import { readBuilderForm } from "../../src/taskpane/builder-view";
import { watchHost, type HostWatchOptions } from "../../src/taskpane/host";
import { FakeClock } from "../support/fake-clock";
import { DEFAULT_SELECTION } from "../../src/taskpane/selection";
import { loadSelection, saveOnChange, saveSelection } from "../../src/taskpane/settings";
import { makeQuote } from "../support/quotes";

const quote = (exchange: string, symbol: string, markPrice: number): Quote =>
  makeQuote(exchange, symbol, markPrice, { coin: "BTC" });

const items: QuoteItem[] = [
  { exchange: "bybit", symbol: "BTCUSD" },
  { exchange: "okx", symbol: "BTC-USD-SWAP" },
];

describe("rates controller", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(answers: (() => QuoteResult[] | Promise<QuoteResult[]>)[]) {
    const states: RatesState[] = [];
    const fetchQuotes = vi.fn(async (asked: readonly QuoteItem[]) => {
      expect(asked).toEqual(items);
      return answers[Math.min(fetchQuotes.mock.calls.length - 1, answers.length - 1)]();
    });
    const write = vi.fn(async () => undefined);
    const controller = new RatesController({
      fetchQuotes,
      write,
      onChange: (s) => states.push(s),
      now: () => new Date("2025-01-01T12:00:00Z"),
    });
    controller.setItems(items);
    return { controller, fetchQuotes, write, states };
  }

  it("makes one request and one write per refresh, shows progress, and records the last good refresh", async () => {
    const { controller, fetchQuotes, write, states } = setup([
      () => [quote("bybit", "BTCUSD", 1), quote("okx", "BTC-USD-SWAP", 2)],
    ]);
    await controller.refresh();
    expect(fetchQuotes).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(1);
    expect(states[0].refreshing).toBe(true);
    expect(controller.state).toMatchObject({ refreshing: false, error: null, source: "replay" });
    expect(controller.state.lastGood?.toISOString()).toBe("2025-01-01T12:00:00.000Z");
    expect(controller.state.rows.map((r) => r[8])).toEqual([1, 2]);
  });

  it("joins a refresh already running instead of starting a second request", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { controller, fetchQuotes } = setup([
      async () => {
        await gate;
        return [quote("bybit", "BTCUSD", 1), quote("okx", "BTC-USD-SWAP", 2)];
      },
    ]);
    const a = controller.refresh();
    const b = controller.refresh();
    release();
    await Promise.all([a, b]);
    expect(fetchQuotes).toHaveBeenCalledTimes(1);
  });

  it("keeps a failing item's last values in the pane, marking why", async () => {
    const { controller } = setup([
      () => [quote("bybit", "BTCUSD", 1), quote("okx", "BTC-USD-SWAP", 2)],
      () => [
        quote("bybit", "BTCUSD", 3),
        { exchange: "okx", symbol: "BTC-USD-SWAP", error: { code: "x", message: "okx: upstream timed out" } },
      ],
    ]);
    await controller.refresh();
    await controller.refresh();
    expect(controller.state.rows.map((r) => [r[8], r[13]])).toEqual([
      [3, "ok"],
      [2, "okx: upstream timed out"],
    ]);
  });

  it("reports a failed request or workbook write without losing the last good time", async () => {
    const { controller, write } = setup([
      () => [quote("bybit", "BTCUSD", 1), quote("okx", "BTC-USD-SWAP", 2)],
      () => {
        throw new Error("add-in server unreachable: offline");
      },
      () => [quote("bybit", "BTCUSD", 1), quote("okx", "BTC-USD-SWAP", 2)],
    ]);
    await controller.refresh();
    await controller.refresh();
    expect(controller.state.error).toBe("add-in server unreachable: offline");
    expect(controller.state.lastGood).not.toBeNull();
    const lastGood = controller.state.lastGood;
    write.mockRejectedValueOnce(new Error("the workbook is in cell-edit mode"));
    await controller.refresh();
    expect(controller.state.error).toBe("the workbook is in cell-edit mode");
    expect(controller.state.lastGood).toBe(lastGood);
    await controller.refresh();
    expect(controller.state.error).toBeNull();
  });

  it("auto-refreshes on the chosen interval, counted from the end of the last refresh, until turned off", async () => {
    const { controller, fetchQuotes } = setup([
      () => [quote("bybit", "BTCUSD", 1), quote("okx", "BTC-USD-SWAP", 2)],
    ]);
    controller.setAutoRefresh(30_000);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(fetchQuotes).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchQuotes).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fetchQuotes).toHaveBeenCalledTimes(2);
    controller.setAutoRefresh(0);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(fetchQuotes).toHaveBeenCalledTimes(2);
  });
});

describe("settings in the workbook (office-addin-mock)", () => {
  afterEach(() => {
    delete (globalThis as { Office?: unknown }).Office;
  });

  function installOffice(stored: Record<string, unknown>) {
    // The mock guards primitive properties behind load()/sync() (Excel semantics), so the enum Office.js
    // exposes as plain data sits beside it.
    const mock = new OfficeMockObject({
      context: {
        document: {
          settings: {
            get: (key: string) => stored[key] ?? null,
            set: (key: string, value: unknown) => {
              stored[key] = value;
            },
            saveAsync: (callback: (r: { status: string }) => void) => callback({ status: "succeeded" }),
          },
        },
      },
    }) as unknown as { context: unknown };
    (globalThis as { Office?: unknown }).Office = {
      context: mock.context,
      AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    };
  }

  it("stores the selection in the document and reads it back; a new workbook gets the default", async () => {
    const stored: Record<string, unknown> = {};
    installOffice(stored);
    expect(loadSelection()).toEqual(DEFAULT_SELECTION);
    const mine = {
      venues: ["deribit" as const],
      coins: ["ETH"],
      symbols: [{ exchange: "okx", symbol: "BTC-USD-250627" }],
    };
    await saveSelection(mine);
    expect(Object.values(stored)).toHaveLength(1);
    expect(loadSelection()).toEqual(mine);
  });
});

describe("host detection", () => {
  /** What watchHost reported, in order, with a fake clock for its timeout. */
  function watch(office: unknown, timeoutMs = 3000) {
    const clock = new FakeClock();
    const seen: string[] = [];
    watchHost((h) => seen.push(h), {
      office: office as HostWatchOptions["office"],
      timeoutMs,
      timers: clock.timers,
    });
    return { clock, seen };
  }
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it("is the dashboard at once without office.js, and with an Office outside Excel", async () => {
    const seen: string[] = [];
    watchHost((h) => seen.push(h), { office: undefined });
    expect(seen).toEqual(["browser"]);
    const outside = watch({
      HostType: { Excel: "Excel" },
      onReady: async () => ({ host: null, platform: null }),
    });
    await flush();
    expect(outside.seen).toEqual(["browser"]);
    await outside.clock.advance(10_000);
    expect(outside.seen).toEqual(["browser"]);
  });

  it("is Excel when Office.onReady says so in time", async () => {
    const w = watch({
      HostType: { Excel: "Excel" },
      onReady: async () => ({ host: "Excel", platform: "PC" }),
    });
    await flush();
    expect(w.seen).toEqual(["excel"]);
    await w.clock.advance(10_000);
    expect(w.seen).toEqual(["excel"]);
  });

  it("shows the dashboard after 3 s without an answer, and switches to Excel whenever Office answers", async () => {
    let ready: (info: { host: string; platform: string }) => void = () => undefined;
    const w = watch({
      HostType: { Excel: "Excel" },
      onReady: () => new Promise((resolve) => (ready = resolve)),
    });
    await w.clock.advance(2_999);
    expect(w.seen).toEqual([]);
    await w.clock.advance(1);
    expect(w.seen).toEqual(["browser"]);
    await w.clock.advance(10 * 60_000);
    ready({ host: "Excel", platform: "PC" });
    await flush();
    expect(w.seen).toEqual(["browser", "excel"]);
  });
});

describe("selection settings", () => {
  it("are saved when the selection changes, never on start or when it is the same again", () => {
    const saved: unknown[] = [];
    const save = saveOnChange(DEFAULT_SELECTION, (s) => saved.push(s));
    save({ ...DEFAULT_SELECTION, venues: [...DEFAULT_SELECTION.venues] });
    expect(saved).toEqual([]);
    const fewer = { ...DEFAULT_SELECTION, venues: DEFAULT_SELECTION.venues.slice(1) };
    save(fewer);
    save({ ...fewer });
    expect(saved).toEqual([fewer]);
    save(DEFAULT_SELECTION);
    expect(saved).toEqual([fewer, DEFAULT_SELECTION]);
  });
});

describe("builder form", () => {
  const fields = {
    coin: "BTC",
    exchange: "okx",
    symbol: "BTC-USD-SWAP",
    quantity: "2",
    ratioPercent: "50",
    leverage: "",
  };

  it("turns the form into the sheet's inputs: ratio as a fraction, empty leverage as omitted", () => {
    expect(readBuilderForm(fields)).toEqual({
      coin: "BTC",
      exchange: "okx",
      symbol: "BTC-USD-SWAP",
      quantity: 2,
      hedgeRatio: 0.5,
      leverage: undefined,
    });
    expect(readBuilderForm({ ...fields, leverage: "3" })).toMatchObject({ leverage: 3 });
  });

  it("names the field that is wrong", () => {
    expect(readBuilderForm({ ...fields, quantity: "0" })).toMatch(/Spot quantity/);
    expect(readBuilderForm({ ...fields, quantity: "" })).toMatch(/Spot quantity/);
    expect(readBuilderForm({ ...fields, ratioPercent: "-5" })).toMatch(/Hedge ratio/);
    expect(readBuilderForm({ ...fields, leverage: "abc" })).toMatch(/Leverage/);
    expect(readBuilderForm({ ...fields, symbol: "" })).toMatch(/contract/);
  });
});
