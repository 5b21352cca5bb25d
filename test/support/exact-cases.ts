/*
 * Inputs and the oracle for the certified fast path: for every core function, generators of random arguments
 * across the accepted domain (short decimals as people type them, full-precision doubles as formulas make them,
 * integers) plus near-tie arguments (exact results on or a few ulps from a rounding boundary or a rounding
 * decision), and a check that the fast path gives the double the decimal.js definition gives.
 * Shared by the property tests (`npm test`, 10,000 cases a function) and `npm run verify:exact` (1,000,000).
 */
import fc from "fast-check";
import * as analytics from "../../src/core/analytics";
import * as basisMath from "../../src/core/basis";
import * as certified from "../../src/core/certified";
import { D } from "../../src/core/decimal";
import * as fast from "../../src/core/fast";
import * as funding from "../../src/core/funding";
import * as fundingStats from "../../src/core/funding-stats";
import * as inverse from "../../src/core/inverse";
import * as kernel from "../../src/core/kernel";
import type { Side } from "../../src/core/side";
import * as sizing from "../../src/core/sizing";
import { Wide, exactOf } from "./exact-binary";

// ------------------------------------------------------------------------------------------------
// Numbers
// ------------------------------------------------------------------------------------------------

/** A decimal with `digits` significant digits at most, as typed: m / 10^k. */
const shortDecimal = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 0, max: 12 }))
    .map(([m, k]) => m / 10 ** k)
    .filter((x) => x >= min && x <= max);

/** Log-uniform full-precision doubles in [min, max] (min > 0): what formulas and feeds produce. */
const logUniform = (min: number, max: number) =>
  fc.double({ min: 0, max: 1, noNaN: true }).map((t) => Math.min(max, Math.max(min, min * (max / min) ** t)));

/** A positive quantity in [min, max]: short decimals, full doubles and integers alike. */
export const positive = (min: number, max: number) =>
  max < 1
    ? fc.oneof(shortDecimal(min, max), logUniform(min, max))
    : fc.oneof(
        shortDecimal(min, max),
        logUniform(Math.max(min, 1e-12), max),
        fc.integer({ min: Math.max(1, Math.ceil(min)), max: Math.floor(Math.min(max, 2 ** 31)) }),
      );

const signed = (min: number, max: number) =>
  fc.tuple(positive(min, max), fc.boolean()).map(([x, negative]) => (negative ? -x : x));

export const sideArb = fc.constantFrom<Side>(1, -1);
const price = positive(0.01, 1e7);
const notional = positive(1, 1e12);
const leverage = positive(0.01, 1000);
const rate = fc.oneof(signed(1e-6, 0.01), signed(1e-6, 0.999), fc.constant(0));
const fundingRate = rate.filter((r) => r > -1 && r < 1);

/** The compound method now and then: decimal.js's fractional power is slow, and the fast path leaves it alone. */
const rarelyCompound = fc.integer({ min: 0, max: 19 }).map((k) => (k === 0 ? "compound" : "simple"));

/** Doubles a few ulps around x. */
function around(x: number, ulps: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += BigInt(ulps);
  return f[0];
}
const near = (x: number) => fc.integer({ min: -3, max: 3 }).map((k) => around(x, k));

// ------------------------------------------------------------------------------------------------
// The oracle
// ------------------------------------------------------------------------------------------------

/** What a cell would show: the double, or the refusal's message. */
type Outcome = number | string;

function outcome(call: () => D | number): Outcome {
  try {
    const r = call();
    const n = typeof r === "number" ? r : r.toNumber();
    return Number.isFinite(n) ? n + 0 : "out of range";
  } catch (err) {
    return (err as Error).message;
  }
}

/** One function under proof: its argument generator, the fast path, the certified path and the definition. */
export interface Subject {
  name: string;
  /** Random arguments across the accepted domain. */
  random: fc.Arbitrary<unknown[]>;
  /** Arguments whose exact result sits on or a few ulps from a rounding boundary or decision. */
  ties: fc.Arbitrary<unknown[]>;
  fast: (...args: never[]) => number;
  certified: (...args: never[]) => number | D;
  definition: (...args: never[]) => number | D;
}

/** Result of checking one argument list. */
export interface Verdict {
  ok: boolean;
  /** The definition gave a number and the fast path did not prove it (refusals are not counted). */
  fallback: boolean;
  detail?: string;
}

