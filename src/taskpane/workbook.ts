/*
 * Everything that writes into the workbook (Excel.run), kept apart from the DOM so it can be tested with a
 * double of the Excel objects. Each operation reads what it needs, syncs, then queues all its writes and
 * syncs once: the number of round trips never depends on the number of rows.
 */
import { DATE_1904_OFFSET_DAYS, setWorkbookDate1904 } from "../live/date-system";
import type { QuoteResult } from "../market/types";
import {
  addressShape,
  hedgeSheetPlan,
  type HedgeSheetInput,
  type PlannedCell,
  type PlannedChart,
} from "./hedge-plan";
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
  /** Something the person should know, e.g. that their filter was cleared. */
  notice?: string;
}

/** The ExcelApi requirement set the manifest declares: everything below it needs no check. */
export const MIN_EXCEL_API = "1.7";

/** True when the host supports ExcelApi `version` (false where Office cannot say). */
export function supportsExcelApi(version: string): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  try {
    return office?.context?.requirements?.isSetSupported("ExcelApi", version) === true;
  } catch {
    return false;
  }
}

/**
 * Every batch waits while the person is typing in a cell instead of failing (an auto-refresh would otherwise
 * fail each time it meets cell-edit mode).
 */
function run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
  return Excel.run({ delayForCellEdit: true }, batch);
}

let date1904: Promise<boolean> | undefined;

/**
 * Whether the workbook counts dates from 1904 (Excel for Mac's old default). Asked once per session in a batch
 * of its own: a host without the property (an older requirement set) fails only that batch, meaning 1900.
 */
export function usesDate1904(): Promise<boolean> {
  date1904 ??= run(async (context) => {
    context.workbook.load("use1904DateSystem");
    await context.sync();
    // Not in this version's typings; Excel reports it as a boolean.
    const on = (context.workbook as unknown as { use1904DateSystem?: boolean }).use1904DateSystem === true;
    // The custom functions' dates follow it too (they share this runtime but cannot ask Excel).
    setWorkbookDate1904(on);
    return on;
  }).catch(() => false);
  return date1904;
}

/** Forgets the date system read (tests; a different workbook). */
export function resetDateSystem(): void {
  date1904 = undefined;
  setWorkbookDate1904(false);
}

/** Moves the time columns of rows from 1900-system serials to 1904-system ones. */
function toDateSystem(rows: FundingRow[], is1904: boolean): FundingRow[] {
  if (!is1904) return rows;
  const times = COLUMNS.flatMap((c, i) => (NUMBER_FORMATS[c] === "yyyy-mm-dd hh:mm" ? [i] : []));
  return rows.map((row) =>
    row.map((v, i) => (times.includes(i) && typeof v === "number" ? v - DATE_1904_OFFSET_DAYS : v)),
  );
}

/** Writes one refresh's results into the `HedgeFundingRates` table, creating it (and its sheet) when missing. */
export async function writeFundingTable(results: readonly QuoteResult[]): Promise<FundingTableResult> {
  if (results.length === 0) throw new Error("nothing to write: no contracts are selected");
  const is1904 = await usesDate1904();
  return run(async (context) => {
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
      return createTable(context, name, results, is1904);
    }
    return updateTable(context, table, results, is1904);
  });
}

async function createTable(
  context: Excel.RequestContext,
  sheetName: string,
  results: readonly QuoteResult[],
  is1904: boolean,
): Promise<FundingTableResult> {
  const sheet = context.workbook.worksheets.add(sheetName);
  const rows = toDateSystem(
    results.map((r) => rowFromResult(r)),
    is1904,
  );
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
  is1904: boolean,
): Promise<FundingTableResult> {
  const header = table.getHeaderRowRange().load("values");
  const body = table.getDataBodyRange().load("values");
  const sheet = table.worksheet.load("name");
  // Writing into a filtered table misplaces rows (office-js #224): clear the filter first, and say so.
  // Without AutoFilter (ExcelApi 1.9) there is no telling whether a filter is on: clear it regardless.
  const canTell = supportsExcelApi("1.9");
  const filter = canTell ? table.autoFilter.load("isDataFiltered") : null;
  await context.sync();
  const filtered = filter ? filter.isDataFiltered : false;
  if (filtered || !canTell) table.clearFilters();

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
      added.push(toDateSystem([rowFromResult(result)], is1904)[0]);
      continue;
    }
    const previous = at.map((j) => (j < 0 ? "" : (existing[i][j] as Cell)));
    const next = toDateSystem([rowFromResult(result, toDateSystem([previous], false)[0])], is1904)[0];
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
  return {
    sheet: sheet.name,
    created: false,
    updated,
    added: added.length,
    ...(filtered
      ? { notice: `The filter on the ${TABLE_NAME} table was cleared so that every row could be updated.` }
      : {}),
  };
}

