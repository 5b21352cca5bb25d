/*
 * The pane as Excel runs it, in a real browser: office.js is replaced by an Office that reports an Excel
 * host and the unit tests' in-memory workbook (bundled into the page), so the real DOM, components and
 * workbook code run end to end against the real server in replay mode. Needs `npm run build` first.
 */
import { existsSync, mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";
import { CHROMIUM, axeViolations, excelInPageScript, launch, workbook, type Browser } from "./chromium";

const runnable = existsSync(CHROMIUM) && existsSync("dist/taskpane.html");

describe.runIf(runnable)("task pane inside Excel (in-memory workbook), replay data", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    mkdirSync("test-output", { recursive: true });
    const bundleText = await excelInPageScript();
    server = await startServer({ HEDGE_MARKET: "replay" });
    browser = await launch();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 420, height: 1400 });
    // The real office.js would replace the Office double; Microsoft's CDN is not reachable here anyway.
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
    await page.addInitScript({ content: bundleText });
    await page.goto(`${server.url}/taskpane.html`);
    await page.locator("#builder").waitFor({ state: "visible", timeout: 10_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("offers the table and the builder, not the dashboard note, and axe finds no violations", async () => {
    await expect(page.locator("#host-note").isVisible()).resolves.toBe(false);
    await expect(page.locator("#refresh").textContent()).resolves.toBe("Insert / refresh table");
    await expect(page.locator("#rates-body tr").count()).resolves.toBe(0); // nothing is written until asked
    // Nor saved: the document settings change only when the person changes the selection.
    expect(await workbook<number>(page, "x.settingsSaves")).toBe(0);
    await expect
      .poll(() => page.locator("#contract-info").textContent())
      .toMatch(/Contract size 1 USD\. Funding/);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("writes the HedgeFundingRates table in one batch when asked, and remembers the selection in the workbook", async () => {
    await page.locator("#refresh").click();
    await expect
      .poll(() => page.locator("#status-text").textContent(), { timeout: 10_000 })
      .toMatch(/Last good/);
    const header = await workbook<unknown[][]>(page, `x.grid("Funding Rates", "A1:N1")`);
    expect(header[0].slice(0, 3)).toEqual(["Exchange", "Symbol", "Coin"]);
    const exchanges = await workbook<unknown[][]>(page, `x.grid("Funding Rates", "A2:A16")`);
    expect(new Set(exchanges.flat())).toEqual(
      new Set(["bybit", "binance", "bitmex", "deribit", "okx", "kraken", "bingx", "mexc"]),
    );
    // The date system (once), locating the table, writing it.
    expect(await workbook<number>(page, "x.syncs")).toBe(3);

    await page.locator("#venue-kraken").click();
    expect(await workbook<number>(page, "x.settingsSaves")).toBe(1);
    const stored = (await page.evaluate("JSON.stringify(window.__settings)")) as string;
    expect(JSON.parse(Object.values(JSON.parse(stored))[0] as string).venues).not.toContain("kraken");
    await page.locator("#refresh").click();
    await expect.poll(() => workbook<number>(page, "x.syncs"), { timeout: 10_000 }).toBe(6);
    // Kraken's rows stay in the table (not asked for, so left alone); the pane shows the selection.
    await expect(page.locator("#rates-body tr").count()).resolves.toBe(13);
  });

  it("builds a Hedge sheet from the form, operated with the keyboard", async () => {
    // Playwright's CSS reaches the native input inside the Fluent text input's open shadow root.
    await page.locator("#builder-quantity input").fill("2.5");
    await page.locator("#builder-venue").selectOption("deribit");
    await page.locator("#builder-leverage").click();
    await page.keyboard.type("2");
    await page.locator("#build").focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator("#builder-status").textContent(), { timeout: 10_000 })
      .toBe('Added sheet "Hedge BTC".');
    const labels = await workbook<unknown[][]>(page, `x.grid("Hedge BTC", "A4:B8")`);
    expect(labels).toEqual([
      ["Inputs", ""],
      ["Exchange", "deribit"],
      ["Contract", "BTC-PERPETUAL"],
      ["Spot quantity (BTC)", 2.5],
      ["Spot price (USD)", ""],
    ]);
    expect(await workbook<string>(page, `x.sheet("Hedge BTC").cell("B8").formula`)).toBe(
      '=HEDGE.MARKET(B5,B6,"index_price")',
    );
    expect(await workbook<number>(page, `x.sheet("Hedge BTC").charts.length`)).toBe(1);
    await page.screenshot({ path: "test-output/taskpane-excel.png", fullPage: true });
    // The README's picture, the pane's first 1400 px: `UPDATE_SCREENSHOT=1 npx vitest run test/e2e/taskpane-excel.test.ts`.
    if (process.env.UPDATE_SCREENSHOT === "1")
      await page.screenshot({
        path: "docs/taskpane.png",
        fullPage: true,
        clip: { x: 0, y: 0, width: 420, height: 1400 },
      });
  });
});
