import {
  CONTRACTS,
  expired,
  findContract,
  resolveListed,
  type ResolvedContract,
} from "../../market/contracts";
import {
  CANDLES,
  DAY_MS as ONE_DAY_MS,
  servedKind,
  type PriceHistory,
  type PriceKind,
} from "../../market/candles";
import { MarketError } from "../../market/errors";
import {
  EXCHANGES,
  type Exchange,
  type FundingHistory,
  type Quote,
  type QuoteResult,
} from "../../market/types";
import {
  buildQuote,
  fundingSeries,
  LISTING_MAX_AGE_MS,
  toFundingPoints,
  type Listing,
  type MarketData,
  type SeriesSource,
  type UpstreamRequest,
  type VenueAdapter,
  type VenueSnapshot,
} from "../../market/venue";
import { VENUES } from "../../market/venues";
import type { ServerConfig } from "../config";
import { readRecorded, RECORDED_AT } from "./recorded";
import { realEnv, Upstream, VenueGate, type Env, type Spender } from "./upstream";

/** How long a last good value may be served (flagged stale) while its venue fails. */
export const STALE_LIMIT_MS = 10 * 60_000;
/**
 * How long an answer waits for a refresh when a last good value exists, before serving that value flagged
 * stale (the refresh goes on): keeps every /quotes answer within 2 s.
 */
export const STALE_WAIT_MS = 1_500;
/** Without a last good value, an answer waits at most the upstream timeout plus this (the refresh goes on). */
export const COLD_EXTRA_MS = 800;
/** A listing that could not be fetched is asked again no sooner than this (the built-in table serves meanwhile). */
const LISTING_RETRY_MS = 60_000;
/** A listing older than its hour is still better than the built-in table for this long. */
const LISTING_STALE_LIMIT_MS = 24 * 3_600_000;
/** Funding history changes at settlements only; a minute's reuse is plenty. */
export const HISTORY_TTL_MS = 60_000;
/** A history that failed is answered with the same error for this long, without asking the venue again. */
export const HISTORY_FAILURE_TTL_MS = 15_000;
/**
 * History is fetched for one of these windows (days): the smallest that covers the days asked, or the longest
 * one already cached, so any mix of `days` costs at most four loads per symbol per TTL.
 */
export const HISTORY_WINDOWS = [7, 30, 90, 365] as const;
/** Cached histories kept at most (each up to a year of hourly rows). */
const HISTORY_CACHE_ENTRIES = 64;
/** Pages of history fetched at most per load (a year of Bybit's 200-row pages is 6). */
const HISTORY_MAX_PAGES = 12;
const DAY_MS = 86_400_000;

/** A value with the time it was fetched, and whether it is the last good one served past a failure. */
interface Timed<T> {
  value: T;
  at: number;
  stale: boolean;
}

const timedOut = () => new MarketError("upstream_timeout", "upstream timed out");
const asMarketError = (err: unknown) =>
  err instanceof MarketError ? err : new MarketError("upstream_error", "upstream failed", String(err));

/** Settles with `p`, or with `late()` when `ms` pass first on the injected clock (p goes on regardless). */
function withDeadline<T>(p: Promise<T>, ms: number, env: Required<Env>, late: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = env.timer(() => {
      try {
        resolve(late());
      } catch (err) {
        reject(err);
      }
    }, ms);
    p.then(
      (v) => {
        stop();
        resolve(v);
      },
      (err) => {
        stop();
        reject(err);
      },
    );
  });
}

/**
 * A cached value refreshed on demand, one refresh in flight shared by every caller. A fresh value (within
 * `ttl`) is served at once. Past it, the refresh starts and a last good value (within `staleLimit`) is served
 * flagged stale once the refresh has taken `staleWaitMs`, or at once when the previous refresh failed; with no
 * last good value the caller waits at most `coldWaitMs`. Failures are never stored as values.
 */
class Refreshing<T> {
  private good?: { value: T; at: number };
  private failure?: { error: MarketError; at: number };
  private inflight?: Promise<Timed<T>>;

