/*
 * Bad input through the BUILT bundle, called the way Excel calls it: for every calculation function, thousands of
 * generated argument lists must give a finite number (or a table of finite numbers and text) or a
 * CustomFunctions.Error with a message - never a crash, NaN, Infinity or undefined. Run `npm run build` first.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBundle, type FunctionMetadata, type LoadedBundle, type Outcome } from "../support/bundle";

const LIVE = new Set([
  "FUNDING.RATE",
  "MARKET",
  "FUNDING.HISTORY",
  "FUTURES.CURVE",
  "FUNDING.STATS",
  "FUNDING.EARNED",
  "PRICE.HISTORY",
]);
const RUNS = 2_000;

let bundle: LoadedBundle;
let calc: FunctionMetadata[];

beforeAll(() => {
  bundle = loadBundle();
  calc = bundle.metadata.filter((m) => !LIVE.has(m.id));
});

const nastyNumber = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    -1,
    1e308,
    -1e308,
    5e-324,
    -5e-324,
    1,
    -1,
    0.5,
    1e-12,
    2 ** 53,
  ),
  fc.double(),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
);
const plausibleNumber = fc.oneof(
  fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
  fc.double({ min: -0.99, max: 0.99, noNaN: true }),
  fc.integer({ min: 1, max: 200_000 }),
);
const word = fc.constantFrom(
  "long",
  "SHORT",
  "buy",
  "sell",
  "nearest",
  "down",
  "up",
  "simple",
  "compound",
  "bybit",
  "Binance",
  "okx",
  "BTC",
  "ETH",
  "XBTUSD",
  "BTC-USD-SWAP",
  "2025-09-26",
  "2025-06-27T08:00:00Z",
  "2023-02-29",
  "1e999",
  "-1e-999",
  "0x10",
  "NaN",
  "Infinity",
  "50%",
  " 7 ",
  "constructor",
  "__proto__",
  "",
  " ",
);
const scalar = fc.oneof(
  { weight: 3, arbitrary: nastyNumber },
  { weight: 4, arbitrary: plausibleNumber },
  { weight: 3, arbitrary: word },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: nastyNumber.map(String) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constantFrom(null, undefined) },
  { weight: 1, arbitrary: fc.constantFrom({}, [], [[]], [[1, 2]], [[3]], [5], Symbol("x") as unknown) },
);
const cellValue = fc.oneof(
  { weight: 6, arbitrary: plausibleNumber },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 2, arbitrary: fc.constantFrom("", null, " ", "12", "abc", true, undefined) },
);
const range = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.array(cellValue, { minLength: 1, maxLength: 3 }), { maxLength: 12 }) },
  { weight: 2, arbitrary: fc.array(fc.tuple(cellValue), { minLength: 3, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.array(cellValue, { maxLength: 6 }) }, // a flat array, not rows
  { weight: 1, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constantFrom([], [[]], [[], []], [["", null]], [[[1]]] as unknown) },
);

/** A value that fits the parameter, so that calls also reach the math (and its overflows and #N/A cases). */
function fitting(name: string, matrix: boolean): fc.Arbitrary<unknown> {
  const positive = fc.oneof(
    fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
    fc.integer({ min: 1, max: 200_000 }),
  );
  if (matrix) {
    const cells = name === "price_changes" ? fc.double({ min: -0.99, max: 5, noNaN: true }) : positive;
    return fc.array(
      fc.tuple(fc.oneof({ weight: 9, arbitrary: cells }, { weight: 1, arbitrary: fc.constant("") })),
      {
        minLength: 1,
        maxLength: 8,
      },
    );
  }
  const choices: Record<string, fc.Arbitrary<unknown>> = {
    side: fc.constantFrom("long", "short", "Buy", "SELL", 1, -1),
    rounding: fc.constantFrom("nearest", "down", "up", null),
    method: fc.constantFrom("simple", "compound", null),
    exchange: fc.constantFrom("bybit", "binance", "bitmex", "deribit", "okx", "kraken"),
    symbol: fc.constantFrom("BTC", "ETH", "XBTUSD", "BTCUSD_PERP", "BTC-PERPETUAL", "PI_XBTUSD", "DOGE"),
    expiry: fc.oneof(fc.double({ min: 40_000, max: 60_000, noNaN: true }), fc.constant("2030-01-01")),
    as_of: fc.oneof(fc.double({ min: 40_000, max: 50_000, noNaN: true }), fc.constant(null)),
    funding_rate: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    hedge_ratio: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constant(null)),
    maint_margin_rate: fc.oneof(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.constant(null)),
    extra_margin: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constant(null)),
    leverage: fc.double({ min: 0.01, max: 1000, noNaN: true }),
    interval_hours: fc.constantFrom(1, 4, 8, 1e-9, 8760, null),
    quantity: fc.oneof(positive, fc.constant(0)),
  };
  return choices[name] ?? positive;
}

