import { z } from "zod";
import type { ResolvedContract } from "./contracts";
import { MarketError, notUnderstood, venueReported } from "./errors";
import type { ContractKind, Exchange, FundingPoint, Quote } from "./types";

/** One HTTP GET a venue adapter needs: the venue's real path and query, never anything a client typed. */
export interface UpstreamRequest {
  /** Stable name: the recorded payload's file name in replay mode, and the label in logs. */
  name: string;
  path: string;
  query: Record<string, string>;
  /** Cost against the venue's budget (Binance counts request weight). */
  weight: number;
  /** How long a good answer may be reused; defaults to the quote TTL (slow-changing reference data is longer). */
  maxAgeMs?: number;
  /** A part a refresh can do without: its failure gives the parser `undefined` instead of failing the refresh. */
  optional?: boolean;
  /** A query parameter the server sets to the current time in ms when it sends the request (BingX requires one). */
  timeParam?: string;
}

/** What a venue says about one contract, before the contract table adds size and coin. Times in ms. */
export interface MarketData {
  symbol: string;
  kind: ContractKind;
  fundingRate: number | null;
  fundingIntervalHours: number | null;
  nextFundingTime: number | null;
  predictedFundingRate: number | null;
  markPrice: number;
  indexPrice: number;
  expiry: number | null;
  exchangeTime: number;
}

/** Every contract of one venue from one refresh: its data, or why that contract alone could not be read. */
export type VenueSnapshot = Map<string, MarketData | MarketError>;

/** A funding settlement, time in ms, rate as a fraction per interval. */
export interface FundingRow {
  time: number;
  fundingRate: number;
}

/** Why a symbol is not served as an item of /quotes (the request itself stays valid). */
export type ItemErrorCode = "not_listed" | "not_inverse" | "expired";

/** One USD-quoted inverse contract as the venue's instrument endpoint lists it: its own size and expiry. */
export interface ListedContract {
  /** The venue's spelling, upper case. */
  symbol: string;
  /** Settlement coin, e.g. "BTC" (BitMEX's and Kraken's XBT is BTC). */
  coin: string;
  kind: ContractKind;
  /** USD face value of one contract. */
  contractSize: number;
  /** Delivery time in ms; null for a perpetual. */
  expiry: number | null;
  /** The funding interval where the instrument list gives one (Bybit `fundingInterval`), else null. */
  fundingIntervalHours: number | null;
}

/** What a venue's instrument endpoint says: the contracts served, and the symbols it lists but we do not serve. */
export interface Listing {
  contracts: ListedContract[];
  /** Listed but linear, quanto, not priced in USD, delivered or halted; upper-case symbol to why. */
  refused: Map<string, { code: ItemErrorCode; message: string }>;
}

/** How often a venue's instrument list is fetched again (contracts come and go by the day, not the second). */
export const LISTING_MAX_AGE_MS = 3_600_000;

/**
 * A time series a venue serves page by page, newest page first (funding settlements; daily candles use the
 * same mechanism): how to ask for one page and how to read it. The service caches, slices and budgets it.
 */
export interface SeriesSource<R extends { time: number }> {
  /** Names the series in cache keys and recorded payloads (`<name>-<symbol>.json` in replay mode). */
  name: string;
  /** One page ending at `endMs` (venues that ignore the window return everything). */
  request(symbol: string, startMs: number, endMs: number): UpstreamRequest;
  parse(payload: unknown): R[];
}

/** A venue's funding history as a series. */
export function fundingSeries(venue: VenueAdapter): SeriesSource<FundingRow> {
  return {
    name: "history",
    request: (symbol, startMs, endMs) => venue.historyRequest(symbol, startMs, endMs),
    parse: (payload) => venue.parseHistory(payload),
  };
}

/** A listing built entry by entry: `read` names an entry's contract, a refusal, or nothing (not a contract). */
export function listingOf(
  entries: readonly unknown[],
  read: (
    entry: unknown,
  ) => ListedContract | { symbol: string; code: ItemErrorCode; message: string } | undefined,
): Listing {
  const listing: Listing = { contracts: [], refused: new Map() };
  for (const entry of entries) {
    let r: ReturnType<typeof read>;
    try {
      r = read(entry);
    } catch {
      // An entry the adapter cannot read is left out: the contract is then not listed, never guessed.
      continue;
    }
    if (r === undefined) continue;
    if ("code" in r) listing.refused.set(r.symbol.toUpperCase(), { code: r.code, message: r.message });
    else listing.contracts.push(r);
  }
  return listing;
}

