/*
 * Between Excel and the core: every calculation function coerces each argument by its declared rule, calls the
 * core, and hands Excel, through these, a finite number (or a table of finite numbers and text) or a
 * CustomFunctions.Error - never NaN, Infinity, undefined or any other thrown error.
 */
import { D } from "../core/decimal";
import { InvalidArgument, NotApplicable } from "../core/errors";
import { shown } from "./params";

/** What a core call may give back: a decimal or number, or a table of them and text. */
export type CoreResult = D | number | readonly (readonly (D | number | string)[])[];
/** What Excel receives. */
export type Cell = number | string;

const { isArray } = Array;

const OUT_OF_RANGE = "the result is outside the range of Excel numbers";

/** The documented values of CustomFunctions.ErrorCode, for hosts (or test stubs) that define no enum. */
const ERROR_CODES = { invalidValue: "#VALUE!", notAvailable: "#N/A" } as const;

/**
 * A cell error: #VALUE! (invalidValue) or #N/A (notAvailable), the two Excel shows a message for. A word of more
 * than 40 characters (pasted text, an upstream's long answer) is shortened, never repeated whole.
 */
export function excelError(code: keyof typeof ERROR_CODES, message: string): CustomFunctions.Error {
  const codes = CustomFunctions.ErrorCode as Partial<typeof ERROR_CODES> | undefined;
  return new CustomFunctions.Error(
    (codes?.[code] ?? ERROR_CODES[code]) as CustomFunctions.ErrorCode,
    message.replace(LONG_WORD, shown),
  );
}
const LONG_WORD = /\S{41,}/g;

/** Maps any failure to the Excel error a cell should show: #VALUE! for bad input, #N/A when no result exists. */
export function toExcelError(err: unknown): CustomFunctions.Error {
  if (err instanceof CustomFunctions.Error) return err;
  if (err instanceof InvalidArgument) return excelError("invalidValue", err.message);
  if (err instanceof NotApplicable) return excelError("notAvailable", err.message);
  return excelError("invalidValue", "could not calculate: unexpected error (check the arguments)");
}

function toNumber(value: D | number): number {
  const n = typeof value === "number" ? value : value.toNumber();
  // n - n is 0 only for finite n; "+ 0" turns -0 into 0, which Excel would show as 0 anyway.
  if (n - n !== 0) throw new NotApplicable(OUT_OF_RANGE);
  return n + 0;
}

function toCell(value: D | number | string): Cell {
  return typeof value === "string" ? value : toNumber(value);
}

/** Converts a core result for Excel, refusing anything that is not finite. */
export function toExcelResult(result: D | number): number;
export function toExcelResult(result: CoreResult): number | Cell[][];
export function toExcelResult(result: CoreResult): number | Cell[][] {
  if (typeof result === "number" || result instanceof D) return toNumber(result);
  if (!isArray(result)) throw new TypeError("core returned neither a number nor a table");
  return result.map((row) => row.map(toCell));
}

/** A calculation's number for Excel: a finite number as it is ("+ 0" turns -0 into 0), a decimal converted. */
export function excelNumber(result: D | number): number {
  return typeof result === "number" && result - result === 0 ? result + 0 : toExcelResult(result);
}

/**
 * A calculation's table for Excel: every decimal converted, every cell finite. The table is one the core built
 * for this call and nobody else holds, so its cells are converted where they are (no copy of 10,000 rows).
 * The first row (a header) is read cell by cell; the others, rows of numbers in the core's tables, go through
 * their own loop, which V8 then reads as plain doubles (text or a decimal there is still converted).
 */
export function excelTable(result: (D | number | string)[][]): Cell[][] {
  if (result.length > 0) toCells(result[0]);
  for (let i = 1; i < result.length; i++) toNumbers(result[i]);
  return result as Cell[][];
}

function toNumbers(row: (D | number | string)[]): void {
  for (let j = 0; j < row.length; j++) {
    const cell = row[j];
    if (typeof cell === "number") {
      if (cell - cell !== 0) throw new NotApplicable(OUT_OF_RANGE);
      if (cell === 0) row[j] = 0; // -0 too
    } else row[j] = toCell(cell);
  }
}

function toCells(row: (D | number | string)[]): void {
  for (let j = 0; j < row.length; j++) row[j] = toCell(row[j]);
}
