/*
 * The task pane's entry. Inside Excel it writes the live-rates table and builds hedge, proxy hedge and
 * portfolio worksheets; anywhere else (a plain browser, or office.js failed to load) the same page is a
 * read-only dashboard. When Office answers late, the dashboard turns into the Excel pane then.
 */
import "@fluentui/web-components/button.js";
import "@fluentui/web-components/checkbox.js";
import "@fluentui/web-components/field.js";
import "@fluentui/web-components/spinner.js";
import "@fluentui/web-components/text-input.js";
import { setTheme } from "@fluentui/web-components/theme/set-theme.js";
import { webLightTheme } from "@fluentui/tokens";
import { fetchCurve, fetchFundingHistory, fetchQuotes } from "../live/client";
import { fillBuilderForm, mountCarry } from "./carry-view";
import { mountBuilder } from "./builder-view";
import { RatesController } from "./controller";
import { byId } from "./dom";
import { watchHost } from "./host";
import { buildPortfolioSheet, buildProxySheet } from "./proxy-workbook";
import { loadContracts, mountProxyForms } from "./proxy-view";
import { mountRates, renderRates } from "./rates-view";
import { DEFAULT_SELECTION, type RatesSelection } from "./selection";
import { loadSelection, saveOnChange, saveSelection } from "./settings";
import css from "./taskpane.css";
import { buildHedgeSheet, usesDate1904, writeFundingTable } from "./workbook";

/**
 * The pane's styles: a constructed style sheet where the engine has them, a <style> element in older
 * webviews (Safari before 16.4, old Edge) that lack them, instead of an unstyled or empty pane.
 */
export function adoptStyles(doc: Document = document): void {
  const constructed =
    "adoptedStyleSheets" in doc &&
    typeof CSSStyleSheet === "function" &&
    typeof CSSStyleSheet.prototype.replaceSync === "function";
  if (constructed) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      return;
    } catch {
      // Present but not constructible (some older engines): fall back below.
    }
  }
  const style = doc.createElement("style");
  style.textContent = css;
  doc.head.append(style);
}

/** Says plainly why the pane cannot start, in place of an empty pane. */
function showFailure(err: unknown): void {
  const app = document.getElementById("app") ?? document.body;
  const message = document.createElement("p");
  message.setAttribute("role", "alert");
  message.className = "note";
  message.textContent =
    "Inverse Hedge could not start in this version of Office or its browser engine" +
    ` (${(err as Error)?.message || String(err)}). Update Office, or open the pane in a current browser.` +
    " The HEDGE.* functions in cells do not depend on this pane.";
  app.removeAttribute("aria-busy");
  app.prepend(message);
}

function main(): void {
  try {
    setTheme(webLightTheme);
  } catch (err) {
    console.warn("theme not applied", err);
  }
  adoptStyles();
  const controller = new RatesController({ fetchQuotes, onChange: renderRates });
  let rates: ReturnType<typeof mountRates> | undefined;
  let excel = false;

  const workbookSave = (initial: RatesSelection) =>
    saveOnChange(
      initial,
      (s) => void saveSelection(s).catch((err) => console.warn("settings not saved", err)),
    );

  const enterExcel = () => {
    if (excel) return;
    excel = true;
    document.body.dataset.host = "excel";
    byId("host-note").hidden = true;
    controller.setWriter(writeFundingTable);
    if (rates) {
      // Late: keep what the person sees, save from now on when it changes.
      rates.enterExcel(workbookSave);
    } else {
      const selection = loadSelection();
      rates = mountRates(controller, selection, workbookSave(selection), true);
    }
    mountBuilder(buildHedgeSheet);
    void mountProxyForms({ loadContracts, buildProxy: buildProxySheet, buildPortfolio: buildPortfolioSheet });
    // Learn the workbook's date system now, so that the functions' dates follow it from the start.
    void usesDate1904();
    carry.render();
  };

  // Carry reads only, so it runs in both modes; inside Excel its rows can fill the hedge worksheet form.
  const carry = mountCarry({ fetchCurve, fetchFundingHistory, now: () => Date.now() }, (row) =>
    excel ? () => fillBuilderForm(row, byId<HTMLSelectElement>("carry-coin").value) : undefined,
  );
  void carry.load();

  watchHost((host) => {
    try {
      if (host === "excel") enterExcel();
      else if (!rates) {
        document.body.dataset.host = "browser";
        byId("host-note").hidden = false;
        rates = mountRates(controller, DEFAULT_SELECTION, () => undefined, false);
        // Outside Excel nothing is written, so the dashboard shows data at once; inside, the person decides.
        void controller.refresh();
      }
      byId("app").removeAttribute("aria-busy");
    } catch (err) {
      showFailure(err);
    }
  });
}

try {
  main();
} catch (err) {
  showFailure(err);
}
