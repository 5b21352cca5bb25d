/*
 * Parameter rules: how each Excel argument is read (what Excel passes: null/undefined/"" for omitted, numbers,
 * numeric text, booleans, ranges as arrays of rows) and checked. Each rule is declared once at module level and
 * throws the core's InvalidArgument, so the same rules serve the calculation and the live functions.
 */
import { InvalidArgument } from "../core/errors";
import { END_SERIAL } from "../core/dates";
import { D } from "../core/decimal";
import { exactSerialFromIso } from "../core/exact-dates";
import { parseSide, type Side } from "../core/side";
import { EXCHANGES, type Exchange } from "../market/types";
import { DATE_1904_OFFSET_DAYS, workbookDate1904 } from "../live/date-system";

// Locals, not globals: a host may run this file in a context where every global lookup is slow (a range of
// 100,000 cells is 100,000 lookups).
const { isArray } = Array;
const { isInteger } = Number;

/** A declared parameter: its Excel name and how to turn what Excel passed into a checked value. */
export interface Rule<T> {
  readonly name: string;
  /** Returns the checked value, or throws InvalidArgument naming the parameter and its rule. */
  coerce(value: unknown): T;
}

/** Numeric bounds; `gt`/`lt` are exclusive, `ge`/`le` inclusive. */
export interface Bounds {
  gt?: number;
  ge?: number;
  lt?: number;
  le?: number;
  integer?: boolean;
}

/** Largest number of values a range argument may hold. */
export const MAX_RANGE_VALUES = 100_000;

/** Longest text a message repeats whole; longer text is shortened (a pasted page never fills a message). */
export const MAX_ECHO = 40;

/** Text as a message may repeat it: whole up to MAX_ECHO characters, else its start and its length. */
export function shown(text: string): string {
  return text.length <= MAX_ECHO
    ? text
    : `${text.slice(0, MAX_ECHO - 10)}... (${text.length.toLocaleString("en-US")} characters)`;
}

/** True for what Excel sends for an omitted argument or an empty cell. */
export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?%?$/i;

/** The number in a cell value; undefined for a blank; NaN for anything that is not a number. */
function readNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return undefined;
    if (!NUMERIC_TEXT.test(text)) return NaN;
    // Excel reads "5%" typed as text as 0.05, and so do we.
    return text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  }
  if (value === null || value === undefined) return undefined;
  return NaN;
}

/** A single cell's value: a 1x1 range becomes its cell; a larger range is refused. */
function scalar(value: unknown, name: string): unknown {
  if (!isArray(value)) return value;
  const row: unknown = value.length === 1 ? value[0] : undefined;
  if (isArray(row) && row.length === 1) return row[0];
  if (value.length === 1 && !isArray(row)) return row;
  throw new InvalidArgument(name, "must be a single value, not a range");
}

function describe(b: Bounds): string {
  const parts: string[] = [];
  if (b.gt !== undefined) parts.push(`greater than ${b.gt}`);
  if (b.ge !== undefined) parts.push(`at least ${b.ge}`);
  if (b.lt !== undefined) parts.push(`less than ${b.lt}`);
  if (b.le !== undefined) parts.push(`at most ${b.le}`);
  const range = parts.join(" and ");
  if (!b.integer) return range;
  return range ? `a whole number ${range}` : "a whole number";
}

/** A predicate for the bounds, built once so a call only compares numbers. */
function boundsCheck(b: Bounds): (n: number) => boolean {
  const [above, under] = openBounds(b);
  const integer = b.integer === true;
  return (n) => n > above && n < under && (!integer || isInteger(n));
}

const STEP = new Float64Array(1);
const WORDS = new Uint32Array(STEP.buffer); // [low, high] (little-endian, as every host of the add-in)
/** The next double from x toward +Infinity (up) or -Infinity (down); x finite. */
function nextDouble(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  STEP[0] = x;
  if (x > 0 === up) {
    WORDS[0] += 1; // wraps to 0 past 2^32 - 1, then carries
    if (WORDS[0] === 0) WORDS[1] += 1;
  } else {
    if (WORDS[0] === 0) WORDS[1] -= 1;
    WORDS[0] -= 1;
  }
  return STEP[0];
}

