/*
 * The history functions built on the add-in's server: HEDGE.PRICE.HISTORY (daily closes) and the realised-funding
 * figures HEDGE.FUNDING.STATS and HEDGE.FUNDING.EARNED. They stream like HEDGE.FUNDING.HISTORY (fetched at once,
 * again every few minutes), and the funding figures are computed from exactly the rows FUNDING.HISTORY spills for
 * the same arguments, so SUM/AVERAGE/COUNT over that table give the same numbers.
 */
import { fundingEarned, fundingStatsRow } from "../core/certified";
import { FUNDING_STATS_HEADERS } from "../core/funding-stats";
import type { Side } from "../core/side";
import { apiGet } from "../live/client";
import { PRICE_KINDS, type PriceHistory, type PriceKind } from "../market/price-kinds";
import {
  contractOf,
  daysRule,
  fundingContractOf,
  headersRule,
  historyTable,
  seriesTable,
  streamWith,
  symbolRule,
  type HistoryTable,
  type NamedContract,
} from "./live";
import { exchangeRule, number, oneOf, sideRule } from "./params";
import { toExcelError, toExcelResult } from "./runner";

const priceDaysRule = number("days", { ge: 1, le: 365, integer: true }, 90);
const priceRule = oneOf<PriceKind>("price", PRICE_KINDS, "mark");
const notionalRule = number("notional", { gt: 0 });
const sideArg = sideRule("side", -1);

/** One fetch of the daily-close table: [time, close] rows, time as the Excel serial of the UTC day. */
function priceTable(
  contract: NamedContract,
  window: number,
  kind: PriceKind,
  withHeaders: boolean,
  signal?: AbortSignal,
): Promise<HistoryTable> {
  return seriesTable(
    contract,
    window,
    ["time", "close"],
    async () =>
      (
        await apiGet<PriceHistory>(
          `api/v1/price-history?exchange=${contract.exchange}&symbol=${encodeURIComponent(contract.symbol)}&days=${window}&price=${kind}`,
          signal,
        )
      ).items.map((p) => [p.time, p.close]),
    withHeaders,
  );
}

/** The settled rates of the window, exactly as HEDGE.FUNDING.HISTORY spills them (its second column). */
async function settledRates(
  contract: NamedContract,
  window: number,
  signal?: AbortSignal,
): Promise<number[]> {
  const rows = await historyTable(contract, window, false, signal);
  return rows.map((r) => r[1] as number);
}

/** Runs a core computation on fetched data: a core refusal becomes the cell's error. */
function computed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toExcelError(err);
  }
}

/** HEDGE.PRICE.HISTORY as a streaming spilled table. */
export function streamPriceHistory(
  exchange: unknown,
  symbol: unknown,
  days: unknown,
  price: unknown,
  headers: unknown,
  invocation: CustomFunctions.StreamingInvocation<HistoryTable>,
): void {
  streamWith(
    invocation,
    () => ({
      contract: contractOf(exchangeRule.coerce(exchange), symbolRule.coerce(symbol)),
      window: priceDaysRule.coerce(days),
      kind: priceRule.coerce(price),
      withHeaders: headersRule.coerce(headers),
    }),
    (a, signal) => priceTable(a.contract, a.window, a.kind, a.withHeaders, signal),
  );
}

/** HEDGE.FUNDING.STATS: a header row and one row of realised-funding figures over the window. */
export function streamFundingStats(
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
    async (a, signal) => {
      const rates = await settledRates(a.contract, a.window, signal);
      const row = computed(() => toExcelResult([fundingStatsRow(rates, a.window)]) as HistoryTable);
      return a.withHeaders ? [[...FUNDING_STATS_HEADERS], ...row] : row;
    },
  );
}

/** HEDGE.FUNDING.EARNED: USD a position of this notional earned (+) or paid (-) in funding over the window. */
export function streamFundingEarned(
  exchange: unknown,
  symbol: unknown,
  notional: unknown,
  days: unknown,
  side: unknown,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamWith(
    invocation,
    () => ({
      contract: fundingContractOf(exchange, symbol),
      notional: notionalRule.coerce(notional),
      window: daysRule.coerce(days),
      side: sideArg.coerce(side) as Side,
    }),
    async (a, signal) => {
      const rates = await settledRates(a.contract, a.window, signal);
      return computed(() => toExcelResult(fundingEarned(rates, a.notional, a.side)));
    },
  );
}