  constructor(
    private readonly options: {
      ttlMs: number;
      staleLimitMs: number;
      /** After a failure, no new refresh before this much time (0: the next request tries again). */
      retryAfterFailureMs: number;
      load: () => Promise<T>;
      env: Required<Env>;
      onResult: (error?: MarketError) => void;
    },
  ) {}

  /** Resolves when no refresh is running (tests wait for a background refresh with it). */
  async idle(): Promise<void> {
    while (this.inflight) await this.inflight.catch(() => undefined);
  }

  /** The last good value, however old, without fetching. */
  peek(): { value: T; at: number } | undefined {
    return this.good;
  }

  get(staleWaitMs: number, coldWaitMs: number): Promise<Timed<T>> {
    const { env, ttlMs, staleLimitMs, retryAfterFailureMs } = this.options;
    const now = env.now();
    const good = this.good;
    if (good && now - good.at < ttlMs) return Promise.resolve({ ...good, stale: false });
    const usable = good && now - good.at <= staleLimitMs ? good : undefined;
    const failure = this.failure;
    const failedLast = failure !== undefined && (!good || failure.at >= good.at);
    if (failedLast && now - failure.at < retryAfterFailureMs) {
      return usable ? Promise.resolve({ ...usable, stale: true }) : Promise.reject(failure.error);
    }
    const refresh = this.start();
    if (usable) {
      if (failedLast || staleWaitMs <= 0) return Promise.resolve({ ...usable, stale: true });
      return withDeadline(refresh, staleWaitMs, env, () => ({ ...usable, stale: true }));
    }
    return withDeadline(refresh, coldWaitMs, env, () => {
      throw this.failure && this.failure.at >= now ? this.failure.error : timedOut();
    });
  }

  private start(): Promise<Timed<T>> {
    if (!this.inflight) {
      const p = this.refresh().finally(() => {
        if (this.inflight === p) this.inflight = undefined;
      });
      // The refresh may outlive every caller that waited for it: its failure is recorded, not thrown at no one.
      p.catch(() => undefined);
      this.inflight = p;
    }
    return this.inflight;
  }

  private async refresh(): Promise<Timed<T>> {
    const { load, env, onResult, staleLimitMs } = this.options;
    try {
      const value = await load();
      this.good = { value, at: env.now() };
      this.failure = undefined;
      onResult();
      return { ...this.good, stale: false };
    } catch (err) {
      const error = asMarketError(err);
      this.failure = { error, at: env.now() };
      onResult(error);
      if (this.good && env.now() - this.good.at <= staleLimitMs) return { ...this.good, stale: true };
      throw error;
    }
  }
}

/** Per-venue health for GET /api/v1/health. */
export interface VenueHealth {
  lastSuccess: string | null;
  lastError: { time: string; message: string } | null;
  upstreamRequests: number;
}

/** One entry of GET /api/v1/contracts. */
export interface ContractEntry {
  exchange: Exchange;
  symbol: string;
  coin: string;
  kind: ResolvedContract["kind"];
  contractSize: number;
  /** ISO 8601 delivery time of a dated future as the venue lists it; null for perpetuals and table families. */
  expiry: string | null;
  /** For a family of the built-in table (dated futures, other coins): the symbols it matches. */
  pattern?: string;
  /** "live": the venue's own list now; "replay": the recorded list; "builtin": the table, venue not reached. */
  source: "live" | "replay" | "builtin";
}

/** GET /api/v1/curve: the perpetual first, then the dated futures by expiry. */
export interface Curve {
  exchange: Exchange;
  coin: string;
  quotes: Quote[];
}

/** A series (funding history, candles) read for one contract: rows oldest first, and when they were fetched. */
export interface SeriesRead<R> {
  rows: R[];
  at: number;
  /** The end of the window: the fetch time, or in replay mode the newest recorded row. */
  end: number;
}

