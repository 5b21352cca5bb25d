/*
 * The workbook's date system, shared by the pane (which can ask Excel) and the custom functions (which cannot)
 * through the shared runtime's global object. Serial dates written by either follow it.
 */
import { serialFromEpochMs } from "../core/dates";

/** Days between serial 0 of the 1900 date system and serial 0 of the 1904 one. */
export const DATE_1904_OFFSET_DAYS = 1462;

const KEY = Symbol.for("inverse-hedge.date1904");
const shared = globalThis as unknown as Record<symbol, boolean | undefined>;

/** Records that the workbook counts dates from 1904 (true) or 1900 (false). */
export function setWorkbookDate1904(on: boolean): void {
  shared[KEY] = on;
}

/** Whether the workbook counts dates from 1904 (false until the pane says so). */
export function workbookDate1904(): boolean {
  return shared[KEY] === true;
}

/** An instant (ms since the epoch) as a serial date of the workbook's date system (1900 until told). */
export function workbookSerial(epochMs: number): number {
  return serialFromEpochMs(epochMs) - (shared[KEY] === true ? DATE_1904_OFFSET_DAYS : 0);
}
