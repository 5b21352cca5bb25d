import { describe, expect, it } from "vitest";
import type { Quote } from "../../src/market/types";
import {
  COLUMNS,
  displayCell,
  formatExcelSerial,
  rowFromResult,
  rowKey,
  toExcelSerial,
} from "../../src/taskpane/rows";
import {
  DEFAULT_SELECTION,
  MAX_ITEMS,
  PERPETUAL_COINS,
  parseSelection,
  selectionItems,
} from "../../src/taskpane/selection";
import { uniqueSheetName } from "../../src/taskpane/sheet-names";
import { addressShape } from "../../src/taskpane/hedge-plan";

const deribit: Quote = {
  exchange: "deribit",
  symbol: "BTC-PERPETUAL",
  coin: "BTC",
  kind: "perpetual",
  contractSize: 10,
  fundingRate: 0.000125,
  fundingIntervalHours: 8,
  nextFundingTime: null,
  predictedFundingRate: null,
  markPrice: 64_000.5,
  indexPrice: 63_990,
  premium: 0.000164,
  fundingApr: 0.1369,
  expiry: null,
  exchangeTime: "2025-03-01T12:00:00.000Z",
  fetchedAt: "2025-03-01T12:00:01.000Z",
  stale: false,
  source: "live",
};

describe("quote to row", () => {
  it("maps every field to its column, nulls to empty cells and times to Excel serials", () => {
    const row = rowFromResult(deribit);
    expect(row).toHaveLength(COLUMNS.length);
    const by = Object.fromEntries(COLUMNS.map((c, i) => [c, row[i]]));
    expect(by).toMatchObject({
      Exchange: "deribit",
      Symbol: "BTC-PERPETUAL",
      Coin: "BTC",
      "Funding rate": 0.000125,
      "Interval (h)": 8,
      APR: 0.1369,
      "Next funding (UTC)": "",
      "Predicted rate": "",
      Mark: 64_000.5,
      Index: 63_990,
      "Contract (USD)": 10,
      Status: "ok",
    });
    expect(by["Updated (UTC)"]).toBeCloseTo(45717.5000116, 6);
  });

  it("says stale when the server serves a last good value", () => {
    expect(rowFromResult({ ...deribit, stale: true }).at(-1)).toBe("stale");
  });

  it("keeps the previous values of a failed item and puts the error text in Status", () => {
    const previous = rowFromResult(deribit);
    const failed = rowFromResult(
      {
        exchange: "deribit",
        symbol: "BTC-PERPETUAL",
        error: { code: "upstream", message: "deribit: HTTP 502" },
      },
      previous,
    );
    expect(failed.slice(0, -1)).toEqual(previous.slice(0, -1));
    expect(failed.at(-1)).toBe("deribit: HTTP 502");
  });

  it("fills what the contract table knows for a failed item never seen before, resolving a coin alias", () => {
    const row = rowFromResult({
      exchange: "okx",
      symbol: "btc",
      error: { code: "x", message: "okx: timed out" },
    });
    expect(row.slice(0, 4)).toEqual(["okx", "BTC-USD-SWAP", "BTC", ""]);
    expect(row[COLUMNS.indexOf("Contract (USD)")]).toBe(100);
    expect(row.at(-1)).toBe("okx: timed out");
  });

  it("round-trips Excel serial dates and shows cells in the workbook's formats", () => {
    expect(toExcelSerial("1970-01-01T00:00:00Z")).toBe(25569);
    expect(toExcelSerial(null)).toBe("");
    expect(formatExcelSerial(toExcelSerial("2025-03-01T08:00:00Z") as number)).toBe("2025-03-01 08:00");
    expect(displayCell("Funding rate", 0.000125)).toBe("0.0125%");
    expect(displayCell("APR", 0.1369)).toBe("13.69%");
    expect(displayCell("Mark", 64000.5)).toBe("64,000.50");
    expect(displayCell("Interval (h)", 8)).toBe("8");
    expect(displayCell("Status", "<b>okx</b>")).toBe("<b>okx</b>");
    expect(rowKey(" OKX", "btc-usd-swap")).toBe(rowKey("okx", "BTC-USD-SWAP"));
  });
});

describe("selection", () => {
  it("asks by default for every venue's BTC and ETH perpetual, skipping a venue without one", () => {
    const { items, truncated } = selectionItems(DEFAULT_SELECTION);
    expect(truncated).toBe(false);
    expect(items.map((i) => `${i.exchange}:${i.symbol}`)).toEqual([
      "bybit:BTCUSD",
      "bybit:ETHUSD",
      "binance:BTCUSD_PERP",
      "binance:ETHUSD_PERP",
      "bitmex:XBTUSD",
      "deribit:BTC-PERPETUAL",
      "deribit:ETH-PERPETUAL",
      "okx:BTC-USD-SWAP",
      "okx:ETH-USD-SWAP",
      "kraken:PI_XBTUSD",
      "kraken:PI_ETHUSD",
      "bingx:BTC-USD",
      "bingx:ETH-USD",
      "mexc:BTC_USD",
      "mexc:ETH_USD",
    ]);
  });

  it("adds hand-picked contracts of selected venues once, and caps a request at the API's 50 items", () => {
    const sel = {
      venues: ["okx" as const],
      coins: ["BTC"],
      symbols: [
        { exchange: "okx", symbol: "BTC-USD-SWAP" },
        { exchange: "okx", symbol: "BTC-USD-250328" },
        { exchange: "bybit", symbol: "BTCUSD" },
      ],
    };
    expect(selectionItems(sel).items.map((i) => i.symbol)).toEqual(["BTC-USD-SWAP", "BTC-USD-250328"]);
    const big = { ...DEFAULT_SELECTION, coins: [...PERPETUAL_COINS], symbols: [] };
    const many = {
      ...big,
      symbols: Array.from({ length: 30 }, (_, i) => ({ exchange: "okx", symbol: `BTC-USD-2501${10 + i}` })),
    };
    const result = selectionItems(many);
    expect(result.items).toHaveLength(MAX_ITEMS);
    expect(result.truncated).toBe(true);
  });

  it("reads stored settings defensively: bad JSON, unknown venues and linear symbols are dropped", () => {
    expect(parseSelection("{not json")).toEqual(DEFAULT_SELECTION);
    expect(parseSelection(undefined)).toEqual(DEFAULT_SELECTION);
    expect(
      parseSelection(
        JSON.stringify({
          venues: ["okx", "ftx"],
          coins: ["ETH", "DOGEZZ"],
          symbols: [
            { exchange: "bybit", symbol: "btcusdt" },
            { exchange: "bitmex", symbol: "xbtusd" },
          ],
        }),
      ),
    ).toEqual({ venues: ["okx"], coins: ["ETH"], symbols: [{ exchange: "bitmex", symbol: "XBTUSD" }] });
  });
});

describe("sheet names", () => {
  it("numbers a taken name, comparing case-insensitively, within Excel's 31 characters", () => {
    expect(uniqueSheetName("Funding Rates", [])).toBe("Funding Rates");
    expect(uniqueSheetName("Funding Rates", ["funding rates", "Funding Rates (2)"])).toBe(
      "Funding Rates (3)",
    );
    expect(uniqueSheetName("Hedge A/B", [])).toBe("Hedge A B");
    expect(uniqueSheetName("x".repeat(40), ["x".repeat(31)])).toBe(`${"x".repeat(27)} (2)`);
    expect(addressShape("C31:I41")).toEqual([11, 7]);
    expect(addressShape("B7")).toEqual([1, 1]);
  });
});
