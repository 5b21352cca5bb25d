/*
 * The computed hedge sheet as a picture: the pane builds it (Excel double), fast-formula-parser calculates it
 * with the BUILT bundle's HEDGE.* functions on replayed quotes, and chromium renders each cell as Excel would
 * display it (its value through its number format). The README's picture:
 * `UPDATE_SCREENSHOT=1 npx vitest run test/e2e/hedge-sheet-picture.test.ts` (after `npm run build`).
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHedgeSheet } from "../../src/taskpane/workbook";
import { loadBundle } from "../support/bundle";
import { calculateBuiltSheet } from "../support/built-sheet";
import { bundleFunctions, sheetHtml } from "../support/formula-engine";
import { startServer, type RunningServer } from "../support/server";
import { CHROMIUM, launch, type Browser } from "./chromium";

const runnable = existsSync(CHROMIUM) && existsSync("dist/functions.js");

describe.runIf(runnable)("the computed hedge sheet, rendered", () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync("test-output", { recursive: true });
    server = await startServer({ HEDGE_MARKET: "replay" });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows formatted values, a flat hedged column and no error", async () => {
    const bundle = loadBundle({
      location: { origin: server.url, href: `${server.url}/taskpane.html` },
      fetch,
    });
    const { workbook, sheet } = await calculateBuiltSheet(
      () =>
        buildHedgeSheet({
          coin: "BTC",
          exchange: "bybit",
          symbol: "BTCUSD",
          quantity: 2.5,
          hedgeRatio: 1,
          leverage: 5,
        }),
      bundleFunctions(bundle),
    );
    const html = sheetHtml(workbook, sheet, `${sheet}, calculated`);
    writeFileSync("test-output/hedge-sheet.html", html);
    const page = await browser.context.newPage();
    await page.setContent(html);
    const cells = await page.$$eval("td", (tds) => tds.map((td) => td.textContent ?? ""));
    expect(cells.filter((c) => c.startsWith("#"))).toEqual([]);
    // Prices with thousands separators, rates as percentages, coin amounts to 8 decimals.
    expect(cells).toContain("91,250.50");
    expect(cells).toContain("100%");
    expect(cells.some((c) => /^\d\.\d{8}$/.test(c))).toBe(true);
    // The scenario's hedged total (H, 8th) is flat: across -50 % to +50 % it moves by less than one contract
    // (1 USD on Bybit), the rounding to whole contracts; unhedged it moves by 228,000 USD.
    const hedged = await page.$$eval("tr", (rows) =>
      rows
        .map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""))
        .filter((tds) => /^-?\d+%$/.test(tds[2] ?? ""))
        .map((tds) => tds[7]),
    );
    expect(hedged).toHaveLength(11);
    const totals = hedged.map((t) => Number(t.replace(/,/g, "")));
    expect(Math.max(...totals) - Math.min(...totals)).toBeLessThan(1);
    await page.setViewportSize({ width: 1180, height: 900 });
    await page.locator("table").screenshot({ path: "test-output/hedge-sheet.png" });
    await page.close();
    if (process.env.UPDATE_SCREENSHOT === "1")
      copyFileSync("test-output/hedge-sheet.png", "docs/hedge-sheet.png");
  });
});
