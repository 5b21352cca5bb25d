/*
 * Carry: which venue pays a short inverse perpetual best for one coin. No DOM here: it asks the add-in's server
 * for each venue's futures curve (GET /api/v1/curve: the perpetual and every live dated future of the coin), the
 * 7- and 30-day funding histories, and turns them into a ranking and the chart's daily series. The realised APRs
 * are the core's HEDGE.FUNDING.STATS figures for the same windows and the basis is HEDGE.FUTURES.CURVE's
 * basis_apr, so the pane and the worksheet never disagree.
 */
import { curveRows, type CurvePoint } from "../core/curve";
import { fundingStats } from "../core/funding-stats";
import { CONTRACTS } from "../market/contracts";
import { EXCHANGES, type Exchange, type FundingHistory, type Quote } from "../market/types";

const DAY_MS = 86_400_000;

export interface CarryDeps {
  /** GET /api/v1/curve for one venue and coin. */
  fetchCurve(exchange: string, coin: string, signal?: AbortSignal): Promise<{ quotes: Quote[] }>;
  fetchFundingHistory(
    exchange: string,
    symbol: string,
    days: number,
    signal?: AbortSignal,
  ): Promise<FundingHistory>;
  now(): number;
}

/** One venue's line of the ranking; a figure that could not be had is null, with the reason in `notes`. */
export interface CarryRow {
  exchange: Exchange;
  symbol: string;
  /** The current rate annualised: rate x 8760 / interval. */
  currentApr: number | null;
  /** Realised: sum of the settled rates over the window x 365 / days. */
  realised7: number | null;
  realised30: number | null;
  /** The nearest dated future's simple annualised basis against its index, the alternative to funding. */
  basisApr: number | null;
  basisSymbol: string | null;
  /** Daily mean funding APR over the last 30 days, oldest first (the chart's line). */
  daily: { day: number; apr: number }[];
  notes: string[];
}

export interface CarryRanking {
  coin: string;
  /** Best first: by realised 30-day APR (what a short actually earned), then current APR; unknown last. */
  rows: CarryRow[];
  source: "live" | "replay" | null;
}

/** Venues with an inverse perpetual for the coin, and its symbol (the contract table decides). */
export function perpetualsOf(coin: string): { exchange: Exchange; symbol: string }[] {
  return EXCHANGES.flatMap((exchange) => {
    const c = CONTRACTS.find((x) => x.exchange === exchange && x.kind === "perpetual" && x.coin === coin);
    return c ? [{ exchange, symbol: c.symbol }] : [];
  });
}

const aprOf = (q: Quote) =>
  q.fundingRate !== null && q.fundingIntervalHours ? (q.fundingRate * 8760) / q.fundingIntervalHours : null;

/** Realised APR of a window, from the settled rates exactly as FUNDING.STATS computes it. */
function realised(
  history: FundingHistory | Error,
  days: number,
  notes: string[],
  why: (e: Error) => string,
): number | null {
  if (history instanceof Error) {
    notes.push(`${days}-day history: ${why(history)}`);
    return null;
  }
  if (history.items.length === 0) {
    notes.push(`no settlements in ${days} days`);
    return null;
  }
  return fundingStats(
    history.items.map((p) => p.fundingRate),
    days,
  ).apr.toNumber();
}

/** Daily means of the annualised settled rates (UTC days), oldest first. */
export function dailyAprs(history: FundingHistory, intervalHours: number): { day: number; apr: number }[] {
  const byDay = new Map<number, { sum: number; n: number }>();
  for (const p of history.items) {
    const day = Math.floor(Date.parse(p.time) / DAY_MS) * DAY_MS;
    const acc = byDay.get(day) ?? { sum: 0, n: 0 };
    acc.sum += (p.fundingRate * 8760) / intervalHours;
    acc.n += 1;
    byDay.set(day, acc);
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, a]) => ({ day, apr: a.sum / a.n }));
}

/**
 * The nearest dated future of a curve answer (the earliest expiry still ahead of `nowMs`) and its annualised
 * basis, exactly as HEDGE.FUTURES.CURVE's basis_apr column computes it (src/core/curve.ts, decimal.js, days
 * counted to the millisecond). Null when the venue lists no live dated future of the coin.
 */
export function nearestBasis(
  quotes: readonly Quote[],
  nowMs: number,
): { symbol: string; apr: number } | null {
  const points: CurvePoint[] = quotes
    .filter((q) => q.kind === "future" && q.expiry !== null && Number.isFinite(Date.parse(q.expiry)))
    .filter((q) => q.markPrice > 0 && q.indexPrice > 0)
    .map((q) => ({
      symbol: q.symbol,
      kind: q.kind,
      expiryMs: Date.parse(q.expiry!),
      markPrice: q.markPrice,
      indexPrice: q.indexPrice,
      fundingRate: null,
      fundingIntervalHours: null,
    }));
  // curveRows leaves out futures at or past expiry and orders the rest by expiry: the first row is the nearest.
  const [first] = curveRows(points, nowMs);
  if (!first) return null;
  const apr = first[7];
  return { symbol: String(first[0]), apr: typeof apr === "object" ? apr.toNumber() : Number(apr) };
}

