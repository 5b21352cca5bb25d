import type { Quote } from "../../src/market/types";

/** A sound perpetual quote for tests and benchmarks: 0.01 % per 8 h, mark = index unless overridden. */
export function makeQuote(
  exchange: string,
  symbol: string,
  markPrice: number,
  extra: Partial<Quote> = {},
): Quote {
  return {
    exchange: exchange as Quote["exchange"],
    symbol,
    coin: symbol.startsWith("ETH") ? "ETH" : "BTC",
    kind: "perpetual",
    contractSize: 1,
    fundingRate: 0.0001,
    fundingIntervalHours: 8,
    nextFundingTime: null,
    predictedFundingRate: null,
    markPrice,
    indexPrice: markPrice,
    premium: 0,
    fundingApr: 0.1095,
    expiry: null,
    exchangeTime: "2025-01-01T00:00:00.000Z",
    fetchedAt: "2025-01-01T00:00:00.000Z",
    stale: false,
    source: "replay",
    ...extra,
  };
}
