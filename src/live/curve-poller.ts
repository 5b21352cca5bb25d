/*
 * One poll per venue and coin for every cell that shows that futures curve: GET /api/v1/curve every interval
 * while at least one cell listens, none after the last one is cancelled.
 */
import type { Quote } from "../market/types";
import { fetchCurve as defaultFetchCurve, hostTimers } from "./client";
import { DEFAULT_INTERVAL_MS, type PollerTimers } from "./poller";

/** What the server answered for one venue and coin: its contracts, or why there are none. */
export type CurveResult =
  { ok: true; quotes: Quote[] } | { ok: false; status: number; code: string; message: string };

export type CurveListener = (result: CurveResult) => void;

export interface CurvePollerOptions {
  fetchCurve?: (exchange: string, coin: string, signal?: AbortSignal) => Promise<{ quotes: Quote[] }>;
  intervalMs?: number;
  timers?: PollerTimers;
}

interface Curve {
  exchange: string;
  coin: string;
  listeners: Set<CurveListener>;
  last?: CurveResult;
  timer?: unknown;
  busy: boolean;
}

/** Shares the polling of each (venue, coin) curve between the cells that show it. */
export class CurvePoller {
  private readonly curves = new Map<string, Curve>();
  private readonly fetchCurve: NonNullable<CurvePollerOptions["fetchCurve"]>;
  private readonly intervalMs: number;
  private readonly timers: PollerTimers;

  constructor(options: CurvePollerOptions = {}) {
    this.fetchCurve = options.fetchCurve ?? defaultFetchCurve;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.timers = options.timers ?? hostTimers;
  }

  /** Curves currently polled. */
  get size(): number {
    return this.curves.size;
  }

  /** Starts (or joins) the polling of one curve; the returned function unsubscribes. */
  subscribe(exchange: string, coin: string, listener: CurveListener): () => void {
    const key = `${exchange.toLowerCase()}:${coin.toUpperCase()}`;
    let curve = this.curves.get(key);
    if (!curve) {
      curve = {
        exchange: exchange.toLowerCase(),
        coin: coin.toUpperCase(),
        listeners: new Set(),
        busy: false,
      };
      this.curves.set(key, curve);
      this.schedule(curve, 0);
    }
    curve.listeners.add(listener);
    if (curve.last) listener(curve.last);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      curve.listeners.delete(listener);
      if (curve.listeners.size > 0) return;
      if (curve.timer !== undefined) this.timers.clearTimeout(curve.timer);
      curve.timer = undefined;
      if (this.curves.get(key) === curve) this.curves.delete(key);
    };
  }

  private schedule(curve: Curve, ms: number): void {
    curve.timer = this.timers.setTimeout(() => {
      curve.timer = undefined;
      void this.poll(curve);
    }, ms);
  }

  private async poll(curve: Curve): Promise<void> {
    if (curve.busy || curve.listeners.size === 0) return;
    curve.busy = true;
    let result: CurveResult;
    try {
      const body = await this.fetchCurve(curve.exchange, curve.coin);
      if (!Array.isArray(body?.quotes))
        throw new Error("the add-in server's curve answer was not understood");
      result = { ok: true, quotes: body.quotes };
    } catch (err) {
      const e = err as { status?: number; code?: string; message?: string };
      result = {
        ok: false,
        status: e.status ?? 0,
        code: e.code ?? "unreachable",
        message: e.message ?? String(err),
      };
    }
    curve.busy = false;
    // Cancelled while the request was out: nobody listens, and no new poll is scheduled.
    if (curve.listeners.size === 0) return;
    curve.last = result;
    for (const listener of [...curve.listeners]) {
      try {
        listener(result);
      } catch {
        // One broken listener must not starve the others.
      }
    }
    this.schedule(curve, this.intervalMs);
  }
}

const SHARED = Symbol.for("inverse-hedge.curve-poller");

/** The curve poller every HEDGE.FUTURES.CURVE cell shares (kept on globalThis like the quote poller). */
export function sharedCurvePoller(): CurvePoller {
  const g = globalThis as unknown as Record<symbol, CurvePoller | undefined>;
  return (g[SHARED] ??= new CurvePoller());
}
