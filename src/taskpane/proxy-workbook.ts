/* The proxy-hedge and portfolio sheets: their plans written into the workbook like the hedge sheet. */
import { portfolioPlan, proxySheetPlan, type Holding, type ProxySheetInput } from "./proxy-plan";
import { buildPlannedSheet, type HedgeSheetResult } from "./workbook";

/** Adds a `Proxy <COIN>` sheet: both daily histories, paired by date, the ratio and the hedge, and a chart. */
export async function buildProxySheet(input: ProxySheetInput): Promise<HedgeSheetResult> {
  const plan = proxySheetPlan(input);
  return buildPlannedSheet(`Proxy ${input.coin}`, plan.cells, plan.chart, { A: 230, B: 110, C: 120 });
}

/** Adds a `Portfolio` sheet with one row per holding and USD totals. */
export async function buildPortfolioSheet(holdings: readonly Holding[]): Promise<HedgeSheetResult> {
  return buildPlannedSheet("Portfolio", portfolioPlan(holdings).cells, undefined, { A: 60, C: 90 });
}
