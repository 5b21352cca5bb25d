/*
 * Excel's narrowest task pane is 320 px wide. There, the funding-rates table must show each contract's funding
 * rate, APR and mark without scrolling sideways (the other columns may follow inside the table's own scrolled
 * region), and nothing on the page may push it wider than the pane. Checked with the page's real layout in
 * Chromium, as a dashboard and inside Excel (the in-page Excel double). Needs `npm run build` first.
 */
import { existsSync, mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";
import { CHROMIUM, axeViolations, excelInPageScript, launch, type Browser } from "./chromium";

const runnable = existsSync(CHROMIUM) && existsSync("dist/taskpane.html");
const WIDTH = 320;
const PRIMARY = ["Exchange / Symbol", "Funding rate", "APR", "Mark"];

/** Where the table's first columns and every row's cells under them are, against the viewport. */
async function layout(page: Page) {
  return page.evaluate((primary) => {
    const table = document.getElementById("rates") as HTMLTableElement;
    const headers = [...table.tHead!.rows[0].cells];
    const boxes = (cells: Element[]) =>
      cells.map((c) => {
        const r = c.getBoundingClientRect();
        return { left: r.left, right: r.right, text: c.textContent ?? "" };
      });
    const columns = primary.map((name) => headers.findIndex((h) => h.textContent === name));
    return {
      viewport: window.innerWidth,
      pageWidth: document.documentElement.scrollWidth,
      bodyWidth: document.body.scrollWidth,
      headers: headers.map((h) => h.textContent),
      columns,
      head: boxes(columns.map((i) => headers[i])),
      rows: [...table.tBodies[0].rows].map((tr) => boxes(columns.map((i) => tr.cells[i]))),
      regionScrolled: (table.closest(".table-wrap") as HTMLElement).scrollLeft,
      // The carry ranking has no secondary columns: all of it fits, its region has nothing to scroll to.
      carryScroll: (() => {
        const wrap = document.querySelector(".carry-wrap") as HTMLElement;
        return wrap.scrollWidth - wrap.clientWidth;
      })(),
      // Anything outside the table regions that is wider than the pane.
      overflowing: [...document.querySelectorAll("body *")]
        .filter((e) => !e.closest(".table-wrap") && e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => e.id || e.className || e.tagName),
    };
  }, PRIMARY);
}

function checkLayout(found: Awaited<ReturnType<typeof layout>>) {
  expect(found.viewport).toBe(WIDTH);
  // The first columns are the contract, funding rate, APR and mark, in that order.
  expect(found.headers.slice(0, 4)).toEqual(PRIMARY);
  expect(found.regionScrolled).toBe(0);
  expect(found.carryScroll).toBe(0);
  expect(found.rows.length).toBeGreaterThanOrEqual(13);
  for (const cells of [found.head, ...found.rows]) {
    for (const c of cells) {
      expect(c.left, c.text).toBeGreaterThanOrEqual(0);
      expect(c.right, c.text).toBeLessThanOrEqual(WIDTH);
    }
  }
  // Every row shows a funding rate, an APR and a mark in that first screen.
  for (const [, rate, apr, mark] of found.rows) {
    expect(rate.text).toMatch(/^-?\d+\.\d{4}%$/);
    expect(apr.text).toMatch(/^-?\d+\.\d{2}%$/);
    expect(mark.text).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  }
  // And the page itself is no wider than the pane.
  expect(found.overflowing).toEqual([]);
  expect(found.pageWidth).toBeLessThanOrEqual(WIDTH);
  expect(found.bodyWidth).toBeLessThanOrEqual(WIDTH);
}

describe.runIf(runnable)("the pane at 320 px (Excel's narrowest)", () => {
  let server: RunningServer;
  let browser: Browser;
  let excelBundle: string;
  beforeAll(async () => {
    mkdirSync("test-output", { recursive: true });
    excelBundle = await excelInPageScript();
    server = await startServer({ HEDGE_MARKET: "replay" });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(excel: boolean): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: WIDTH, height: 900 });
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
    if (excel) await page.addInitScript({ content: excelBundle });
    await page.goto(`${server.url}/taskpane.html`);
    if (excel) {
      await page.locator("#builder").waitFor({ state: "visible", timeout: 10_000 });
      await page.locator("#refresh").click();
    }
    await page.waitForSelector("#rates-body tr", { timeout: 15_000 });
    await page.waitForSelector("#carry-body tr", { timeout: 15_000 });
    return page;
  }

  it("dashboard: funding rate, APR and mark are in view for every row, the page does not scroll sideways, axe clean", async () => {
    const page = await open(false);
    checkLayout(await layout(page));
    await page.screenshot({ path: "test-output/narrow-dashboard.png", fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("Excel: the same, with the worksheet form on the page", async () => {
    const page = await open(true);
    checkLayout(await layout(page));
    await page.screenshot({ path: "test-output/narrow-excel.png", fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
