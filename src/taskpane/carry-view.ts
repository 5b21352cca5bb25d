/*
 * The Carry section: per coin, the venues ranked by what a short earns, and the 30-day funding chart beside it.
 * Works the same in the dashboard; inside Excel each row's "Use this venue" fills the hedge worksheet form.
 */
import { formatExcelSerial } from "./rows";
import {
  carryStatus,
  loadCarry,
  perpetualsOf,
  type CarryDeps,
  type CarryRanking,
  type CarryRow,
} from "./carry";
import { byId, el, setDisabled, setOptions } from "./dom";
import { lineChart } from "./funding-chart";
import { VENUE_NAMES } from "./rates-view";
import { PERPETUAL_COINS } from "./selection";
import { serialFromEpochMs } from "../core/dates";

const pct = (v: number | null, digits = 2) => (v === null ? "n/a" : `${(v * 100).toFixed(digits)}%`);
const day = (ms: number) => formatExcelSerial(serialFromEpochMs(ms)).slice(5, 10);

/** Coins with an inverse perpetual on at least two venues: a ranking of one is no ranking. */
export const CARRY_COINS = PERPETUAL_COINS.filter((c) => perpetualsOf(c).length >= 2);

/** Inside Excel, what "Use this venue" does for a row; undefined outside (no form to fill). */
export type VenueAction = (r: CarryRow) => (() => void) | undefined;

function rowCells(r: CarryRow, rank: number, action: VenueAction): HTMLTableRowElement {
  const tr = el("tr", undefined, { "data-exchange": r.exchange });
  const venue = el("th", undefined, { scope: "row" });
  venue.append(el("span", `${rank}. ${VENUE_NAMES[r.exchange]}`), el("span", r.symbol, { class: "sub" }));
  if (r.notes.length > 0) venue.append(el("span", r.notes.join("; "), { class: "sub failed" }));
  const use = action(r);
  if (use) {
    const button = el("fluent-button" as "button", "Use this venue", {
      size: "small",
      "aria-label": `Use ${VENUE_NAMES[r.exchange]} ${r.symbol} in the hedge worksheet form`,
    });
    button.addEventListener("click", use);
    venue.append(button);
  }
  const basis = el("td", pct(r.basisApr), { class: "num" });
  if (r.basisSymbol) basis.append(el("span", r.basisSymbol, { class: "sub" }));
  tr.append(
    venue,
    el("td", pct(r.currentApr), { class: "num" }),
    el("td", pct(r.realised7), { class: "num" }),
    el("td", pct(r.realised30), { class: "num" }),
    basis,
  );
  return tr;
}

/** Draws a ranking: the table, then the chart of the same venues' daily funding APR. */
export function renderCarry(ranking: CarryRanking, action: VenueAction = () => undefined): void {
  byId("carry-body").replaceChildren(...ranking.rows.map((r, i) => rowCells(r, i + 1, action)));
  const series = ranking.rows.map((r) => ({
    label: VENUE_NAMES[r.exchange],
    points: r.daily.map((d) => ({ x: d.day, y: d.apr })),
  }));
  byId("carry-chart").replaceChildren(
    lineChart(series, {
      title: `${ranking.coin} funding by venue, last 30 days (daily mean, annualised)`,
      xLabel: "Day (UTC)",
      yLabel: "Funding APR",
      formatX: day,
      formatY: (y) => pct(y, Math.abs(y) < 0.1 ? 1 : 0),
    }),
  );
}

/** A performance mark, where the engine has the User Timing API. */
const mark = (name: string) => globalThis.performance?.mark?.(name);

/**
 * Wires the section. `action` gives each row's "Use this venue" (inside Excel: fill the hedge worksheet form);
 * `render` draws the last ranking again, e.g. when the pane switches to Excel mode.
 */
export function mountCarry(
  deps: CarryDeps,
  action: VenueAction,
): { load: () => Promise<void>; render: () => void } {
  const coin = byId<HTMLSelectElement>("carry-coin");
  const status = byId("carry-status");
  setOptions(
    coin,
    CARRY_COINS.map((c) => ({ value: c, label: c })),
  );
  let current: AbortController | null = null;
  let last: CarryRanking | null = null;
  const load = async () => {
    current?.abort();
    const mine = (current = new AbortController());
    status.textContent = `Ranking ${coin.value} venues…`;
    setDisabled(byId("carry-refresh"), true);
    mark("carry:request");
    try {
      const ranking = await loadCarry(coin.value, deps, mine.signal);
      if (mine.signal.aborted) return;
      last = ranking;
      renderCarry(ranking, action);
      mark("carry:rendered");
      // The frame after this one has painted the chart (`npm run bench` reads these marks).
      requestAnimationFrame(() => setTimeout(() => mark("carry:painted"), 0));
      status.textContent = carryStatus(ranking);
    } catch (err) {
      if (!mine.signal.aborted) status.textContent = `Could not rank the venues: ${(err as Error).message}`;
    } finally {
      if (current === mine) setDisabled(byId("carry-refresh"), false);
    }
  };
  coin.addEventListener("change", () => void load());
  byId("carry-refresh").addEventListener("click", () => void load());
  return { load, render: () => last && renderCarry(last, action) };
}

/** Puts a venue's perpetual into the hedge worksheet form (the form's own change handlers do the rest). */
export function fillBuilderForm(r: CarryRow, coin: string): void {
  const set = (id: string, value: string) => {
    const select = byId<HTMLSelectElement>(id);
    select.value = value;
    select.dispatchEvent(new Event("change"));
  };
  set("builder-coin", coin);
  set("builder-venue", r.exchange);
  set("builder-contract", r.symbol);
  byId("builder").scrollIntoView({ block: "start" });
  byId("builder-quantity").focus();
}
