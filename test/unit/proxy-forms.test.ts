/*
 * The proxy-hedge and portfolio forms' choices and checks (no DOM): what they offer from the server's contract
 * list, and that every bad field gives a message naming it and its rule instead of a builder input.
 */
import { describe, expect, it } from "vitest";
import { CANDLES } from "../../src/market/candles";
import {
  BUILTIN_PERPETUALS,
  MAX_HOLDINGS,
  PRICE_HISTORY_VENUES,
  hedgeContracts,
  perpetualsFrom,
  portfolioContracts,
  portfolioVenues,
  priceSources,
  proxyCoins,
  readPortfolioForm,
  readProxyForm,
  type ListedContract,
} from "../../src/taskpane/proxy-forms";

const c = (exchange: ListedContract["exchange"], symbol: string, coin: string, contractSize = 10) => ({
  exchange,
  symbol,
  coin,
  contractSize,
});

/** Shaped like GET /api/v1/contracts in replay mode (a subset), with entries the forms must leave out. */
const ANSWER = [
  { ...c("kraken", "PI_XBTUSD", "BTC", 1), kind: "perpetual", expiry: null, source: "replay" },
  { ...c("bybit", "SOLUSD", "SOL", 1), kind: "perpetual", expiry: null, source: "replay" },
  { ...c("bybit", "BTCUSD", "BTC", 1), kind: "perpetual", expiry: null, source: "replay" },
  { ...c("bybit", "BTCUSDZ26", "BTC", 1), kind: "future", expiry: "2026-12-25T08:00:00Z", source: "replay" },
  { ...c("binance", "ETHUSD_PERP", "ETH"), kind: "perpetual", expiry: null, source: "replay" },
  { ...c("okx", "SOL-USD-SWAP", "SOL"), kind: "perpetual", expiry: null, source: "replay" },
  { ...c("bingx", "DOGE-USD", "DOGE"), kind: "perpetual", expiry: null, source: "replay" },
  { ...c("bingx", "BTC-USD", "BTC", 100), kind: "perpetual", expiry: null, source: "replay" },
  { ...c("binance", "<COIN>USD_PERP", "*"), kind: "perpetual", pattern: "^x$", source: "builtin" },
  { ...c("nowhere" as "bybit", "SOLUSD", "SOL"), kind: "perpetual", source: "replay" },
  { exchange: "okx", symbol: "BAD", coin: "BAD", kind: "perpetual", contractSize: 0 },
  null,
];
const LIST = perpetualsFrom(ANSWER);

describe("what the forms offer", () => {
  it("takes the single perpetuals of the server's list, in the venues' order", () => {
    expect(LIST.map((x) => `${x.exchange}:${x.symbol}`)).toEqual([
      "bybit:SOLUSD",
      "bybit:BTCUSD",
      "binance:ETHUSD_PERP",
      "okx:SOL-USD-SWAP",
      "kraken:PI_XBTUSD",
      "bingx:DOGE-USD",
      "bingx:BTC-USD",
    ]);
    expect(perpetualsFrom({ not: "a list" })).toEqual([]);
    expect(BUILTIN_PERPETUALS.length).toBeGreaterThan(20);
    expect(BUILTIN_PERPETUALS.every((x) => !x.symbol.includes("<"))).toBe(true);
  });

  it("offers as price sources exactly the venues that serve daily history", () => {
    expect([...PRICE_HISTORY_VENUES].sort()).toEqual(Object.keys(CANDLES).sort());
    // DOGE is listed only where no history is kept: no proxy sheet can be built for it.
    expect(proxyCoins(LIST)).toEqual(["SOL", "ETH", "BTC"]);
    expect(priceSources(LIST, "SOL").map((x) => x.exchange)).toEqual(["bybit", "okx"]);
    expect(hedgeContracts(LIST).map((x) => x.symbol)).toEqual(["BTCUSD", "PI_XBTUSD", "ETHUSD_PERP"]);
  });

  it("offers a portfolio row its own coin's contract (direct) before BTC and ETH (proxy)", () => {
    expect(portfolioVenues(LIST, "SOL")).toEqual(["bybit", "okx", "binance", "kraken", "bingx"]);
    expect(portfolioContracts(LIST, "SOL", "bybit").map((x) => [x.contract.symbol, x.hedge])).toEqual([
      ["SOLUSD", "direct"],
      ["BTCUSD", "proxy"],
    ]);
    expect(portfolioContracts(LIST, "BTC", "bybit").map((x) => [x.contract.symbol, x.hedge])).toEqual([
      ["BTCUSD", "direct"],
    ]);
  });
});