/** Fast path (when it answers) and certified path must equal the definition's double bit for bit. */
export function check(subject: Subject, args: unknown[]): Verdict {
  const a = args as never[];
  const expected = outcome(() => subject.definition(...a));
  const y = subject.fast(...a);
  const fallback = y !== y && typeof expected === "number";
  if (y === y && !(typeof expected === "number" && Object.is(y + 0, expected))) {
    return {
      ok: false,
      fallback,
      detail: `fast ${y} but definition ${expected} for ${JSON.stringify(args)}`,
    };
  }
  const got = outcome(() => subject.certified(...a));
  if (!Object.is(got, expected)) {
    return {
      ok: false,
      fallback,
      detail: `certified ${got} but definition ${expected} for ${JSON.stringify(args)}`,
    };
  }
  return { ok: true, fallback };
}

// ------------------------------------------------------------------------------------------------
// Near-tie builders
// ------------------------------------------------------------------------------------------------

/** Odd integer products in (2^53, 2^62): exactly halfway between two doubles, or a few units off. */
const tieProduct = fc
  .tuple(fc.integer({ min: 2 ** 26, max: 2 ** 31 - 1 }), fc.integer({ min: 2 ** 27, max: 2 ** 31 - 1 }))
  .map(([a, b]) => [a | 1, b | 1] as const);

/** Divisions whose exact quotient is a whole number or a half, or a hair off one. */
const halfQuotient = fc
  .tuple(
    fc.integer({ min: 1, max: 10_000_000 }),
    fc.constantFrom(1, 10, 100, 0.1, 0.01, 25, 0.5, 3, 7),
    fc.constantFrom(0, 0.5),
    fc.constantFrom(0, 0, 1e-12, -1e-12, 1e-9, -1e-9),
  )
  .map(([k, size, half, hair]) => [(k + half) * size * (1 + hair), size] as const);

// ------------------------------------------------------------------------------------------------
// The subjects
// ------------------------------------------------------------------------------------------------

const pnlRandom = fc.tuple(notional, price, price, sideArb);
const pnlTies = fc.oneof(
  // exit within a few ulps of entry: the difference cancels
  price.chain((e) => fc.tuple(notional, fc.constant(e), near(e), sideArb)),
  // a notional that is a rounded product of integers: N x (X - E) / (E X) lands a hair from a half
  fc.tuple(tieProduct, sideArb).map(([[a, b], s]) => [a * b * 2, b, 2 * b, s]),
);

const liqRandom = fc.tuple(
  notional,
  price,
  sideArb,
  leverage,
  fc.oneof(positive(1e-4, 0.2), fc.constant(0)),
  fc.oneof(fc.constant(0), positive(1e-4, 10)),
);
const liqTies = fc.oneof(
  // near the "liquidated on opening" line m x N / E = W, and the short's shortfall line
  fc
    .tuple(notional, price, sideArb, fc.integer({ min: 2, max: 1000 }), fc.constantFrom(0, 1e-12, -1e-12))
    .map(([n, e, s, lev, hair]) => [n, e, s, lev, (1 / lev) * (1 + hair), 0]),
  fc
    .tuple(notional, price, fc.constantFrom(0.5, 1, 2))
    .map(([n, e, lev]) => [n, e, -1, lev, 0.005, (n / e) * (1 - 1 / lev)]),
);

const fills = fc
  .integer({ min: 1, max: 30 })
  .chain((len) =>
    fc.tuple(
      fc.array(notional, { minLength: len, maxLength: len }),
      fc.array(price, { minLength: len, maxLength: len }),
    ),
  );

/** Price series: random walks in full doubles, or short decimals, or a futures series equal to spot. */
const series = fc.integer({ min: 3, max: 16 }).chain((len) =>
  fc.oneof(
    fc.tuple(
      fc.array(price, { minLength: len, maxLength: len }),
      fc.array(price, { minLength: len, maxLength: len }),
    ),
    fc
      .tuple(
        price,
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), {
          minLength: len - 1,
          maxLength: len - 1,
        }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
      )
      .map(([p0, moves, basisNoise]) => {
        const spot = [p0];
        for (const m of moves) spot.push(spot[spot.length - 1] * (1 + m));
        const futures = spot.map((p, i) => p * (1 + basisNoise * Math.sin(i)));
        return [spot, futures] as [number[], number[]];
      }),
  ),
);

/** A perfect hedge, futures equal to spot: effectiveness exactly 1, the residual on the rounding line. */
const perfectHedge = fc
  .integer({ min: 3, max: 16 })
  .chain((len) => fc.array(price, { minLength: len, maxLength: len }))
  .map((p) => [p, p] as [number[], number[]]);

const moves = fc.array(
  fc.oneof(
    fc.double({ min: -0.999, max: 5, noNaN: true }),
    shortDecimal(1e-9, 0.99).map((x) => -x),
    fc.constant(0),
  ),
  {
    minLength: 1,
    maxLength: 20,
  },
);

