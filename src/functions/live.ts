/*
 * The live-data functions: arguments checked by the shared parameter rules, quotes from the one shared poller,
 * histories from the add-in's own server. Bad arguments are #VALUE!; data that is not there is #N/A with why.
 */
import { InvalidArgument } from "../core/errors";
import { ApiRequestError, fetchFundingHistory, hostTimers as timers } from "../live/client";
import { workbookSerial } from "../live/date-system";
import { sharedPoller } from "../live/poller";
import { findContract, isWellFormedSymbol, type ResolvedContract } from "../market/contracts";
import type { Exchange, Quote, QuoteResult } from "../market/types";
import { booleanRule, exchangeRule, number, oneOf, textRule, type Rule } from "./params";
import { excelError, toExcelError } from "./runner";

/** HEDGE.MARKET's fields, in the order the catalog lists them. */
export const MARKET_FIELDS = [
  "funding_rate",
  "funding_interval_hours",
  "next_funding_time",
  "predicted_funding_rate",
  "mark_price",
  "index_price",
  "premium",
  "funding_apr",
  "contract_size",
  "updated",
] as const;
export type MarketField = (typeof MARKET_FIELDS)[number];

const symbolText = textRule("symbol");
export const symbolRule: Rule<string> = {
  name: "symbol",
  coerce(value) {
    const text = symbolText.coerce(value);
    if (!isWellFormedSymbol(text))
      throw new InvalidArgument("symbol", "must be 1 to 40 letters, digits, _ . or -");
    return text;
  },
};
const fieldRule = oneOf("field", MARKET_FIELDS, "mark_price");
export const daysRule = number("days", { ge: 1, le: 365, integer: true }, 30);
export const headersRule = booleanRule("headers", true);

/** A contract as named: what the built-in table knows of it (a dated future is answered locally), if anything. */
export type NamedContract = Pick<ResolvedContract, "exchange" | "symbol"> & Partial<ResolvedContract>;

/**
 * The contract a person named: resolved offline when the built-in table knows it (a coin alias becomes the
 * venue's symbol), else sent as typed. Whether the venue lists it is the server's answer (#N/A saying why),
 * so a new listing works without a new release.
 */
export function contractOf(exchange: Exchange, symbol: string): NamedContract {
  const found = findContract(exchange, symbol);
  return found.ok ? found.contract : { exchange, symbol: symbol.trim() };
}

const serialOf = (iso: string | null) => (iso === null ? null : workbookSerial(Date.parse(iso)));

const READ: Record<MarketField, (q: Quote) => number | null> = {
  funding_rate: (q) => q.fundingRate,
  funding_interval_hours: (q) => q.fundingIntervalHours,
  next_funding_time: (q) => serialOf(q.nextFundingTime),
  predicted_funding_rate: (q) => q.predictedFundingRate,
  mark_price: (q) => q.markPrice,
  index_price: (q) => q.indexPrice,
  premium: (q) => q.premium,
  funding_apr: (q) => q.fundingApr,
  contract_size: (q) => q.contractSize,
  updated: (q) => serialOf(q.exchangeTime),
};

const notAvailable = (message: string) => excelError("notAvailable", message);

/** What a cell shows for one poll result: the field's number, or #N/A with the venue's reason. */
function cellValue(result: QuoteResult, field: MarketField): number | CustomFunctions.Error {
  if ("error" in result) return notAvailable(result.error.message);
  const value = READ[field](result);
  if (value === null || !Number.isFinite(value)) {
    const why =
      result.kind === "future"
        ? " (a dated future does not fund)"
        : field === "next_funding_time"
          ? " (funding is continuous)"
          : "";
    return notAvailable(`${result.exchange}:${result.symbol} has no ${field.replace(/_/g, " ")}${why}`);
  }
  return value;
}

/** Streams one field of a contract's quote into a cell until Excel cancels it. */
export function streamQuoteField(
  exchange: unknown,
  symbol: unknown,
  field: unknown,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  let contract: NamedContract;
  let which: MarketField;
  try {
    contract = contractOf(exchangeRule.coerce(exchange), symbolRule.coerce(symbol));
    which = fieldRule.coerce(field);
  } catch (err) {
    invocation.setResult(toExcelError(err) as unknown as number);
    return;
  }
  const unsubscribe = sharedPoller().subscribe(
    { exchange: contract.exchange, symbol: contract.symbol },
    (result) => invocation.setResult(cellValue(result, which) as unknown as number),
  );
  invocation.onCanceled = unsubscribe;
}

/** How often a FUNDING.HISTORY cell asks again: settlements come every 1 to 8 hours, the server caches. */
export const HISTORY_REFRESH_MS = 5 * 60_000;

export type HistoryTable = (string | number)[][];

