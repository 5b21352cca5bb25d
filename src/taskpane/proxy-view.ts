/*
 * The proxy-hedge and portfolio forms (Excel only, like the hedge worksheet form): they offer the contracts the
 * server lists and call the sheet builders. A field that fails its check is named in the status and nothing is
 * written; a sheet name in use gives the new sheet another name (the builders never overwrite a sheet).
 */
import { apiGet } from "../live/client";
import { builtMessage } from "./builder-view";
import { byId, el, setDisabled, setOptions, valueOf } from "./dom";
import type { Holding, ProxySheetInput } from "./proxy-plan";
import {
  BUILTIN_PERPETUALS,
  MAX_HOLDINGS,
  contractLabel,
  contractValue,
  hedgeContracts,
  perpetualsFrom,
  portfolioCoins,
  portfolioContracts,
  portfolioVenues,
  priceSourceFor,
  priceSources,
  proxyCoins,
  readPortfolioForm,
  readProxyForm,
  type HoldingFields,
  type ListedContract,
} from "./proxy-forms";
import { VENUE_NAMES } from "./rates-view";
import type { HedgeSheetResult } from "./workbook";

export interface ProxyFormsDeps {
  /** The perpetuals to offer; the built-in table (with a notice) when the server cannot list them. */
  loadContracts(): Promise<{ list: ListedContract[]; notice?: string }>;
  buildProxy(input: ProxySheetInput): Promise<HedgeSheetResult>;
  buildPortfolio(holdings: readonly Holding[]): Promise<HedgeSheetResult>;
}

/** GET /api/v1/contracts, falling back to the built-in table (and saying so) when it fails or lists nothing. */
export async function loadContracts(): Promise<{ list: ListedContract[]; notice?: string }> {
  try {
    const body = await apiGet<{ contracts?: unknown }>("api/v1/contracts");
    const list = perpetualsFrom(body.contracts);
    if (list.length > 0) return { list };
    return {
      list: [...BUILTIN_PERPETUALS],
      notice: "The server listed no contracts; showing the built-in table.",
    };
  } catch (err) {
    return {
      list: [...BUILTIN_PERPETUALS],
      notice: `The venues' contract lists could not be loaded (${(err as Error).message}); showing the built-in table.`,
    };
  }
}

/** Runs a build from a form: the message on bad input (nothing written), else the builder's outcome. */
async function submit<T>(
  status: HTMLElement,
  button: HTMLElement,
  input: T | string,
  build: (input: T) => Promise<HedgeSheetResult>,
): Promise<void> {
  status.classList.toggle("failed", typeof input === "string");
  if (typeof input === "string") {
    status.textContent = input;
    return;
  }
  status.textContent = "Building…";
  setDisabled(button, true);
  try {
    status.textContent = builtMessage(await build(input));
  } catch (err) {
    status.classList.add("failed");
    status.textContent = `Could not build the sheet: ${(err as Error).message}`;
  } finally {
    setDisabled(button, false);
  }
}

/** Keeps a select's choice when it is still offered, else the first option (or the preferred one). */
function refill(
  select: HTMLSelectElement,
  options: { value: string; label: string }[],
  prefer?: string,
): void {
  const keep = select.value;
  setOptions(select, options);
  const values = options.map((o) => o.value);
  if (values.includes(keep)) select.value = keep;
  else if (prefer && values.includes(prefer)) select.value = prefer;
}

function mountProxy(list: readonly ListedContract[], deps: ProxyFormsDeps): void {
  const coin = byId<HTMLSelectElement>("proxy-coin");
  const source = byId<HTMLSelectElement>("proxy-source");
  const hedge = byId<HTMLSelectElement>("proxy-hedge");
  const status = byId("proxy-status");
  setOptions(
    coin,
    proxyCoins(list).map((c) => ({ value: c, label: c })),
  );
  const fill = () => {
    refill(
      source,
      priceSources(list, coin.value).map((c) => ({ value: contractValue(c), label: contractLabel(c) })),
    );
    const hedges = hedgeContracts(list);
    const other = hedges.find((c) => c.coin !== coin.value);
    refill(
      hedge,
      hedges.map((c) => ({ value: contractValue(c), label: `${c.coin}: ${contractLabel(c)}` })),
      other && contractValue(other),
    );
    // The coin's own contract would be a direct hedge: move off it when the coin changes to the hedge's.
    if (other && hedges.find((c) => contractValue(c) === hedge.value)?.coin === coin.value) {
      hedge.value = contractValue(other);
    }
  };
  coin.addEventListener("change", fill);
  fill();

  byId("proxy-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = readProxyForm(
      {
        coin: coin.value,
        quantity: valueOf("proxy-quantity"),
        source: source.value,
        hedge: hedge.value,
        days: valueOf("proxy-days"),
      },
      list,
    );
    void submit(status, byId("proxy-build"), input, deps.buildProxy);
  });
}

/** A select with its label, for a portfolio row. */
function selectField(id: string, label: string, field: string, wide = false) {
  const wrap = el("div", undefined, { class: wide ? "select-field wide" : "select-field" });
  const select = el("select", undefined, { id, "data-field": field });
  wrap.append(el("label", label, { for: id }), select);
  return { wrap, select };
}

/** A Fluent number input with its label, for a portfolio row. */
function numberField(id: string, label: string, field: string, value: string) {
  const input = el("fluent-text-input" as "input", label, { id, type: "number", value, "data-field": field });
  return input;
}

