/*
 * The Excel boundary: every HEDGE.* custom function. Each function's JSDoc is its metadata
 * (custom-functions-metadata-plugin turns it into functions.json and registers the function),
 * and each body is one call: arguments -> rules -> core.
 *
 * This module must load with nothing but CustomFunctions, timers, fetch, console and location
 * defined: no DOM or Office access at import time.
 */
import * as core from "../core/certified";
import { InvalidArgument, NotApplicable } from "../core/errors";
import { exactSerialFromEpochMs } from "../core/exact-dates";
import type { AprMethod } from "../core/funding";
import type { Rounding } from "../core/sizing";
import { findContract, isWellFormedSymbol } from "../market/contracts";
import type { Exchange } from "../market/types";
import { streamFuturesCurve } from "./curve";
import { streamFundingEarned, streamFundingStats, streamPriceHistory } from "./history";
import { streamFundingHistory, streamQuoteField } from "./live";
import {
  cells,
  dateRule,
  exchangeRule,
  number,
  numbers,
  oneOf,
  optional,
  pairUp,
  sideRule,
  textRule,
} from "./params";
import { excelNumber, excelTable, toExcelError } from "./runner";

// ---------------------------------------------------------------------------------------------
// Calculation functions (sizing, inverse, funding, basis, analytics, contracts)
// ---------------------------------------------------------------------------------------------

/** Highest leverage accepted: above the venues' maximum (125x), so only typos are refused. */
const MAX_LEVERAGE = 1000;
/** Highest hedge ratio accepted: catches a percentage typed where a fraction belongs (50 for 0.5). */
const MAX_HEDGE_RATIO = 10;

/** Most moves HEDGE.SCENARIO takes: 10,000 rows of about 99 bytes stay well inside Excel's 5 MB result limit. */
export const MAX_SCENARIO_MOVES = 10_000;

/** Face value of one contract from the built-in table; an unknown or linear contract has none (#N/A). */
function contractSize(exchange: Exchange, symbol: string): number {
  if (!isWellFormedSymbol(symbol)) {
    throw new InvalidArgument("symbol", "must be 1 to 40 letters, digits, _ . or -");
  }
  const found = findContract(exchange, symbol);
  if (!found.ok) throw new NotApplicable(found.message);
  return found.contract.contractSize;
}

// Each parameter's rule, declared once and shared by every function that takes it.
const priceArg = number("price", { gt: 0 });
const entryPriceArg = number("entry_price", { gt: 0 });
const exitPriceArg = number("exit_price", { gt: 0 });
const markPriceArg = number("mark_price", { gt: 0 });
const spotPriceArg = number("spot_price", { gt: 0 });
const futuresPriceArg = number("futures_price", { gt: 0 });
const quantityArg = number("quantity", { ge: 0 });
const notionalArg = number("notional", { gt: 0 });
const sideArg = sideRule("side");
const leverageArg = number("leverage", { gt: 0, le: MAX_LEVERAGE });
const fundingRateArg = number("funding_rate", { gt: -1, lt: 1 });
const aprMethodArg = oneOf<AprMethod>("method", ["simple", "compound"], "simple");
const hedgeRatioArg = number("hedge_ratio", { ge: 0, le: MAX_HEDGE_RATIO }, 1);
const contractSizeArg = number("contract_size", { gt: 0 });
const roundingArg = oneOf<Rounding>("rounding", ["nearest", "down", "up"], "nearest");
const maintMarginRateArg = number("maint_margin_rate", { ge: 0, lt: 1 }, 0.005);
const extraMarginArg = number("extra_margin", { ge: 0 }, 0);
const intervalHoursArg = number("interval_hours", { gt: 0, le: 8760 }, 8);
const expiryArg = dateRule("expiry");
const asOfArg = optional(dateRule("as_of"));
const effectivenessRatioArg = optional(number("hedge_ratio"));
const symbolArg = textRule("symbol");
const scenarioSideArg = sideRule("side", -1);
const priceChangesArg = numbers(
  "price_changes",
  { gt: -1 },
  {
    max: MAX_SCENARIO_MOVES,
    rule: "must hold at most 10,000 moves (a larger table would pass Excel's 5 MB result limit)",
  },
);
// Paired ranges are read by position, so a blank drops its pair instead of shifting the rest.
const spotPricesArg = cells("spot_prices", { gt: 0 });
const futuresPricesArg = cells("futures_prices", { gt: 0 });
const notionalsArg = cells("notionals", { gt: 0 });
const pricesArg = cells("prices", { gt: 0 });