interface SeriesEntry {
  good?: { rows: { time: number }[]; days: number; at: number };
  failure?: { error: MarketError; at: number };
  inflight: Map<number, Promise<{ rows: { time: number }[]; at: number }>>;
}

export interface MarketServiceOptions {
  /** Replaces the global fetch (tests count or fail calls with it). */
  fetch?: typeof fetch;
  env?: Partial<Env>;
}

interface Venue {
  adapter: VenueAdapter;
  gate: VenueGate;
  snapshot: Refreshing<VenueSnapshot>;
  listing: Refreshing<Listing>;
}

/**
 * Everything the API serves, from the venues or from the recorded data: one refresh per venue per TTL serves
 * every symbol and client of that venue; each venue's instrument list (at most hourly) decides what exists;
 * histories are cached per venue and symbol at the longest window asked.
 */
export class MarketService {
  readonly upstream: Upstream;
  private readonly env: Required<Env>;
  private readonly venues = new Map<Exchange, Venue>();
  /** The last payload of every request by name, reused within the request's own max age. */
  private readonly parts = new Map<string, { payload: unknown; at: number }>();
  private readonly partsInflight = new Map<string, Promise<unknown>>();
  /** Aborted when the server closes: no upstream call outlives it. */
  private readonly closing = new AbortController();
  private readonly series = new Map<string, SeriesEntry>();
  private readonly health = new Map<
    Exchange,
    { lastSuccess: number | null; lastError: { time: number; message: string } | null }
  >();
  private readonly source: "live" | "replay";
  private readonly coldWaitMs: number;

  constructor(
    private readonly config: ServerConfig,
    options: MarketServiceOptions = {},
  ) {
    this.env = { ...realEnv, ...options.env };
    this.source = config.market;
    this.coldWaitMs = config.upstreamTimeoutMs + COLD_EXTRA_MS;
    this.upstream = new Upstream(
      options.fetch ?? globalThis.fetch,
      config.upstreamTimeoutMs,
      this.env,
      config.upstreamMaxBodyBytes,
    );
    for (const exchange of EXCHANGES) {
      const adapter = VENUES[exchange];
      const onResult = (e?: MarketError) => this.record(exchange, e);
      const venue: Venue = {
        adapter,
        gate: new VenueGate(adapter.budget.limit, adapter.budget.windowMs),
        snapshot: new Refreshing({
          ttlMs: config.quoteTtlMs,
          staleLimitMs: STALE_LIMIT_MS,
          retryAfterFailureMs: 0,
          load: () => this.loadSnapshot(venue),
          env: this.env,
          onResult,
        }),
        listing: new Refreshing({
          ttlMs: LISTING_MAX_AGE_MS,
          staleLimitMs: LISTING_STALE_LIMIT_MS,
          retryAfterFailureMs: LISTING_RETRY_MS,
          load: () => this.loadListing(venue),
          env: this.env,
          onResult,
        }),
      };
      this.venues.set(exchange, venue);
      this.health.set(exchange, { lastSuccess: null, lastError: null });
    }
  }

  /** The time dated futures are judged against: now, or in replay mode the time the data was recorded. */
  private expiryClock(): number {
    return this.source === "replay" ? RECORDED_AT : this.env.now();
  }

  /** The venue's own list of its contracts, or undefined (the built-in table serves) when it has none yet. */
  private async listing(exchange: Exchange): Promise<Listing | undefined> {
    try {
      return (await this.venues.get(exchange)!.listing.get(0, this.coldWaitMs)).value;
    } catch {
      return undefined;
    }
  }

  private async snapshot(exchange: Exchange): Promise<Timed<VenueSnapshot> | MarketError> {
    try {
      return await this.venues.get(exchange)!.snapshot.get(STALE_WAIT_MS, this.coldWaitMs);
    } catch (err) {
      return asMarketError(err);
    }
  }