/**
 * The bounds as two exclusive ones: n is within them iff above < n < under. An inclusive bound becomes the next
 * double beyond it; no bound becomes an infinity, so the test also refuses infinities (and NaN).
 */
function openBounds(b: Bounds): [number, number] {
  const above = b.gt ?? (b.ge === undefined ? -Infinity : nextDouble(b.ge, false));
  const under = b.lt ?? (b.le === undefined ? Infinity : nextDouble(b.le, true));
  return [above, under];
}

function notANumber(name: string, value: unknown, each: boolean): InvalidArgument {
  const what = each ? "must contain only numbers" : "must be a number";
  if (typeof value === "boolean")
    return new InvalidArgument(name, `${what}, not ${value ? "TRUE" : "FALSE"}`);
  if (typeof value === "number" || typeof value === "string") {
    const n = readNumber(value);
    if (n !== undefined && !Number.isNaN(n)) {
      return new InvalidArgument(name, `${what} within the range of Excel numbers`);
    }
  }
  return new InvalidArgument(name, what);
}

/**
 * A number parameter; without a default it is required. The common case, a number within the bounds, is two
 * compares against numbers the rule holds (no call: every number rule shares this code, so a call to a
 * per-rule function from it would reach too many functions for V8 to inline).
 */
export function number(name: string, bounds: Bounds = {}, fallback?: number): Rule<number> {
  const [above, under] = openBounds(bounds);
  const integer = bounds.integer === true;
  const rule = `must be ${describe(bounds)}`;
  return {
    name,
    coerce(value) {
      if (typeof value === "number" && value > above && value < under && (!integer || isInteger(value))) {
        return value;
      }
      // what Excel passes for an omitted argument
      if ((value === null || value === undefined) && fallback !== undefined) return fallback;
      const v = scalar(value, name);
      const n = readNumber(v);
      if (n === undefined) {
        if (fallback !== undefined) return fallback;
        throw new InvalidArgument(name, "is required");
      }
      if (Number.isNaN(n) || n - n !== 0) throw notANumber(name, v, false);
      if (!(n > above && n < under && (!integer || isInteger(n)))) throw new InvalidArgument(name, rule);
      return n;
    },
  };
}

/** An optional parameter: blank gives undefined (the function then works out its own default). */
export function optional<T>(rule: Rule<T>): Rule<T | undefined> {
  return {
    name: rule.name,
    coerce: (value) => (isBlank(scalar(value, rule.name)) ? undefined : rule.coerce(value)),
  };
}

/** How many numbers a range may hold, and the rule's words when it holds more. */
export interface RangeLimit {
  max: number;
  rule: string;
}
const DEFAULT_LIMIT: RangeLimit = {
  max: MAX_RANGE_VALUES,
  rule: `must hold at most ${MAX_RANGE_VALUES} numbers`,
};

/**
 * Reads a range row by row into its cells' numbers, a blank cell as undefined (so two ranges can be paired by
 * position); each number within the bounds, at least one number, at most limit.max. `count` is how many cells
 * hold a number (all of them when it equals cells.length).
 */