describe("the proxy form's checks", () => {
  const fields = {
    coin: "SOL",
    quantity: "250",
    source: "okx:SOL-USD-SWAP",
    hedge: "kraken:PI_XBTUSD",
    days: "90",
  };

  it("reads a good form into the proxy sheet's input", () => {
    expect(readProxyForm(fields, LIST)).toEqual({
      coin: "SOL",
      quantity: 250,
      coinExchange: "okx",
      coinSymbol: "SOL-USD-SWAP",
      hedgeExchange: "kraken",
      hedgeSymbol: "PI_XBTUSD",
      hedgeCoin: "BTC",
      days: 90,
    });
  });

  it.each([
    [{ coin: "" }, "Coin held: pick a coin."],
    [{ quantity: "0" }, "Quantity held must be a number greater than 0."],
    [{ quantity: "" }, "Quantity held must be a number greater than 0."],
    [{ quantity: "-3" }, "Quantity held must be a number greater than 0."],
    [{ quantity: "abc" }, "Quantity held must be a number greater than 0."],
    [{ source: "bingx:DOGE-USD" }, "Price history from: pick a venue that lists SOL."],
    [{ source: "bybit:BTCUSD" }, "Price history from: pick a venue that lists SOL."],
    [{ hedge: "bingx:BTC-USD" }, "Hedge contract: pick a BTC or ETH inverse perpetual."],
    [{ hedge: "" }, "Hedge contract: pick a BTC or ETH inverse perpetual."],
    [
      { coin: "BTC", source: "bybit:BTCUSD", hedge: "kraken:PI_XBTUSD" },
      "Hedge contract must be another coin's than BTC: a BTC contract is a direct hedge (use the hedge worksheet).",
    ],
    [{ days: "2" }, "Days of history must be a whole number from 3 to 365."],
    [{ days: "366" }, "Days of history must be a whole number from 3 to 365."],
    [{ days: "30.5" }, "Days of history must be a whole number from 3 to 365."],
    [{ days: "" }, "Days of history must be a whole number from 3 to 365."],
  ])("%o is refused: %s", (change, message) => {
    expect(readProxyForm({ ...fields, ...change }, LIST)).toBe(message);
  });
});

describe("the portfolio form's checks", () => {
  const rows = [
    { coin: "BTC", quantity: "1.5", ratioPercent: "50", contract: "bybit:BTCUSD" },
    { coin: "SOL", quantity: "400", ratioPercent: "130", contract: "kraken:PI_XBTUSD" },
    { coin: "SOL", quantity: "10", ratioPercent: "100", contract: "okx:SOL-USD-SWAP" },
  ];

  it("reads direct and proxy rows; a proxy's price comes from a venue listing the coin", () => {
    expect(readPortfolioForm(rows, LIST)).toEqual([
      {
        coin: "BTC",
        quantity: 1.5,
        hedge: "direct",
        hedgeRatio: 0.5,
        exchange: "bybit",
        symbol: "BTCUSD",
        priceExchange: "bybit",
        priceSymbol: "BTCUSD",
      },
      {
        coin: "SOL",
        quantity: 400,
        hedge: "proxy",
        hedgeRatio: 1.3,
        exchange: "kraken",
        symbol: "PI_XBTUSD",
        // Kraken lists no SOL: the first venue that does.
        priceExchange: "bybit",
        priceSymbol: "SOLUSD",
      },
      {
        coin: "SOL",
        quantity: 10,
        hedge: "direct",
        hedgeRatio: 1,
        exchange: "okx",
        symbol: "SOL-USD-SWAP",
        priceExchange: "okx",
        priceSymbol: "SOL-USD-SWAP",
      },
    ]);
  });

  it.each([
    [1, { quantity: "0" }, "Holding 2 (SOL): quantity must be a number greater than 0."],
    [1, { quantity: "" }, "Holding 2 (SOL): quantity must be a number greater than 0."],
    [2, { ratioPercent: "-1" }, "Holding 3 (SOL): hedge ratio must be a percentage from 0 to 1000."],
    [2, { ratioPercent: "1001" }, "Holding 3 (SOL): hedge ratio must be a percentage from 0 to 1000."],
    [0, { coin: "" }, "Holding 1: pick a coin."],
    [
      0,
      { contract: "okx:SOL-USD-SWAP" },
      "Holding 1 (BTC): pick a contract (the coin's own, or BTC or ETH as a proxy).",
    ],
    [
      1,
      { contract: "bingx:DOGE-USD" },
      "Holding 2 (SOL): pick a contract (the coin's own, or BTC or ETH as a proxy).",
    ],
  ])("row %i with %o is refused: %s", (i, change, message) => {
    const changed = rows.map((r, j) => (j === i ? { ...r, ...change } : r));
    expect(readPortfolioForm(changed, LIST)).toBe(message);
  });

  it("needs one holding and takes at most MAX_HOLDINGS", () => {
    expect(readPortfolioForm([], LIST)).toBe("Add at least one holding.");
    const many = Array.from({ length: MAX_HOLDINGS + 1 }, () => rows[0]);
    expect(readPortfolioForm(many, LIST)).toBe(
      `A portfolio sheet takes at most ${MAX_HOLDINGS} holdings from the form.`,
    );
    expect(readPortfolioForm(many.slice(1), LIST)).toHaveLength(MAX_HOLDINGS);
  });
});
