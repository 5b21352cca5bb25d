/*
 * A real spreadsheet engine for the sheets the task pane builds: fast-formula-parser (MIT) evaluates every
 * formula, with Excel's own operators and built-ins (IF, SUM, ...), and the HEDGE.* functions come from the
 * BUILT bundle (dist/functions.js in a vm, see bundle.ts). Our code computes nothing here except the order of
 * evaluation and dynamic-array spills, which fast-formula-parser leaves to its host.
 *
 * Why fast-formula-parser and not HyperFormula: it is MIT like this project (HyperFormula is GPLv3 or
 * commercial and needs a license key), and it awaits asynchronous functions (parseAsync), which is what
 * Excel's custom functions are; HyperFormula's custom functions must answer synchronously.
 *
 * Typical use: build a sheet with the pane's code against FakeExcel, `fromFakeExcel()` it into a workbook,
 * `calculate(bundleFunctions(loadBundle(...)))`, then read `value()` / `text()` as a person would see them.
 */
import FormulaParser from "fast-formula-parser";
import SSF from "fast-formula-parser/ssf/ssf.js";
import type { LoadedBundle } from "./bundle";
import { ExcelError } from "./bundle";

const { DepParser, FormulaError } = FormulaParser;

/** What a cell holds after calculation: a number, text, logical, or an error with Excel's code. */
export type CellValue = number | string | boolean | null | EngineError;

export class EngineError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
  toString(): string {
    return this.code;
  }
}

export interface SourceCell {
  value?: string | number | boolean;
  formula?: string;
  numberFormat?: string;
  /** Display only (the picture): fill colour and bold. */
  fill?: string;
  bold?: boolean;
}

interface Pos {
  row: number; // 1-based, as fast-formula-parser counts
  col: number;
}

interface Ref {
  sheet?: string;
  row?: number;
  col?: number;
  from?: Pos;
  to?: Pos;
}

/** An engine function: receives Excel-style arguments (null when omitted, ranges as arrays of rows). */
export type EngineFunction = (...args: unknown[]) => unknown;

