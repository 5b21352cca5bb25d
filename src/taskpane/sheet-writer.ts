/*
 * Writes a planned sheet (cells from a *-plan module) into a new worksheet: all cells in one batch and one sync,
 * then the chart in a second batch, so a chart Excel cannot make never costs the person the sheet's data.
 */
import { addressShape, type PlannedCell, type PlannedChart } from "./hedge-plan";
import { uniqueSheetName } from "./sheet-names";

const FILL: Partial<Record<PlannedCell["role"], string>> = { input: "#FFF4CE" };

export interface WrittenSheet {
  name: string;
  /** Why the chart is missing, when it could not be added; the sheet is complete without it. */
  chartError?: string;
}

/** Queues one planned cell's value or formula, number format and look. */
export function queueCell(sheet: Excel.Worksheet, cell: PlannedCell): void {
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

function queueChart(sheet: Excel.Worksheet, spec: PlannedChart): void {
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
}

/** Adds a sheet named `base` (or `base (2)`, ...) holding the planned cells, then its chart if any. */
export async function addPlannedSheet(
  base: string,
  cells: readonly PlannedCell[],
  chart?: PlannedChart,
  columnWidths: Record<string, number> = {},
): Promise<WrittenSheet> {
  return Excel.run(async (context) => {
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
    if (!chart) return { name };
    try {
      queueChart(sheet, chart);
      await context.sync();
      return { name };
    } catch (err) {
      return { name, chartError: (err as Error).message || String(err) };
    }
  });
}
