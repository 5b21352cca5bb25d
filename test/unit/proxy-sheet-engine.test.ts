/*
 * The proxy-hedge and portfolio sheets as a person sees them: the pane builds them (against the Excel double), a
 * real formula engine calculates them with the BUILT bundle's HEDGE.* functions, the histories and quotes come from
 * the replay server. The proxy's ratio is checked against HEDGE.RATIO of the two histories aligned by date here,
 * independently of the sheet's VLOOKUPs; the portfolio's totals against the sum of its rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HISTORY_ROWS,
  PORTFOLIO_COLUMNS,
  portfolioPlan,
  proxySheetPlan,
} from "../../src/taskpane/proxy-plan";
import { buildPortfolioSheet, buildProxySheet } from "../../src/taskpane/proxy-workbook";
import { calculateBuiltSheet } from "../support/built-sheet";
import { loadBundle, type LoadedBundle } from "../support/bundle";
import { bundleFunctions, type FormulaWorkbook } from "../support/formula-engine";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let bundle: LoadedBundle;
beforeAll(async () => {
  server = await startServer({ HEDGE_MARKET: "replay" });
  bundle = loadBundle({ location: { origin: server.url, href: `${server.url}/taskpane.html` }, fetch });
});
afterAll(async () => {
  await server.close();
});

const num = (v: unknown): number => {
  if (typeof v !== "number") throw new Error(`expected a number, got ${String(v)}`);
  return v;
};

/** The B-column value on the row whose label (column A) starts with the text. */
function valueBeside(wb: FormulaWorkbook, sheet: string, label: string): unknown {
  for (let r = 1; r < 40; r++) {
    const v = wb.value(sheet, `A${r}`);
    if (typeof v === "string" && v.startsWith(label)) return wb.value(sheet, `B${r}`);
  }
  throw new Error(`no row labelled ${label}`);
}

/** [date, close] rows of a spilled two-column range, skipping the empty rows below the spill. */
function spilled(wb: FormulaWorkbook, sheet: string, range: string): [number, number][] {
  return wb
    .values(sheet, range)
    .filter((r): r is [number, number] => typeof r[0] === "number" && typeof r[1] === "number");
}

async function ratioOf(spot: number[], futures: number[]): Promise<number> {
  const outcome = await bundle.invoke("RATIO", [spot.map((v) => [v]), futures.map((v) => [v])]);
  if (outcome.kind !== "value") throw new Error(`RATIO failed: ${JSON.stringify(outcome)}`);
  return outcome.value as number;
}

