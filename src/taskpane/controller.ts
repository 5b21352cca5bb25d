/*
 * The live-rates refresh cycle without any DOM: one API request per refresh for every selected contract,
 * then (inside Excel) one write of the table. The view subscribes to its state.
 */
import type { QuoteItem } from "../live/client";
import { isQuote, type QuoteResult } from "../market/types";
import { rowFromResult, rowKey, type FundingRow } from "./rows";

export interface RatesState {
  refreshing: boolean;
  /** One row per item asked for, in the order asked. */
  rows: FundingRow[];
  /** When a refresh last completed (request, and the workbook write when there is one). */
  lastGood: Date | null;
  /** Why the last refresh failed as a whole, or null. */
  error: string | null;
  /** "replay" when the server serves recorded data. */
  source: "live" | "replay" | null;
  /** What the last workbook write wants the person to know (e.g. a filter it cleared), or null. */
  notice: string | null;
}

export interface RatesDeps {
  fetchQuotes(items: readonly QuoteItem[], signal?: AbortSignal): Promise<QuoteResult[]>;
  /** Writes the results into the workbook; absent outside Excel. */
  write?(results: readonly QuoteResult[]): Promise<unknown>;
  onChange(state: RatesState): void;
  now?(): Date;
}

/** The auto-refresh choices, in milliseconds (0 = off). */
export const AUTO_REFRESH_MS = [0, 30_000, 60_000, 300_000] as const;

/** Refreshes the selected contracts on demand and on a timer; never runs two refreshes at once. */
export class RatesController {
  private items: QuoteItem[] = [];
  private last = new Map<string, FundingRow>();
  private inFlight: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private intervalMs = 0;
  state: RatesState = {
    refreshing: false,
    rows: [],
    lastGood: null,
    error: null,
    source: null,
    notice: null,
  };

  constructor(private readonly deps: RatesDeps) {}

  /** Starts (or stops) writing each refresh into the workbook: the pane may learn late that it is in Excel. */
  setWriter(write: RatesDeps["write"]): void {
    this.deps.write = write;
  }

  /** Sets what the next refresh asks for. */
  setItems(items: readonly QuoteItem[]): void {
    this.items = [...items];
  }

  /** One refresh; a call while one runs joins it instead of starting another. */
  refresh(): Promise<void> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = null;
      this.schedule();
    });
    return this.inFlight;
  }

  /** Auto-refresh every `ms` (0 turns it off), counted from the end of the previous refresh. */
  setAutoRefresh(ms: number): void {
    this.intervalMs = ms;
    this.schedule();
  }

  /** Stops the timer. */
  dispose(): void {
    this.intervalMs = 0;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.intervalMs > 0 && this.inFlight === null) {
      this.timer = setTimeout(() => void this.refresh(), this.intervalMs);
    }
  }

  private update(patch: Partial<RatesState>): void {
    this.state = { ...this.state, ...patch };
    this.deps.onChange(this.state);
  }

  private async run(): Promise<void> {
    const items = this.items;
    if (items.length === 0) {
      this.update({ error: "Pick at least one venue and coin.", rows: [] });
      return;
    }
    this.update({ refreshing: true });
    try {
      const results = await this.deps.fetchQuotes(items);
      const rows = results.map((r) => {
        const key = rowKey(r.exchange, r.symbol);
        const row = rowFromResult(r, this.last.get(key));
        this.last.set(key, row);
        return row;
      });
      const quote = results.find(isQuote);
      this.update({ rows, source: quote ? quote.source : this.state.source });
      const written = this.deps.write ? await this.deps.write(results) : undefined;
      const notice = (written as { notice?: string } | undefined)?.notice ?? null;
      this.update({ refreshing: false, error: null, notice, lastGood: this.deps.now?.() ?? new Date() });
    } catch (err) {
      this.update({ refreshing: false, error: (err as Error).message || String(err) });
    }
  }
}
