import { MarketError, notUnderstood } from "../../market/errors";
import type { UpstreamRequest } from "../../market/venue";

/**
 * Caps every venue body (HEDGE_UPSTREAM_MAX_BYTES overrides it). The largest recorded answer is OKX's full
 * SWAP instrument list, 296 KB for 284 rows; a full BitMEX instrument/active row weighs about 3.2 KB, so
 * 400 active instruments are about 1.3 MB. 4 MiB is three times that.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** With no Retry-After, a rate-limited venue is left alone this long. */
const DEFAULT_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/** Clock, randomness, sleep and timers, injectable so tests can drive them (test/support/fake-clock.ts). */
export interface Env {
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Calls `fn` after `ms` unless the returned function is called first; never keeps the process alive. */
  timer?: (fn: () => void, ms: number) => () => void;
}

export const realEnv: Required<Env> = {
  now: () => Date.now(),
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** Share of a venue's budget that history may spend: the rest is kept for quotes. */
export const HISTORY_BUDGET_SHARE = 0.5;
/** Consecutive failed refreshes after which a venue is left alone for a while (each call already retried once). */
export const BACKOFF_AFTER_FAILURES = 3;
const FIRST_BACKOFF_MS = 2_000;
const LONGEST_BACKOFF_MS = 60_000;

/** Who spends from a venue's budget: quotes may use all of it, history only HISTORY_BUDGET_SHARE. */
export type Spender = "quotes" | "history";

/**
 * One venue's rate budget (sliding window of request weights), its back-off after a 429/418/403 (the venue
 * is not called at all until `blockedUntil`), and its back-off after repeated failures (not called until
 * `failingUntil`, the last real error reported meanwhile).
 */
export class VenueGate {
  private spent: { at: number; weight: number }[] = [];
  blockedUntil = 0;
  /** Consecutive failed refreshes (timeouts, 5xx, unreachable), reset by any successful call. */
  failures = 0;
  failingUntil = 0;
  lastFailure?: MarketError;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Spends `weight` if the window has room for this spender; false means the call must not be made. */
  take(weight: number, now: number, spender: Spender = "quotes"): boolean {
    this.spent = this.spent.filter((s) => now - s.at < this.windowMs);
    const used = this.spent.reduce((sum, s) => sum + s.weight, 0);
    const limit = spender === "history" ? this.limit * HISTORY_BUDGET_SHARE : this.limit;
    if (used + weight > limit) return false;
    this.spent.push({ at: now, weight });
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.failingUntil = 0;
    this.lastFailure = undefined;
  }

  /** Counts a failed refresh; from BACKOFF_AFTER_FAILURES on, the venue rests 2 s, 4 s, ... up to a minute. */
  failed(error: MarketError, now: number, random: number): void {
    this.failures++;
    this.lastFailure = error;
    if (this.failures < BACKOFF_AFTER_FAILURES) return;
    const steps = Math.min(this.failures - BACKOFF_AFTER_FAILURES, 10);
    const rest = Math.min(FIRST_BACKOFF_MS * 2 ** steps, LONGEST_BACKOFF_MS);
    // Up to a quarter more, so servers that failed together do not come back together.
    this.failingUntil = now + rest + Math.floor(random * rest * 0.25);
  }

  /** True while the venue is resting after repeated failures. */
  resting(now: number): boolean {
    return now < this.failingUntil;
  }
}

/**
 * Seconds or an HTTP date, as Retry-After allows; bounded so a hostile header cannot silence a venue for days.
 * Zero (or a date already past) means "retry now": only the usual retry jitter, 100 to 400 ms.
 */
export function retryAfterMs(header: string | null, now: number, random: () => number = Math.random): number {
  if (!header?.trim()) return DEFAULT_BACKOFF_MS;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms) || (Number.isFinite(seconds) && seconds < 0)) return DEFAULT_BACKOFF_MS;
  if (ms <= 0) return jitterMs(random);
  return Math.min(ms, MAX_BACKOFF_MS);
}

/** The pause before a retry: spreads the retries of many servers hitting the same failing venue. */
const jitterMs = (random: () => number) => 100 + Math.floor(random() * 300);

interface Attempt {
  ok: boolean;
  payload?: unknown;
  error?: MarketError;
  retry?: boolean;
}

