/*
 * One poller for every streaming cell and the task pane: all subscribed instruments go in one
 * GET /api/v1/quotes per tick (50 a request, the API's limit), however many cells show them.
 */
import type { QuoteResult } from "../market/types";
import { fetchQuotes as defaultFetchQuotes, hostTimers, type QuoteItem, type Timers } from "./client";

/** The timers the poller uses; injectable so tests drive time. */
export type PollerTimers = Timers;

export interface PollerOptions {
  fetchQuotes?: (items: readonly QuoteItem[], signal?: AbortSignal) => Promise<QuoteResult[]>;
  /** Time between polls; the server's quote TTL is 10 s, so polling faster gains nothing. */
  intervalMs?: number;
  timers?: PollerTimers;
}

/** Receives every new result for the instrument: a quote, or an error for that instrument alone. */
export type QuoteListener = (result: QuoteResult) => void;

const MAX_ITEMS_PER_REQUEST = 50;
export const DEFAULT_INTERVAL_MS = 10_000;

/** One poll in flight; `cancelled` makes its late answer ignored (AbortController may not exist in every host). */
interface Tick {
  cancelled: boolean;
  controller?: AbortController;
}

interface Subscription {
  item: QuoteItem;
  listeners: Set<QuoteListener>;
  last?: QuoteResult;
}

/** Shares polling between subscribers: one request per tick for all instruments, none without subscribers. */
export class QuotePoller {
  private readonly subs = new Map<string, Subscription>();
  private readonly fetchQuotes: NonNullable<PollerOptions["fetchQuotes"]>;
  private readonly intervalMs: number;
  private readonly timers: PollerTimers;
  private timer: unknown;
  private timerSoon = false;
  private inflight?: Tick;
  /** Set when instruments were added during a tick: poll again as soon as it ends. */
  private again = false;

  constructor(options: PollerOptions = {}) {
    this.fetchQuotes = options.fetchQuotes ?? defaultFetchQuotes;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.timers = options.timers ?? hostTimers;
  }

  /** Instruments currently polled. */
  get size(): number {
    return this.subs.size;
  }

  /** Starts (or joins) polling of one instrument; the returned function unsubscribes. */
  subscribe(item: QuoteItem, listener: QuoteListener): () => void {
    const key = `${item.exchange.toLowerCase()}:${item.symbol}`;
    let sub = this.subs.get(key);
    if (!sub) {
      sub = { item: { exchange: item.exchange.toLowerCase(), symbol: item.symbol }, listeners: new Set() };
      this.subs.set(key, sub);
    }
    sub.listeners.add(listener);
    if (sub.last) listener(sub.last);
    else this.pollSoon();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const current = this.subs.get(key);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.subs.delete(key);
      if (this.subs.size === 0) this.stop();
    };
  }

  /** Stops polling now (the next subscription starts it again). */
  stop(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inflight) {
      this.inflight.cancelled = true;
      this.inflight.controller?.abort();
    }
    this.inflight = undefined;
    this.again = false;
  }

  /** Cells created in one recalculation arrive one by one: a zero delay gathers them into one request. */
  private pollSoon(): void {
    if (this.inflight) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined && this.timerSoon) return;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timerSoon = ms === 0;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.subs.size === 0) return;
    const tick: Tick = {
      cancelled: false,
      controller: typeof AbortController === "function" ? new AbortController() : undefined,
    };
    this.inflight = tick;
    this.again = false;
    const subs = [...this.subs.values()];
    const batches: Subscription[][] = [];
    for (let i = 0; i < subs.length; i += MAX_ITEMS_PER_REQUEST)
      batches.push(subs.slice(i, i + MAX_ITEMS_PER_REQUEST));
    await Promise.all(batches.map((batch) => this.poll(batch, tick)));
    if (tick.cancelled) return;
    this.inflight = undefined;
    if (this.subs.size > 0) this.schedule(this.again ? 0 : this.intervalMs);
  }

  private async poll(batch: Subscription[], tick: Tick): Promise<void> {
    let results: QuoteResult[];
    try {
      results = await this.fetchQuotes(
        batch.map((s) => s.item),
        tick.controller?.signal,
      );
      if (results.length !== batch.length)
        throw new Error("the add-in server answered a different number of quotes");
    } catch (err) {
      if (tick.cancelled) return;
      const message = err instanceof Error ? err.message : String(err);
      const code = (err as { code?: string }).code ?? "unreachable";
      results = batch.map((s) => ({ ...s.item, error: { code, message } }));
    }
    if (tick.cancelled) return;
    batch.forEach((sub, i) => this.deliver(sub, results[i]));
  }

  private deliver(sub: Subscription, result: QuoteResult): void {
    sub.last = result;
    for (const listener of [...sub.listeners]) {
      try {
        listener(result);
      } catch {
        // One broken listener (e.g. a cell Excel already dropped) must not starve the others.
      }
    }
  }
}

const SHARED = Symbol.for("inverse-hedge.quote-poller");

/**
 * The poller every streaming function and the task pane share. Kept on globalThis so that bundles loaded
 * in the same shared runtime (functions.js and taskpane.js) find the same one.
 */
export function sharedPoller(): QuotePoller {
  const g = globalThis as unknown as Record<symbol, QuotePoller | undefined>;
  return (g[SHARED] ??= new QuotePoller());
}
