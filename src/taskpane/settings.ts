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

/**
 * Wraps `save` so that it runs only when the selection differs from the last one loaded or saved: opening the
 * pane never writes to the workbook (which would mark it changed), nor does choosing the same again.
 */
export function saveOnChange(
  initial: RatesSelection,
  save: (selection: RatesSelection) => void,
): (selection: RatesSelection) => void {
  let last = JSON.stringify(initial);
  return (selection) => {
    const next = JSON.stringify(selection);
    if (next === last) return;
    last = next;
    save(selection);
  };
}