const settle = <T>(p: Promise<T>): Promise<T | Error> =>
  p.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));

/**
 * Loads one coin's carry, all at once: each venue's curve (its perpetual's quote and its dated futures), and
 * the 7- and 30-day funding history of each perpetual. A venue whose curve or history fails keeps its row with
 * the reason; the other venues are not affected.
 */
export async function loadCarry(coin: string, deps: CarryDeps, signal?: AbortSignal): Promise<CarryRanking> {
  const perps = perpetualsOf(coin);
  const [curves, histories] = await Promise.all([
    Promise.all(perps.map((p) => settle(deps.fetchCurve(p.exchange, coin, signal)))),
    Promise.all(
      perps.flatMap((p) => [
        settle(deps.fetchFundingHistory(p.exchange, p.symbol, 7, signal)),
        settle(deps.fetchFundingHistory(p.exchange, p.symbol, 30, signal)),
      ]),
    ),
  ]);
  // Expiries are judged when the answers are in, so a future delivering meanwhile is not the nearest.
  const now = deps.now();
  let source: CarryRanking["source"] = null;
  const rows = perps.map((p, i): CarryRow => {
    const notes: string[] = [];
    // The row names the venue already: a message's leading "<venue>: " is not repeated in its notes.
    const why = (e: Error) => e.message.replace(new RegExp(`^${p.exchange}: `, "i"), "");
    const curve = curves[i];
    const quotes = curve instanceof Error ? [] : curve.quotes.filter((q) => q.exchange === p.exchange);
    const perp = quotes.find(
      (q) => q.kind === "perpetual" && q.symbol.toUpperCase() === p.symbol.toUpperCase(),
    );
    let currentApr: number | null = null;
    let interval: number | null = null;
    if (curve instanceof Error) notes.push(`quote: ${why(curve)}`);
    else if (!perp) notes.push(`quote: ${p.symbol} missing from the curve`);
    else {
      source = perp.source;
      currentApr = aprOf(perp);
      interval = perp.fundingIntervalHours;
    }
    const h7 = histories[2 * i];
    const h30 = histories[2 * i + 1];
    const basis = nearestBasis(quotes, now);
    // Both windows failing for one reason (a venue that publishes no history) is said once.
    const same = h7 instanceof Error && h30 instanceof Error && h7.message === h30.message;
    if (same) notes.push(`funding history: ${why(h30)}`);
    const ignored: string[] = [];
    return {
      exchange: p.exchange,
      symbol: p.symbol,
      currentApr,
      realised7: realised(h7, 7, same ? ignored : notes, why),
      realised30: realised(h30, 30, same ? ignored : notes, why),
      basisApr: basis?.apr ?? null,
      basisSymbol: basis?.symbol ?? null,
      daily: interval && !(h30 instanceof Error) ? dailyAprs(h30, interval) : [],
      notes,
    };
  });
  return { coin, rows: rankCarry(rows), source };
}

/**
 * Best first by realised 30-day APR, with the current APR breaking ties. A venue without a realised figure
 * (one that publishes no history) ranks after every venue that has one, whatever its current rate: a
 * current rate is a promise, not what a short earned. Those follow by current APR; a venue with neither goes
 * last (stable otherwise).
 */
export function rankCarry(rows: readonly CarryRow[]): CarryRow[] {
  const tier = (r: CarryRow) => (r.realised30 !== null ? 0 : r.currentApr !== null ? 1 : 2);
  const value = (x: number | null) => x ?? -Infinity;
  return [...rows].sort(
    (a, b) =>
      tier(a) - tier(b) ||
      value(b.realised30) - value(a.realised30) ||
      value(b.currentApr) - value(a.currentApr),
  );
}

/**
 * The line above the ranking, saying what the order rests on: realised 30-day APR where a venue has history,
 * current APR for the rest (a coin with no history anywhere is ranked by current APR alone).
 */
export function carryStatus(ranking: CarryRanking): string {
  const n = ranking.rows.length;
  const withHistory = ranking.rows.filter((r) => r.realised30 !== null).length;
  const venues = (k: number) => `${k} venue${k === 1 ? "" : "s"}`;
  const replay = ranking.source === "replay" ? " (replay sample data)" : "";
  if (n === 0) return `No venue lists an inverse perpetual of ${ranking.coin}${replay}.`;
  if (withHistory === n) return `${venues(n)} ranked by realised 30-day APR${replay}.`;
  if (withHistory === 0)
    return `${venues(n)} ranked by current funding APR: none has a 30-day funding history${replay}.`;
  return (
    `${venues(n)} ranked by realised 30-day APR; ${venues(n - withHistory)} without a 30-day funding history ` +
    `follow${n - withHistory === 1 ? "s" : ""} by current APR${replay}.`
  );
}
