/* What GET /api/v1/price-history serves, without the parsers: the function bundle imports this, not candles.ts. */
import type { Exchange } from "./types";

export const PRICE_KINDS = ["mark", "index", "last"] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

/** GET /api/v1/price-history's answer. */
export interface PriceHistory {
  exchange: Exchange;
  symbol: string;
  /** The kind served: the one asked, or the one the venue has when it lacks that one. */
  price: PriceKind;
  items: { time: string; close: number }[];
  fetchedAt: string;
  source: "live" | "replay";
}