  /**
   * One entry per item (exchange and symbol as typed), in order: a quote, or that item's error. Each venue is
   * refreshed at most once however many items it has, and no venue holds the answer past its deadline.
   */
  async quotes(items: readonly { exchange: Exchange; symbol: string }[]): Promise<QuoteResult[]> {
    const exchanges = [...new Set(items.map((i) => i.exchange))];
    const now = this.expiryClock();
    const state = new Map(
      await Promise.all(
        exchanges.map(async (e) => {
          // With the venue's list at hand, a request naming nothing it lists costs no upstream call; a cold
          // list is fetched beside the quotes, not before them, so the answer waits for one round trip.
          if (this.venues.get(e)!.listing.peek()) {
            const listing = await this.listing(e);
            const wanted = items.some((i) => i.exchange === e && resolveListed(e, i.symbol, listing, now).ok);
            return [e, [listing, wanted ? await this.snapshot(e) : undefined] as const] as const;
          }
          return [e, await Promise.all([this.listing(e), this.snapshot(e)])] as const;
        }),
      ),
    );
    return items.map((item) => {
      const [listing, snap] = state.get(item.exchange)!;
      const fail = (code: string, message: string): QuoteResult => ({
        exchange: item.exchange,
        symbol: item.symbol,
        error: { code, message },
      });
      const found = resolveListed(item.exchange, item.symbol, listing, now);
      if (!found.ok) return fail(found.code, found.message);
      const c = found.contract;
      if (snap === undefined) throw new Error("unreachable: a listed item always has its venue's quotes");
      if (snap instanceof MarketError) return fail(snap.code, `${c.exchange}: ${snap.message}`);
      const quote = this.quoteOf(c, snap, now);
      if (quote.ok) return quote.quote;
      return { exchange: c.exchange, symbol: c.symbol, error: { code: quote.code, message: quote.message } };
    });
  }

  private quoteOf(
    c: ResolvedContract,
    snap: Timed<VenueSnapshot>,
    now: number,
  ): { ok: true; quote: Quote } | { ok: false; code: string; message: string } {
    const data: MarketData | MarketError | undefined = snap.value.get(c.symbol);
    if (data === undefined)
      return {
        ok: false,
        code: "not_listed",
        message: `${c.exchange}: ${c.symbol} is not quoted by the venue now`,
      };
    if (data instanceof MarketError)
      return { ok: false, code: data.code, message: `${c.exchange}: ${data.message}` };
    const expiry = c.expiry ?? data.expiry;
    if (expiry !== null && expiry <= now) return expired(c.exchange, c.symbol, expiry);
    const quote = buildQuote(c, { ...data, expiry }, snap.at, this.source, snap.stale);
    return { ok: true, quote };
  }

  /** Every live inverse contract of a coin on a venue, quoted: the perpetual(s) first, then dated futures by expiry. */
  async curve(exchange: Exchange, typedCoin: string): Promise<Curve> {
    const coin = typedCoin.trim().toUpperCase() === "XBT" ? "BTC" : typedCoin.trim().toUpperCase();
    const [listing, snap] = await Promise.all([this.listing(exchange), this.snapshot(exchange)]);
    if (snap instanceof MarketError)
      throw new MarketError(snap.code, `${exchange}: ${snap.message}`, snap.detail);
    const now = this.expiryClock();
    const contracts: ResolvedContract[] = listing
      ? listing.contracts
          .filter((c) => c.coin === coin)
          .map((c) => ({
            exchange,
            symbol: c.symbol,
            coin,
            kind: c.kind,
            contractSize: c.contractSize,
            expiry: c.expiry,
          }))
      : [...snap.value.keys()].flatMap((symbol) => {
          const found = findContract(exchange, symbol);
          return found.ok && found.contract.coin === coin && found.contract.symbol === symbol
            ? [found.contract]
            : [];
        });
    const quotes = contracts.flatMap((c) => {
      const q = this.quoteOf(c, snap, now);
      return q.ok ? [q.quote] : [];
    });
    if (quotes.length === 0)
      throw new MarketError(
        "not_listed",
        `${exchange}: no live inverse contract of ${coin.slice(0, 12)} now`,
      );
    const order = (q: Quote) => (q.kind === "perpetual" ? -Infinity : Date.parse(q.expiry!));
    quotes.sort((a, b) => order(a) - order(b) || a.symbol.localeCompare(b.symbol));
    return { exchange, coin, quotes };
  }

