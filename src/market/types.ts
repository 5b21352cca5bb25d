/** The venues, in the order the product lists them. */
export const EXCHANGES = ["bybit", "binance", "bitmex", "deribit", "okx", "kraken", "bingx", "mexc"] as const;
export type Exchange = (typeof EXCHANGES)[number];

export type ContractKind = "perpetual" | "future";

/** A normalised quote, as served by GET /api/v1/quotes (see shared spec market-api.md). */
export interface Quote {
  exchange: Exchange;
  /** The exchange's own spelling (a coin alias is resolved). */
  symbol: string;
  /** Settlement coin, e.g. "BTC". */
  coin: string;
  kind: ContractKind;
  /** USD face value of one contract. */
  contractSize: number;
  /** Fraction per funding interval; null for dated futures. */
  fundingRate: number | null;
  fundingIntervalHours: number | null;
  /** ISO 8601 UTC; null where the venue has none. */
  nextFundingTime: string | null;
  predictedFundingRate: number | null;
  markPrice: number;
  indexPrice: number;
  /** markPrice / indexPrice - 1 */
  premium: number;
  /** fundingRate x 8760 / fundingIntervalHours, or null. */
  fundingApr: number | null;
  /** ISO 8601 for dated futures, else null. */
  expiry: string | null;
  exchangeTime: string;
  fetchedAt: string;
  stale: boolean;
  source: "live" | "replay";
}

export interface ApiError {
  code: string;
  message: string;
}

/** One entry of GET /api/v1/quotes: a quote, or an error for that item only. */
export type QuoteResult = Quote | { exchange: string; symbol: string; error: ApiError };

export interface FundingPoint {
  /** ISO 8601 UTC */
  time: string;
  /** Fraction per interval. */
  fundingRate: number;
}

export interface FundingHistory {
  exchange: Exchange;
  symbol: string;
  items: FundingPoint[];
  fetchedAt: string;
  source: "live" | "replay";
}

export function isQuote(r: QuoteResult): r is Quote {
  return !("error" in r);
}