function mountPortfolio(list: readonly ListedContract[], deps: ProxyFormsDeps): void {
  const rows = byId("portfolio-rows");
  const add = byId("portfolio-add");
  const status = byId("portfolio-status");
  const coins = portfolioCoins(list);
  let next = 1;

  /** Numbers the rows' legends and remove buttons by position, and keeps the row count within bounds. */
  const renumber = () => {
    [...rows.children].forEach((row, i) => {
      row.querySelector("legend")!.textContent = `Holding ${i + 1}`;
      row.querySelector("[data-remove]")!.setAttribute("aria-label", `Remove holding ${i + 1}`);
    });
    setDisabled(add, rows.children.length >= MAX_HOLDINGS);
  };

  const addRow = (initial: { coin?: string; quantity?: string } = {}) => {
    if (rows.children.length >= MAX_HOLDINGS) return;
    const n = next++;
    const row = el("fieldset", undefined, { class: "holding", "data-holding": String(n) });
    const coin = selectField(`portfolio-coin-${n}`, "Coin", "coin");
    const venue = selectField(`portfolio-venue-${n}`, "Venue", "venue");
    const contract = selectField(`portfolio-contract-${n}`, "Contract (short)", "contract", true);
    const hint = el("p", "", { class: "hint", id: `portfolio-hint-${n}`, "aria-live": "polite" });
    const remove = el("fluent-button" as "button", "Remove", {
      type: "button",
      size: "small",
      "data-remove": "",
    });
    setOptions(
      coin.select,
      coins.map((c) => ({ value: c, label: c })),
    );
    if (initial.coin && coins.includes(initial.coin)) coin.select.value = initial.coin;
    const fillVenues = () => {
      refill(
        venue.select,
        portfolioVenues(list, coin.select.value).map((ex) => ({ value: ex, label: VENUE_NAMES[ex] })),
      );
      fillContracts();
    };
    const fillContracts = () => {
      refill(
        contract.select,
        portfolioContracts(list, coin.select.value, venue.select.value).map(({ contract: c, hedge }) => ({
          value: contractValue(c),
          label: hedge === "direct" ? `${c.symbol} (direct)` : `${c.symbol} (proxy: ${c.coin})`,
        })),
      );
      describe();
    };
    const describe = () => {
      const choice = portfolioContracts(list, coin.select.value, venue.select.value).find(
        (c) => contractValue(c.contract) === contract.select.value,
      );
      const price = priceSourceFor(list, coin.select.value, venue.select.value);
      hint.textContent = !choice
        ? ""
        : choice.hedge === "direct"
          ? `Direct hedge: ${coin.select.value}'s own contract, ${choice.contract.contractSize} USD each.`
          : `Proxy hedge with ${choice.contract.coin} at your ratio; ${coin.select.value} priced from ` +
            `${price ? contractLabel(price) : "nowhere"}.`;
    };
    coin.select.addEventListener("change", fillVenues);
    venue.select.addEventListener("change", fillContracts);
    contract.select.addEventListener("change", describe);
    remove.addEventListener("click", () => {
      // Focus goes to the row that takes this one's place (or the one above), never lost to the page.
      const neighbour = (row.nextElementSibling ?? row.previousElementSibling) as HTMLElement | null;
      row.remove();
      renumber();
      status.textContent = "";
      (neighbour?.querySelector<HTMLElement>("select") ?? add).focus();
    });
    const grid = el("div", undefined, { class: "holding-grid" });
    grid.append(
      coin.wrap,
      numberField(`portfolio-quantity-${n}`, "Quantity", "quantity", initial.quantity ?? "1"),
      numberField(`portfolio-ratio-${n}`, "Hedge ratio (%)", "ratio", "100"),
      venue.wrap,
      contract.wrap,
    );
    row.append(el("legend"), grid, hint, remove);
    rows.append(row);
    fillVenues();
    renumber();
  };

  add.addEventListener("click", () => {
    addRow();
    (rows.lastElementChild?.querySelector<HTMLElement>("select") ?? add).focus();
  });
  addRow({ coin: coins[0] });

  byId("portfolio-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const fields: HoldingFields[] = [...rows.children].map((row) => {
      const read = (field: string) =>
        String(
          (row.querySelector(`[data-field="${field}"]`) as unknown as { value?: string }).value ?? "",
        ).trim();
      return {
        coin: read("coin"),
        quantity: read("quantity"),
        ratioPercent: read("ratio"),
        contract: read("contract"),
      };
    });
    void submit(status, byId("portfolio-build"), readPortfolioForm(fields, list), deps.buildPortfolio);
  });
}

/** Shows and wires both forms once the contract list is in (Excel only: they write sheets). */
export async function mountProxyForms(deps: ProxyFormsDeps): Promise<void> {
  for (const id of ["proxy", "portfolio"]) byId(id).hidden = false;
  const loading = byId("proxy-contracts");
  loading.textContent = "Loading the venues' contracts…";
  try {
    const { list, notice } = await deps.loadContracts();
    loading.textContent = notice ?? "";
    mountProxy(list, deps);
    mountPortfolio(list, deps);
    byId("proxy").dataset.ready = "true";
    byId("portfolio").dataset.ready = "true";
  } catch (err) {
    loading.textContent = `The proxy and portfolio forms could not start: ${(err as Error).message}`;
  }
}
