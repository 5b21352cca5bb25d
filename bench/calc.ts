// Calculation benchmarks: the registered custom functions called as Excel calls them, through the built bundle.
import * as fast from "../src/core/fast";
import { loadBundle } from "../test/support/bundle";
import { printTable, throughput, timeOnce } from "./harness";

const SIZE = 1024; // argument sets cycled through, so nothing is constant-folded (nothing is cached either)
// A 32-bit LCG; Math.imul keeps its low bits (a plain * loses them above 2^53, which made the price series
// drift to 1e25).
const rand = (seed: number) => () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

/** The arguments of one input set: what a sheet passes the four benchmarked functions. */
interface Inputs {
  notional: number[];
  entry: number[];
  exit: number[];
  sides: string[];
  leverage: number[];
  rate: number[];
}

/**
 * Two input sets. "full precision": random doubles, as formulas compute them (16 to 17 significant digits).
 * "quoted": values as people type them and venues quote them: notionals in whole contracts of 100 USD, prices on
 * a tick of 0.5, 0.1 or 0.01, funding rates with at most 8 decimals. Same seeds, same ranges.
 */
function inputs(quoted: boolean): Inputs {
  const r = rand(42);
  const ticks = [0.5, 0.1, 0.01];
  const onTick = (p: number, k: number) => {
    const per = 1 / ticks[k % 3]; // 2, 10, 100: a whole number, so k / per is the typed decimal
    return Math.round(p * per) / per;
  };
  const notional = Array.from({ length: SIZE }, () =>
    quoted ? 100 * (1 + Math.round(r() * 10_000)) : 1_000 + Math.round(r() * 1_000_000),
  );
  const entry = Array.from({ length: SIZE }, (_, k) => {
    const p = 20_000 + r() * 80_000;
    return quoted ? onTick(p, k) : p;
  });
  const exit = entry.map((e, k) => {
    const p = e * (0.5 + r());
    return quoted ? onTick(p, k + 1) : p;
  });
  const sides = Array.from({ length: SIZE }, () => (r() < 0.5 ? "long" : "short"));
  const leverage = Array.from({ length: SIZE }, () => 1 + Math.round(r() * 20));
  const rate = Array.from({ length: SIZE }, () => {
    const x = (r() - 0.3) * 0.001;
    return quoted ? Math.round(x * 1e8) / 1e8 : x;
  });
  return { notional, entry, exit, sides, leverage, rate };
}

/** Share of calls the certified fast path leaves to decimal.js on these arguments (as the rules pass them). */
function fallbackShare(count: number, fastPath: (k: number) => number): number {
  let fallbacks = 0;
  for (let k = 0; k < count; k++) {
    const y = fastPath(k);
    if (y !== y) fallbacks++;
  }
  return fallbacks / count;
}

const pct = (share: number) => `${(100 * share).toFixed(2)} %`;