  /** Every inverse contract per venue: its own list when it has been reached, else the built-in table. */
  async contracts(): Promise<ContractEntry[]> {
    const now = this.expiryClock();
    const lists = await Promise.all(
      EXCHANGES.map(async (exchange): Promise<ContractEntry[]> => {
        const listing = await this.listing(exchange);
        if (!listing) {
          return CONTRACTS.filter((c) => c.exchange === exchange).map((c) => ({
            exchange,
            symbol: c.symbol,
            coin: c.coin,
            kind: c.kind,
            contractSize: c.contractSize,
            expiry: null,
            ...(c.pattern ? { pattern: c.pattern.source } : {}),
            source: "builtin",
          }));
        }
        return listing.contracts
          .filter((c) => c.expiry === null || c.expiry > now)
          .map((c) => ({
            exchange,
            symbol: c.symbol,
            coin: c.coin,
            kind: c.kind,
            contractSize: c.contractSize,
            expiry: c.expiry === null ? null : new Date(c.expiry).toISOString(),
            source: this.source,
          }));
      }),
    );
    return lists.flat();
  }

  /**
   * The contract a history may be asked for: one the venue lists (an item error otherwise, never an upstream
   * call). Without a listing, a symbol of the built-in table or of the venue's last quotes.
   */
  async listedContract(exchange: Exchange, typed: string): Promise<ResolvedContract> {
    const listing = await this.listing(exchange);
    const found = resolveListed(exchange, typed, listing, this.expiryClock());
    if (!found.ok) throw new MarketError(found.code, found.message);
    if (!listing) {
      const symbol = found.contract.symbol;
      const inTable = CONTRACTS.some((c) => c.exchange === exchange && !c.pattern && c.symbol === symbol);
      const quoted = this.venues.get(exchange)!.snapshot.peek()?.value.has(symbol) ?? false;
      if (!inTable && !quoted) throw new MarketError("not_listed", `${exchange}: ${typed} is not listed now`);
    }
    return found.contract;
  }

  /** Funding settlements of the last `days` days, oldest first. Throws MarketError when nothing usable is cached. */
  async history(contract: ResolvedContract, days: number): Promise<FundingHistory> {
    const read = await this.readSeries(contract, days, fundingSeries(VENUES[contract.exchange]));
    return {
      exchange: contract.exchange,
      symbol: contract.symbol,
      items: toFundingPoints(read.rows, read.end - days * DAY_MS, read.end),
      fetchedAt: new Date(read.at).toISOString(),
      source: this.source,
    };
  }

  /**
   * Daily closes of the last `days` UTC days (the current one as it stands), oldest first, of the kind asked or,
   * where the venue keeps no candles of that kind, of the kind it has (`price` says which).
   */
  async priceHistory(contract: ResolvedContract, days: number, asked: PriceKind): Promise<PriceHistory> {
    const candles = CANDLES[contract.exchange];
    if (!candles) throw new MarketError("not_listed", "this venue has no daily price history");
    const kind = servedKind(candles, asked);
    const read = await this.readSeries(contract, days, {
      // Replay mode reads candles-<kind>-<symbol>.json; the cache keeps one series per kind and symbol.
      name: `candles-${kind}`,
      request: (_symbol, startMs, endMs) => candles.request(contract, kind, startMs, endMs),
      parse: (payload) => candles.parse(payload),
    });
    const first = Math.floor(read.end / ONE_DAY_MS) * ONE_DAY_MS - (days - 1) * ONE_DAY_MS;
    const byDay = new Map(
      read.rows.filter((c) => c.time >= first && c.time <= read.end).map((c) => [c.time, c]),
    );
    return {
      exchange: contract.exchange,
      symbol: contract.symbol,
      price: kind,
      items: [...byDay.values()]
        .sort((a, b) => a.time - b.time)
        .map((c) => ({ time: new Date(c.time).toISOString(), close: c.close })),
      fetchedAt: new Date(read.at).toISOString(),
      source: this.source,
    };
  }

