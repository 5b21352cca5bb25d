/*
 * The Excel boundary: every HEDGE.* custom function. Each function's JSDoc is its metadata
 * (custom-functions-metadata-plugin turns it into functions.json and registers the function),
 * and each body is one call: arguments -> rules -> core.
 *
 * This module must load with nothing but CustomFunctions, timers, fetch, console and location
 * defined: no DOM or Office access at import time.
 */
import { fundingHistoryTable, streamQuoteField } from "./live";

// ---------------------------------------------------------------------------------------------
// Calculation functions (sizing, inverse, funding, basis, analytics, contracts)
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Live market data
// ---------------------------------------------------------------------------------------------

/**
 * Streams the current funding rate of an inverse contract (fraction per funding interval; positive means longs pay shorts).
 * @customfunction FUNDING.RATE
 * @helpurl https://localhost:3000/help/functions.html#funding-rate
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx or kraken.
 * @param symbol The venue's symbol (BTCUSD, BTCUSD_PERP, XBTUSD, BTC-PERPETUAL, BTC-USD-SWAP, PI_XBTUSD) or a coin (BTC, ETH) for its inverse perpetual.
 * @param invocation Streaming invocation parameter.
 */
export function fundingRate(
  exchange: string,
  symbol: string,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamQuoteField(exchange, symbol, "funding_rate", invocation);
}

/**
 * Streams one field of the live quote of an inverse contract.
 * @customfunction MARKET
 * @helpurl https://localhost:3000/help/functions.html#market
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx or kraken.
 * @param symbol The venue's symbol or a coin (BTC, ETH) for its inverse perpetual.
 * @param [field] mark_price (default), index_price, funding_rate, funding_interval_hours, next_funding_time, predicted_funding_rate, premium, funding_apr, contract_size or updated. Times are Excel serial dates (UTC).
 * @param invocation Streaming invocation parameter.
 */
export function market(
  exchange: string,
  symbol: string,
  field: string | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamQuoteField(exchange, symbol, field, invocation);
}

/**
 * Funding-rate history of an inverse perpetual as a spilled table (time as Excel serial date in UTC, rate as fraction per interval), oldest first.
 * @customfunction FUNDING.HISTORY
 * @helpurl https://localhost:3000/help/functions.html#funding-history
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx or kraken.
 * @param symbol The venue's symbol or a coin (BTC, ETH) for its inverse perpetual.
 * @param [days] How many days back, 1 to 365 (default 30).
 * @param [headers] TRUE (default) to put a header row time, funding_rate above the data.
 * @returns A table of time and funding_rate.
 */
export async function fundingHistory(
  exchange: string,
  symbol: string,
  days?: number | null,
  headers?: boolean | null,
): Promise<any[][]> {
  return fundingHistoryTable(exchange, symbol, days, headers);
}
