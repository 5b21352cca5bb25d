/* The proxy-hedge and portfolio sheets: their plans written into the workbook. */
import { portfolioPlan, proxySheetPlan, type Holding, type ProxySheetInput } from "./proxy-plan";
import { addPlannedSheet, type WrittenSheet } from "./sheet-writer";

/** Adds a `Proxy <COIN>` sheet: both daily histories, paired by date, the ratio and the hedge, and a chart. */
export async function buildProxySheet(input: ProxySheetInput): Promise<WrittenSheet> {
  const plan = proxySheetPlan(input);
  return addPlannedSheet(`Proxy ${input.coin}`, plan.cells, plan.chart, { A: 230, B: 110, C: 110 });
}

/** Adds a `Portfolio` sheet with one row per holding and USD totals. */
export async function buildPortfolioSheet(holdings: readonly Holding[]): Promise<WrittenSheet> {
  return addPlannedSheet("Portfolio", portfolioPlan(holdings).cells);
}
