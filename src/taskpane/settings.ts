import { parseSelection, type RatesSelection } from "./selection";

const KEY = "inverseHedge.ratesSelection";

/** The rates selection stored in the workbook (document settings), or the default. */
export function loadSelection(): RatesSelection {
  return parseSelection(Office.context.document.settings.get(KEY));
}

/** Stores the rates selection in the workbook, so it comes back when the file is reopened. */
export function saveSelection(selection: RatesSelection): Promise<void> {
  const settings = Office.context.document.settings;
  settings.set(KEY, JSON.stringify(selection));
  return new Promise((resolve, reject) =>
    settings.saveAsync((result) =>
      result.status === Office.AsyncResultStatus.Succeeded ? resolve() : reject(result.error),
    ),
  );
}
