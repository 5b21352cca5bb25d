/*
 * The one runner between Excel and the core: coerce each argument by its declared rule, call the core, and hand
 * Excel a finite number (or a table of finite numbers and text) or a CustomFunctions.Error - never NaN,
 * Infinity, undefined or any other thrown error.
 */
import { D } from "../core/decimal";
import { InvalidArgument, NotApplicable } from "../core/errors";
import { shown, type Rule } from "./params";

/** What a core call may give back: a decimal or number, or a table of them and text. */
export type CoreResult = D | number | readonly (readonly (D | number | string)[])[];
/** What Excel receives. */
export type Cell = number | string;

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
  if (!Array.isArray(result)) throw new TypeError("core returned neither a number nor a table");
  return result.map((row) => row.map(toCell));
}

type Rules<A extends unknown[]> = { readonly [K in keyof A]: Rule<A[K]> };

/**
 * Declares an Excel function from its parameters' rules and its core computation. The returned function takes
 * the raw Excel arguments positionally (no rest array, so a call allocates nothing of its own) and throws
 * CustomFunctions.Error for every failure, as Excel expects from a synchronous custom function.
 */
export function defineFunction<A extends unknown[], R extends CoreResult>(
  rules: Rules<A>,
  compute: (...args: A) => R,
): (
  a?: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
  e?: unknown,
  f?: unknown,
) => R extends D | number ? number : Cell[][] {
  const [r0, r1, r2, r3, r4, r5] = rules as readonly Rule<unknown>[];
  const body = compute as unknown as (...args: unknown[]) => CoreResult;
  const arity = rules.length;
  if (arity < 1 || arity > 6) throw new RangeError("defineFunction supports 1 to 6 parameters");
  // One caller per arity, chosen here once, so a call does not branch on it.
  type Call = (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown) => CoreResult;
  const callers: Call[] = [
    (a) => body(r0.coerce(a)),
    (a, b) => body(r0.coerce(a), r1.coerce(b)),
    (a, b, c) => body(r0.coerce(a), r1.coerce(b), r2.coerce(c)),
    (a, b, c, d) => body(r0.coerce(a), r1.coerce(b), r2.coerce(c), r3.coerce(d)),
    (a, b, c, d, e) => body(r0.coerce(a), r1.coerce(b), r2.coerce(c), r3.coerce(d), r4.coerce(e)),
    (a, b, c, d, e, f) =>
      body(r0.coerce(a), r1.coerce(b), r2.coerce(c), r3.coerce(d), r4.coerce(e), r5.coerce(f)),
  ];
  const call = callers[arity - 1];
  return ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown) => {
    try {
      const result = call(a, b, c, d, e, f);
      // a plain finite number (the fast path's answer) needs no conversion; "+ 0" turns -0 into 0
      return typeof result === "number" && result - result === 0 ? result + 0 : toExcelResult(result);
    } catch (err) {
      throw toExcelError(err);
    }
  }) as never;
}
