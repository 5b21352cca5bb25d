/*
 * The task pane in a real browser against the real server: outside Office it is the read-only dashboard.
 * Needs `npm run build` first (npm test builds before vitest).
 */
import { existsSync, mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecorded } from "../../src/server/market/recorded";
import { start as startFakeExchange, type FakeExchange } from "../fake-exchange/server";
import { startServer, type RunningServer } from "../support/server";
import { CHROMIUM, axeViolations, launch, type Browser } from "./chromium";

const OUTPUT = "test-output";
const ALL_VENUES = ["bybit", "binance", "bitmex", "deribit", "okx", "kraken", "bingx", "mexc"];
const runnable = existsSync(CHROMIUM) && existsSync("dist/taskpane.html");
if (!runnable) console.warn(`task pane browser tests skipped: need ${CHROMIUM} and a build in dist/`);

/**
 * Rows of the dashboard table as { exchange, symbol, mark, status }, found by column header; the first cell
 * shows the exchange over the symbol.
 */
async function tableRows(page: Page) {
  return page.$$eval("#rates", (tables) => {
    const table = tables[0] as HTMLTableElement;
    const headers = [...table.tHead!.rows[0].cells].map((c) => c.textContent);
    const at = (name: string) => headers.indexOf(name);
    return [...table.tBodies[0].rows].map((tr) => {
      const cells = [...tr.cells].map((c) => c.textContent ?? "");
      const [exchange, symbol, note] = [...tr.cells[at("Exchange / Symbol")].children].map(
        (s) => s.textContent,
      );
      return { exchange, symbol, note, mark: cells[at("Mark")], status: cells[at("Status")] };
    });
  });
}

async function openPane(browser: Browser, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}/taskpane.html`);
  await page.waitForSelector("#rates-body tr", { timeout: 15_000 });
  expect(errors).toEqual([]);
  return page;
}

describe.runIf(runnable)("task pane dashboard, replay data", () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    server = await startServer({ HEDGE_MARKET: "replay", HEDGE_OFFICE_JS: "local" });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows every venue's BTC and ETH rows, says the data is replayed and that writing needs Excel", async () => {
    const page = await openPane(browser, server.url);
    const rows = await tableRows(page);
    expect(new Set(rows.map((r) => r.exchange))).toEqual(new Set(ALL_VENUES));
    expect(rows).toHaveLength(15); // BitMEX has no inverse ETH perpetual
    expect(rows.every((r) => r.status === "ok")).toBe(true);
    expect(rows.find((r) => r.symbol === "XBTUSD")?.mark).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    await expect(page.locator("#source-badge").isVisible()).resolves.toBe(true);
    await expect(page.locator("#host-note").isVisible()).resolves.toBe(true);
    await expect(page.locator("#builder").isVisible()).resolves.toBe(false);
    await expect(page.locator("#status-text").textContent()).resolves.toMatch(
      /Last good refresh \d{4}-\d\d-\d\d/,
    );
    await page.screenshot({ path: `${OUTPUT}/taskpane-dashboard.png`, fullPage: true });
    await page.close();
  });

  it("has no accessibility violations that axe can find", async () => {
    const page = await openPane(browser, server.url);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("is keyboard operable: a venue unticked with the keyboard and a refresh by Enter drop its rows", async () => {
    const page = await openPane(browser, server.url);
    await page.locator("#venue-okx").focus();
    await page.keyboard.press("Space");
    await page.locator("#refresh").focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(async () => (await tableRows(page)).map((r) => r.exchange), { timeout: 10_000 })
      .not.toContain("okx");
    expect((await tableRows(page)).length).toBe(13);
    await page.close();
  });

  it("is a dashboard, not a hang, when office.js cannot be loaded at all", async () => {
    const cdn = await startServer({ HEDGE_MARKET: "replay" }); // the page asks Microsoft's CDN for office.js
    try {
      const page = await browser.context.newPage();
      await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
      const started = Date.now();
      await page.goto(`${cdn.url}/taskpane.html`);
      await page.waitForSelector("#rates-body tr", { timeout: 10_000 });
      expect(Date.now() - started).toBeLessThan(8_000);
      await expect(page.locator("#host-note").isVisible()).resolves.toBe(true);
      expect((await tableRows(page)).length).toBe(15);
      await page.close();
    } finally {
      await cdn.close();
    }
  });

  it("is styled and readable in an older engine without constructed style sheets", async () => {
    const page = await browser.context.newPage();
    await page.addInitScript({
      content: "delete Document.prototype.adoptedStyleSheets; delete CSSStyleSheet.prototype.replaceSync;",
    });
    await page.goto(`${server.url}/taskpane.html`);
    // Either the dashboard with its styles in a <style> element, or a message saying why it cannot start:
    // never an empty pane.
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              Boolean(document.querySelector("#rates-body tr")) ||
              Boolean(document.querySelector("[role=alert]")),
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    const styled = await page.evaluate(() =>
      [...document.querySelectorAll("style")].some((s) => (s.textContent ?? "").includes(".masthead")),
    );
    expect(styled).toBe(true);
    await page.close();
  });
});

describe.runIf(runnable)("task pane dashboard against the fake exchange, one venue failing", () => {
  let fake: FakeExchange;
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    fake = await startFakeExchange();
    server = await startServer({ ...fake.env(), HEDGE_OFFICE_JS: "local", HEDGE_QUOTE_TTL_MS: "0" });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  it("says why the failing venue's rows have no data, keeps the others, and a refresh shows new values", async () => {
    fake.setMode("okx", "500");
    const page = await openPane(browser, server.url);
    const rows = await tableRows(page);
    expect(new Set(rows.map((r) => r.exchange))).toEqual(new Set(ALL_VENUES));
    const okx = rows.filter((r) => r.exchange === "okx");
    expect(okx).toHaveLength(2);
    for (const row of okx) {
      expect(row.status).toMatch(/okx/i);
      expect(row.status).not.toBe("ok");
      // Said beside the contract too, in view in a 320 px pane (the Status column is off to the right).
      expect(row.note).toBe(row.status);
      expect(row.mark).toBe("");
    }
    expect(rows.filter((r) => r.exchange !== "okx").every((r) => r.status === "ok")).toBe(true);
    expect(rows.filter((r) => r.exchange !== "okx").every((r) => r.note === undefined)).toBe(true);
    await page.screenshot({ path: `${OUTPUT}/taskpane-failing-venue.png`, fullPage: true });

    // Bybit's BTCUSD mark moves; a refresh shows it.
    const tickers = structuredClone(await readRecorded("bybit", "tickers")) as {
      result: { list: { symbol: string; markPrice: string }[] };
    };
    tickers.result.list.find((t) => t.symbol === "BTCUSD")!.markPrice = "12345.67";
    fake.setPayload("bybit", "tickers", tickers);
    const before = (await tableRows(page)).find((r) => r.symbol === "BTCUSD")?.mark;
    expect(before).not.toBe("12,345.67");
    await page.locator("#refresh").click();
    await expect
      .poll(async () => (await tableRows(page)).find((r) => r.symbol === "BTCUSD")?.mark, { timeout: 10_000 })
      .toBe("12,345.67");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