const FILL: Partial<Record<PlannedCell["role"], string>> = { input: "#FFF4CE" };

/** What building a sheet gave: the sheet's name, and why its chart is missing when it is. */
export interface HedgeSheetResult {
  sheet: string;
  chartError?: string;
}

/** Queues one planned cell's value or formula, number format and look. */
function queueCell(sheet: Excel.Worksheet, cell: PlannedCell): void {
  const range = sheet.getRange(cell.address);
  if (cell.numberFormat) {
    const [rows, cols] = addressShape(cell.address);
    range.numberFormat = Array.from({ length: rows }, () => new Array<string>(cols).fill(cell.numberFormat!));
  }
  if (cell.formula !== undefined) range.formulas = [[cell.formula]];
  else if (cell.value !== undefined) range.values = [[cell.value]];
  const fill = FILL[cell.role];
  if (fill) range.format.fill.color = fill;
  if (cell.role === "title" || cell.role === "heading") range.format.font.bold = true;
  if (cell.role === "title") range.format.font.size = 14;
}

/**
 * Adds a sheet named `base` (or `base (2)`, ...) holding the planned cells, then its chart in a batch of its
 * own: the chart plots cells that exist only once Excel has calculated, and a chart Excel cannot make must not
 * cost the person the sheet. Charts need ExcelApi 1.7 (series), checked first.
 */
export async function buildPlannedSheet(
  base: string,
  cells: readonly PlannedCell[],
  chart?: PlannedChart,
  columnWidths: Record<string, number> = { A: 230, B: 110 },
): Promise<HedgeSheetResult> {
  const name = await run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    const name = uniqueSheetName(
      base,
      sheets.items.map((s) => s.name),
    );
    const sheet = sheets.add(name);
    for (const cell of cells) queueCell(sheet, cell);
    for (const [col, width] of Object.entries(columnWidths))
      sheet.getRange(`${col}:${col}`).format.columnWidth = width;
    sheet.activate();
    await context.sync();
    return name;
  });
  if (!chart) return { sheet: name };
  if (!supportsExcelApi(MIN_EXCEL_API)) {
    return {
      sheet: name,
      chartError: `this version of Excel cannot add chart series (ExcelApi ${MIN_EXCEL_API})`,
    };
  }
  try {
    await addChart(name, chart);
    return { sheet: name };
  } catch (err) {
    return { sheet: name, chartError: (err as Error).message || String(err) };
  }
}

/** Adds a `Hedge <COIN>` sheet laid out by hedgeSheetPlan, with its scenario chart. */
export async function buildHedgeSheet(input: HedgeSheetInput): Promise<HedgeSheetResult> {
  const plan = hedgeSheetPlan(input);
  return buildPlannedSheet(`Hedge ${input.coin}`, plan.cells, plan.chart);
}

/** A line chart, its series set one by one (never assuming Excel made any from the source range). */
async function addChart(sheetName: string, spec: PlannedChart): Promise<void> {
  await run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(sheetName);
    const chart = sheet.charts.add(
      Excel.ChartType.line,
      sheet.getRange(spec.series[0].values),
      Excel.ChartSeriesBy.columns,
    );
    chart.series.load("items");
    await context.sync();
    const made = chart.series.items;
    spec.series.forEach((s, i) => {
      const series = made[i] ?? chart.series.add(s.name);
      series.name = s.name;
      series.setValues(sheet.getRange(s.values));
      series.setXAxisValues(sheet.getRange(spec.categories));
    });
    chart.title.text = spec.title;
    chart.setPosition(spec.from, spec.to);
    chart.legend.position = Excel.ChartLegendPosition.bottom;
    await context.sync();
  });
}