function readCells(
  name: string,
  bounds: Bounds,
  limit: RangeLimit,
): (value: unknown) => { cells: (number | undefined)[]; count: number } {
  const [above, under] = openBounds(bounds);
  const integer = bounds.integer === true;
  const ok = boundsCheck(bounds);
  const rule = `must each be ${describe(bounds)}`;
  return (value) => {
    // A range of numbers within the bounds, the usual case, read in one tight loop into an array of numbers
    // (no blank among them: no undefined, so the array holds unboxed doubles). Anything else is read below.
    if (isArray(value)) {
      const numbers: number[] = [];
      let plain = true;
      rows: for (let i = 0; i < value.length; i++) {
        const row: unknown = value[i];
        if (!isArray(row)) {
          plain = false;
          break;
        }
        for (let j = 0; j < row.length; j++) {
          const cell: unknown = row[j];
          if (typeof cell === "number" && cell > above && cell < under && (!integer || isInteger(cell))) {
            numbers.push(cell);
          } else {
            plain = false;
            break rows;
          }
        }
      }
      if (plain && numbers.length > 0 && numbers.length <= limit.max) {
        return { cells: numbers, count: numbers.length };
      }
    }
    const cells: (number | undefined)[] = [];
    let count = 0;
    const push = (cell: unknown) => {
      const n = readNumber(cell);
      if (n !== undefined) {
        if (Number.isNaN(n) || n - n !== 0) throw notANumber(name, cell, true);
        if (!ok(n)) throw new InvalidArgument(name, rule);
        if (count === limit.max) throw new InvalidArgument(name, limit.rule);
        count++;
      }
      cells.push(n);
    };
    if (isArray(value)) {
      for (const row of value) {
        if (isArray(row)) for (const cell of row) push(cell);
        else push(row);
      }
    } else {
      push(value);
    }
    if (count === 0) throw new InvalidArgument(name, "must hold at least one number");
    return { cells, count };
  };
}

/** A range of numbers, read row by row with blank cells skipped; each number within the bounds. */
export function numbers(
  name: string,
  bounds: Bounds = {},
  limit: RangeLimit = DEFAULT_LIMIT,
): Rule<number[]> {
  const read = readCells(name, bounds, limit);
  return {
    name,
    coerce(value) {
      const { cells, count } = read(value);
      if (count === cells.length) return cells as number[];
      return cells.filter((n): n is number => n !== undefined);
    },
  };
}

/** A range's cells by position: a number, or undefined for a blank cell; `count` of them hold a number. */
export interface Cells {
  readonly name: string;
  readonly cells: readonly (number | undefined)[];
  readonly count: number;
}

/** A range read by position, for pairing with another range (see pairUp). */
export function cells(name: string, bounds: Bounds = {}): Rule<Cells> {
  const read = readCells(name, bounds, DEFAULT_LIMIT);
  return {
    name,
    coerce: (value) => {
      const { cells, count } = read(value);
      return { name, cells, count };
    },
  };
}

/**
 * Pairs two ranges by position, as Excel's SLOPE and CORREL do: the k-th cell of one meets the k-th cell of the
 * other, and a pair where either cell is blank is dropped from both. The ranges must hold as many cells.
 */
export function pairUp(a: Cells, b: Cells): [number[], number[]] {
  if (a.cells.length !== b.cells.length) {
    throw new InvalidArgument(
      b.name,
      `must have as many cells as ${a.name} (${a.cells.length}, not ${b.cells.length}), paired by position`,
    );
  }
  // no blank in either: every pair stands (the arrays are not changed by anyone, so they need no copy)
  if (a.count === a.cells.length && b.count === b.cells.length) {
    return [a.cells as number[], b.cells as number[]];
  }
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < a.cells.length; i++) {
    const x = a.cells[i];
    const y = b.cells[i];
    if (x !== undefined && y !== undefined) {
      left.push(x);
      right.push(y);
    }
  }
  return [left, right];
}

function text(value: unknown, name: string): string | undefined {
  const v = scalar(value, name);
  if (typeof v === "string") return v.trim() === "" ? undefined : v.trim();
  if (typeof v === "number" && v - v === 0) return String(v);
  if (v === null || v === undefined) return undefined;
  throw new InvalidArgument(name, "must be text");
}

/** A required text parameter (a number is taken as its text). */
export function textRule(name: string): Rule<string> {
  return {
    name,
    coerce(value) {
      const t = text(value, name);
      if (t === undefined) throw new InvalidArgument(name, "is required");
      return t;
    },
  };
}