// Every calculation function below is one call, arguments -> rules -> core, inside the same try/catch:
// written out per function (not built by a shared wrapper) so that each call site sees one rule and one core
// function and V8 inlines them; a shared wrapper's call sites see every function and inline none.

/**
 * USD value of a spot holding to hedge: quantity x price x hedge ratio.
 * @customfunction NOTIONAL
 * @helpurl https://localhost:3000/help/functions.html#notional
 * @param quantity Coins held (spot), 0 or more.
 * @param price Price in USD per coin, greater than 0.
 * @param [hedge_ratio] Share of the holding to hedge as a fraction, 0 to 10 (default 1 = all of it; 0.5 = half).
 * @returns Notional in USD.
 */
export function notional(quantity: number, price: number, hedge_ratio?: number): number {
  try {
    return excelNumber(
      core.notional(quantityArg.coerce(quantity), priceArg.coerce(price), hedgeRatioArg.coerce(hedge_ratio)),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Coin-equivalent size of a USD notional at a price: notional / price.
 * @customfunction SIZE
 * @helpurl https://localhost:3000/help/functions.html#size
 * @param notional USD face value, greater than 0.
 * @param price Price in USD per coin (usually the futures price), greater than 0.
 * @returns Size in coin (BTC for BTC contracts).
 */
export function size(notional: number, price: number): number {
  try {
    return excelNumber(core.size(notionalArg.coerce(notional), priceArg.coerce(price)));
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Number of inverse contracts for a USD notional: notional / contract size, rounded to a whole number.
 * @customfunction CONTRACTS
 * @helpurl https://localhost:3000/help/functions.html#contracts
 * @param notional USD face value to trade, greater than 0.
 * @param contract_size USD face value of one contract (see HEDGE.CONTRACT.SIZE), greater than 0.
 * @param [rounding] "nearest" (default, halves away from zero), "down" or "up".
 * @returns Whole number of contracts.
 */
export function contracts(notional: number, contract_size: number, rounding?: string): number {
  try {
    return excelNumber(
      core.contracts(
        notionalArg.coerce(notional),
        contractSizeArg.coerce(contract_size),
        roundingArg.coerce(rounding),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Profit or loss of an inverse (coin-margined) position, in coin: side x notional x (1/entry - 1/exit).
 * @customfunction INVERSE.PNL
 * @helpurl https://localhost:3000/help/functions.html#inverse-pnl
 * @param notional USD face value of the position (contracts x contract size), greater than 0.
 * @param entry_price Entry price in USD, greater than 0.
 * @param exit_price Exit (or current mark) price in USD, greater than 0.
 * @param side "long" or "short" (also "buy"/"sell", or 1/-1).
 * @returns Profit in coin (negative for a loss).
 */
export function inversePnl(
  notional: number,
  entry_price: number,
  exit_price: number,
  side: string | number,
): number {
  try {
    return excelNumber(
      core.pnl(
        notionalArg.coerce(notional),
        entryPriceArg.coerce(entry_price),
        exitPriceArg.coerce(exit_price),
        sideArg.coerce(side),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Profit or loss of an inverse position in USD: the coin profit valued at the exit price.
 * @customfunction INVERSE.PNLUSD
 * @helpurl https://localhost:3000/help/functions.html#inverse-pnlusd
 * @param notional USD face value of the position, greater than 0.
 * @param entry_price Entry price in USD, greater than 0.
 * @param exit_price Exit (or current mark) price in USD, greater than 0.
 * @param side "long" or "short" (also "buy"/"sell", or 1/-1).
 * @returns Profit in USD (negative for a loss).
 */
export function inversePnlUsd(
  notional: number,
  entry_price: number,
  exit_price: number,
  side: string | number,
): number {
  try {
    return excelNumber(
      core.pnlUsd(
        notionalArg.coerce(notional),
        entryPriceArg.coerce(entry_price),
        exitPriceArg.coerce(exit_price),
        sideArg.coerce(side),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Return on initial margin of an inverse position: side x (1 - entry/exit) x leverage.
 * @customfunction INVERSE.ROE
 * @helpurl https://localhost:3000/help/functions.html#inverse-roe
 * @param entry_price Entry price in USD, greater than 0.
 * @param exit_price Exit (or current mark) price in USD, greater than 0.
 * @param side "long" or "short" (also "buy"/"sell", or 1/-1).
 * @param leverage Leverage, greater than 0 and at most 1000 (below 1 means over-collateralised).
 * @returns Return as a fraction (0.25 = 25 %).
 */
export function inverseRoe(
  entry_price: number,
  exit_price: number,
  side: string | number,
  leverage: number,
): number {
  try {
    return excelNumber(
      core.roe(
        entryPriceArg.coerce(entry_price),
        exitPriceArg.coerce(exit_price),
        sideArg.coerce(side),
        leverageArg.coerce(leverage),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Initial margin of an inverse position, in coin: notional / (entry_price x leverage).
 * @customfunction INVERSE.MARGIN
 * @helpurl https://localhost:3000/help/functions.html#inverse-margin
 * @param notional USD face value of the position, greater than 0.
 * @param entry_price Entry price in USD, greater than 0.
 * @param leverage Leverage, greater than 0 and at most 1000.
 * @returns Initial margin in coin.
 */
export function inverseMargin(notional: number, entry_price: number, leverage: number): number {
  try {
    return excelNumber(
      core.margin(
        notionalArg.coerce(notional),
        entryPriceArg.coerce(entry_price),
        leverageArg.coerce(leverage),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Isolated-margin liquidation price of an inverse position; #N/A if there is none (unliquidatable short, liquidated on opening).
 * @customfunction INVERSE.LIQPRICE
 * @helpurl https://localhost:3000/help/functions.html#inverse-liqprice
 * @param notional USD face value of the position, greater than 0.
 * @param entry_price Entry price in USD, greater than 0.
 * @param side "long" or "short" (also "buy"/"sell", or 1/-1).
 * @param leverage Leverage, greater than 0 and at most 1000; the collateral is notional / (entry x leverage).
 * @param [maint_margin_rate] Maintenance margin rate as a fraction, 0 or more and below 1 (default 0.005 = 0.5 %; 0 gives the bankruptcy price).
 * @param [extra_margin] Coin added to the position's margin, 0 or more (default 0).
 * @returns Liquidation price in USD.
 */
export function inverseLiqPrice(
  notional: number,
  entry_price: number,
  side: string | number,
  leverage: number,
  maint_margin_rate?: number,
  extra_margin?: number,
): number {
  try {
    return excelNumber(
      core.liquidationPrice(
        notionalArg.coerce(notional),
        entryPriceArg.coerce(entry_price),
        sideArg.coerce(side),
        leverageArg.coerce(leverage),
        maintMarginRateArg.coerce(maint_margin_rate),
        extraMarginArg.coerce(extra_margin),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Average entry price of several fills of an inverse position: total notional / total coin value.
 * @customfunction INVERSE.AVGENTRY
 * @helpurl https://localhost:3000/help/functions.html#inverse-avgentry
 * @param notionals Range of the fills' USD notionals, each greater than 0 (a row with a blank cell is skipped).
 * @param prices Range of the fills' prices in USD, each greater than 0, as many as notionals.
 * @returns Average entry price in USD.
 */
export function inverseAvgEntry(notionals: unknown[][], prices: unknown[][]): number {
  try {
    return excelNumber(
      core.averageEntry(...pairUp(notionalsArg.coerce(notionals), pricesArg.coerce(prices))),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Funding for one interval on an inverse position, in coin; positive when received (a positive rate: longs pay shorts).
 * @customfunction FUNDING.PAYMENT
 * @helpurl https://localhost:3000/help/functions.html#funding-payment
 * @param notional USD face value of the position, greater than 0.
 * @param mark_price Mark price in USD at the funding time, greater than 0.
 * @param funding_rate Funding rate for the interval as a fraction (0.0001 = 0.01 %), between -1 and 1.
 * @param side "long" or "short" (also "buy"/"sell", or 1/-1).
 * @returns Funding in coin, positive = received.
 */
export function fundingPayment(
  notional: number,
  mark_price: number,
  funding_rate: number,
  side: string | number,
): number {
  try {
    return excelNumber(
      core.fundingPayment(
        notionalArg.coerce(notional),
        markPriceArg.coerce(mark_price),
        fundingRateArg.coerce(funding_rate),
        sideArg.coerce(side),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Annualised funding rate, simple (rate x periods per year) or compounded.
 * @customfunction FUNDING.APR
 * @helpurl https://localhost:3000/help/functions.html#funding-apr
 * @param funding_rate Funding rate per interval as a fraction (0.0001 = 0.01 %), between -1 and 1.
 * @param [interval_hours] Hours between fundings, above 0 and at most 8760 (default 8).
 * @param [method] "simple" (default) or "compound".
 * @returns Annual rate as a fraction (0.1095 = 10.95 %).
 */
export function fundingApr(funding_rate: number, interval_hours?: number, method?: string): number {
  try {
    return excelNumber(
      core.fundingApr(
        fundingRateArg.coerce(funding_rate),
        intervalHoursArg.coerce(interval_hours),
        aprMethodArg.coerce(method),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Basis of a future over spot: premium (+) or discount (-) as a fraction, futures / spot - 1.
 * @customfunction BASIS
 * @helpurl https://localhost:3000/help/functions.html#basis
 * @param futures_price Futures price in USD, greater than 0.
 * @param spot_price Spot (or index) price in USD, greater than 0.
 * @returns Basis as a fraction (0.01 = 1 % premium).
 */
export function basisOf(futures_price: number, spot_price: number): number {
  try {
    return excelNumber(core.basis(futuresPriceArg.coerce(futures_price), spotPriceArg.coerce(spot_price)));
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Annualised basis of a dated future to its expiry, simple or compounded.
 * @customfunction BASIS.APR
 * @helpurl https://localhost:3000/help/functions.html#basis-apr
 * @param futures_price Futures price in USD, greater than 0.
 * @param spot_price Spot (or index) price in USD, greater than 0.
 * @param expiry Expiry as an Excel date (UTC) or ISO 8601 text; must be after as_of.
 * @param [as_of] Valuation time as an Excel date (UTC) or ISO 8601 text (default now).
 * @param [method] "simple" (default) or "compound".
 * @returns Annual rate as a fraction.
 * @volatile
 */
export function basisApr(
  futures_price: number,
  spot_price: number,
  expiry: number | string,
  as_of?: number | string,
  method?: string,
): number {
  try {
    const f = futuresPriceArg.coerce(futures_price);
    const s = spotPriceArg.coerce(spot_price);
    const end = expiryArg.coerce(expiry);
    const start = asOfArg.coerce(as_of);
    const how = aprMethodArg.coerce(method);
    return excelNumber(core.basisApr(f, s, end, start ?? exactSerialFromEpochMs(Date.now()), how));
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Minimum-variance hedge ratio of spot against futures from two price series: Cov(spot, futures) / Var(futures) of simple returns.
 * @customfunction RATIO
 * @helpurl https://localhost:3000/help/functions.html#ratio
 * @param spot_prices Range of spot prices in USD, oldest first, at least 3 (a row with a blank cell is skipped).
 * @param futures_prices Range of futures prices in USD at the same times, as many as spot_prices.
 * @returns Hedge ratio (futures notional per unit of spot value).
 */
export function ratio(spot_prices: unknown[][], futures_prices: unknown[][]): number {
  try {
    return excelNumber(
      core.hedgeRatio(...pairUp(spotPricesArg.coerce(spot_prices), futuresPricesArg.coerce(futures_prices))),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Hedge effectiveness: the share of spot return variance a futures hedge removes, 1 - Var(spot - h x futures) / Var(spot).
 * @customfunction EFFECTIVENESS
 * @helpurl https://localhost:3000/help/functions.html#effectiveness
 * @param spot_prices Range of spot prices in USD, oldest first, at least 3 (a row with a blank cell is skipped).
 * @param futures_prices Range of futures prices in USD at the same times, as many as spot_prices.
 * @param [hedge_ratio] Hedge ratio h (default the minimum-variance ratio HEDGE.RATIO).
 * @returns Effectiveness as a fraction (1 = perfect hedge).
 */
export function effectiveness(
  spot_prices: unknown[][],
  futures_prices: unknown[][],
  hedge_ratio?: number,
): number {
  try {
    const [spot, futures] = pairUp(
      spotPricesArg.coerce(spot_prices),
      futuresPricesArg.coerce(futures_prices),
    );
    return excelNumber(core.hedgeEffectiveness(spot, futures, effectivenessRatioArg.coerce(hedge_ratio)));
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * Scenario table of a spot holding hedged with an inverse position under price moves (spills: header row, then one row per move).
 * @customfunction SCENARIO
 * @helpurl https://localhost:3000/help/functions.html#scenario
 * @param quantity Coins held (spot), 0 or more.
 * @param spot_price Spot price now in USD, greater than 0.
 * @param notional USD face value of the inverse position, greater than 0.
 * @param futures_price Entry price of the inverse position in USD, greater than 0.
 * @param price_changes Range of at most 10,000 price moves as fractions, each above -1 (-0.2 = a 20 % fall).
 * @param [side] Side of the inverse position: "short" (default, the hedge) or "long".
 * @returns Table: change, price, spot_usd, hedge_coin, hedge_usd, total_usd, total_coin.
 */
// any[][] because the metadata generator maps only plain element types: (string | number)[][] fails the build.
export function scenario(
  quantity: number,
  spot_price: number,
  notional: number,
  futures_price: number,
  price_changes: unknown[][],
  side?: string | number,
): any[][] {
  try {
    return excelTable(
      core.scenario(
        quantityArg.coerce(quantity),
        spotPriceArg.coerce(spot_price),
        notionalArg.coerce(notional),
        futuresPriceArg.coerce(futures_price),
        priceChangesArg.coerce(price_changes),
        scenarioSideArg.coerce(side),
      ),
    );
  } catch (err) {
    throw toExcelError(err);
  }
}

/**
 * USD face value of one contract of an inverse future or perpetual, from the built-in contract table.
 * @customfunction CONTRACT.SIZE
 * @helpurl https://localhost:3000/help/functions.html#contract-size
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param symbol The venue's symbol (BTCUSD, BTCUSD_PERP, XBTUSD, BTC-PERPETUAL, PI_XBTUSD, dated futures) or a coin (BTC) for its perpetual.
 * @returns USD per contract.
 */
export function contractSizeOf(exchange: string, symbol: string): number {
  try {
    return excelNumber(contractSize(exchangeRule.coerce(exchange), symbolArg.coerce(symbol)));
  } catch (err) {
    throw toExcelError(err);
  }
}

// ---------------------------------------------------------------------------------------------
// Live market data
// ---------------------------------------------------------------------------------------------

/**
 * Streams the current funding rate of an inverse contract (fraction per funding interval; positive means longs pay shorts).
 * @customfunction FUNDING.RATE
 * @helpurl https://localhost:3000/help/functions.html#funding-rate
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param symbol The venue's symbol (BTCUSD, BTCUSD_PERP, XBTUSD, BTC-PERPETUAL, BTC-USD-SWAP, PI_XBTUSD) or a coin (BTC, ETH) for its perpetual.
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
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param symbol The venue's symbol or a coin (BTC, ETH) for its inverse perpetual.
 * @param [field] mark_price (default), index_price, funding_rate, predicted_funding_rate, premium, funding_apr, next_funding_time... (see help).
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
 * Funding history of an inverse perpetual, spilled: time (UTC serial), rate per interval; oldest first, refreshed every 5 min.
 * @customfunction FUNDING.HISTORY
 * @helpurl https://localhost:3000/help/functions.html#funding-history
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param symbol The venue's symbol or a coin (BTC, ETH) for its inverse perpetual.
 * @param [days] How many days back, 1 to 365 (default 30).
 * @param [headers] TRUE (default) to put a header row time, funding_rate above the data.
 * @param invocation Streaming invocation parameter.
 */
export function fundingHistory(
  exchange: string,
  symbol: string,
  days: number | null | undefined,
  headers: boolean | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<any[][]>,
): void {
  streamFundingHistory(exchange, symbol, days, headers, invocation);
}

/**
 * Streams a venue's futures curve for one coin: the perpetual, then dated futures by expiry, with basis and APRs.
 * @customfunction FUTURES.CURVE
 * @helpurl https://localhost:3000/help/functions.html#futures-curve
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param coin Settlement coin of the inverse contracts, e.g. BTC or ETH.
 * @param [headers] TRUE (default) to put the column names above the data.
 * @param invocation Streaming invocation parameter.
 * @returns symbol, kind, expiry, days, mark_price, index_price, basis, basis_apr, funding_apr.
 */
export function futuresCurve(
  exchange: string,
  coin: string,
  headers: boolean | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<any[][]>,
): void {
  streamFuturesCurve(exchange, coin, headers, invocation);
}

/**
 * Streams realised funding over a window as a row: settlements, sum_rate, mean_rate, apr, min_rate, max_rate, positive_share.
 * @customfunction FUNDING.STATS
 * @helpurl https://localhost:3000/help/functions.html#funding-stats
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param symbol The venue's symbol or a coin (BTC, ETH) for its inverse perpetual.
 * @param [days] How many days back, 1 to 365 (default 30); apr = sum_rate x 365 / days.
 * @param [headers] TRUE (default) to put the header row above the numbers.
 * @param invocation Streaming invocation parameter.
 */
export function fundingStats(
  exchange: string,
  symbol: string,
  days: number | null | undefined,
  headers: boolean | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<any[][]>,
): void {
  streamFundingStats(exchange, symbol, days, headers, invocation);
}

/**
 * Streams the USD a position earned (+) or paid (-) in funding over the window: -side x notional x sum of rates.
 * @customfunction FUNDING.EARNED
 * @helpurl https://localhost:3000/help/functions.html#funding-earned
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param symbol The venue's symbol or a coin (BTC, ETH) for its inverse perpetual.
 * @param notional USD face value of the position (contracts x contract size), greater than 0.
 * @param [days] How many days back, 1 to 365 (default 30).
 * @param [side] "short" (default) or "long" (also buy/sell, 1/-1).
 * @param invocation Streaming invocation parameter.
 */
export function fundingEarned(
  exchange: string,
  symbol: string,
  notional: number,
  days: number | null | undefined,
  side: string | number | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamFundingEarned(exchange, symbol, notional, days, side, invocation);
}

/**
 * Streams daily closes as a table (time = Excel date of the UTC day, close in USD), oldest first.
 * @customfunction PRICE.HISTORY
 * @helpurl https://localhost:3000/help/functions.html#price-history
 * @param exchange Venue: bybit, binance, bitmex, deribit, okx, kraken, bingx or mexc.
 * @param symbol The venue's symbol or a coin (BTC, ETH) for its inverse perpetual.
 * @param [days] How many days back, 1 to 365 (default 90).
 * @param [price] "mark" (default), "index" or "last". BitMEX and Deribit have no mark candles: last trades are used.
 * @param [headers] TRUE (default) to put a header row time, close above the data.
 * @param invocation Streaming invocation parameter.
 */
export function priceHistory(
  exchange: string,
  symbol: string,
  days: number | null | undefined,
  price: string | null | undefined,
  headers: boolean | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<any[][]>,
): void {
  streamPriceHistory(exchange, symbol, days, price, headers, invocation);
}