function argsFor(meta: FunctionMetadata): fc.Arbitrary<unknown[]> {
  const matrix = (p: FunctionMetadata["parameters"][number]) => p.dimensionality === "matrix";
  const fits = meta.parameters.map((p) => fitting(p.name, matrix(p)));
  const bad = meta.parameters.map((p) => (matrix(p) ? range : scalar));
  return fc.oneof(
    fc.tuple(...bad),
    fc.tuple(...fits),
    // one bad argument among fitting ones: each rule is reached with the others passing
    fc
      .integer({ min: 0, max: meta.parameters.length - 1 })
      .chain((i) => fc.tuple(...meta.parameters.map((_, j) => (i === j ? bad[j] : fits[j])))),
  );
}

const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);

/** Why an outcome is not acceptable to Excel, or undefined if it is. */
function problem(outcome: Outcome): string | undefined {
  if (outcome.kind === "crash") return `crashed: ${String(outcome.error)}`;
  if (outcome.kind === "error") {
    if (outcome.code !== "#VALUE!" && outcome.code !== "#N/A") return `unexpected error code ${outcome.code}`;
    return outcome.message ? undefined : "error without a message";
  }
  const v = outcome.value;
  if (finite(v)) return undefined;
  if (!Array.isArray(v) || v.length === 0) return `not a finite number or table: ${String(v)}`;
  for (const row of v) {
    if (!Array.isArray(row) || row.length === 0) return "table with a bad row";
    for (const c of row) if (!finite(c) && typeof c !== "string") return `table cell ${String(c)}`;
  }
  return undefined;
}

describe("the built bundle under bad input", () => {
  it("registers every calculation function of the catalog", () => {
    const expected = [
      "NOTIONAL",
      "SIZE",
      "CONTRACTS",
      "INVERSE.PNL",
      "INVERSE.PNLUSD",
      "INVERSE.ROE",
      "INVERSE.MARGIN",
      "INVERSE.LIQPRICE",
      "INVERSE.AVGENTRY",
      "FUNDING.PAYMENT",
      "FUNDING.APR",
      "BASIS",
      "BASIS.APR",
      "RATIO",
      "EFFECTIVENESS",
      "SCENARIO",
      "CONTRACT.SIZE",
    ];
    expect(calc.map((m) => m.id).sort()).toEqual([...expected].sort());
    for (const id of expected) expect(bundle.associated.has(id), id).toBe(true);
    for (const m of calc) {
      const anchor = m.id.toLowerCase().replaceAll(".", "-");
      expect(m.helpUrl, m.id).toMatch(new RegExp(`/help/functions\\.html#${anchor}$`));
      expect(m.description, m.id).toBeTruthy();
      for (const p of m.parameters) expect(p.description, `${m.id} ${p.name}`).toBeTruthy();
    }
  });

  it("has a help entry for every function, live ones included, in a page without inline script or style", () => {
    const html = readFileSync(new URL("../../src/help/functions.html", import.meta.url), "utf8");
    for (const m of bundle.metadata) {
      const anchor = m.id.toLowerCase().replaceAll(".", "-");
      expect(html, m.id).toContain(`id="${anchor}"`);
      expect(html, m.id).toContain(`HEDGE.${m.id}(`);
    }
    expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it("answers every generated call with a finite result or an Excel error with a message", async () => {
    let calls = 0;
    const outcomes = { value: 0, error: 0 };
    for (const meta of calc) {
      await fc.assert(
        fc.asyncProperty(argsFor(meta), async (args) => {
          const outcome = await bundle.invoke(meta.id, args);
          calls++;
          if (outcome.kind !== "crash") outcomes[outcome.kind]++;
          const why = problem(outcome);
          if (why) throw new Error(`${meta.id}(${args.map((a) => JSON.stringify(a)).join(", ")}): ${why}`);
        }),
        { numRuns: RUNS },
      );
    }
    expect(calls).toBe(RUNS * calc.length);
    // the generators reach the math, not only the argument checks
    expect(outcomes.value).toBeGreaterThan(calls / 10);
  });

  it("gives the same answers as the catalog for plain calls", async () => {
    const value = async (id: string, args: unknown[]) => bundle.invoke(id, args);
    expect(await value("INVERSE.PNL", [15_000, 750, 800, "long"])).toEqual({ kind: "value", value: 1.25 });
    expect(await value("NOTIONAL", [5, 65_000, null])).toEqual({ kind: "value", value: 325_000 });
    expect(await value("INVERSE.LIQPRICE", [162_500, 64_500, "short", 1, null, null])).toMatchObject({
      kind: "error",
      code: "#N/A",
    });
    expect(await value("INVERSE.PNL", [10_000, 0, 8_000, "long"])).toEqual({
      kind: "error",
      code: "#VALUE!",
      message: "entry_price must be greater than 0",
    });
  });
});