  /**
   * Any series of a listed contract (funding history, candles): cached per venue, series and symbol at the
   * longest window asked and sliced by the caller; failures cached for HISTORY_FAILURE_TTL_MS; upstream calls
   * spend only the history share of the venue's budget. Rows as the source parsed them (any order).
   */
  async readSeries<R extends { time: number }>(
    contract: ResolvedContract,
    days: number,
    source: SeriesSource<R>,
  ): Promise<SeriesRead<R>> {
    const key = `${contract.exchange}:${source.name}:${contract.symbol}`;
    const entry: SeriesEntry = this.series.get(key) ?? { inflight: new Map() };
    // Map order is insertion order: re-inserting marks the entry as most recently used.
    this.series.delete(key);
    this.series.set(key, entry);
    while (this.series.size > HISTORY_CACHE_ENTRIES) this.series.delete(this.series.keys().next().value!);

    const now = this.env.now();
    const read = (v: { rows: { time: number }[]; at: number }): SeriesRead<R> => ({
      rows: v.rows as R[],
      at: v.at,
      end: this.source === "replay" ? Math.max(...v.rows.map((r) => r.time), 0) : v.at,
    });
    const good = entry.good;
    if (good && good.days >= days && now - good.at < HISTORY_TTL_MS) return read(good);
    if (entry.failure && now - entry.failure.at < HISTORY_FAILURE_TTL_MS) {
      if (good && good.days >= days && now - good.at <= STALE_LIMIT_MS) return read(good);
      throw entry.failure.error;
    }
    for (const [window, p] of entry.inflight) if (window >= days) return read(await p);

    const window = Math.max(HISTORY_WINDOWS.find((w) => w >= days) ?? days, good?.days ?? 0);
    const load = this.loadSeries(contract, window, source).then(
      (rows) => {
        const at = this.env.now();
        if (!entry.good || entry.good.days <= window || at - entry.good.at >= HISTORY_TTL_MS)
          entry.good = { rows, days: window, at };
        entry.failure = undefined;
        this.record(contract.exchange);
        return { rows, at };
      },
      (err) => {
        const error = asMarketError(err);
        entry.failure = { error, at: this.env.now() };
        this.record(contract.exchange, error);
        throw error;
      },
    );
    entry.inflight.set(window, load);
    const done = () => entry.inflight.delete(window);
    load.then(done, done);
    try {
      return read(await load);
    } catch (err) {
      if (good && good.days >= days && this.env.now() - good.at <= STALE_LIMIT_MS) return read(good);
      throw err;
    }
  }

  /** Stops every upstream call in flight and makes no new one (the server is closing). */
  close(): void {
    this.closing.abort();
  }

  /** Resolves when no background refresh of any venue is running. */
  async idle(): Promise<void> {
    for (const v of this.venues.values()) {
      await v.snapshot.idle();
      await v.listing.idle();
    }
  }

  /** Health of every venue, in the fixed order. */
  healthReport(): Record<Exchange, VenueHealth> {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return Object.fromEntries(
      EXCHANGES.map((e) => {
        const h = this.health.get(e)!;
        return [
          e,
          {
            lastSuccess: iso(h.lastSuccess),
            lastError: h.lastError && {
              time: iso(h.lastError.time)!,
              message: `${e}: ${h.lastError.message}`,
            },
            upstreamRequests: this.upstream.sent.get(e) ?? 0,
          },
        ];
      }),
    ) as Record<Exchange, VenueHealth>;
  }

  private record(exchange: Exchange, error?: MarketError): void {
    const gate = this.venues.get(exchange)!.gate;
    const now = this.env.now();
    // A venue that times out or fails keeps count, and rests after repeated failures (not while resting:
    // then no call was made).
    if (
      error &&
      (error.code === "upstream_timeout" || error.code === "upstream_unavailable") &&
      !gate.resting(now)
    )
      gate.failed(error, now, this.env.random());
    const h = this.health.get(exchange)!;
    if (error) h.lastError = { time: this.env.now(), message: error.message };
    else h.lastSuccess = this.env.now();
  }

