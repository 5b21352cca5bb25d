/*
 * Measuring helpers for `npm run bench`. Every figure is taken in the same run as its baseline,
 * so ratios stay meaningful on a noisy machine; each throughput is the median of several rounds.
 */
import { gzipSync } from "node:zlib";

export interface Throughput {
  /** Calls per second, median of the rounds. */
  perSecond: number;
  rounds: number;
  callsPerRound: number;
}

/** Runs `batch(n)` (which must make n calls) until each round lasts about `roundMs`, and reports calls/s. */
export function throughput(batch: (n: number) => void, { rounds = 7, roundMs = 200 } = {}): Throughput {
  // Warm up and size a round so that it lasts about roundMs.
  let n = 1_000;
  for (;;) {
    const t0 = performance.now();
    batch(n);
    const ms = performance.now() - t0;
    if (ms >= roundMs / 4 || n >= 50_000_000) {
      n = Math.max(1, Math.round((n * roundMs) / Math.max(ms, 0.001)));
      break;
    }
    n *= 4;
  }
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    batch(n);
    rates.push((n * 1000) / (performance.now() - t0));
  }
  return { perSecond: median(rates), rounds, callsPerRound: n };
}

/** Times one call (median of `rounds`), in milliseconds. */
export async function timeOnce(fn: () => unknown, rounds = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function gzipBytes(buf: Buffer | string): number {
  return gzipSync(buf, { level: 9 }).length;
}

/** A printed table: a title, column headers and rows. */
export function printTable(title: string, headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? "").length)));
  console.log(`\n${title}`);
  cells.forEach((r, k) => {
    console.log(
      r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  "),
    );
    if (k === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  });
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toPrecision(3);
}