/** The cell error for a failed history request: the server's 400 is #VALUE! (bad argument), anything else #N/A. */
function historyFailure(err: unknown, fallback: string): CustomFunctions.Error {
  if (err instanceof ApiRequestError && err.status === 400) return excelError("invalidValue", err.message);
  return notAvailable(err instanceof Error ? err.message : fallback);
}

/**
 * One fetch of a history table: [time, value] rows, oldest first, time as an Excel serial (UTC), under a header
 * row when asked. No rows is #N/A saying what the window lacks.
 */
export async function seriesTable(
  contract: NamedContract,
  window: number,
  header: readonly [string, string],
  load: () => Promise<[string, number][]>,
  withHeaders: boolean,
): Promise<HistoryTable> {
  let rows: HistoryTable;
  const what = header[1] === "close" ? "price" : "funding";
  try {
    rows = (await load()).map(([time, value]) => [workbookSerial(Date.parse(time)), value]);
  } catch (err) {
    throw historyFailure(err, `${what} history unavailable`);
  }
  if (rows.some((r) => !Number.isFinite(r[0]) || !Number.isFinite(r[1]))) {
    throw notAvailable(`${contract.exchange}: ${what} history not understood`);
  }
  if (rows.length === 0) {
    throw notAvailable(
      `${contract.exchange}:${contract.symbol} has no ${what === "price" ? "daily prices" : "funding settlements"} in the last ${window} days`,
    );
  }
  return withHeaders ? [[...header], ...rows] : rows;
}

/** One fetch of the funding-history table: [time, funding_rate] rows. */
export function historyTable(
  contract: NamedContract,
  window: number,
  withHeaders: boolean,
  signal?: AbortSignal,
): Promise<HistoryTable> {
  return seriesTable(
    contract,
    window,
    ["time", "funding_rate"],
    async () =>
      (await fetchFundingHistory(contract.exchange, contract.symbol, window, signal)).items.map((p) => [
        p.time,
        p.fundingRate,
      ]),
    withHeaders,
  );
}

/** A contract whose funding is asked for: a dated future does not fund, which is #N/A at once, no request. */
export function fundingContractOf(exchange: unknown, symbol: unknown): NamedContract {
  const contract = contractOf(exchangeRule.coerce(exchange), symbolRule.coerce(symbol));
  if (contract.kind === "future") {
    throw notAvailable(`${contract.exchange}:${contract.symbol} is a dated future, which does not fund`);
  }
  return contract;
}

/**
 * Streams the funding-history table into a cell: fetched at once, then again every HISTORY_REFRESH_MS until
 * Excel cancels the cell (which also abandons a request in flight). A failed refresh keeps the last table
 * shown; without one the cell is #N/A with why. A dated future does not fund: said at once, no request.
 */
export function streamFundingHistory(
  exchange: unknown,
  symbol: unknown,
  days: unknown,
  headers: unknown,
  invocation: CustomFunctions.StreamingInvocation<HistoryTable>,
): void {
  streamWith(
    invocation,
    () => ({
      contract: fundingContractOf(exchange, symbol),
      window: daysRule.coerce(days),
      withHeaders: headersRule.coerce(headers),
    }),
    (a, signal) => historyTable(a.contract, a.window, a.withHeaders, signal),
  );
}

/** Reads the arguments (bad input is the cell's error at once, before any request), then streams `load`. */
export function streamWith<A, T>(
  invocation: CustomFunctions.StreamingInvocation<T>,
  read: () => A,
  load: (args: A, signal?: AbortSignal) => Promise<T>,
): void {
  let args: A;
  try {
    args = read();
  } catch (err) {
    invocation.setResult(toExcelError(err) as unknown as T);
    return;
  }
  streamRefreshed(invocation, (signal) => load(args, signal));
}

/**
 * Shows `load`'s result in a streaming cell at once and again every HISTORY_REFRESH_MS until Excel cancels the
 * cell (which also abandons a request in flight). A failed refresh keeps the last result shown; without one the
 * cell is the error.
 */
export function streamRefreshed<T>(
  invocation: CustomFunctions.StreamingInvocation<T>,
  load: (signal?: AbortSignal) => Promise<T>,
): void {
  let cancelled = false;
  let timer: unknown;
  let controller: AbortController | undefined;
  let shown = false;
  const run = async () => {
    controller = typeof AbortController === "function" ? new AbortController() : undefined;
    try {
      const result = await load(controller?.signal);
      if (cancelled) return;
      shown = true;
      invocation.setResult(result);
    } catch (err) {
      if (cancelled) return;
      if (!shown) invocation.setResult(toExcelError(err) as unknown as T);
    }
    if (!cancelled) timer = timers.setTimeout(() => void run(), HISTORY_REFRESH_MS);
  };
  invocation.onCanceled = () => {
    cancelled = true;
    if (timer !== undefined) timers.clearTimeout(timer);
    controller?.abort();
  };
  void run();
}
