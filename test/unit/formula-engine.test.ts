/*
 * The formula-engine harness itself, on Excel behaviours a built sheet relies on: evaluation order, dynamic
 * array spills (and #SPILL! when blocked), references into a spill, errors passing through custom functions,
 * and display through number formats.
 */
import { describe, expect, it } from "vitest";
import { EngineError, FormulaWorkbook } from "../support/formula-engine";

const S = "Sheet1";

describe("FormulaWorkbook", () => {
  it("calculates in dependency order whatever the cell order, with Excel's operators and built-ins", async () => {
    const wb = new FormulaWorkbook();
    wb.set(S, "A3", { formula: "=A2*2" });
    wb.set(S, "A2", { formula: "=SUM(A1,1)" });
    wb.set(S, "A1", { value: 4 });
    wb.set(S, "A4", { formula: '=IF(A3>9,"big","small")' });
    await wb.calculate({});
    expect(wb.values(S, "A1:A4").flat()).toEqual([4, 5, 10, "big"]);
  });

  it("spills a custom function's array right and down; later formulas read the spill", async () => {
    const wb = new FormulaWorkbook();
    wb.set(S, "B1", { formula: "=X.TABLE(3)" });
    wb.set(S, "A9", { formula: "=SUM(C2:C3)" });
    await wb.calculate({
      "X.TABLE": async (n: unknown) => Array.from({ length: Number(n) }, (_, i) => [i, i * 10]),
    });
    expect(wb.values(S, "B1:C3")).toEqual([
      [0, 0],
      [1, 10],
      [2, 20],
    ]);
    expect(wb.value(S, "A9")).toBe(30);
  });

  it("a blocked spill is #SPILL! and leaves the blocking cell alone", async () => {
    const wb = new FormulaWorkbook();
    wb.set(S, "A1", { formula: "=X.TABLE()" });
    wb.set(S, "A2", { value: "mine" });
    await wb.calculate({ "X.TABLE": () => [[1], [2]] });
    expect((wb.value(S, "A1") as EngineError).code).toBe("#SPILL!");
    expect(wb.value(S, "A2")).toBe("mine");
  });

  it("errors pass through: a custom function is not called with an error argument", async () => {
    const wb = new FormulaWorkbook();
    const calls: unknown[] = [];
    wb.set(S, "A1", { formula: "=1/0" });
    wb.set(S, "A2", { formula: "=X.ECHO(A1)" });
    await wb.calculate({ "X.ECHO": (v: unknown) => (calls.push(v), v) });
    expect((wb.value(S, "A2") as EngineError).code).toBe("#DIV/0!");
    expect(calls).toEqual([]);
  });

  it("shows values through their number formats, as Excel displays them", async () => {
    const wb = new FormulaWorkbook();
    wb.set(S, "A1", { value: 1234567.891, numberFormat: "#,##0.00" });
    wb.set(S, "A2", { value: 0.000123, numberFormat: "0.0000%" });
    wb.set(S, "A3", { value: 45659.5, numberFormat: "yyyy-mm-dd hh:mm" });
    wb.set(S, "A4", { value: 0.5 });
    expect([wb.text(S, "A1"), wb.text(S, "A2"), wb.text(S, "A3"), wb.text(S, "A4")]).toEqual([
      "1,234,567.89",
      "0.0123%",
      "2025-01-02 12:00",
      "0.5",
    ]);
  });
});