/** Settled funding rates as venues publish them (at most 8 decimals) or as full doubles, of either sign. */
const settledRate = fc.oneof(
  { arbitrary: fc.integer({ min: -300_000, max: 300_000 }).map((k) => k / 1e8), weight: 10 },
  { arbitrary: signed(1e-8, 0.03), weight: 10 },
  { arbitrary: fc.constant(0), weight: 1 },
  // now and then a value below the reader's range (a subnormal): read with a bound of its size
  { arbitrary: fc.double({ min: -1e-30, max: 1e-30, noNaN: true }), weight: 1 },
);
const rateWindow = fc.tuple(
  fc.oneof(
    { arbitrary: fc.array(settledRate, { minLength: 1, maxLength: 30 }), weight: 4 },
    // a year of 8-hourly settlements or less, at any length
    { arbitrary: fc.array(settledRate, { minLength: 1, maxLength: 1100, size: "max" }), weight: 1 },
  ),
  fc.integer({ min: 1, max: 365 }),
);
/** Rates that cancel: each paid back by its opposite, a hair off, so the sum sits at or near 0. */
const cancellingRates = fc
  .tuple(
    fc.array(settledRate, { minLength: 1, maxLength: 200 }),
    fc.constantFrom(0, 0, 1e-12, -1e-12, 2 ** -60),
    fc.integer({ min: 1, max: 365 }),
  )
  .map(([rates, hair, days]) => [[...rates, ...rates.map((r) => -r), hair], days] as [number[], number]);
/** One cell k of FUNDING.STATS's row, so each figure is a subject's double. */
const statsCell = (pair: fc.Arbitrary<[number[], number]>) =>
  fc.tuple(pair, fc.integer({ min: 0, max: 6 })).map(([[rates, days], k]) => [rates, days, k]);
const fastStatsCell = (rates: number[], days: number, k: number) => {
  const row = [0, 0, 0, 0, 0, 0, 0];
  return fast.fundingStatsRow(rates, days, row) ? row[k] : NaN;
};

