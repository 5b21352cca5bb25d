import type { ResolvedContract } from "../../market/contracts";
import { MarketError } from "../../market/errors";
import { EXCHANGES, type Exchange, type FundingHistory, type QuoteResult } from "../../market/types";
import {
  buildQuote,
  toFundingPoints,
  type FundingRow,
  type UpstreamRequest,
  type VenueAdapter,
  type VenueSnapshot,
} from "../../market/venue";
import { VENUES } from "../../market/venues";
import type { ServerConfig } from "../config";
import { readRecorded } from "./recorded";
import { realEnv, Upstream, VenueGate, type Env } from "./upstream";

/** How long a last good value may be served (flagged stale) while its venue fails. */
export const STALE_LIMIT_MS = 10 * 60_000;
/** Funding history changes at settlements only; a minute's reuse is plenty. */
const HISTORY_TTL_MS = 60_000;
/** Cached histories kept at most (each up to a year of hourly rows). */
const HISTORY_CACHE_ENTRIES = 64;
/** Pages of history fetched at most per request (a year of Bybit's 200-row pages is 6). */
const HISTORY_MAX_PAGES = 12;
const DAY_MS = 86_400_000;

/** A value with the time it was fetched, and whether it is the last good one served past a failure. */
interface Timed<T> {
  value: T;
  at: number;
  stale: boolean;
}

/**
 * A cached value refreshed on demand: fresh within `ttl`, one refresh in flight shared by every caller,
 * the last good value served as stale for STALE_LIMIT_MS after failures. Failures are never stored as values.
 */