export async function benchCalculation() {
  const bundle = loadBundle();
  const fn = (id: string) => {
    const f = bundle.associated.get(id);
    if (!f) throw new Error(`${id} is not registered`);
    return f as (...args: unknown[]) => unknown;
  };
  const pnl = fn("INVERSE.PNL");
  const liq = fn("INVERSE.LIQPRICE");
  const size = fn("SIZE");
  const apr = fn("FUNDING.APR");
  let sink = 0;

  const rows: (string | number)[][] = [];
  const results: Record<string, unknown> = {};
  for (const [set, quoted] of [
    ["full precision", false],
    ["quoted", true],
  ] as const) {
    const { notional, entry, exit, sides, leverage, rate } = inputs(quoted);
    const signs = sides.map((s) => (s === "long" ? 1 : -1));
    const cases: {
      name: string;
      bundle: (n: number) => void;
      float: (n: number) => void;
      fallback: number;
    }[] = [
      {
        name: "HEDGE.INVERSE.PNL",
        bundle: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            sink += pnl(notional[k], entry[k], exit[k], sides[k]) as number;
          }
        },
        float: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            sink += signs[k] * notional[k] * (1 / entry[k] - 1 / exit[k]);
          }
        },
        fallback: fallbackShare(SIZE, (k) => fast.pnl(notional[k], entry[k], exit[k], signs[k] as 1 | -1)),
      },
      {
        name: "HEDGE.INVERSE.LIQPRICE (long)",
        bundle: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            sink += liq(notional[k], entry[k], "long", leverage[k], null, null) as number;
          }
        },
        float: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            const N = notional[k];
            const E = entry[k];
            const W = N / (E * leverage[k]);
            sink += (N * (1 + 0.005)) / (W + N / E);
          }
        },
        fallback: fallbackShare(SIZE, (k) =>
          fast.liquidationPrice(notional[k], entry[k], 1, leverage[k], 0.005, 0),
        ),
      },
      {
        name: "HEDGE.SIZE",
        bundle: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            sink += size(notional[k], entry[k]) as number;
          }
        },
        float: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            sink += notional[k] / entry[k];
          }
        },
        fallback: fallbackShare(SIZE, (k) => fast.size(notional[k], entry[k])),
      },
      {
        name: "HEDGE.FUNDING.APR",
        bundle: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            sink += apr(rate[k], null, null) as number;
          }
        },
        float: (n) => {
          for (let i = 0; i < n; i++) {
            const k = i & (SIZE - 1);
            sink += (rate[k] * 8760) / 8;
          }
        },
        fallback: fallbackShare(SIZE, (k) => fast.fundingApr(rate[k], 8, "simple")),
      },
    ];
    for (const c of cases) {
      const viaBundle = throughput(c.bundle);
      const plain = throughput(c.float);
      rows.push([
        c.name,
        set,
        viaBundle.perSecond,
        plain.perSecond,
        plain.perSecond / viaBundle.perSecond,
        pct(c.fallback),
      ]);
      results[`${c.name}${quoted ? " (quoted)" : ""}`] = {
        bundleCallsPerSecond: Math.round(viaBundle.perSecond),
        plainFloatCallsPerSecond: Math.round(plain.perSecond),
        floatOverBundle: plain.perSecond / viaBundle.perSecond,
        fallbackShare: c.fallback,
      };
    }
  }
  printTable(
    "Calculation throughput (calls/s, through dist/functions.js vs the same formula in plain floats; fallback = share of the 1,024 argument sets the fast path leaves to decimal.js)",
    ["function", "inputs", "bundle", "plain float", "float/bundle", "fallback"],
    rows,
  );

  // Scale: analytics on growing price series, SCENARIO on growing move lists; full-precision and quoted inputs.
  const series = (n: number, seed: number, quoted: boolean) => {
    const g = rand(seed);
    let p = 50_000;
    return Array.from({ length: n }, () => {
      p *= 1 + (g() - 0.5) * 0.04;
      return [quoted ? Math.round(p * 2) / 2 : p];
    });
  };
  const ratio = fn("RATIO");
  const eff = fn("EFFECTIVENESS");
  const scenario = fn("SCENARIO");
  const scaleRows: (string | number)[][] = [];
  const scale: Record<string, unknown> = {};
  const flat = (range: number[][]) => range.map(([x]) => x);
  for (const quoted of [false, true]) {
    const set = quoted ? "quoted" : "full precision";
    for (const n of [1_000, 10_000, 100_000]) {
      const spot = series(n, 7, quoted);
      const fut = spot.map(([p], i) => {
        const f = p * (1 + 0.001 * Math.sin(i));
        return [quoted ? Math.round(f * 2) / 2 : f];
      });
      const fallback = [
        Number.isNaN(fast.hedgeRatio(flat(spot), flat(fut))),
        Number.isNaN(fast.hedgeEffectiveness(flat(spot), flat(fut))),
      ];
      for (const [i, [name, f, args]] of (
        [
          ["HEDGE.RATIO", ratio, [spot, fut]],
          ["HEDGE.EFFECTIVENESS", eff, [spot, fut, null]],
        ] as const
      ).entries()) {
        const ms = await timeOnce(() => (f as (...a: unknown[]) => unknown)(...args), n >= 100_000 ? 3 : 5);
        scaleRows.push([name, set, n, ms, (ms / n) * 1000, fallback[i] ? "decimal.js" : "fast"]);
        scale[`${name} ${n}${quoted ? " (quoted)" : ""}`] = {
          ms,
          microsecondsPerPrice: (ms / n) * 1000,
          fellBack: fallback[i],
        };
      }
    }
    for (const n of [1_000, 10_000]) {
      const moves = Array.from({ length: n }, (_, i) => {
        const m = -0.9 + (1.8 * i) / n;
        return [quoted ? Math.round(m * 1e4) / 1e4 : m];
      });
      fast.scenarioInputs(10, 60_000, 600_000, 60_000);
      const row = [0, 0, 0, 0, 0, 0];
      const rowFallbacks = moves.filter(([c]) => !fast.scenarioRow(c, -1, row)).length / n;
      const ms = await timeOnce(() => scenario(10, 60_000, 600_000, 60_000, moves, null));
      scaleRows.push(["HEDGE.SCENARIO", set, n, ms, (ms / n) * 1000, `${pct(rowFallbacks)} of rows`]);
      scale[`HEDGE.SCENARIO ${n}${quoted ? " (quoted)" : ""}`] = {
        ms,
        microsecondsPerMove: (ms / n) * 1000,
        rowFallbackShare: rowFallbacks,
      };
    }
  }
  printTable(
    "Scale (median ms per call; µs per element shows how time grows; fallback: whether the call fell back to decimal.js)",
    ["function", "inputs", "size", "ms", "µs/element", "fallback"],
    scaleRows,
  );
  if (sink === 42) console.log(""); // keeps the loops' results alive
  return { throughput: results, scale };
}
