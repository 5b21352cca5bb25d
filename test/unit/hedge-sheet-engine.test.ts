/*
 * The hedge worksheet as a person sees it: the pane builds it (against the Excel double), a real formula
 * engine (fast-formula-parser) calculates it with the HEDGE.* functions of the BUILT bundle, and the live
 * cells get replayed venue quotes through the real add-in server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHedgeSheet } from "../../src/taskpane/workbook";
import { loadBundle, type LoadedBundle } from "../support/bundle";
import { calculateBuiltSheet } from "../support/built-sheet";
import { EngineError, FormulaWorkbook, bundleFunctions } from "../support/formula-engine";
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

/** Builds a hedge sheet with the pane's code and calculates it with the engine. */
async function computedSheet(input: Parameters<typeof buildHedgeSheet>[0]) {
  const {
    workbook,
    sheet: name,
    excel,
  } = await calculateBuiltSheet(() => buildHedgeSheet(input), bundleFunctions(bundle));
  return { workbook, name, excel };
}

/** The row whose label (column A) starts with the text. */
function rowOf(workbook: FormulaWorkbook, sheet: string, label: string): number {
  for (let r = 1; r < 60; r++) {
    const v = workbook.value(sheet, `A${r}`);
    if (typeof v === "string" && v.startsWith(label)) return r;
  }
  throw new Error(`no row labelled ${label}`);
}

const num = (v: unknown): number => {
  if (typeof v !== "number") throw new Error(`expected a number, got ${String(v)}`);
  return v;
};

describe("the hedge sheet in a real formula engine", () => {
  it("a full hedge: the hedged column is flat, contracts x size is the notional, margin and liquidation agree", async () => {
    const { workbook: wb, name } = await computedSheet({
      coin: "BTC",
      exchange: "bybit",
      symbol: "BTCUSD",
      quantity: 2.5,
      hedgeRatio: 1,
      leverage: 5,
      maintMarginRate: 0.005,
    });
    const at = (label: string) => wb.value(name, `B${rowOf(wb, name, label)}`);
    const spot = num(at("Spot price"));
    const futures = num(at("Futures price"));
    const size = num(at("Contract size"));
    const notional = num(at("Notional to hedge"));
    const contracts = num(at("Contracts to short"));
    const position = num(at("Position notional"));
    // Replayed bybit BTCUSD: mark 91,250.50, index 91,200.25, 1 USD a contract.
    expect(futures).toBe(91250.5);
    expect(spot).toBe(91200.25);
    expect(size).toBe(1);
    // The short that hedges 2.5 BTC is worth 2.5 BTC at the futures price.
    expect(notional).toBeCloseTo(2.5 * futures, 6);
    expect(contracts).toBe(Math.round(notional / size));
    expect(position).toBe(contracts * size);
    expect(Math.abs(position - notional)).toBeLessThanOrEqual(size / 2);

    // Scenario spill: header in C, one row per move; hedged total (H) is flat to within the rounding to
    // whole contracts: |change| x spot x (half a contract in coin).
    const header = rowOf(wb, name, "Move (input)");
    expect(wb.value(name, `C${header}`)).toBe("change");
    const totals = wb.values(name, `A${header + 1}:H${header + 11}`);
    const mid = totals.find((r) => r[0] === 0)!;
    expect(totals).toHaveLength(11);
    for (const row of totals) {
      const move = num(row[0]);
      const bound = Math.abs(move) * spot * (Math.abs(position - notional) / futures) + 1e-6;
      expect(Math.abs(num(row[7]) - num(mid[7]))).toBeLessThanOrEqual(bound);
      // Unhedged (E) moves with the price: the chart's two lines differ.
      expect(num(row[4])).toBeCloseTo(2.5 * spot * (1 + move), 6);
    }

    // Margin and liquidation cells are what the functions give for the same inputs.
    const margin = await bundle.invoke("INVERSE.MARGIN", [position, futures, 5]);
    expect(margin).toEqual({ kind: "value", value: at("Initial margin") });
    const liq = await bundle.invoke("INVERSE.LIQPRICE", [position, futures, "short", 5, 0.005]);
    expect(liq).toEqual({ kind: "value", value: at("Liquidation price") });
    expect(num(at("Liquidation price"))).toBeGreaterThan(futures);
    expect(num(at("Initial margin"))).toBeCloseTo(position / futures / 5, 12);
  });

  it("what a person reads: number formats applied, no error anywhere, and the 1x short says it cannot be liquidated", async () => {
    const { workbook: wb, name } = await computedSheet({
      coin: "ETH",
      exchange: "okx",
      symbol: "ETH-USD-SWAP",
      quantity: 10,
      hedgeRatio: 0.5,
    });
    const { rows, cols } = wb.usedRange(name);
    const errors: string[] = [];
    for (let r = 1; r <= rows; r++)
      for (let c = 1; c <= cols; c++) {
        const text = wb.textAt(name, r, c);
        if (/^#/.test(text)) errors.push(`${r},${c}: ${text}`);
      }
    expect(errors).toEqual([]);
    const row = (label: string) => rowOf(wb, name, label);
    expect(wb.text(name, `B${row("Liquidation price")}`)).toBe("none (fully collateralised)");
    expect(wb.text(name, `B${row("Hedge ratio")}`)).toBe("50%");
    expect(wb.text(name, `B${row("Funding rate")}`)).toMatch(/^-?\d\.\d{4}%$/);
    expect(wb.text(name, `B${row("Futures price")}`)).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(wb.value(name, `B${row("Contracts to short")}`)).toBe(
      Math.round(num(wb.value(name, `B${row("Notional to hedge")}`)) / 10),
    );
  });

  it("an unknown contract makes the live inputs #N/A or #VALUE!, and errors flow into the cells that use them", async () => {
    const { workbook: wb, name } = await computedSheet({
      coin: "BTC",
      exchange: "bybit",
      symbol: "NOPEUSD",
      quantity: 1,
      hedgeRatio: 1,
    });
    const futures = wb.value(name, `B${rowOf(wb, name, "Futures price")}`);
    expect(futures).toBeInstanceOf(EngineError);
    // The venue's list decides what exists: an unlisted symbol is #N/A saying so.
    expect((futures as EngineError).code).toBe("#N/A");
    expect((futures as EngineError).message).toMatch(/NOPEUSD/);
    const notional = wb.value(name, `B${rowOf(wb, name, "Notional to hedge")}`);
    expect(notional).toBeInstanceOf(EngineError);
  });
});
