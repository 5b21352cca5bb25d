import { CONTRACTS, findContract, quickCheck } from "../market/contracts";
import { EXCHANGES, type Exchange } from "../market/types";
import type { QuoteItem } from "../live/client";

/** What the live-rates table shows: venues x coins (each venue's inverse perpetual), plus extra symbols. */
export interface RatesSelection {
  venues: Exchange[];
  coins: string[];
  /** Specific contracts added by hand, e.g. a dated future. */
  symbols: QuoteItem[];
}

/** The API takes at most this many items in one request, and a refresh is one request. */
export const MAX_ITEMS = 50;

/** Every venue, BTC and ETH perpetuals. */
export const DEFAULT_SELECTION: RatesSelection = {
  venues: [...EXCHANGES],
  coins: ["BTC", "ETH"],
  symbols: [],
};

/** Coins some venue lists an inverse perpetual for, in the contract table's order. */
export const PERPETUAL_COINS: readonly string[] = [
  ...new Set(CONTRACTS.filter((c) => c.kind === "perpetual" && c.coin !== "*").map((c) => c.coin)),
];

const isExchange = (v: unknown): v is Exchange => EXCHANGES.includes(v as Exchange);

/** Reads a stored selection, dropping anything that is not (or no longer) valid; never throws. */
export function parseSelection(raw: unknown): RatesSelection {
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch {
      return DEFAULT_SELECTION;
    }
  }
  if (!raw || typeof raw !== "object") return DEFAULT_SELECTION;
  const r = raw as Record<string, unknown>;
  const venues = Array.isArray(r.venues) ? r.venues.filter(isExchange) : DEFAULT_SELECTION.venues;
  const coins = Array.isArray(r.coins)
    ? r.coins.filter((c): c is string => typeof c === "string" && PERPETUAL_COINS.includes(c))
    : DEFAULT_SELECTION.coins;
  const symbols = Array.isArray(r.symbols)
    ? r.symbols.flatMap((s: unknown) => {
        const item = s as Partial<QuoteItem> | null;
        if (!item || !isExchange(item.exchange) || typeof item.symbol !== "string") return [];
        const found = quickCheck(item.exchange, item.symbol);
        return found.ok ? [{ exchange: item.exchange, symbol: found.symbol }] : [];
      })
    : [];
  return { venues, coins, symbols };
}

/** The API items a selection asks for, resolved to each venue's own symbol, deduplicated, in venue order. */
export function selectionItems(selection: RatesSelection): { items: QuoteItem[]; truncated: boolean } {
  const seen = new Set<string>();
  const all: QuoteItem[] = [];
  const push = (exchange: Exchange, symbol: string) => {
    const key = `${exchange}:${symbol}`;
    if (seen.has(key)) return;
    seen.add(key);
    all.push({ exchange, symbol });
  };
  for (const venue of EXCHANGES.filter((e) => selection.venues.includes(e))) {
    for (const coin of selection.coins) {
      // A venue without a perpetual for the coin (BitMEX lists no inverse ETH) simply has no row.
      const found = findContract(venue, coin);
      if (found.ok && found.contract.kind === "perpetual" && found.contract.coin === coin) {
        push(venue, found.contract.symbol);
      }
    }
    for (const s of selection.symbols) if (s.exchange === venue) push(venue, s.symbol);
  }
  return { items: all.slice(0, MAX_ITEMS), truncated: all.length > MAX_ITEMS };
}