/** Reads at most `cap` bytes of a body; more is an error, not a truncated read. */
async function readCapped(response: Response, cap: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > cap) {
    response.body?.cancel().catch(() => undefined);
    throw new MarketError("upstream_bad_response", "upstream response too large");
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      reader.cancel().catch(() => undefined);
      throw new MarketError("upstream_bad_response", "upstream response too large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const isAbort = (err: unknown) =>
  err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");

/** The HTTP side of the market service: one venue GET with timeout, body cap, one retry and rate-limit back-off. */
export class Upstream {
  /** Requests actually sent, per venue (retries included): what tests and the benchmark count. */
  readonly sent = new Map<string, number>();

  private readonly env: Required<Env>;

  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
    env: Partial<Env>,
    private readonly maxBodyBytes = MAX_BODY_BYTES,
  ) {
    this.env = { ...realEnv, ...env };
  }

  /** GETs `origin + request.path?request.query` and returns its parsed JSON, or throws a MarketError. */
  async get(
    venue: string,
    origin: string,
    request: UpstreamRequest,
    gate: VenueGate,
    cancel?: AbortSignal,
    spender: Spender = "quotes",
  ): Promise<unknown> {
    const url = new URL(request.path, origin);
    for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v);
    if (request.timeParam) url.searchParams.set(request.timeParam, String(this.env.now()));
    // A venue that keeps failing is not called while it rests; the error reported stays the real one.
    if (gate.resting(this.env.now()) && gate.lastFailure) throw gate.lastFailure;
    // Once failing, a call is a single probe: no retry until the venue has answered again.
    const attempts = gate.failures > 0 ? 1 : 2;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(venue, url, request.weight, gate, spender, cancel);
      if (result.ok) {
        gate.succeeded();
        return result.payload;
      }
      if (!result.retry || attempt >= attempts || cancel?.aborted) throw result.error;
      // Jitter spreads the retries of many servers hitting the same failing venue.
      await this.env.sleep(jitterMs(this.env.random));
    }
  }

  private async attempt(
    venue: string,
    url: URL,
    weight: number,
    gate: VenueGate,
    spender: Spender,
    cancel?: AbortSignal,
  ): Promise<Attempt> {
    if (cancel?.aborted) return { ok: false, error: new MarketError("upstream_error", "cancelled") };
    const now = this.env.now();
    if (now < gate.blockedUntil) {
      return {
        ok: false,
        error: rateLimited(`rate limited, calling again after ${new Date(gate.blockedUntil).toISOString()}`),
      };
    }
    if (!gate.take(weight, now, spender)) {
      // While the venue fails, its real error says more than our own budget does.
      if (gate.lastFailure) return { ok: false, error: gate.lastFailure };
      return {
        ok: false,
        error: rateLimited(
          spender === "history"
            ? "request budget for this venue's history used up (the rest is kept for quotes); try again in a minute"
            : "request budget for this venue used up",
        ),
      };
    }
    this.sent.set(venue, (this.sent.get(venue) ?? 0) + 1);
    const timeouts = new AbortController();
    const stopTimer = this.env.timer(() => timeouts.abort(), this.timeoutMs);
    const signal = cancel ? AbortSignal.any([timeouts.signal, cancel]) : timeouts.signal;
    try {
      return await this.exchange(url, signal, gate);
    } finally {
      stopTimer();
    }
  }

  private async exchange(url: URL, signal: AbortSignal, gate: VenueGate): Promise<Attempt> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        signal,
        redirect: "error",
        headers: { accept: "application/json", "user-agent": "inverse-hedge-addin" },
      });
    } catch (err) {
      if (isAbort(err) || signal.aborted) return { ok: false, retry: true, error: timedOut() };
      return {
        ok: false,
        retry: true,
        error: new MarketError("upstream_unavailable", "upstream unreachable", String(err)),
      };
    }
    try {
      if (response.status === 429 || response.status === 418 || response.status === 403) {
        const text = await readCapped(response, 64 * 1024).catch(() => "");
        const retryAfter = response.headers.get("retry-after");
        if (response.status !== 403 || retryAfter || /rate|limit|too many/i.test(text)) {
          gate.blockedUntil = this.env.now() + retryAfterMs(retryAfter, this.env.now(), this.env.random);
          return { ok: false, error: rateLimited(`rate limited (HTTP ${response.status})`) };
        }
        return {
          ok: false,
          error: new MarketError("upstream_error", "upstream refused the request (HTTP 403)"),
        };
      }
      if (response.status >= 500) {
        response.body?.cancel().catch(() => undefined);
        return {
          ok: false,
          retry: true,
          error: new MarketError("upstream_unavailable", `upstream failed (HTTP ${response.status})`),
        };
      }
      const text = await readCapped(response, this.maxBodyBytes);
      if (response.status === 451) {
        return {
          ok: false,
          error: new MarketError("upstream_error", "upstream refuses this region (HTTP 451)"),
        };
      }
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        return { ok: false, error: notUnderstood(`HTTP ${response.status}, not JSON: ${text.slice(0, 80)}`) };
      }
      // Venues put their own error in a JSON body with a 4xx; the adapter reads it. Other bodies are not data.
      if (response.status >= 400 && (typeof payload !== "object" || payload === null)) {
        return {
          ok: false,
          error: new MarketError("upstream_error", `upstream refused the request (HTTP ${response.status})`),
        };
      }
      return { ok: true, payload };
    } catch (err) {
      if (err instanceof MarketError) return { ok: false, error: err };
      if (isAbort(err) || signal.aborted) return { ok: false, retry: true, error: timedOut() };
      return {
        ok: false,
        retry: true,
        error: new MarketError("upstream_unavailable", "upstream connection failed", String(err)),
      };
    }
  }
}

const timedOut = () => new MarketError("upstream_timeout", "upstream timed out");
const rateLimited = (message: string) => new MarketError("upstream_rate_limited", message);