class Refreshing<T> {
  private good?: { value: T; at: number };
  private inflight?: Promise<Timed<T>>;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly env: Env,
    private readonly onResult: (error?: MarketError) => void,
  ) {}

  get(): Promise<Timed<T>> {
    const now = this.env.now();
    if (this.good && now - this.good.at < this.ttlMs) return Promise.resolve({ ...this.good, stale: false });
    this.inflight ??= this.refresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async refresh(): Promise<Timed<T>> {
    try {
      const value = await this.load();
      this.good = { value, at: this.env.now() };
      this.onResult();
      return { ...this.good, stale: false };
    } catch (err) {
      const error =
        err instanceof MarketError ? err : new MarketError("upstream_error", "upstream failed", String(err));
      this.onResult(error);
      if (this.good && this.env.now() - this.good.at <= STALE_LIMIT_MS) return { ...this.good, stale: true };
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

export interface MarketServiceOptions {
  /** Replaces the global fetch (tests count or fail calls with it). */
  fetch?: typeof fetch;
  env?: Partial<Env>;
}

/**
 * Everything the API serves, from the venues or from the recorded data: one refresh per venue per TTL serves
 * every symbol and client of that venue; histories are cached per venue, symbol and days.
 */
export class MarketService {
  readonly upstream: Upstream;
  private readonly env: Env;
  private readonly gates = new Map<Exchange, VenueGate>();
  private readonly snapshots = new Map<Exchange, Refreshing<VenueSnapshot>>();
  /** Slow-changing parts of a venue's refresh (Binance fundingInfo), reused for their own max age. */
  private readonly parts = new Map<string, { payload: unknown; at: number }>();
  private readonly histories = new Map<string, Refreshing<FundingRow[]>>();
  private readonly health = new Map<
    Exchange,
    { lastSuccess: number | null; lastError: { time: number; message: string } | null }
  >();
  private readonly source: "live" | "replay";

  constructor(
    private readonly config: ServerConfig,
    options: MarketServiceOptions = {},
  ) {
    this.env = { ...realEnv, ...options.env };
    this.source = config.market;
    this.upstream = new Upstream(
      options.fetch ?? globalThis.fetch,
      config.upstreamTimeoutMs,
      this.env,
      config.upstreamMaxBodyBytes,
    );
    for (const exchange of EXCHANGES) {
      const venue = VENUES[exchange];
      this.gates.set(exchange, new VenueGate(venue.budget.limit, venue.budget.windowMs));
      this.health.set(exchange, { lastSuccess: null, lastError: null });
      this.snapshots.set(
        exchange,
        new Refreshing(
          config.quoteTtlMs,
          () => this.loadSnapshot(venue),
          this.env,
          (e) => this.record(exchange, e),
        ),
      );
    }
  }

  /** One entry per contract, in order; each venue refreshed at most once however many contracts it has. */
  async quotes(contracts: readonly ResolvedContract[]): Promise<QuoteResult[]> {
    const venues = [...new Set(contracts.map((c) => c.exchange))];
    const loaded = new Map<Exchange, Timed<VenueSnapshot> | MarketError>(
      await Promise.all(
        venues.map(async (v): Promise<[Exchange, Timed<VenueSnapshot> | MarketError]> => {
          try {
            return [v, await this.snapshots.get(v)!.get()];
          } catch (err) {
            return [v, err as MarketError];
          }
        }),
      ),
    );
    return contracts.map((c) => {
      const snap = loaded.get(c.exchange)!;
      const failure = (e: MarketError): QuoteResult => ({
        exchange: c.exchange,
        symbol: c.symbol,
        error: { code: e.code, message: `${c.exchange}: ${e.message}` },
      });
      if (snap instanceof MarketError) return failure(snap);
      const data = snap.value.get(c.symbol);
      if (data === undefined)
        return failure(new MarketError("not_listed", `${c.symbol} is not listed by the venue now`));
      if (data instanceof MarketError) return failure(data);
      return buildQuote(c, data, snap.at, this.source, snap.stale);
    });
  }

  /** Funding settlements of the last `days` days, oldest first. Throws MarketError when nothing usable is cached. */
  async history(contract: ResolvedContract, days: number): Promise<FundingHistory> {
    const key = `${contract.exchange}:${contract.symbol}:${days}`;
    let cell = this.histories.get(key);
    if (cell) {
      this.histories.delete(key);
    } else {
      cell = new Refreshing(
        HISTORY_TTL_MS,
        () => this.loadHistory(contract, days),
        this.env,
        (e) => this.record(contract.exchange, e),
      );
    }
    // Map order is insertion order: re-inserting marks the entry as most recently used.
    this.histories.set(key, cell);
    while (this.histories.size > HISTORY_CACHE_ENTRIES)
      this.histories.delete(this.histories.keys().next().value!);
    const rows = await cell.get();
    const end = this.source === "replay" ? Math.max(...rows.value.map((r) => r.time), 0) : rows.at;
    return {
      exchange: contract.exchange,
      symbol: contract.symbol,
      items: toFundingPoints(rows.value, end - days * DAY_MS, end),
      fetchedAt: new Date(rows.at).toISOString(),
      source: this.source,
    };
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
    const h = this.health.get(exchange)!;
    if (error) h.lastError = { time: this.env.now(), message: error.message };
    else h.lastSuccess = this.env.now();
  }

  private fetchPayload(
    venue: VenueAdapter,
    request: UpstreamRequest,
    cancel?: AbortSignal,
  ): Promise<unknown> {
    if (this.source === "replay") return this.replayPayload(venue.exchange, request.name);
    const origin = this.config.upstream[venue.exchange] ?? venue.origin;
    return this.upstream.get(venue.exchange, origin, request, this.gates.get(venue.exchange)!, cancel);
  }

  private async replayPayload(exchange: Exchange, name: string): Promise<unknown> {
    const payload = await readRecorded(exchange, name);
    if (payload === undefined)
      throw new MarketError("not_listed", "no recorded data for this in replay mode");
    return payload;
  }

  private async loadSnapshot(venue: VenueAdapter): Promise<VenueSnapshot> {
    // One failed part fails the refresh: the siblings still running are cancelled rather than retried.
    const siblings = new AbortController();
    const payloads = await Promise.all(
      venue.quoteRequests.map(async (request) => {
        const key = `${venue.exchange}:${request.name}`;
        const kept = this.parts.get(key);
        if (request.maxAgeMs !== undefined && kept && this.env.now() - kept.at < request.maxAgeMs) {
          return kept.payload;
        }
        try {
          const payload = await this.fetchPayload(venue, request, siblings.signal);
          if (request.maxAgeMs !== undefined) this.parts.set(key, { payload, at: this.env.now() });
          return payload;
        } catch (err) {
          if (request.optional) return undefined;
          siblings.abort();
          throw err;
        }
      }),
    );
    return venue.parseQuotes(payloads);
  }

  private async loadHistory(contract: ResolvedContract, days: number): Promise<FundingRow[]> {
    const venue = VENUES[contract.exchange];
    if (this.source === "replay") {
      return venue.parseHistory(await this.replayPayload(contract.exchange, `history-${contract.symbol}`));
    }
    const start = this.env.now() - days * DAY_MS;
    let end = this.env.now();
    const rows: FundingRow[] = [];
    for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
      const got = venue.parseHistory(
        await this.fetchPayload(venue, venue.historyRequest(contract.symbol, start, end)),
      );
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
