/*
 * Carry: which venue pays a short inverse perpetual best for one coin. No DOM here: it asks the add-in's server
 * for the perpetuals' quotes (with the nearest quarterlies in the same request), the 7- and 30-day funding
 * histories, and turns them into a ranking and the chart's daily series. The realised APRs are the core's
 * HEDGE.FUNDING.STATS figures for the same windows, so the pane and the worksheet never disagree.
 */
import { basisApr } from "../core/basis";
import { serialFromEpochMs } from "../core/dates";
import { fundingStats } from "../core/funding-stats";
import type { QuoteItem } from "../live/client";
import { CONTRACTS } from "../market/contracts";
import {
  EXCHANGES,
  isQuote,
  type Exchange,
  type FundingHistory,
  type Quote,
  type QuoteResult,
} from "../market/types";

const DAY_MS = 86_400_000;

export interface CarryDeps {
  fetchQuotes(items: readonly QuoteItem[], signal?: AbortSignal): Promise<QuoteResult[]>;
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

const MONTH_CODES = "FGHJKMNQUVXZ";
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** The last Friday of a month (UTC date at 00:00), the venues' quarterly delivery day. */
function lastFriday(year: number, month: number): Date {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return new Date(last.getTime() - ((last.getUTCDay() + 2) % 7) * DAY_MS);
}

const two = (n: number) => String(n % 100).padStart(2, "0");
const yymmdd = (d: Date) => `${two(d.getUTCFullYear())}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
const myy = (d: Date) => `${MONTH_CODES[d.getUTCMonth()]}${two(d.getUTCFullYear())}`;

/** Each venue's name for a coin's dated future delivered on day `d` (null: the venue has none for the coin). */
const QUARTERLY_SYMBOL: Partial<Record<Exchange, (coin: string, d: Date) => string | null>> = {
  bybit: (coin, d) => `${coin}USD${myy(d)}`,
  binance: (coin, d) => `${coin}USD_${yymmdd(d)}`,
  bitmex: (coin, d) => (coin === "BTC" ? `XBT${myy(d)}` : null),
  deribit: (coin, d) => `${coin}-${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${two(d.getUTCFullYear())}`,
  okx: (coin, d) => `${coin}-USD-${yymmdd(d)}`,
  kraken: (coin, d) => `FI_${coin === "BTC" ? "XBT" : coin}USD_${yymmdd(d)}`,
};

/**
 * The symbols the next three quarterly futures of a coin have on a venue (March, June, September, December,
 * delivered on the month's last Friday). They are asked for in the quotes request; the ones the venue does not
 * list come back as per-item errors and are ignored.
 */
export function quarterlyCandidates(exchange: Exchange, coin: string, nowMs: number): string[] {
  const name = QUARTERLY_SYMBOL[exchange];
  if (!name) return [];
  const out: string[] = [];
  const start = new Date(nowMs);
  for (let i = 0; out.length < 3 && i < 15; i++) {
    const month = start.getUTCMonth() + i;
    if (month % 3 !== 2) continue;
    const d = lastFriday(start.getUTCFullYear() + Math.floor(month / 12), month % 12);
    // Deliveries happen at 08:00 UTC: a contract delivering today is still the nearest until then.
    if (d.getTime() + 8 * 3_600_000 <= nowMs) continue;
    const symbol = name(coin, d);
    if (symbol) out.push(symbol);
  }
  return out;
}

const aprOf = (q: Quote) =>
  q.fundingRate !== null && q.fundingIntervalHours ? (q.fundingRate * 8760) / q.fundingIntervalHours : null;

/** Realised APR of a window, from the settled rates exactly as FUNDING.STATS computes it. */
function realised(history: FundingHistory | Error, days: number, notes: string[]): number | null {
  if (history instanceof Error) {
    notes.push(`${days}-day history: ${history.message}`);
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

/** Nearest dated future with a quote: its simple annualised basis at `nowMs`. */
function nearestBasis(quotes: QuoteResult[], nowMs: number): { symbol: string; apr: number } | null {
  const dated = quotes
    .filter(isQuote)
    .filter((q) => q.kind === "future" && q.expiry !== null && Date.parse(q.expiry) > nowMs)
    .sort((a, b) => Date.parse(a.expiry!) - Date.parse(b.expiry!));
  const q = dated[0];
  if (!q) return null;
  const apr = basisApr(
    q.markPrice,
    q.indexPrice,
    serialFromEpochMs(Date.parse(q.expiry!)),
    serialFromEpochMs(nowMs),
  );
  return { symbol: q.symbol, apr: apr.toNumber() };
}

const settle = <T>(p: Promise<T>): Promise<T | Error> =>
  p.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));

/**
 * Loads one coin's carry: one quotes request (perpetuals and quarterly candidates of every venue), and the 7- and
 * 30-day funding history of each perpetual, all at once.
 */
export async function loadCarry(coin: string, deps: CarryDeps, signal?: AbortSignal): Promise<CarryRanking> {
  const now = deps.now();
  const perps = perpetualsOf(coin);
  const dated = perps.map((p) => quarterlyCandidates(p.exchange, coin, now));
  const items: QuoteItem[] = [
    ...perps,
    ...perps.flatMap((p, i) => dated[i].map((symbol) => ({ exchange: p.exchange, symbol }))),
  ];
  const [quotes, ...histories] = await Promise.all([
    settle(deps.fetchQuotes(items, signal)),
    ...perps.flatMap((p) => [
      settle(deps.fetchFundingHistory(p.exchange, p.symbol, 7, signal)),
      settle(deps.fetchFundingHistory(p.exchange, p.symbol, 30, signal)),
    ]),
  ]);
  const results = quotes instanceof Error ? [] : quotes;
  let source: CarryRanking["source"] = null;
  const rows = perps.map((p, i): CarryRow => {
    const notes: string[] = [];
    const mine = results.filter((r) => r.exchange === p.exchange);
    const perp = mine.find((r) => r.symbol === p.symbol);
    let currentApr: number | null = null;
    let interval: number | null = null;
    if (quotes instanceof Error) notes.push(`quote: ${quotes.message}`);
    else if (!perp) notes.push("quote: missing");
    else if (!isQuote(perp)) notes.push(`quote: ${perp.error.message}`);
    else {
      source = perp.source;
      currentApr = aprOf(perp);
      interval = perp.fundingIntervalHours;
    }
    const h7 = histories[2 * i] as FundingHistory | Error;
    const h30 = histories[2 * i + 1] as FundingHistory | Error;
    const basis = nearestBasis(mine, now);
    return {
      exchange: p.exchange,
      symbol: p.symbol,
      currentApr,
      realised7: realised(h7, 7, notes),
      realised30: realised(h30, 30, notes),
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