export const SUBJECTS: Subject[] = [
  {
    name: "INVERSE.PNL",
    random: pnlRandom,
    ties: pnlTies,
    fast: fast.pnl,
    certified: certified.pnl,
    definition: inverse.pnl,
  },
  {
    name: "INVERSE.PNLUSD",
    random: pnlRandom,
    ties: pnlTies,
    fast: fast.pnlUsd,
    certified: certified.pnlUsd,
    definition: inverse.pnlUsd,
  },
  {
    name: "INVERSE.ROE",
    random: fc.tuple(price, price, sideArb, leverage),
    ties: price.chain((e) => fc.tuple(fc.constant(e), near(e), sideArb, leverage)),
    fast: fast.roe,
    certified: certified.roe,
    definition: inverse.roe,
  },
  {
    name: "INVERSE.MARGIN",
    random: fc.tuple(notional, price, leverage),
    ties: tieProduct.map(([a, b]) => [a * b, a, 1]),
    fast: fast.margin,
    certified: certified.margin,
    definition: inverse.margin,
  },
  {
    name: "INVERSE.LIQPRICE",
    random: liqRandom,
    ties: liqTies,
    fast: fast.liquidationPrice,
    certified: certified.liquidationPrice,
    definition: inverse.liquidationPrice,
  },
  {
    name: "INVERSE.AVGENTRY",
    random: fills,
    ties: fc.tuple(tieProduct, tieProduct).map(([[a, b], [c, d]]) => [
      [a * b, c * d],
      [b, d],
    ]),
    fast: fast.averageEntry,
    certified: certified.averageEntry,
    definition: inverse.averageEntry,
  },
  {
    name: "NOTIONAL",
    random: fc.tuple(
      fc.oneof(positive(1e-4, 1e6), fc.constant(0)),
      price,
      fc.oneof(positive(0.01, 10), fc.constant(1)),
    ),
    // odd integer products above 2^53: exactly halfway between two doubles
    ties: tieProduct.map(([a, b]) => [a, b, 1]),
    fast: fast.notional,
    certified: certified.notional,
    definition: sizing.notional,
  },
  {
    name: "SIZE",
    random: fc.tuple(notional, price),
    ties: tieProduct.map(([a, b]) => [a * b, b]),
    fast: fast.size,
    certified: certified.size,
    definition: sizing.size,
  },
  {
    name: "CONTRACTS",
    random: fc.tuple(notional, positive(0.01, 1000), fc.constantFrom("nearest", "down", "up")),
    ties: fc
      .tuple(halfQuotient, fc.constantFrom("nearest", "down", "up"))
      .map(([[n, size], r]) => [n, size, r]),
    fast: fast.contracts,
    certified: certified.contracts,
    definition: sizing.contracts,
  },
  {
    name: "FUNDING.PAYMENT",
    random: fc.tuple(
      notional,
      price,
      rate.filter((r) => r > -1 && r < 1),
      sideArb,
    ),
    ties: fc.tuple(tieProduct, sideArb).map(([[a, b], s]) => [a * b, b, 1e-4, s]),
    fast: fast.fundingPayment,
    certified: certified.fundingPayment,
    definition: funding.fundingPayment,
  },
  {
    name: "FUNDING.APR",
    random: fc.oneof(
      fc.tuple(fundingRate, fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 24), fc.constantFrom("simple", "compound")),
      fc.tuple(fundingRate, positive(0.5, 8760), rarelyCompound),
    ),
    // tiny rates: the compound result cancels against 1
    ties: fc.tuple(
      fc.double({ min: 1e-12, max: 1e-6, noNaN: true }),
      fc.constantFrom(1, 8, 24),
      fc.constantFrom("simple", "compound"),
    ),
    fast: fast.fundingApr,
    certified: certified.fundingApr,
    definition: funding.fundingApr,
  },
  {
    name: "BASIS",
    random: fc.tuple(price, price),
    ties: price.chain((s) => fc.tuple(near(s), fc.constant(s))),
    fast: fast.basis,
    certified: certified.basis,
    definition: basisMath.basis,
  },
  {
    name: "BASIS.APR",
    random: fc
      .tuple(
        price,
        price,
        positive(45_000, 47_000),
        fc.double({ min: 0.001, max: 800, noNaN: true }),
        rarelyCompound,
      )
      .map(([f, s, asOf, days, method]) => [f, s, asOf + days, asOf, method]),
    ties: fc
      .tuple(price, positive(45_000, 47_000), fc.integer({ min: 1, max: 3 }))
      .chain(([s, asOf, ulps]) =>
        fc.tuple(
          near(s),
          fc.constant(s),
          fc.constant(around(asOf, ulps)),
          fc.constant(asOf),
          fc.constant("simple"),
        ),
      ),
    fast: fast.basisApr,
    certified: certified.basisApr,
    definition: basisMath.basisApr,
  },
  {
    name: "RATIO",
    random: series,
    ties: perfectHedge,
    fast: fast.hedgeRatio,
    certified: certified.hedgeRatio,
    definition: analytics.hedgeRatio,
  },
  {
    name: "EFFECTIVENESS",
    random: fc
      .tuple(series, fc.option(fc.oneof(signed(0.01, 5), fc.constant(1)), { nil: undefined }))
      .map(([[s, f], h]) => [s, f, h]),
    ties: fc.tuple(perfectHedge, fc.constantFrom(undefined, 1)).map(([[s, f], h]) => [s, f, h]),
    fast: fast.hedgeEffectiveness,
    certified: certified.hedgeEffectiveness,
    definition: analytics.hedgeEffectiveness,
  },
  {
    name: "FUNDING.STATS",
    random: statsCell(rateWindow),
    ties: statsCell(cancellingRates),
    fast: fastStatsCell,
    certified: (rates: number[], days: number, k: number) => certified.fundingStatsRow(rates, days)[k],
    definition: (rates: number[], days: number, k: number) =>
      fundingStats.statsRow(fundingStats.fundingStats(rates, days))[k],
  },
  {
    name: "FUNDING.EARNED",
    random: fc.tuple(rateWindow, notional, sideArb).map(([[rates], n, s]) => [rates, n, s]),
    ties: fc.tuple(cancellingRates, notional, sideArb).map(([[rates], n, s]) => [rates, n, s]),
    fast: fast.fundingEarned,
    certified: certified.fundingEarned,
    definition: fundingStats.fundingEarned,
  },
];

/** SCENARIO row by row: each certified row must equal the definition's row. */
export const scenarioRandom = fc.tuple(
  fc.oneof(positive(1e-4, 1e4), fc.constant(0)),
  price,
  notional,
  price,
  moves,
  sideArb,
);
/** The full hedge (notional = quantity x price, futures = spot): total_usd cancels to the same value on every row. */
export const scenarioTies = fc
  .tuple(positive(1e-4, 1e4), price, moves)
  .map(([q, p, m]) => [q, p, q * p, p, m, -1] as [number, number, number, number, number[], Side]);