export function colIndex(letters: string): number {
  return [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}
export function colLetters(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
/** `B7` -> {row: 7, col: 2}. */
export function parseCell(address: string): Pos {
  const m = /^\$?([A-Z]+)\$?(\d+)$/i.exec(address);
  if (!m) throw new Error(`not a cell address: ${address}`);
  return { row: Number(m[2]), col: colIndex(m[1]) };
}
const key = (sheet: string, row: number, col: number) => `${sheet}!${row},${col}`;

interface Formula {
  sheet: string;
  row: number;
  col: number;
  text: string;
  refs: Ref[];
  done: boolean;
}

/** Sheets of cells, their formulas calculated by fast-formula-parser. */
export class FormulaWorkbook {
  private readonly source = new Map<string, SourceCell>();
  private readonly computed = new Map<string, CellValue>();
  /** Cells a dynamic array spilled into (not the anchor). */
  private readonly spilled = new Map<string, CellValue>();
  readonly sheets: string[] = [];

  /** Sets one cell (address like `B7`); a formula starts with `=`. */
  set(sheet: string, address: string, cell: SourceCell): void {
    if (!this.sheets.includes(sheet)) this.sheets.push(sheet);
    const { row, col } = parseCell(address);
    const k = key(sheet, row, col);
    this.source.set(k, { ...this.source.get(k), ...cell });
  }

  /** The calculated value a person would see in the cell (null when empty). */
  value(sheet: string, address: string): CellValue {
    const { row, col } = parseCell(address);
    return this.valueAt(sheet, row, col);
  }

  /** Values of a rectangle such as `C30:I41`. */
  values(sheet: string, range: string): CellValue[][] {
    const [a, b = a] = range.split(":").map(parseCell);
    const out: CellValue[][] = [];
    for (let r = a.row; r <= b.row; r++) {
      const row: CellValue[] = [];
      for (let c = a.col; c <= b.col; c++) row.push(this.valueAt(sheet, r, c));
      out.push(row);
    }
    return out;
  }

  /** The cell as Excel displays it: its value through its number format ("General" when none). */
  text(sheet: string, address: string): string {
    const { row, col } = parseCell(address);
    return this.textAt(sheet, row, col);
  }

  textAt(sheet: string, row: number, col: number): string {
    const value = this.valueAt(sheet, row, col);
    if (value === null) return "";
    if (value instanceof EngineError) return value.code;
    if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
    if (typeof value === "string") return value;
    const format = this.source.get(key(sheet, row, col))?.numberFormat ?? "General";
    return String(SSF.format(format, value));
  }

  /** The cell as set (formats included), if anything was. */
  cellSource(sheet: string, address: string): SourceCell | undefined {
    const { row, col } = parseCell(address);
    return this.source.get(key(sheet, row, col));
  }

  /** The number format set on a cell, if any. */
  numberFormat(sheet: string, address: string): string | undefined {
    const { row, col } = parseCell(address);
    return this.source.get(key(sheet, row, col))?.numberFormat;
  }

  /** The used rectangle of a sheet (1-based, inclusive), spills included. */
  usedRange(sheet: string): { rows: number; cols: number } {
    let rows = 0;
    let cols = 0;
    for (const k of [...this.source.keys(), ...this.spilled.keys()]) {
      const [s, rc] = k.split("!");
      if (s !== sheet) continue;
      const [r, c] = rc.split(",").map(Number);
      rows = Math.max(rows, r);
      cols = Math.max(cols, c);
    }
    return { rows, cols };
  }

  private valueAt(sheet: string, row: number, col: number): CellValue {
    const k = key(sheet, row, col);
    if (this.computed.has(k)) return this.computed.get(k)!;
    if (this.spilled.has(k)) return this.spilled.get(k)!;
    const cell = this.source.get(k);
    if (!cell || cell.formula !== undefined) return null;
    return cell.value === undefined || cell.value === "" ? null : cell.value;
  }

  /**
   * Calculates every formula once, each after the cells it reads (dynamic-array spills included), with the
   * given functions added to the engine's built-ins under their Excel names (e.g. `HEDGE.NOTIONAL`).
   */
  async calculate(functions: Record<string, EngineFunction>): Promise<void> {
    this.computed.clear();
    this.spilled.clear();
    const deps = new DepParser();
    const formulas: Formula[] = [];
    for (const [k, cell] of this.source) {
      if (cell.formula === undefined || !cell.formula.startsWith("=")) continue;
      const [sheet, rc] = k.split("!");
      const [row, col] = rc.split(",").map(Number);
      const text = cell.formula.slice(1);
      const refs = (deps.parse(text, { sheet, row, col }) as Ref[]).map((r) => ({
        ...r,
        sheet: r.sheet ?? sheet,
      }));
      formulas.push({ sheet, row, col, text, refs, done: false });
    }
    const parser = new FormulaParser({
      functions: Object.fromEntries(
        Object.entries(functions).map(([name, fn]) => [name.toUpperCase(), adapt(fn)]),
      ),
      onCell: (ref: Ref) => toEngine(this.valueAt(ref.sheet!, ref.row!, ref.col!)),
      onRange: (ref: Ref) => {
        const out: unknown[][] = [];
        for (let r = ref.from!.row; r <= ref.to!.row; r++) {
          const row: unknown[] = [];
          for (let c = ref.from!.col; c <= ref.to!.col; c++)
            row.push(toEngine(this.valueAt(ref.sheet!, r, c)));
          out.push(row);
        }
        return out;
      },
    });

    const inside = (f: Formula, ref: Ref) => {
      const from = ref.from ?? { row: ref.row!, col: ref.col! };
      const to = ref.to ?? from;
      return (
        f.sheet === ref.sheet && f.row >= from.row && f.row <= to.row && f.col >= from.col && f.col <= to.col
      );
    };
    // A formula is ready when every formula it reads is calculated and, unless that would deadlock, no
    // pending formula above and left of what it reads could still spill into it.
    const ready = (f: Formula, strict: boolean) =>
      f.refs.every((ref) => {
        const to = ref.to ?? { row: ref.row!, col: ref.col! };
        return formulas.every(
          (g) =>
            g === f ||
            g.done ||
            (!inside(g, ref) && (!strict || g.sheet !== ref.sheet || g.row > to.row || g.col > to.col)),
        );
      });

    for (;;) {
      const pending = formulas.filter((f) => !f.done);
      if (pending.length === 0) break;
      let next = pending.find((f) => ready(f, true)) ?? pending.find((f) => ready(f, false));
      if (!next) {
        for (const f of pending) {
          this.computed.set(key(f.sheet, f.row, f.col), new EngineError("#REF!", "circular reference"));
          f.done = true;
        }
        break;
      }
      next = next!;
      let result: unknown;
      try {
        result = await parser.parseAsync(
          next.text,
          { sheet: next.sheet, row: next.row, col: next.col },
          true,
        );
      } catch (err) {
        result = err;
      }
      this.place(next, result);
      next.done = true;
    }
  }

  private place(f: Formula, result: unknown): void {
    const at = key(f.sheet, f.row, f.col);
    if (!Array.isArray(result)) {
      this.computed.set(at, fromEngine(result));
      return;
    }
    const grid = result as unknown[][];
    // Excel spills an array into the cells right and below; any value in the way gives #SPILL!.
    for (let i = 0; i < grid.length; i++) {
      for (let j = 0; j < grid[i].length; j++) {
        if (i === 0 && j === 0) continue;
        const k = key(f.sheet, f.row + i, f.col + j);
        const cell = this.source.get(k);
        if ((cell && (cell.formula !== undefined || (cell.value ?? "") !== "")) || this.spilled.has(k)) {
          this.computed.set(
            at,
            new EngineError("#SPILL!", `the result is blocked at ${colLetters(f.col + j)}${f.row + i}`),
          );
          return;
        }
      }
    }
    grid.forEach((row, i) =>
      row.forEach((v, j) => {
        if (i === 0 && j === 0) this.computed.set(at, fromEngine(v));
        else this.spilled.set(key(f.sheet, f.row + i, f.col + j), fromEngine(v));
      }),
    );
  }
}

function toEngine(value: CellValue): unknown {
  if (value instanceof EngineError) return new FormulaError(value.code, value.message ?? value.code);
  return value;
}

function fromEngine(value: unknown): CellValue {
  if (value instanceof FormulaError) {
    const e = value as InstanceType<typeof FormulaError>;
    return new EngineError(e.error, e.message || undefined);
  }
  if (value instanceof Error) return new EngineError("#ERROR!", value.message);
  if (value === undefined || value === null) return 0; // Excel shows a reference to an empty cell as 0
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return new EngineError("#VALUE!", `unexpected result ${String(value)}`);
}

interface EngineArg {
  value: unknown;
  omitted?: boolean;
  isRangeRef?: boolean;
}

/** Excel's calling convention for custom functions: null when omitted, ranges as arrays of rows. */
function adapt(fn: EngineFunction) {
  return async (...args: EngineArg[]) => {
    const excelArgs = args.map((a) => {
      if (a.omitted) return null;
      const v = a.value;
      if (v instanceof FormulaError) return v;
      if (Array.isArray(v)) return (v as unknown[][]).map((row) => row.map((x) => (x === null ? "" : x)));
      return v;
    });
    const error = excelArgs.find((a) => a instanceof FormulaError);
    // Excel does not call a custom function with an error argument: the error passes through.
    if (error) return error;
    try {
      const result = await fn(...excelArgs);
      return result instanceof ExcelError ? new FormulaError(result.code, result.message) : result;
    } catch (err) {
      if (err instanceof ExcelError) return new FormulaError(err.code, err.message);
      throw err;
    }
  };
}

/** How long a streaming function may take to give its first result before the cell is #N/A. */
const STREAM_WAIT_MS = 10_000;

/**
 * The bundle's functions under their Excel names (the manifest's namespace, HEDGE, then the metadata name). A matrix parameter given one value gets it as [[value]],
 * as Excel passes it. A streaming function is started in a fresh cell and its first result is the value
 * (then the cell is cancelled): what a person sees once the first poll has answered.
 */
export function bundleFunctions(bundle: LoadedBundle, namespace = "HEDGE"): Record<string, EngineFunction> {
  const out: Record<string, EngineFunction> = {};
  for (const meta of bundle.metadata) {
    const name = `${namespace}.${meta.name}`;
    const matrix = meta.parameters.map((p) => p.dimensionality === "matrix");
    const shape = (args: unknown[]) => {
      const full = meta.parameters.map((_, i) => (i < args.length ? args[i] : null));
      return full.map((a, i) => (matrix[i] && a !== null && !Array.isArray(a) ? [[a]] : a));
    };
    if (meta.options?.stream) {
      out[name] = (...args) =>
        new Promise((resolve) => {
          const cell = bundle.stream(meta.id, shape(args));
          const giveUp = Date.now() + STREAM_WAIT_MS;
          const check = () => {
            if (cell.results.length > 0) {
              cell.cancel();
              resolve(cell.results[0]);
            } else if (Date.now() > giveUp) {
              cell.cancel();
              resolve(new ExcelError("#N/A", `${name} gave no result within ${STREAM_WAIT_MS} ms`));
            } else setTimeout(check, 5);
          };
          check();
        });
    } else {
      out[name] = async (...args) => {
        const outcome = await bundle.invoke(meta.id, shape(args));
        if (outcome.kind === "value") return outcome.value;
        if (outcome.kind === "error") return new ExcelError(outcome.code, outcome.message);
        throw outcome.error;
      };
    }
  }
  return out;
}

/** A sheet of the FakeExcel double (cells with value, formula and number format) as engine input. */
export function loadSheet(
  workbook: FormulaWorkbook,
  sheet: string,
  cells: Iterable<
    [string, { value: unknown; formula?: string; numberFormat?: string; fill?: string; bold?: boolean }]
  >,
): void {
  for (const [rc, cell] of cells) {
    const [r, c] = rc.split(",").map(Number);
    const address = `${colLetters(c + 1)}${r + 1}`;
    const value = cell.value as string | number | boolean;
    workbook.set(sheet, address, {
      ...(cell.formula !== undefined ? { formula: cell.formula } : { value }),
      ...(cell.numberFormat !== undefined ? { numberFormat: cell.numberFormat } : {}),
      ...(cell.fill !== undefined ? { fill: cell.fill } : {}),
      ...(cell.bold ? { bold: true } : {}),
    });
  }
}

/** The sheet as an HTML table, each cell as Excel would display it (for a picture of the computed sheet). */
export function sheetHtml(workbook: FormulaWorkbook, sheet: string, title: string): string {
  const { rows, cols } = workbook.usedRange(sheet);
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const head = Array.from({ length: cols }, (_, c) => `<th>${colLetters(c + 1)}</th>`).join("");
  const body = Array.from({ length: rows }, (_, r) => {
    const tds = Array.from({ length: cols }, (_, c) => {
      const v = workbook.value(sheet, `${colLetters(c + 1)}${r + 1}`);
      const text = workbook.textAt(sheet, r + 1, c + 1);
      const cls = v instanceof EngineError ? "err" : typeof v === "number" ? "num" : "";
      const src = workbook.cellSource(sheet, `${colLetters(c + 1)}${r + 1}`);
      const style = [
        src?.fill && /^#[0-9a-f]{6}$/i.test(src.fill) ? `background:${src.fill}` : "",
        src?.bold ? "font-weight:bold" : "",
      ]
        .filter(Boolean)
        .join(";");
      return `<td class="${cls}"${style ? ` style="${style}"` : ""}>${esc(text)}</td>`;
    }).join("");
    return `<tr><th>${r + 1}</th>${tds}</tr>`;
  }).join("\n");
  return `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:13px Calibri,Carlito,Arial,sans-serif;margin:8px;background:#fff}
table{border-collapse:collapse}
th{background:#f3f3f3;color:#555;font-weight:normal;border:1px solid #d4d4d4;padding:1px 6px}
td{border:1px solid #e1e1e1;padding:1px 6px;white-space:nowrap;max-width:360px;overflow:hidden}
td.num{text-align:right}
td.err{text-align:center;color:#a00}
</style>
<table><tr><th></th>${head}</tr>
${body}
</table>`;
}