describe("the proxy hedge sheet in a real formula engine", () => {
  const input = {
    coin: "SOL",
    quantity: 250,
    coinExchange: "bybit",
    coinSymbol: "SOLUSD",
    hedgeExchange: "kraken",
    hedgeSymbol: "PI_XBTUSD",
    hedgeCoin: "BTC",
    days: 120,
  };

  it("pairs the histories by date: its ratio is HEDGE.RATIO of the date-aligned closes; the hedge follows from it", async () => {
    const { workbook: wb, sheet } = await calculateBuiltSheet(
      () => buildProxySheet(input),
      bundleFunctions(bundle),
    );
    const plan = proxySheetPlan(input);
    const coin = spilled(wb, sheet, plan.coinHistory);
    const hedge = spilled(wb, sheet, plan.hedgeHistory);
    expect(coin).toHaveLength(120);
    // Kraken's recorded series lacks 2026-10-15: one day fewer, and that date absent.
    const missing = (Date.UTC(2026, 9, 15) - Date.UTC(1899, 11, 30)) / 86_400_000;
    expect(hedge).toHaveLength(119);
    expect(hedge.map((r) => r[0])).not.toContain(missing);

    // Aligned here by date, independently of the sheet's formulas.
    const hedgeByDate = new Map(hedge);
    const pairs = coin.filter(([t]) => hedgeByDate.has(t)).map(([t, c]) => [c, hedgeByDate.get(t)!]);
    expect(pairs).toHaveLength(119);
    const expected = await ratioOf(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
    const ratio = num(valueBeside(wb, sheet, "Hedge ratio"));
    expect(ratio).toBe(expected);
    expect(ratio).toBeGreaterThan(0.5);
    // Pairing by position instead (the hedge series shifted by one day after the gap) gives another ratio.
    const byPosition = await ratioOf(
      coin.slice(0, hedge.length).map((r) => r[1]),
      hedge.map((r) => r[1]),
    );
    expect(Math.abs(byPosition - ratio)).toBeGreaterThan(1e-6);

    expect(num(valueBeside(wb, sheet, "Days paired"))).toBe(119);
    const effectiveness = num(valueBeside(wb, sheet, "Hedge effectiveness"));
    expect(effectiveness).toBeGreaterThan(0);
    expect(effectiveness).toBeLessThanOrEqual(1);

    const price = num(valueBeside(wb, sheet, "SOL price (USD)"));
    const value = num(valueBeside(wb, sheet, "Holding value"));
    const notional = num(valueBeside(wb, sheet, "Hedge notional"));
    const contracts = num(valueBeside(wb, sheet, "Contracts to short"));
    const size = num(valueBeside(wb, sheet, "Contract size"));
    expect(value).toBeCloseTo(250 * price, 9);
    expect(notional).toBeCloseTo(ratio * value, 6);
    expect(contracts).toBe(Math.round(notional / size));
    // Every number in the sheet is a formula: the inputs are the only constants.
    const constants = plan.cells.filter((c) => c.value !== undefined && typeof c.value === "number");
    expect(constants.map((c) => c.role)).toEqual(["input", "input"]);
    // About 1,100 formulas (three per reserved history row) through a JavaScript engine on a shared machine.
  }, 120_000);

  it("reserves rows for the longest history (365 days and today)", () => {
    const plan = proxySheetPlan(input);
    const [from, to] = plan.coinCloses.split(":").map((a) => Number(a.slice(1)));
    expect(to - from + 1).toBe(HISTORY_ROWS);
    expect(HISTORY_ROWS).toBe(366);
  });
});

describe("the portfolio sheet in a real formula engine", () => {
  const holdings = [
    {
      coin: "BTC",
      quantity: 1.5,
      hedge: "direct" as const,
      hedgeRatio: 0.5,
      exchange: "bybit",
      symbol: "BTCUSD",
      priceExchange: "bybit",
      priceSymbol: "BTCUSD",
    },
    {
      coin: "ETH",
      quantity: 20,
      hedge: "direct" as const,
      hedgeRatio: 1,
      exchange: "okx",
      symbol: "ETH-USD-SWAP",
      priceExchange: "okx",
      priceSymbol: "ETH-USD-SWAP",
      leverage: 2,
    },
    {
      coin: "SOL",
      quantity: 400,
      hedge: "proxy" as const,
      hedgeRatio: 1.3,
      exchange: "binance",
      symbol: "BTCUSD_PERP",
      priceExchange: "bybit",
      priceSymbol: "SOLUSD",
    },
  ];

  it("each row's notional, contracts, margin and funding are formulas; the totals are the sums of the rows", async () => {
    const { workbook: wb, sheet } = await calculateBuiltSheet(
      () => buildPortfolioSheet(holdings),
      bundleFunctions(bundle),
    );
    const plan = portfolioPlan(holdings);
    const cell = (col: string, row: number) => num(wb.value(sheet, `${col}${row}`));
    for (const [i, h] of holdings.entries()) {
      const r = plan.rows[i];
      const basePrice = h.hedge === "proxy" ? cell("G", r) : cell("H", r);
      expect(cell("K", r)).toBeCloseTo(h.quantity * basePrice * h.hedgeRatio, 6);
      expect(cell("L", r)).toBe(Math.round(cell("K", r) / cell("I", r)));
      expect(cell("M", r)).toBe(cell("L", r) * cell("I", r));
      expect(cell("O", r)).toBeCloseTo(cell("M", r) / (h.leverage ?? 1), 6);
      // A short receives a positive rate: funding per year = position x rate x 8760 / interval.
      expect(cell("R", r)).toBeCloseTo((cell("M", r) * cell("P", r) * 8760) / cell("Q", r), 6);
    }
    // The sheet's note tells the person which rows the totals count, and says it as the formulas do.
    const range = /^=SUM\(K(\d+):K(\d+)\)$/.exec(String(plan.cells.find((c) => c.address === "K5")?.formula));
    expect(range).not.toBeNull();
    expect(String(wb.value(sheet, "A2"))).toContain(`the totals count rows ${range![1]} to ${range![2]}`);
    for (const col of ["K", "M", "O", "R"]) {
      const sum = plan.rows.reduce((a, r) => a + cell(col, r), 0);
      expect(Math.abs(num(wb.value(sheet, plan.totals[col])) - sum), col).toBeLessThanOrEqual(
        1e-9 * Math.abs(sum),
      );
    }
    // A holding added by hand below the rows is counted: the totals' range runs past them.
    expect(plan.sumRows).toBe(`${plan.headerRow + 1}:200`);

    // The person copies the last row into the next one (Excel moves its relative references down a row) and
    // types another quantity: after recalculation every total includes the new row.
    const last = plan.rows[plan.rows.length - 1];
    const added = last + 1;
    const before = Object.fromEntries(
      ["K", "M", "O", "R"].map((col) => [col, num(wb.value(sheet, plan.totals[col]))]),
    );
    for (const [col] of PORTFOLIO_COLUMNS) {
      const source = wb.cellSource(sheet, `${col}${last}`)!;
      const formula = source.formula?.replace(new RegExp(`\\b([A-Z]+)${last}\\b`, "g"), `$1${added}`);
      wb.set(sheet, `${col}${added}`, formula !== undefined ? { formula } : { value: source.value });
    }
    wb.set(sheet, `B${added}`, { value: 100 });
    await wb.calculate(bundleFunctions(bundle));
    expect(cell("K", added)).toBeCloseTo(100 * cell("G", added) * 1.3, 6);
    for (const col of ["K", "M", "O", "R"]) {
      const sum = [...plan.rows, added].reduce((a, r) => a + cell(col, r), 0);
      expect(Math.abs(num(wb.value(sheet, plan.totals[col])) - sum), col).toBeLessThanOrEqual(
        1e-9 * Math.abs(sum),
      );
      expect(num(wb.value(sheet, plan.totals[col])), col).not.toBe(before[col]);
    }
  });
});