export function checkScenario(
  args: [number, number, number, number, number[], Side],
): Verdict & { rows: number; fallbacks: number } {
  const [q, s, n, f, changes, side] = args;
  const want = analytics
    .scenario(q, s, n, f, changes, side)
    .map((row) => row.map((cell) => (typeof cell === "string" ? cell : cell.toNumber() + 0)));
  const got = certified
    .scenario(q, s, n, f, changes, side)
    .map((row) => row.map((cell) => (typeof cell === "string" ? cell : cell + 0)));
  const readable = fast.scenarioInputs(q, s, n, f);
  let fallbacks = 0;
  const row = [0, 0, 0, 0, 0, 0];
  for (const c of changes) if (!readable || !fast.scenarioRow(c, side, row)) fallbacks++;
  for (let i = 0; i < want.length; i++) {
    for (let j = 0; j < want[i].length; j++) {
      if (!Object.is(got[i][j], want[i][j])) {
        return {
          ok: false,
          fallback: fallbacks > 0,
          rows: changes.length,
          fallbacks,
          detail: `row ${i} cell ${j}: ${got[i][j]} vs ${want[i][j]} for ${JSON.stringify(args)}`,
        };
      }
    }
  }
  return { ok: true, fallback: fallbacks > 0, rows: changes.length, fallbacks };
}

// ------------------------------------------------------------------------------------------------
// The kernel's reader: a number as decimal.js reads it (its shortest round-trip decimal)
// ------------------------------------------------------------------------------------------------

/** Whether the reader holds x's shortest decimal (String(x)) within its bound; true when it declines x. */
export function checkReader(x: number): Verdict {
  if (!kernel.input(x)) return { ok: true, fallback: x === 0 || Math.abs(x) >= 1e-30 };
  const shortest = new Wide(String(x));
  const held = exactOf(kernel.R[0]).plus(exactOf(kernel.R[1]));
  const ok = kernel.R[0] === x && shortest.minus(held).abs().lte(kernel.R[2]);
  return ok
    ? { ok, fallback: false }
    : { ok, fallback: false, detail: `read ${x} as ${kernel.R[0]} + ${kernel.R[1]} (bound ${kernel.R[2]})` };
}

const withSign = (a: fc.Arbitrary<number>) =>
  fc.tuple(a, fc.boolean()).map(([x, negative]) => (negative ? -x : x));

/** Numbers as they reach the reader: full doubles, short and quoted decimals, 15 to 17 digits, integers. */
export const readerRandom = withSign(
  fc.oneof(
    fc.double({ min: 1e-6, max: 1e15, noNaN: true }),
    logUniform(1e-30, 1e15),
    shortDecimal(1e-12, 1e15),
    fc
      .tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 9, max: 30 }))
      .map(([m, k]) => m / 10 ** k),
    fc.tuple(fc.integer({ min: 1, max: 2e8 }), fc.constantFrom(2, 10, 100)).map(([k, per]) => k / per), // prices on a tick, as typed
    fc.tuple(fc.integer({ min: 1, max: 1e7 }), fc.constantFrom(0.5, 0.1, 0.01)).map(([k, tick]) => k * tick), // ticks as a formula computes them
    fc.integer({ min: 1, max: 1e8 }).map((k) => k / 1e8), // rates of up to 8 decimals
    fc.tuple(logUniform(1e-6, 1e15), fc.constantFrom(15, 16, 17)).map(([x, n]) => Number(x.toPrecision(n))),
    fc.integer({ min: 0, max: 2 ** 53 }),
  ),
);

/** Numbers at the reader's decisions: halves between two candidates, its range's ends, powers of ten and two. */
export const readerTies = withSign(
  fc.oneof(
    // decimals longer than 17 digits that doubles hold exactly: two candidates can be equally near
    fc
      .tuple(fc.integer({ min: 1e9, max: 9e14 }), fc.integer({ min: 1, max: 7 }), fc.nat())
      .map(([whole, j, f]) => whole + (f % 2 ** j) / 2 ** j),
    fc
      .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(1, 100, 80_000, 1e6))
      .map(([k, w]) => 1 + (k / 2 ** 32) * w),
    // a few ulps from powers of ten (the decade estimate) and of two (the narrower interval below them)
    fc
      .tuple(fc.integer({ min: -31, max: 15 }), fc.integer({ min: -40, max: 40 }))
      .map(([e, k]) => around(Number(`1e${e}`), k)),
    fc
      .tuple(fc.integer({ min: -100, max: 49 }), fc.integer({ min: -40, max: 40 }))
      .map(([e, k]) => around(2 ** e, k)),
    // subnormal, tiny, huge
    fc.double({ min: 0, max: 1e-300, noNaN: true }),
    fc.double({ min: 1e15, max: 1e300, noNaN: true }),
  ),
);