  /** One request's payload: recorded in replay mode, else reused within its max age, else fetched. */
  private async fetchPart(venue: Venue, request: UpstreamRequest, spender: Spender): Promise<unknown> {
    const exchange = venue.adapter.exchange;
    if (this.source === "replay") return this.replayPayload(exchange, request.name);
    const key = `${exchange}:${request.name}`;
    const kept = this.parts.get(key);
    if (request.maxAgeMs !== undefined && kept && this.env.now() - kept.at < request.maxAgeMs)
      return kept.payload;
    const origin = this.config.upstream[exchange] ?? venue.adapter.origin;
    if (spender === "history")
      return this.upstream.get(exchange, origin, request, venue.gate, this.closing.signal, spender);
    // A listing and a quote refresh that need the same payload at once share one call.
    const running = this.partsInflight.get(key);
    if (running) return running;
    const p = this.upstream
      .get(exchange, origin, request, venue.gate, this.closing.signal, spender)
      .then((payload) => {
        // Kept whatever its max age: a request of the same name with a longer one (a listing) reuses it.
        this.parts.set(key, { payload, at: this.env.now() });
        return payload;
      });
    this.partsInflight.set(key, p);
    const done = () => this.partsInflight.delete(key);
    p.then(done, done);
    return p;
  }

  private async replayPayload(exchange: Exchange, name: string): Promise<unknown> {
    const payload = await readRecorded(exchange, name);
    if (payload === undefined) throw new MarketError("not_listed", "no sample data for this in replay mode");
    return payload;
  }

  /**
   * The payloads of a fixed request plan; one failed part (not optional) fails the plan, once every part has
   * ended (a part another plan shares, or a good payload kept for the next refresh, is not cut short; and no
   * call of a finished refresh is left running).
   */
  private async fetchPlan(venue: Venue, requests: readonly UpstreamRequest[]): Promise<unknown[]> {
    const settled = await Promise.allSettled(requests.map((r) => this.fetchPart(venue, r, "quotes")));
    const payloads: unknown[] = [];
    for (const [i, s] of settled.entries()) {
      if (s.status === "fulfilled") payloads.push(s.value);
      else if (requests[i].optional) payloads.push(undefined);
      else throw s.reason;
    }
    return payloads;
  }

  private async loadSnapshot(venue: Venue): Promise<VenueSnapshot> {
    return venue.adapter.parseQuotes(await this.fetchPlan(venue, venue.adapter.quoteRequests));
  }

  private async loadListing(venue: Venue): Promise<Listing> {
    return venue.adapter.parseInstruments(await this.fetchPlan(venue, venue.adapter.instrumentRequests));
  }

  private async loadSeries<R extends { time: number }>(
    contract: ResolvedContract,
    days: number,
    source: SeriesSource<R>,
  ): Promise<R[]> {
    const venue = this.venues.get(contract.exchange)!;
    if (this.source === "replay") {
      // The request is not sent, but a venue that publishes no such series (BingX funding) says so here too.
      source.request(contract.symbol, 0, 0);
      return source.parse(await this.replayPayload(contract.exchange, `${source.name}-${contract.symbol}`));
    }
    const start = this.env.now() - days * DAY_MS;
    let end = this.env.now();
    const rows: R[] = [];
    for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
      const request = source.request(contract.symbol, start, end);
      const got = source.parse(await this.fetchPart(venue, { ...request, maxAgeMs: undefined }, "history"));
      rows.push(...got);
      if (got.length === 0) break;
      const oldest = Math.min(...got.map((r) => r.time));
      // Done when the window is covered, or when the venue ignored the window (no progress).
      if (oldest <= start || oldest >= end) break;
      end = oldest - 1;
    }
    return rows;
  }
}
