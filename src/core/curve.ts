import { basis, basisApr } from "./basis";
import { serialFromEpochMs } from "./dates";
import { type D, dec } from "./decimal";
import { fundingApr } from "./funding";

const MS_PER_DAY = 86_400_000;

/** One contract of a venue's term structure, as the curve needs it (times in Unix ms). */
export interface CurvePoint {
  symbol: string;
  kind: "perpetual" | "future";
  /** Delivery time; null for a perpetual. */
  expiryMs: number | null;
  markPrice: number;
  indexPrice: number;
  /** Fraction per interval and the interval in hours (perpetuals); null where the contract does not fund. */
  fundingRate: number | null;
  fundingIntervalHours: number | null;
}

/** A cell of the curve table: "" where the column does not apply to the contract. */
export type CurveCell = string | number | D;

/** The columns of HEDGE.FUTURES.CURVE, in order. */
export const CURVE_COLUMNS = [
  "symbol",
  "kind",
  "expiry",
  "days",
  "mark_price",
  "index_price",
  "basis",
  "basis_apr",
  "funding_apr",
] as const;

/**
 * The term structure as table rows: perpetuals first, then dated futures by expiry (a future already at or past
 * its expiry at `nowMs` is left out: it is no longer a live contract). basis = mark / index - 1,
 * days = (expiry - now) / 1 day (fractional, exact), basis_apr = basis x 365 / days (simple),
 * funding_apr = rate x 8760 / interval_hours; all by decimal.js, converted to doubles only by the caller.
 * `serialOf` turns the expiry into the workbook's serial date (1900 date system unless given).
 */
export function curveRows(
  points: readonly CurvePoint[],
  nowMs: number,
  serialOf: (epochMs: number) => number = serialFromEpochMs,
): CurveCell[][] {
  const perpetuals = points.filter((p) => p.kind === "perpetual");
  const futures = points
    .filter((p) => p.kind === "future" && p.expiryMs !== null && p.expiryMs > nowMs)
    .sort((a, b) => a.expiryMs! - b.expiryMs! || (a.symbol < b.symbol ? -1 : 1));
  return [...perpetuals, ...futures].map((p) => {
    const premium = basis(p.markPrice, p.indexPrice);
    if (p.kind === "perpetual") {
      const apr =
        p.fundingRate !== null && p.fundingIntervalHours !== null
          ? fundingApr(p.fundingRate, p.fundingIntervalHours, "simple")
          : "";
      return [p.symbol, p.kind, "", "", p.markPrice, p.indexPrice, premium, "", apr];
    }
    const days = dec(p.expiryMs!).minus(nowMs).div(MS_PER_DAY);
    // basisApr counts days as expiry - as_of: giving it the exact day count and 0 keeps one definition.
    const apr = basisApr(p.markPrice, p.indexPrice, days, 0, "simple");
    return [p.symbol, p.kind, serialOf(p.expiryMs!), days, p.markPrice, p.indexPrice, premium, apr, ""];
  });
}