/** A refusal for a contract the venue lists but that is not a USD-quoted inverse one. */
export function notInverse(symbol: string, what: string) {
  return {
    symbol,
    code: "not_inverse" as const,
    message: `${symbol} is ${what}, not an inverse (coin-margined) contract priced in USD; only those are supported`,
  };
}

/** A refusal for a contract the venue lists but does not trade now (halted, delivering, delivered). */
export function notTrading(symbol: string, state: string, delivered: boolean) {
  return {
    symbol,
    code: delivered ? ("expired" as const) : ("not_listed" as const),
    message: delivered
      ? `${symbol} has expired (the venue says ${state})`
      : `${symbol} is not trading now (the venue says ${state})`,
  };
}

/** One venue: how to ask for its data, and pure parsers from its payloads. */
export interface VenueAdapter {
  exchange: Exchange;
  /** Scheme and host of the venue's public API (HEDGE_UPSTREAM_* replaces it). */
  origin: string;
  /** The venue's public limit, kept well under: at most `limit` weight in any `windowMs`. */
  budget: { limit: number; windowMs: number };
  /** The fixed requests that together return every inverse contract of the venue. */
  quoteRequests: readonly UpstreamRequest[];
  /**
   * Payloads in the order of `quoteRequests` (an optional part that failed is `undefined`). Throws MarketError
   * when the payload as a whole is not understood.
   */
  parseQuotes(payloads: readonly unknown[]): VenueSnapshot;
  /**
   * The fixed requests whose answers list every contract of the venue (fetched at most every
   * LISTING_MAX_AGE_MS; a request with the name of a quote request shares its payload).
   */
  instrumentRequests: readonly UpstreamRequest[];
  /** The venue's USD-quoted inverse contracts from those payloads, in their order. Throws MarketError when not understood. */
  parseInstruments(payloads: readonly unknown[]): Listing;
  /** One page of funding history ending at `endMs` (venues that ignore the window return everything). */
  historyRequest(symbol: string, startMs: number, endMs: number): UpstreamRequest;
  parseHistory(payload: unknown): FundingRow[];
}

const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A decimal number sent as a string (Bybit, Binance, OKX). */
export const decimalString = z.string().regex(DECIMAL).transform(Number).pipe(z.number());
/** A price sent as a string: must be a finite number above zero. */
export const priceString = z.string().regex(DECIMAL).transform(Number).pipe(z.number().positive());
/** A decimal string that the venue leaves empty when it has no value. */
export const optionalDecimalString = z
  .union([z.literal(""), decimalString])
  .transform((v) => (v === "" ? null : v));
/** Milliseconds since the epoch sent as a string of digits. */
export const msString = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
/** An ISO 8601 time, as ms. */
export const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
export const price = z.number().positive();

/** Validates a whole payload's outer shape; a mismatch is "upstream response not understood". */
export function parseEnvelope<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const result = schema.safeParse(payload);
  if (!result.success) throw notUnderstood(`${what}: ${z.prettifyError(result.error).slice(0, 300)}`);
  return result.data;
}

/** Raises the venue's own error when its envelope says the call failed. */
export function failIf(condition: boolean, message: string): void {
  if (condition) throw venueReported(message);
}

/**
 * Reads a list of per-contract entries, each on its own: one entry the adapter cannot read spoils only that
 * contract. `include` keeps the venue's inverse contracts (by its symbol) and drops the rest unvalidated.
 */
export function snapshotOf<T>(
  entries: readonly unknown[],
  symbolOf: (entry: unknown) => string | undefined,
  include: (symbol: string) => boolean,
  schema: z.ZodType<T>,
  toMarket: (entry: T, symbol: string) => MarketData,
): VenueSnapshot {
  const snapshot: VenueSnapshot = new Map();
  for (const entry of entries) {
    const symbol = symbolOf(entry);
    if (symbol === undefined || !include(symbol)) continue;
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      snapshot.set(symbol, notUnderstood(`${symbol}: ${z.prettifyError(parsed.error).slice(0, 300)}`));
      continue;
    }
    try {
      snapshot.set(symbol, checkMarket(toMarket(parsed.data, symbol)));
    } catch (err) {
      snapshot.set(symbol, err instanceof MarketError ? err : notUnderstood(`${symbol}: ${String(err)}`));
    }
  }
  return snapshot;
}

