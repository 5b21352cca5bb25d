/*
 * What the proxy-hedge and portfolio forms offer and how they read, without any DOM: the contracts the server
 * lists (GET /api/v1/contracts, or the built-in table when it cannot be asked), and the checks that turn the
 * fields into a builder's input or a message naming the field and the rule. Nothing is written on a message.
 */
import { CONTRACTS } from "../market/contracts";
import { EXCHANGES, type Exchange } from "../market/types";
import type { ProxySheetInput, Holding } from "./proxy-plan";
import { VENUE_NAMES } from "./rates-view";

/** One perpetual the forms can offer. */
export interface ListedContract {
  exchange: Exchange;
  symbol: string;
  coin: string;
  contractSize: number;
}

/**
 * Venues that serve daily price history (GET /api/v1/price-history; the others answer that they keep none).
 * Both legs of a proxy sheet are HEDGE.PRICE.HISTORY, so only these are offered there.
 */
export const PRICE_HISTORY_VENUES: readonly Exchange[] = [
  "bybit",
  "binance",
  "bitmex",
  "deribit",
  "okx",
  "kraken",
];

/** The coins a proxy hedge shorts: the deep BTC and ETH inverse perpetuals. */
export const HEDGE_COINS: readonly string[] = ["BTC", "ETH"];

/** Days of history a proxy sheet may ask for: HEDGE.RATIO needs 3 prices; the API serves at most 365 days. */
export const MIN_DAYS = 3;
export const MAX_DAYS = 365;

/** Holdings one portfolio sheet takes from the form (its totals run to row 200; room is left for more by hand). */
export const MAX_HOLDINGS = 50;

const isExchange = (v: unknown): v is Exchange => EXCHANGES.includes(v as Exchange);

/**
 * The single perpetuals of a GET /api/v1/contracts answer (families of the built-in table, dated futures and
 * anything malformed are left out), in the venues' order.
 */
export function perpetualsFrom(entries: unknown): ListedContract[] {
  if (!Array.isArray(entries)) return [];
  const out: ListedContract[] = [];
  for (const e of entries as Record<string, unknown>[]) {
    if (!e || typeof e !== "object") continue;
    const { exchange, symbol, coin, kind, contractSize, pattern } = e;
    if (kind !== "perpetual" || pattern !== undefined || !isExchange(exchange)) continue;
    if (typeof symbol !== "string" || typeof coin !== "string" || !/^[A-Z0-9]{1,10}$/.test(coin)) continue;
    if (typeof contractSize !== "number" || !(contractSize > 0)) continue;
    if (out.some((c) => c.exchange === exchange && c.symbol === symbol)) continue;
    out.push({ exchange, symbol, coin, contractSize });
  }
  return out.sort((a, b) => EXCHANGES.indexOf(a.exchange) - EXCHANGES.indexOf(b.exchange));
}

/** The built-in table's single perpetuals: what the forms offer when the server's list cannot be had. */
export const BUILTIN_PERPETUALS: readonly ListedContract[] = perpetualsFrom(
  CONTRACTS.filter((c) => !c.pattern && c.kind === "perpetual"),
);

/** The value a contract has in a <select>: `exchange:symbol`. */
export const contractValue = (c: { exchange: string; symbol: string }) => `${c.exchange}:${c.symbol}`;

/** How a contract reads in a list: `Bybit SOLUSD`. */
export const contractLabel = (c: ListedContract) => `${VENUE_NAMES[c.exchange]} ${c.symbol}`;

/** Coins in first-listed order, with `last` moved to the end. */
function coinsOf(list: readonly ListedContract[], last: readonly string[] = []): string[] {
  const all = [...new Set(list.map((c) => c.coin))];
  return [...all.filter((c) => !last.includes(c)), ...last.filter((c) => all.includes(c))];
}

/** Coins a proxy sheet can be built for: any coin some history venue lists, altcoins first. */
export function proxyCoins(list: readonly ListedContract[]): string[] {
  return coinsOf(
    list.filter((c) => PRICE_HISTORY_VENUES.includes(c.exchange)),
    ["ETH", "BTC"],
  );
}

/** Where a coin's daily prices can come from: its perpetual on each history venue. */
export function priceSources(list: readonly ListedContract[], coin: string): ListedContract[] {
  return list.filter((c) => c.coin === coin && PRICE_HISTORY_VENUES.includes(c.exchange));
}

/** The contracts a proxy hedge may short: BTC or ETH perpetuals on history venues, BTC first. */
export function hedgeContracts(list: readonly ListedContract[]): ListedContract[] {
  return HEDGE_COINS.flatMap((coin) => priceSources(list, coin));
}

/** Coins a portfolio row can hold: any coin a venue lists a perpetual for (its price comes from there). */
export function portfolioCoins(list: readonly ListedContract[]): string[] {
  return coinsOf(list);
}

