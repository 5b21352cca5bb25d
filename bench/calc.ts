// Calculation benchmarks: the registered custom functions called as Excel calls them, through the built bundle.
import { loadBundle } from "../test/support/bundle";
import { printTable, throughput, timeOnce } from "./harness";

const SIZE = 1024; // argument sets cycled through, so nothing is constant-folded
// A 32-bit LCG; Math.imul keeps its low bits (a plain * loses them above 2^53, which made the price series
// drift to 1e25).
const rand = (seed: number) => () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

export async function benchCalculation() {
  const bundle = loadBundle();
  const fn = (id: string) => {
    const f = bundle.associated.get(id);
    if (!f) throw new Error(`${id} is not registered`);
    return f as (...args: unknown[]) => unknown;
  };
  const r = rand(42);
  const notional = Array.from({ length: SIZE }, () => 1_000 + Math.round(r() * 1_000_000));
  const entry = Array.from({ length: SIZE }, () => 20_000 + r() * 80_000);
  const exit = entry.map((e) => e * (0.5 + r()));
  const sides = Array.from({ length: SIZE }, () => (r() < 0.5 ? "long" : "short"));
  const signs = sides.map((s) => (s === "long" ? 1 : -1));
  const leverage = Array.from({ length: SIZE }, () => 1 + Math.round(r() * 20));
  const rate = Array.from({ length: SIZE }, () => (r() - 0.3) * 0.001);

  const pnl = fn("INVERSE.PNL");
  const liq = fn("INVERSE.LIQPRICE");
  const size = fn("SIZE");
  const apr = fn("FUNDING.APR");
  let sink = 0;
  const cases: { name: string; bundle: (n: number) => void; float: (n: number) => void }[] = [
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
    },
  ];

  const rows: (string | number)[][] = [];
  const results: Record<string, unknown> = {};
  for (const c of cases) {
    const viaBundle = throughput(c.bundle);
    const plain = throughput(c.float);
    rows.push([c.name, viaBundle.perSecond, plain.perSecond, plain.perSecond / viaBundle.perSecond]);
    results[c.name] = {
      bundleCallsPerSecond: Math.round(viaBundle.perSecond),
      plainFloatCallsPerSecond: Math.round(plain.perSecond),
      floatOverBundle: plain.perSecond / viaBundle.perSecond,
    };
  }
  printTable(
    "Calculation throughput (calls/s, through dist/functions.js vs the same formula in plain floats)",
    ["function", "bundle", "plain float", "float/bundle"],
    rows,
  );

  // Scale: analytics on growing price series, SCENARIO on growing move lists.
  const series = (n: number, seed: number) => {
    const g = rand(seed);
    let p = 50_000;
    return Array.from({ length: n }, () => [(p *= 1 + (g() - 0.5) * 0.04)]);
  };
  const ratio = fn("RATIO");
  const eff = fn("EFFECTIVENESS");
  const scenario = fn("SCENARIO");
  const scaleRows: (string | number)[][] = [];
  const scale: Record<string, unknown> = {};
  for (const n of [1_000, 10_000, 100_000]) {
    const spot = series(n, 7);
    const fut = spot.map(([p], i) => [p * (1 + 0.001 * Math.sin(i))]);
    for (const [name, f, args] of [
      ["HEDGE.RATIO", ratio, [spot, fut]],
      ["HEDGE.EFFECTIVENESS", eff, [spot, fut, null]],
    ] as const) {
      const ms = await timeOnce(() => (f as (...a: unknown[]) => unknown)(...args), n >= 100_000 ? 3 : 5);
      scaleRows.push([name, n, ms, (ms / n) * 1000]);
      scale[`${name} ${n}`] = { ms, microsecondsPerPrice: (ms / n) * 1000 };
    }
  }
  for (const n of [1_000, 10_000]) {
    const moves = Array.from({ length: n }, (_, i) => [-0.9 + (1.8 * i) / n]);
    const ms = await timeOnce(() => scenario(10, 60_000, 600_000, 60_000, moves, null));
    scaleRows.push(["HEDGE.SCENARIO", n, ms, (ms / n) * 1000]);
    scale[`HEDGE.SCENARIO ${n}`] = { ms, microsecondsPerMove: (ms / n) * 1000 };
  }
  printTable(
    "Scale (median ms per call; µs per element shows how time grows)",
    ["function", "size", "ms", "µs/element"],
    scaleRows,
  );
  if (sink === 42) console.log(""); // keeps the loops' results alive
  return { throughput: results, scale };
}