/** The `symbol` field of an entry, read loosely so a malformed entry can still be named. */
export function fieldOf(name: string): (entry: unknown) => string | undefined {
  return (entry) => {
    if (typeof entry !== "object" || entry === null) return undefined;
    const value = (entry as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  };
}

const finiteOrNull = (v: number | null) => v === null || Number.isFinite(v);

/** Refuses market data with a non-finite number or a non-positive price or interval, whatever the venue sent. */
export function checkMarket(m: MarketData): MarketData {
  const ok =
    Number.isFinite(m.markPrice) &&
    m.markPrice > 0 &&
    Number.isFinite(m.indexPrice) &&
    m.indexPrice > 0 &&
    Number.isFinite(m.exchangeTime) &&
    finiteOrNull(m.fundingRate) &&
    finiteOrNull(m.predictedFundingRate) &&
    finiteOrNull(m.nextFundingTime) &&
    finiteOrNull(m.expiry) &&
    (m.fundingIntervalHours === null ||
      (Number.isFinite(m.fundingIntervalHours) && m.fundingIntervalHours > 0)) &&
    // A perpetual has a rate and an interval; a dated future has neither.
    (m.kind === "future") === (m.fundingRate === null) &&
    (m.kind === "future") === (m.fundingIntervalHours === null);
  if (!ok) throw notUnderstood(`${m.symbol}: values out of range`);
  return m;
}

/** Reads the rows of a funding-history payload, refusing any row that is not a finite rate at a real time. */
export function historyRows<T>(
  rows: readonly T[],
  toRow: (row: T) => { time: number; fundingRate: number },
): FundingRow[] {
  return rows.map((row) => {
    const r = toRow(row);
    if (!Number.isFinite(r.time) || !Number.isFinite(r.fundingRate))
      throw notUnderstood("history row out of range");
    return r;
  });
}

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The public quote: the contract table's size and coin joined with the venue's data, derived fields computed once. */
export function buildQuote(
  contract: ResolvedContract,
  m: MarketData,
  fetchedAt: number,
  source: Quote["source"],
  stale: boolean,
): Quote {
  const fundingApr =
    m.fundingRate !== null && m.fundingIntervalHours !== null
      ? (m.fundingRate * 8760) / m.fundingIntervalHours
      : null;
  return {
    exchange: contract.exchange,
    symbol: contract.symbol,
    coin: contract.coin,
    kind: m.kind,
    contractSize: contract.contractSize,
    fundingRate: m.fundingRate,
    fundingIntervalHours: m.fundingIntervalHours,
    nextFundingTime: m.nextFundingTime === null ? null : iso(m.nextFundingTime),
    predictedFundingRate: m.predictedFundingRate,
    markPrice: m.markPrice,
    indexPrice: m.indexPrice,
    premium: m.markPrice / m.indexPrice - 1,
    fundingApr,
    expiry: m.expiry === null ? null : iso(m.expiry),
    exchangeTime: iso(m.exchangeTime),
    fetchedAt: iso(fetchedAt),
    stale,
    source,
  };
}

/** Funding rows as the API serves them: ISO times, oldest first, one row per time. */
export function toFundingPoints(rows: readonly FundingRow[], startMs: number, endMs: number): FundingPoint[] {
  const byTime = new Map<number, number>();
  for (const r of rows) if (r.time >= startMs && r.time <= endMs) byTime.set(r.time, r.fundingRate);
  return [...byTime.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, rate]) => ({ time: iso(t), fundingRate: rate }));
}

/** Whole hours between two times, for intervals the venue gives as two timestamps. */
export function hoursBetween(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) / 60_000) / 60;
}

/** The next top of the hour strictly after `ms` (venues that fund every hour on the hour). */
export function nextHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS + HOUR_MS;
}

/** `YYMMDD` in a dated symbol, at the given UTC hour. */
export function yymmdd(digits: string, utcHour: number): number {
  const [yy, mm, dd] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6)].map(Number);
  const ms = Date.UTC(2000 + yy, mm - 1, dd, utcHour);
  const check = new Date(ms);
  if (check.getUTCMonth() !== mm - 1 || check.getUTCDate() !== dd) throw notUnderstood(`bad date ${digits}`);
  return ms;
}

export const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