/** Venues a portfolio row can hedge on: those listing the coin's own perpetual first, then those with BTC or ETH. */
export function portfolioVenues(list: readonly ListedContract[], coin: string): Exchange[] {
  const direct = EXCHANGES.filter((ex) => list.some((c) => c.exchange === ex && c.coin === coin));
  const proxy = EXCHANGES.filter(
    (ex) => !direct.includes(ex) && list.some((c) => c.exchange === ex && HEDGE_COINS.includes(c.coin)),
  );
  return [...direct, ...proxy];
}

/** The contracts a portfolio row can short on a venue: the coin's own (direct), then BTC and ETH (proxy). */
export function portfolioContracts(
  list: readonly ListedContract[],
  coin: string,
  exchange: string,
): { contract: ListedContract; hedge: Holding["hedge"] }[] {
  const on = list.filter((c) => c.exchange === exchange);
  return [
    ...on.filter((c) => c.coin === coin).map((contract) => ({ contract, hedge: "direct" as const })),
    ...HEDGE_COINS.filter((h) => h !== coin).flatMap((h) =>
      on.filter((c) => c.coin === h).map((contract) => ({ contract, hedge: "proxy" as const })),
    ),
  ];
}

/** Where a portfolio row's coin price comes from: its perpetual on the hedge venue, else the first venue listing it. */
export function priceSourceFor(
  list: readonly ListedContract[],
  coin: string,
  exchange: string,
): ListedContract | undefined {
  const own = list.filter((c) => c.coin === coin);
  return own.find((c) => c.exchange === exchange) ?? own[0];
}

const find = (list: readonly ListedContract[], value: string) => list.find((c) => contractValue(c) === value);

/** A number typed into a field: "" and text that is not a number are NaN. */
const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** Reads and checks the proxy form; a message naming the field and the rule when something is wrong. */
export function readProxyForm(
  fields: { coin: string; quantity: string; source: string; hedge: string; days: string },
  list: readonly ListedContract[],
): ProxySheetInput | string {
  if (!fields.coin) return "Coin held: pick a coin.";
  const quantity = numberOf(fields.quantity);
  if (!Number.isFinite(quantity) || quantity <= 0) return "Quantity held must be a number greater than 0.";
  const source = find(priceSources(list, fields.coin), fields.source);
  if (!source) return `Price history from: pick a venue that lists ${fields.coin}.`;
  const hedge = find(hedgeContracts(list), fields.hedge);
  if (!hedge) return "Hedge contract: pick a BTC or ETH inverse perpetual.";
  if (hedge.coin === fields.coin) {
    return `Hedge contract must be another coin's than ${fields.coin}: a ${fields.coin} contract is a direct hedge (use the hedge worksheet).`;
  }
  const days = numberOf(fields.days);
  if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
    return `Days of history must be a whole number from ${MIN_DAYS} to ${MAX_DAYS}.`;
  }
  return {
    coin: fields.coin,
    quantity,
    coinExchange: source.exchange,
    coinSymbol: source.symbol,
    hedgeExchange: hedge.exchange,
    hedgeSymbol: hedge.symbol,
    hedgeCoin: hedge.coin,
    days,
  };
}

/** One portfolio row as typed: the contract as `exchange:symbol`. */
export interface HoldingFields {
  coin: string;
  quantity: string;
  ratioPercent: string;
  contract: string;
}

/** Reads and checks the portfolio rows; a message naming the holding, the field and the rule on the first fault. */
export function readPortfolioForm(
  rows: readonly HoldingFields[],
  list: readonly ListedContract[],
): Holding[] | string {
  if (rows.length === 0) return "Add at least one holding.";
  if (rows.length > MAX_HOLDINGS)
    return `A portfolio sheet takes at most ${MAX_HOLDINGS} holdings from the form.`;
  const holdings: Holding[] = [];
  for (const [i, row] of rows.entries()) {
    const name = `Holding ${i + 1}${row.coin ? ` (${row.coin})` : ""}`;
    if (!row.coin) return `${name}: pick a coin.`;
    const quantity = numberOf(row.quantity);
    if (!Number.isFinite(quantity) || quantity <= 0)
      return `${name}: quantity must be a number greater than 0.`;
    const ratio = numberOf(row.ratioPercent);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1000) {
      return `${name}: hedge ratio must be a percentage from 0 to 1000.`;
    }
    const [exchange = ""] = row.contract.split(":");
    const choice = portfolioContracts(list, row.coin, exchange).find(
      (c) => contractValue(c.contract) === row.contract,
    );
    if (!choice) return `${name}: pick a contract (the coin's own, or BTC or ETH as a proxy).`;
    const price = priceSourceFor(list, row.coin, exchange);
    if (!price) return `${name}: no venue lists a price for ${row.coin}.`;
    holdings.push({
      coin: row.coin,
      quantity,
      hedge: choice.hedge,
      hedgeRatio: ratio / 100,
      exchange: choice.contract.exchange,
      symbol: choice.contract.symbol,
      priceExchange: price.exchange,
      priceSymbol: price.symbol,
    });
  }
  return holdings;
}
