/*
 * Everything that writes into the workbook (Excel.run), kept apart from the DOM so it can be tested with a
 * double of the Excel objects. Each operation reads what it needs, syncs, then queues all its writes and
 * syncs once: the number of round trips never depends on the number of rows.
 */
import type { QuoteResult } from "../market/types";
import { addressShape, hedgeSheetPlan, type HedgeSheetInput, type PlannedCell } from "./hedge-plan";
import { COLUMNS, NUMBER_FORMATS, rowFromResult, rowKey, type Cell, type FundingRow } from "./rows";
import { uniqueSheetName } from "./sheet-names";

/** The name of the add-in's table: how it recognises its own rows. */
export const TABLE_NAME = "HedgeFundingRates";
/** Where the table is created when it does not exist yet. */
export const SHEET_NAME = "Funding Rates";

/** What a refresh wrote. */
export interface FundingTableResult {
  sheet: string;
  created: boolean;
  updated: number;
  added: number;
}

/** Writes one refresh's results into the `HedgeFundingRates` table, creating it (and its sheet) when missing. */
export async function writeFundingTable(results: readonly QuoteResult[]): Promise<FundingTableResult> {
  if (results.length === 0) throw new Error("nothing to write: no contracts are selected");
  return Excel.run(async (context) => {
    const table = context.workbook.tables.getItemOrNullObject(TABLE_NAME);
    table.load("name");
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    if (table.isNullObject) {
      const name = uniqueSheetName(
        SHEET_NAME,
        sheets.items.map((s) => s.name),
      );
      return createTable(context, name, results);
    }
    return updateTable(context, table, results);
  });
}

async function createTable(
  context: Excel.RequestContext,
  sheetName: string,
  results: readonly QuoteResult[],
): Promise<FundingTableResult> {
  const sheet = context.workbook.worksheets.add(sheetName);
  const rows = results.map((r) => rowFromResult(r));
  const range = sheet.getRange("A1").getResizedRange(rows.length, COLUMNS.length - 1);
  const body = sheet.getRange("A2").getResizedRange(rows.length - 1, COLUMNS.length - 1);
  body.numberFormat = rows.map(() => COLUMNS.map((c) => NUMBER_FORMATS[c]));
  range.values = [[...COLUMNS], ...rows];
  const table = sheet.tables.add(range, true);
  table.name = TABLE_NAME;
  range.format.autofitColumns();
  sheet.activate();
  await context.sync();
  return { sheet: sheetName, created: true, updated: 0, added: rows.length };
}

async function updateTable(
  context: Excel.RequestContext,
  table: Excel.Table,
  results: readonly QuoteResult[],
): Promise<FundingTableResult> {
  const header = table.getHeaderRowRange().load("values");
  const body = table.getDataBodyRange().load("values");
  const sheet = table.worksheet.load("name");
  await context.sync();

  const names = header.values[0].map((v) => String(v).trim());
  // Where each of our columns is now: the person may have moved them or added their own in between.
  const at = COLUMNS.map((c) => names.indexOf(c));
  if (at[0] < 0 || at[1] < 0) {
    throw new Error(
      `the ${TABLE_NAME} table has no Exchange or Symbol column; rename them back or delete the table`,
    );
  }
  const width = names.length;
  const existing = body.values;
  const rowIndex = new Map<string, number>();
  existing.forEach((row, i) => {
    if (row[at[0]] !== "" && row[at[1]] !== "") rowIndex.set(rowKey(row[at[0]], row[at[1]]), i);
  });

  // null leaves a cell as it is: the person's columns, and our rows that this refresh did not ask for.
  const updates: (Cell | null)[][] = existing.map(() => new Array<Cell | null>(width).fill(null));
  const added: FundingRow[] = [];
  let updated = 0;
  for (const result of results) {
    const i = rowIndex.get(rowKey(result.exchange, result.symbol));
    if (i === undefined) {
      added.push(rowFromResult(result));
      continue;
    }
    const previous = at.map((j) => (j < 0 ? "" : (existing[i][j] as Cell)));
    const next = rowFromResult(result, previous);
    at.forEach((j, c) => {
      if (j >= 0) updates[i][j] = next[c];
    });
    updated += 1;
  }

  if (updated > 0) body.values = updates as Cell[][];
  if (added.length > 0) {
    table.rows.add(
      undefined,
      added.map((row) => {
        const full = new Array<Cell>(width).fill("");
        at.forEach((j, c) => {
          if (j >= 0) full[j] = row[c];
        });
        return full;
      }),
    );
    const formats = new Array<string | null>(width).fill(null);
    at.forEach((j, c) => {
      if (j >= 0) formats[j] = NUMBER_FORMATS[COLUMNS[c]];
    });
    const all = table.getDataBodyRange();
    all.numberFormat = new Array(existing.length + added.length).fill(formats);
  }
  await context.sync();
  return { sheet: sheet.name, created: false, updated, added: added.length };
}

const FILL: Partial<Record<PlannedCell["role"], string>> = { input: "#FFF4CE" };

/** Adds a `Hedge <COIN>` sheet (unique name) laid out by hedgeSheetPlan, with its scenario chart. */
export async function buildHedgeSheet(input: HedgeSheetInput): Promise<string> {
  const plan = hedgeSheetPlan(input);
  return Excel.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    const name = uniqueSheetName(
      `Hedge ${input.coin}`,
      sheets.items.map((s) => s.name),
    );
    const sheet = sheets.add(name);
    for (const cell of plan.cells) {
      const range = sheet.getRange(cell.address);
      if (cell.numberFormat) {
        const [rows, cols] = addressShape(cell.address);
        range.numberFormat = Array.from({ length: rows }, () =>
          new Array<string>(cols).fill(cell.numberFormat!),
        );
      }
      if (cell.formula !== undefined) range.formulas = [[cell.formula]];
      else if (cell.value !== undefined) range.values = [[cell.value]];
      const fill = FILL[cell.role];
      if (fill) range.format.fill.color = fill;
      if (cell.role === "title" || cell.role === "heading") range.format.font.bold = true;
      if (cell.role === "title") range.format.font.size = 14;
    }
    sheet.getRange("A:A").format.columnWidth = 230;
    sheet.getRange("B:B").format.columnWidth = 110;

    const { chart: spec } = plan;
    const chart = sheet.charts.add(
      Excel.ChartType.line,
      sheet.getRange(spec.series[0].values),
      Excel.ChartSeriesBy.columns,
    );
    chart.title.text = spec.title;
    chart.setPosition(spec.from, spec.to);
    const first = chart.series.getItemAt(0);
    first.name = spec.series[0].name;
    first.setXAxisValues(sheet.getRange(spec.categories));
    for (const s of spec.series.slice(1)) {
      const series = chart.series.add(s.name);
      series.setValues(sheet.getRange(s.values));
      series.setXAxisValues(sheet.getRange(spec.categories));
    }
    chart.legend.position = Excel.ChartLegendPosition.bottom;
    sheet.activate();
    await context.sync();
    return name;
  });
}
