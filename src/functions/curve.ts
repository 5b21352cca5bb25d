/*
 * HEDGE.FUTURES.CURVE: a venue's term structure for one coin, streamed as a spilled table from the shared curve
 * poller; the basis columns come from the core (decimal.js), the prices from the add-in's server.
 */
import { CURVE_COLUMNS, curveRows, type CurvePoint } from "../core/curve";
import { InvalidArgument } from "../core/errors";
import { sharedCurvePoller, type CurvePoller, type CurveResult } from "../live/curve-poller";
import { workbookSerial } from "../live/date-system";
import type { Quote } from "../market/types";
import { booleanRule, exchangeRule, textRule, type Rule } from "./params";
import { excelError, toExcelError, toExcelResult, type Cell } from "./runner";

const coinText = textRule("coin");
const coinRule: Rule<string> = {
  name: "coin",
  coerce(value) {
    const coin = coinText.coerce(value).trim().toUpperCase();
    if (!/^[A-Z0-9]{1,12}$/.test(coin))
      throw new InvalidArgument("coin", "must be 1 to 12 letters or digits");
    return coin;
  },
};
const headersRule = booleanRule("headers", true);

/** Where the curve function gets its data and its clock; tests replace both. */
export interface CurveDeps {
  poller: CurvePoller;
  now: () => number;
}

function pointOf(q: Quote): CurvePoint {
  const expiryMs = q.expiry === null ? null : Date.parse(q.expiry);
  return {
    symbol: q.symbol,
    kind: q.kind,
    expiryMs,
    markPrice: q.markPrice,
    indexPrice: q.indexPrice,
    fundingRate: q.fundingRate,
    fundingIntervalHours: q.fundingIntervalHours,
  };
}

/** The table (or the cell error) one server answer gives at time `nowMs`. */
export function curveTable(
  exchange: string,
  coin: string,
  withHeaders: boolean,
  result: CurveResult,
  nowMs: number,
): Cell[][] | CustomFunctions.Error {
  if (!result.ok) {
    return result.status === 400
      ? excelError("invalidValue", result.message)
      : excelError("notAvailable", result.message);
  }
  const points = result.quotes.map(pointOf);
  const readable = points.every(
    (p) =>
      (p.kind === "perpetual" || (p.kind === "future" && Number.isFinite(p.expiryMs))) &&
      p.markPrice > 0 &&
      p.indexPrice > 0,
  );
  if (!readable) return excelError("notAvailable", `${exchange}: futures curve not understood`);
  let rows: Cell[][];
  try {
    rows = toExcelResult(curveRows(points, nowMs, workbookSerial)) as Cell[][];
  } catch (err) {
    return toExcelError(err);
  }
  if (rows.length === 0)
    return excelError("notAvailable", `${exchange} lists no live inverse contract of ${coin}`);
  return withHeaders ? [[...CURVE_COLUMNS], ...rows] : rows;
}

/** Streams the curve table into a spilled range until Excel cancels the cell. */
export function streamFuturesCurve(
  exchange: unknown,
  coin: unknown,
  headers: unknown,
  invocation: CustomFunctions.StreamingInvocation<Cell[][]>,
  deps: CurveDeps = { poller: sharedCurvePoller(), now: () => Date.now() },
): void {
  let venue: string;
  let which: string;
  let withHeaders: boolean;
  try {
    venue = exchangeRule.coerce(exchange);
    which = coinRule.coerce(coin);
    withHeaders = headersRule.coerce(headers);
  } catch (err) {
    invocation.setResult(toExcelError(err) as unknown as Cell[][]);
    return;
  }
  invocation.onCanceled = deps.poller.subscribe(venue, which, (result) =>
    invocation.setResult(curveTable(venue, which, withHeaders, result, deps.now()) as Cell[][]),
  );
}