/** One of a fixed list of words, any case; the canonical (listed) spelling is returned. */
export function oneOf<V extends string>(name: string, values: readonly V[], fallback?: V): Rule<V> {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v]));
  const rule = `must be one of ${values.join(", ")}`;
  return {
    name,
    coerce(value) {
      if (typeof value === "string") {
        const exact = byLower.get(value);
        if (exact !== undefined) return exact;
      } else if ((value === null || value === undefined) && fallback !== undefined) return fallback;
      const t = text(value, name);
      if (t === undefined) {
        if (fallback !== undefined) return fallback;
        throw new InvalidArgument(name, `is required (${values.join(", ")})`);
      }
      const found = byLower.get(t.toLowerCase());
      if (found === undefined) throw new InvalidArgument(name, rule);
      return found;
    },
  };
}

/** Long or short: "long"/"buy" or "short"/"sell" in any case, or 1 / -1. */
export function sideRule(name: string, fallback?: Side): Rule<Side> {
  return {
    name,
    coerce(value) {
      // the common spellings by identity first: a hash lookup costs more than the rest of a call
      if (value === "long" || value === 1) return 1;
      if (value === "short" || value === -1) return -1;
      if (typeof value === "string" || typeof value === "number") {
        const s = parseSide(value);
        if (s !== undefined) return s;
      }
      const v = scalar(value, name);
      if (isBlank(v)) {
        if (fallback !== undefined) return fallback;
        throw new InvalidArgument(name, 'is required ("long" or "short")');
      }
      const s = typeof v === "string" || typeof v === "number" ? parseSide(v) : undefined;
      if (s === undefined) throw new InvalidArgument(name, 'must be "long", "short", "buy", "sell", 1 or -1');
      return s;
    },
  };
}

/** TRUE or FALSE: a boolean, the words true/false in any case, or a number (0 is FALSE, as in Excel). */
export function booleanRule(name: string, fallback?: boolean): Rule<boolean> {
  return {
    name,
    coerce(value) {
      if (typeof value === "boolean") return value;
      const v = scalar(value, name);
      if (typeof v === "boolean") return v;
      if (typeof v === "number" && v - v === 0) return v !== 0;
      if (isBlank(v)) {
        if (fallback !== undefined) return fallback;
        throw new InvalidArgument(name, "is required (TRUE or FALSE)");
      }
      const word = typeof v === "string" ? v.trim().toLowerCase() : "";
      if (word === "true") return true;
      if (word === "false") return false;
      throw new InvalidArgument(name, "must be TRUE or FALSE");
    },
  };
}

const DATE_RULE = `must be an Excel date serial (0 to ${END_SERIAL - 1}) or ISO 8601 text from 1900-03-01, such as 2025-06-27 or 2025-06-27T08:00Z`;

/**
 * A date: an Excel serial number (days since 1899-12-30 UTC) or ISO 8601 text. A number is returned as given;
 * ISO text as its exact decimal serial, so the difference of two date-times carries no binary rounding.
 */
export function dateRule(name: string): Rule<number | D> {
  return {
    name,
    coerce(value) {
      const v = scalar(value, name);
      if (isBlank(v)) throw new InvalidArgument(name, "is required");
      if (typeof v === "string") {
        const exact = exactSerialFromIso(v);
        if (exact !== undefined) return exact;
      }
      const serial = typeof v === "number" ? v : typeof v === "string" ? readNumber(v) : NaN;
      if (serial === undefined || !(serial >= 0 && serial < END_SERIAL)) {
        throw new InvalidArgument(name, DATE_RULE);
      }
      // A serial typed in a 1904 workbook counts from 1904; ISO text and the clock count from 1900. Bring the
      // serial to 1900 (exactly, in decimal) so that the two kinds can be subtracted.
      return workbookDate1904() ? new D(serial).plus(DATE_1904_OFFSET_DAYS) : serial;
    },
  };
}

/** The venue argument of the contract and live functions. */
export const exchangeRule: Rule<Exchange> = oneOf("exchange", EXCHANGES);
