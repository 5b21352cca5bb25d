import { fetchQuotes } from "../live/client";
import { CONTRACTS } from "../market/contracts";
import { EXCHANGES, isQuote, type Exchange } from "../market/types";
import { byId, setDisabled, setOptions, valueOf } from "./dom";
import type { HedgeSheetInput } from "./hedge-plan";
import type { HedgeSheetResult } from "./workbook";
import { VENUE_NAMES } from "./rates-view";
import { displayCell } from "./rows";
import { PERPETUAL_COINS } from "./selection";

/** Contracts the builder offers for a venue and coin: the table's single contracts, perpetual first. */
function contractsFor(exchange: Exchange, coin: string) {
  return CONTRACTS.filter((c) => c.exchange === exchange && c.coin === coin && !c.pattern);
}

/** Reads and checks the form; a message naming the field when something is wrong. */
export function readBuilderForm(fields: {
  coin: string;
  exchange: string;
  symbol: string;
  quantity: string;
  ratioPercent: string;
  leverage: string;
}): HedgeSheetInput | string {
  const quantity = Number(fields.quantity);
  const ratio = Number(fields.ratioPercent);
  const leverage = fields.leverage === "" ? undefined : Number(fields.leverage);
  if (!fields.symbol) return "Pick a contract.";
  if (fields.quantity === "" || !Number.isFinite(quantity) || quantity <= 0) {
    return "Spot quantity must be a number greater than 0.";
  }
  if (fields.ratioPercent === "" || !Number.isFinite(ratio) || ratio < 0 || ratio > 1000) {
    return "Hedge ratio must be a percentage from 0 to 1000.";
  }
  if (leverage !== undefined && (!Number.isFinite(leverage) || leverage <= 0)) {
    return "Leverage must be a number greater than 0, or left empty for 1x.";
  }
  return {
    coin: fields.coin,
    exchange: fields.exchange,
    symbol: fields.symbol,
    quantity,
    hedgeRatio: ratio / 100,
    leverage,
  };
}

/** What the builder says once a sheet is built: its name, and why its chart is missing when it is. */
export function builtMessage(result: HedgeSheetResult): string {
  const added = `Added sheet "${result.sheet}".`;
  return result.chartError
    ? `${added} Its chart could not be added (${result.chartError}); the sheet's numbers are complete.`
    : added;
}

/** Wires the hedge worksheet form; `build` writes the sheet and says what it made. */
export function mountBuilder(build: (input: HedgeSheetInput) => Promise<HedgeSheetResult>): void {
  byId("builder").hidden = false;
  const coin = byId<HTMLSelectElement>("builder-coin");
  const venue = byId<HTMLSelectElement>("builder-venue");
  const contract = byId<HTMLSelectElement>("builder-contract");
  const info = byId("contract-info");
  const status = byId("builder-status");
  let infoRequest: AbortController | null = null;

  setOptions(
    coin,
    PERPETUAL_COINS.map((c) => ({ value: c, label: c })),
  );
  const fillVenues = () => {
    const venues = EXCHANGES.filter((ex) => contractsFor(ex, coin.value).length > 0);
    setOptions(
      venue,
      venues.map((ex) => ({ value: ex, label: VENUE_NAMES[ex] })),
    );
    fillContracts();
  };
  const fillContracts = () => {
    const list = contractsFor(venue.value as Exchange, coin.value);
    setOptions(
      contract,
      list.map((c) => ({ value: c.symbol, label: `${c.symbol} (${c.kind})` })),
    );
    void showContract();
  };
  const showContract = async () => {
    infoRequest?.abort();
    const spec = contractsFor(venue.value as Exchange, coin.value).find((c) => c.symbol === contract.value);
    if (!spec) {
      info.textContent = "";
      return;
    }
    const size = `Contract size ${spec.contractSize} USD.`;
    info.textContent = `${size} Loading funding…`;
    infoRequest = new AbortController();
    try {
      const [result] = await fetchQuotes(
        [{ exchange: spec.exchange, symbol: spec.symbol }],
        infoRequest.signal,
      );
      if (!isQuote(result)) {
        info.textContent = `${size} Funding unavailable: ${result.error.message}`;
      } else if (result.fundingRate === null) {
        info.textContent = `${size} Dated future: no funding.`;
      } else {
        info.textContent =
          `${size} Funding ${displayCell("Funding rate", result.fundingRate)} per ${result.fundingIntervalHours} h` +
          (result.fundingApr === null ? "." : ` (${displayCell("APR", result.fundingApr)} a year).`);
      }
    } catch (err) {
      if ((err as Error).name !== "AbortError")
        info.textContent = `${size} Funding unavailable: ${(err as Error).message}`;
    }
  };
  coin.addEventListener("change", fillVenues);
  venue.addEventListener("change", fillContracts);
  contract.addEventListener("change", () => void showContract());
  fillVenues();

  byId("builder-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = readBuilderForm({
      coin: coin.value,
      exchange: venue.value,
      symbol: contract.value,
      quantity: valueOf("builder-quantity"),
      ratioPercent: valueOf("builder-ratio"),
      leverage: valueOf("builder-leverage"),
    });
    if (typeof input === "string") {
      status.textContent = input;
      return;
    }
    status.textContent = "Building…";
    setDisabled(byId("build"), true);
    try {
      status.textContent = builtMessage(await build(input));
    } catch (err) {
      status.textContent = `Could not build the sheet: ${(err as Error).message}`;
    } finally {
      setDisabled(byId("build"), false);
    }
  });
}
