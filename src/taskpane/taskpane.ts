/*
 * The task pane's entry. Inside Excel it writes the live-rates table and builds hedge worksheets; anywhere
 * else (a plain browser, or office.js failed to load) the same page is a read-only dashboard.
 */
import "@fluentui/web-components/button.js";
import "@fluentui/web-components/checkbox.js";
import "@fluentui/web-components/field.js";
import "@fluentui/web-components/spinner.js";
import "@fluentui/web-components/text-input.js";
import { setTheme } from "@fluentui/web-components/theme/set-theme.js";
import { webLightTheme } from "@fluentui/tokens";
import { fetchQuotes } from "../live/client";
import { mountBuilder } from "./builder-view";
import { RatesController } from "./controller";
import { byId } from "./dom";
import { detectHost } from "./host";
import { mountRates, renderRates } from "./rates-view";
import { DEFAULT_SELECTION } from "./selection";
import { loadSelection, saveSelection } from "./settings";
import css from "./taskpane.css";
import { buildHedgeSheet, writeFundingTable } from "./workbook";

function adoptStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

async function main(): Promise<void> {
  setTheme(webLightTheme);
  adoptStyles();
  const host = await detectHost();
  const inExcel = host === "excel";
  document.body.dataset.host = host;
  byId("host-note").hidden = inExcel;

  const controller = new RatesController({
    fetchQuotes,
    write: inExcel ? writeFundingTable : undefined,
    onChange: renderRates,
  });
  const selection = inExcel ? loadSelection() : DEFAULT_SELECTION;
  const save = inExcel
    ? (s: typeof selection) => void saveSelection(s).catch((err) => console.warn("settings not saved", err))
    : () => undefined;
  mountRates(controller, selection, save, inExcel);
  if (inExcel) mountBuilder(buildHedgeSheet);
  byId("app").removeAttribute("aria-busy");
  // Outside Excel nothing is written, so the dashboard shows data at once; inside, the person decides.
  if (!inExcel) void controller.refresh();
}

void main();
