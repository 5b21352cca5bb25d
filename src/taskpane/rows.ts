import { epochMsFromSerial, serialFromEpochMs } from "../core/dates";
import { findContract } from "../market/contracts";
import { EXCHANGES, isQuote, type Exchange, type QuoteResult } from "../market/types";

/** The columns of the `HedgeFundingRates` table, in the order the add-in creates them. */
export const COLUMNS = [
  "Exchange",
  "Symbol",
  "Coin",
  "Funding rate",
  "Interval (h)",
  "APR",
  "Next funding (UTC)",
  "Predicted rate",
  "Mark",
  "Index",
  "Premium",
  "Contract (USD)",
  "Updated (UTC)",
  "Status",
] as const;
export type Column = (typeof COLUMNS)[number];

/** A cell as Excel takes it: "" is an empty cell. */
export type Cell = string | number | boolean;
/** One table row, one cell per entry of COLUMNS. */
export type FundingRow = Cell[];

const RATE = "0.0000%";
const PERCENT = "0.00%";
const PRICE = "#,##0.00";
const TIME = "yyyy-mm-dd hh:mm";

/** Excel number format per column ("General" where Excel's own is right). */
export const NUMBER_FORMATS: Record<Column, string> = {
  Exchange: "@",
  Symbol: "@",
  Coin: "@",
  "Funding rate": RATE,
  "Interval (h)": "General",
  APR: PERCENT,
  "Next funding (UTC)": TIME,
  "Predicted rate": RATE,
  Mark: PRICE,
  Index: PRICE,
  Premium: PERCENT,
  "Contract (USD)": PRICE,
  "Updated (UTC)": TIME,
  Status: "@",
};

/** ISO 8601 time to an Excel serial date (UTC); "" when there is no time. */
export function toExcelSerial(iso: string | null | undefined): number | "" {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? serialFromEpochMs(ms) : "";
}

/** Excel serial date back to `yyyy-mm-dd hh:mm` (UTC), the table's time format. */
export function formatExcelSerial(serial: number): string {
  const iso = new Date(Math.round(epochMsFromSerial(serial))).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The key rows are matched by: Exchange + Symbol, case-insensitive. */
export function rowKey(exchange: unknown, symbol: unknown): string {
  return `${String(exchange).trim().toLowerCase()}:${String(symbol).trim().toUpperCase()}`;
}

const blank = (v: number | null | undefined): Cell => (v === null || v === undefined ? "" : v);

/**
 * One API result as a table row. A failed item keeps the previous row's values (if there is one) and says
 * why in Status, so one failing venue never blanks its rows.
 */
export function rowFromResult(result: QuoteResult, previous?: readonly Cell[]): FundingRow {
  if (isQuote(result)) {
    return [
      result.exchange,
      result.symbol,
      result.coin,
      blank(result.fundingRate),
      blank(result.fundingIntervalHours),
      blank(result.fundingApr),
      toExcelSerial(result.nextFundingTime),
      blank(result.predictedFundingRate),
      result.markPrice,
      result.indexPrice,
      result.premium,
      result.contractSize,
      toExcelSerial(result.fetchedAt),
      result.stale ? "stale" : "ok",
    ];
  }
  const status = result.error.message || result.error.code;
  if (previous && previous.length === COLUMNS.length) {
    const kept = [...previous];
    kept[COLUMNS.length - 1] = status;
    return kept;
  }
  const known = EXCHANGES.includes(result.exchange as Exchange)
    ? findContract(result.exchange as Exchange, result.symbol)
    : null;
  const row: FundingRow = COLUMNS.map(() => "");
  row[0] = result.exchange;
  row[1] = known?.ok ? known.contract.symbol : result.symbol;
  row[2] = known?.ok ? known.contract.coin : "";
  row[11] = known?.ok ? known.contract.contractSize : "";
  row[13] = status;
  return row;
}

/** How a cell reads in the dashboard: the same formats the workbook uses, as text. */
export function displayCell(column: Column, value: Cell): string {
  if (value === "" || typeof value !== "number") return String(value);
  const format = NUMBER_FORMATS[column];
  if (format === RATE) return `${(value * 100).toFixed(4)}%`;
  if (format === PERCENT) return `${(value * 100).toFixed(2)}%`;
  if (format === TIME) return formatExcelSerial(value);
  if (format === PRICE) {
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return String(value);
}
