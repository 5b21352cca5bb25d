/*
 * A sheet the task pane builds, as a person would see it once Excel has calculated: the pane's builder runs
 * against the Excel double, then the formula engine calculates every cell of the sheet it made (with the
 * bundle's HEDGE.* functions). For any builder: hedge, proxy, portfolio.
 */
import { FakeExcel } from "../unit/taskpane-fake-excel";
import { FormulaWorkbook, loadSheet, type EngineFunction } from "./formula-engine";

export interface CalculatedSheet {
  workbook: FormulaWorkbook;
  /** The sheet's name. */
  sheet: string;
  /** The double the builder wrote into (charts, formats, syncs). */
  excel: FakeExcel;
}

/** Runs `build` (which returns the sheet's name, or an object with `sheet`) and calculates that sheet. */
export async function calculateBuiltSheet(
  build: () => Promise<string | { sheet: string }>,
  functions: Record<string, EngineFunction>,
): Promise<CalculatedSheet> {
  const excel = new FakeExcel();
  const g = globalThis as { Excel?: unknown; Office?: unknown };
  const before = { Excel: g.Excel, Office: g.Office };
  g.Excel = excel.global();
  g.Office = excel.office();
  try {
    const built = await build();
    const sheet = typeof built === "string" ? built : built.sheet;
    const workbook = new FormulaWorkbook();
    loadSheet(workbook, sheet, excel.sheet(sheet).cells);
    await workbook.calculate(functions);
    return { workbook, sheet, excel };
  } finally {
    g.Excel = before.Excel;
    g.Office = before.Office;
  }
}
