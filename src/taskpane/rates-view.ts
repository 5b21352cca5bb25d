import type { QuoteItem } from "../live/client";
import { quickCheck } from "../market/contracts";
import { EXCHANGES, type Exchange } from "../market/types";
import type { RatesController, RatesState } from "./controller";
import { byId, checkbox, el, setDisabled, setOptions, valueOf } from "./dom";
import { COLUMNS, displayCell, formatExcelSerial, toExcelSerial } from "./rows";
import { PERPETUAL_COINS, selectionItems, type RatesSelection } from "./selection";

export const VENUE_NAMES: Record<Exchange, string> = {
  bybit: "Bybit",
  binance: "Binance COIN-M",
  bitmex: "BitMEX",
  deribit: "Deribit",
  okx: "OKX",
  kraken: "Kraken Futures",
  bingx: "BingX Coin-M",
  mexc: "MEXC",
};

/*
 * The pane's table fits Excel's narrowest pane (320 px): first one cell with the exchange over the symbol (and,
 * when the row is not ok, why), then funding rate, APR and mark; the other columns follow, scrolled to inside
 * the table's region. The workbook's table keeps its own column order (rows.ts).
 */
const STATUS = COLUMNS.length - 1;
const at = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);
/** The columns shown after the contract cell, primary ones first. */
const DISPLAY_ORDER = [at("Funding rate"), at("APR"), at("Mark"), STATUS, ...COLUMNS.keys()].filter(
  (c, i, all) => c > 1 && all.indexOf(c) === i,
);
export const CONTRACT_HEADER = "Exchange / Symbol";

const STATUS_CLASS = (status: string) => (status === "ok" ? "ok" : status === "stale" ? "stale" : "failed");

/**
 * Wires the live-rates section to a controller; `save` stores the selection (per workbook inside Excel).
 * Returns what turns the section to Excel mode when the pane learns late that it runs in Excel.
 */
export function mountRates(
  controller: RatesController,
  initial: RatesSelection,
  save: (s: RatesSelection) => void,
  inExcel: boolean,
): { enterExcel(makeSave: (current: RatesSelection) => (s: RatesSelection) => void): void } {
  let selection: RatesSelection = { ...initial, venues: [...initial.venues], coins: [...initial.coins] };
  const apply = () => {
    const { items, truncated } = selectionItems(selection);
    controller.setItems(items);
    byId("add-symbol-error").textContent = truncated
      ? "More than 50 contracts selected: only the first 50 are refreshed."
      : "";
    renderSymbols();
    save(selection);
  };
  const toggle = <T>(list: T[], item: T, on: boolean) =>
    on ? [...new Set([...list, item])] : list.filter((x) => x !== item);

  byId("venues").replaceChildren(
    ...EXCHANGES.map((ex) =>
      checkbox(`venue-${ex}`, VENUE_NAMES[ex], selection.venues.includes(ex), (on) => {
        selection = { ...selection, venues: toggle(selection.venues, ex, on) };
        apply();
      }),
    ),
  );
  byId("coins").replaceChildren(
    ...PERPETUAL_COINS.map((coin) =>
      checkbox(`coin-${coin}`, coin, selection.coins.includes(coin), (on) => {
        selection = { ...selection, coins: toggle(selection.coins, coin, on) };
        apply();
      }),
    ),
  );

  const venueSelect = byId<HTMLSelectElement>("add-venue");
  setOptions(
    venueSelect,
    EXCHANGES.map((ex) => ({ value: ex, label: VENUE_NAMES[ex] })),
  );
  byId("add-symbol-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const exchange = venueSelect.value as Exchange;
    const typed = valueOf("add-symbol");
    const found = quickCheck(exchange, typed);
    if (!typed || !found.ok) {
      byId("add-symbol-error").textContent = typed
        ? (found as { message: string }).message
        : "Type a symbol to add.";
      return;
    }
    const item: QuoteItem = { exchange, symbol: found.symbol };
    if (!selection.symbols.some((s) => s.exchange === item.exchange && s.symbol === item.symbol)) {
      selection = { ...selection, symbols: [...selection.symbols, item] };
    }
    (byId("add-symbol") as unknown as { value: string }).value = "";
    apply();
  });

  function renderSymbols() {
    byId("symbols").replaceChildren(
      ...selection.symbols.map((s) => {
        const label = `${VENUE_NAMES[s.exchange as Exchange]} ${s.symbol}`;
        const remove = el("fluent-button" as "button", "Remove", {
          size: "small",
          "aria-label": `Remove ${label}`,
        });
        remove.addEventListener("click", () => {
          selection = { ...selection, symbols: selection.symbols.filter((x) => x !== s) };
          apply();
        });
        const li = el("li", undefined, { class: "chip" });
        li.append(el("span", label), remove);
        return li;
      }),
    );
  }

  const label = (excel: boolean) =>
    (byId("refresh").textContent = excel ? "Insert / refresh table" : "Refresh");
  label(inExcel);
  byId("refresh").addEventListener("click", () => void controller.refresh());
  byId<HTMLSelectElement>("auto-refresh").addEventListener("change", (e) =>
    controller.setAutoRefresh(Number((e.target as HTMLSelectElement).value)),
  );
  byId("rates-head").replaceChildren(
    el("th", CONTRACT_HEADER, { scope: "col" }),
    ...DISPLAY_ORDER.map((i) => el("th", COLUMNS[i], { scope: "col" })),
  );
  apply();
  return {
    enterExcel(makeSave) {
      save = makeSave(selection);
      label(true);
    },
  };
}

/** Shows a controller state: progress, last good refresh, the table of rows with their status. */
export function renderRates(state: RatesState): void {
  const spinner = byId("spinner");
  spinner.hidden = !state.refreshing;
  setDisabled(byId("refresh"), state.refreshing);
  const last = state.lastGood
    ? `Last good refresh ${formatExcelSerial(toExcelSerial(state.lastGood.toISOString()) as number)} UTC.`
    : "Not refreshed yet.";
  const parts = [
    state.refreshing ? "Refreshing…" : "",
    state.error ? `Refresh failed: ${state.error}.` : "",
    last,
    state.notice ?? "",
  ];
  byId("status-text").textContent = parts.filter(Boolean).join(" ");
  byId("refresh-status").classList.toggle("failed", Boolean(state.error));
  byId("source-badge").hidden = state.source !== "replay";

  byId("rates-body").replaceChildren(
    ...state.rows.map((row) => {
      const tr = el("tr");
      const contract = el("th", undefined, { scope: "row", class: "contract" });
      contract.append(el("span", String(row[0])), el("span", String(row[1]), { class: "sub symbol" }));
      const status = String(row[STATUS]);
      // A row that is not ok says why beside its name, not only in the Status column off to the right.
      if (status !== "ok") contract.append(el("span", status, { class: `sub ${STATUS_CLASS(status)}` }));
      tr.append(contract);
      for (const i of DISPLAY_ORDER) {
        const value = row[i];
        const td = el("td", displayCell(COLUMNS[i], value));
        if (i === STATUS) td.className = `status-cell ${STATUS_CLASS(status)}`;
        if (typeof value === "number") td.classList.add("num");
        tr.append(td);
      }
      return tr;
    }),
  );
}
