/*
 * The proxy-hedge and portfolio forms in a real browser, inside Excel (the in-page strict Excel double) against
 * the real server in replay mode, and in the dashboard. Each form is filled and submitted as a person would; the
 * sheet the double then holds is read back: the planned formulas in their cells, no pasted value where a formula
 * belongs, nothing written on bad input, an existing sheet left alone. The portfolio sheet is then calculated by
 * the formula engine with the built HEDGE.* functions: its totals are the sums of its rows. Needs `npm run build`.
 */
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portfolioPlan, proxySheetPlan, type Holding } from "../../src/taskpane/proxy-plan";
import { loadBundle } from "../support/bundle";
import { FormulaWorkbook, bundleFunctions, colLetters, loadSheet } from "../support/formula-engine";
import { startServer, type RunningServer } from "../support/server";
import { CHROMIUM, axeViolations, excelInPageScript, launch, workbook, type Browser } from "./chromium";

const runnable = existsSync(CHROMIUM) && existsSync("dist/taskpane.html");

interface Written {
  value: string | number | boolean;
  formula?: string;
  numberFormat?: string;
}

/** Every cell of a sheet the double holds, as the double keeps them ("row,col" keys). */
const rawCells = (page: Page, sheet: string) =>
  workbook<[string, Written][]>(page, `[...x.sheet(${JSON.stringify(sheet)}).cells.entries()]`);

/** The same cells by A1 address. */
async function cellsOf(page: Page, sheet: string): Promise<Map<string, Written>> {
  const out = new Map<string, Written>();
  for (const [rc, cell] of await rawCells(page, sheet)) {
    const [r, c] = rc.split(",").map(Number);
    out.set(`${colLetters(c + 1)}${r + 1}`, cell);
  }
  return out;
}

const sheetNames = (page: Page) => workbook<string[]>(page, "x.sheets.map((s) => s.name)");

/** The B cell beside the label (column A) that starts with `label`. */
function beside(cells: Map<string, Written>, label: string): Written {
  for (let r = 1; r < 40; r++) {
    const a = cells.get(`A${r}`)?.value;
    if (typeof a === "string" && a.startsWith(label)) return cells.get(`B${r}`) ?? { value: "" };
  }
  throw new Error(`no row labelled ${label}`);
}

/** Every planned formula is in its cell, and every planned constant too (nothing pasted, nothing missing). */
function expectPlanWritten(
  cells: Map<string, Written>,
  plan: { address: string; formula?: string; value?: unknown }[],
) {
  for (const cell of plan) {
    if (cell.formula !== undefined) expect(cells.get(cell.address)?.formula, cell.address).toBe(cell.formula);
    else if (cell.value !== undefined) {
      expect(cells.get(cell.address)?.value, cell.address).toBe(cell.value);
      expect(cells.get(cell.address)?.formula, cell.address).toBeUndefined();
    }
  }
}

/** One server (replay) and one browser for the file; each describe opens its own pages. */
let server: RunningServer;
let browser: Browser;
/** The Excel double and its Office, bundled for the page (excel-in-page.ts). */
let inPage: string;
beforeAll(async () => {
  if (!runnable) return;
  inPage = await excelInPageScript();
  server = await startServer({ HEDGE_MARKET: "replay" });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.runIf(runnable)("proxy and portfolio forms inside Excel (in-memory workbook), replay data", () => {
  let page: Page;
  beforeAll(async () => {
    page = await browser.context.newPage();
    // Excel's narrowest task pane.
    await page.setViewportSize({ width: 320, height: 1400 });
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
    await page.addInitScript({ content: inPage });
    await page.goto(`${server.url}/taskpane.html`);
    await page.locator("#portfolio[data-ready]").waitFor({ state: "visible", timeout: 15_000 });
  });
  afterAll(async () => {
    await page?.close();
  });

  it("offers what the server lists: price sources that keep history, BTC and ETH hedges; axe finds nothing", async () => {
    await expect(page.locator("#proxy").isVisible()).resolves.toBe(true);
    await expect(page.locator("#proxy-contracts").textContent()).resolves.toBe("");
    const options = (id: string) =>
      page.$$eval(`#${id} option`, (os) => os.map((o) => (o as HTMLOptionElement).value));
    const coins = await options("proxy-coin");
    expect(coins.slice(0, 2)).toEqual(["SOL", "XRP"]);
    expect(coins).not.toContain("DOGE"); // listed only where no daily history is kept
    await page.locator("#proxy-coin").selectOption("SOL");
    expect(await options("proxy-source")).toEqual([
      "bybit:SOLUSD",
      "binance:SOLUSD_PERP",
      "okx:SOL-USD-SWAP",
    ]);
    const hedges = await options("proxy-hedge");
    expect(hedges).toContain("kraken:PI_XBTUSD");
    expect(hedges).toContain("deribit:ETH-PERPETUAL");
    expect(hedges.every((h) => !h.startsWith("bingx:") && !h.startsWith("mexc:"))).toBe(true);
    // Held BTC is hedged with ETH: the form moves off BTC's own contract (that would be a direct hedge).
    await page.locator("#proxy-coin").selectOption("BTC");
    expect(await page.locator("#proxy-hedge").inputValue()).toBe("bybit:ETHUSD");
    await page.locator("#proxy-coin").selectOption("SOL");
    // Nothing is written until a form is submitted.
    expect(await sheetNames(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    // The new sections fit the 320 px pane without scrolling sideways.
    for (const id of ["proxy", "portfolio"]) {
      const [scroll, client] = await page.$eval(`#${id}`, (s) => [s.scrollWidth, s.clientWidth]);
      expect(scroll, id).toBeLessThanOrEqual(client);
    }
  });

  it("refuses bad proxy input with a message naming the field, and writes nothing", async () => {
    const syncs = await workbook<number>(page, "x.syncs");
    await page.locator("#proxy-quantity input").fill("0");
    await page.locator("#proxy-build").click();
    await expect
      .poll(() => page.locator("#proxy-status").textContent())
      .toBe("Quantity held must be a number greater than 0.");
    await page.locator("#proxy-quantity input").fill("250");
    await page.locator("#proxy-days input").fill("400");
    await page.locator("#proxy-build").click();
    await expect
      .poll(() => page.locator("#proxy-status").textContent())
      .toBe("Days of history must be a whole number from 3 to 365.");
    expect(await page.locator("#proxy-status").getAttribute("class")).toContain("failed");
    expect(await workbook<number>(page, "x.syncs")).toBe(syncs);
    expect(await sheetNames(page)).toEqual([]);
  });

  it("builds a proxy sheet of live formulas beside an existing `Proxy SOL`, which it leaves alone", async () => {
    await workbook(page, `x.addSheet("Proxy SOL").set("A1", "my own notes")`);
    await page.locator("#proxy-coin").selectOption("SOL");
    await page.locator("#proxy-source").selectOption("okx:SOL-USD-SWAP");
    await page.locator("#proxy-hedge").selectOption("kraken:PI_XBTUSD");
    await page.locator("#proxy-quantity input").fill("250");
    await page.locator("#proxy-days input").fill("120");
    await page.locator("#proxy-build").focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator("#proxy-status").textContent(), { timeout: 10_000 })
      .toBe('Added sheet "Proxy SOL (2)".');

    expect(await rawCells(page, "Proxy SOL")).toEqual([["0,0", { value: "my own notes" }]]);
    const cells = await cellsOf(page, "Proxy SOL (2)");
    const plan = proxySheetPlan({
      coin: "SOL",
      quantity: 250,
      coinExchange: "okx",
      coinSymbol: "SOL-USD-SWAP",
      hedgeExchange: "kraken",
      hedgeSymbol: "PI_XBTUSD",
      hedgeCoin: "BTC",
      days: 120,
    });
    expectPlanWritten(cells, plan.cells);

    // Read by label, as a person would: the inputs, then the formulas that use them.
    const at = (label: string) => beside(cells, label);
    expect(at("Quantity held").value).toBe(250);
    expect(at("SOL price venue").value).toBe("okx");
    expect(at("SOL contract").value).toBe("SOL-USD-SWAP");
    expect(at("Hedge venue").value).toBe("kraken");
    expect(at("Hedge contract").value).toBe("PI_XBTUSD");
    expect(at("Days of history").value).toBe(120);
    const [first] = plan.coinCloses.slice(1).split(":");
    const history = (col: string) => cells.get(`${col}${first}`)?.formula;
    expect(history("A")).toMatch(/^=HEDGE\.PRICE\.HISTORY\(B\d+,B\d+,B\d+,B\d+,FALSE\)$/);
    expect(history("E")).toMatch(/^=HEDGE\.PRICE\.HISTORY\(B\d+,B\d+,B\d+,B\d+,FALSE\)$/);
    expect(at("Hedge ratio").formula).toBe(`=HEDGE.RATIO(${plan.coinCloses},${plan.hedgeCloses})`);
    expect(at("Hedge effectiveness").formula).toBe(
      `=HEDGE.EFFECTIVENESS(${plan.coinCloses},${plan.hedgeCloses})`,
    );
    expect(at("Hedge notional").formula).toMatch(/^=HEDGE\.NOTIONAL\(B\d+,B\d+,B\d+\)$/);
    expect(at("Contracts to short").formula).toMatch(/^=HEDGE\.CONTRACTS\(B\d+,B\d+\)$/);
    expect(at("SOL price (USD)").formula).toMatch(/^=HEDGE\.MARKET\(/);
    // The aligned hedge column looks each date up; it is a formula on every reserved row.
    expect(cells.get(`C${first}`)?.formula).toMatch(/VLOOKUP\(A\d+,/);

    // No pasted numbers: the only numeric constants are the quantity and the days typed into the form.
    const numbers = [...cells].filter(([, c]) => typeof c.value === "number" && c.formula === undefined);
    expect(numbers.map(([, c]) => c.value).sort()).toEqual([120, 250]);
    expect(await workbook<number>(page, `x.sheet("Proxy SOL (2)").charts.length`)).toBe(1);
  });

  it("refuses a bad holding with a message naming it, and writes nothing", async () => {
    const before = await sheetNames(page);
    const syncs = await workbook<number>(page, "x.syncs");
    await page.locator("#portfolio-quantity-1 input").fill("");
    await page.locator("#portfolio-build").click();
    await expect
      .poll(() => page.locator("#portfolio-status").textContent())
      .toBe("Holding 1 (BTC): quantity must be a number greater than 0.");
    expect(await sheetNames(page)).toEqual(before);
    expect(await workbook<number>(page, "x.syncs")).toBe(syncs);
  });

  it("builds a portfolio sheet from rows added and removed; its totals are the sums of its rows", async () => {
    await workbook(page, `x.addSheet("portfolio").set("B2", 42)`);
    // Row 1: BTC hedged directly on Bybit.
    await page.locator("#portfolio-coin-1").selectOption("BTC");
    await page.locator("#portfolio-quantity-1 input").fill("1.5");
    await page.locator("#portfolio-ratio-1 input").fill("50");
    await page.locator("#portfolio-venue-1").selectOption("bybit");
    await page.locator("#portfolio-contract-1").selectOption("bybit:BTCUSD");
    // Row 2: SOL hedged with Kraken's BTC perpetual (Kraken lists no SOL: a proxy, priced from a venue that does).
    await page.locator("#portfolio-add").click();
    await page.locator("#portfolio-coin-2").selectOption("SOL");
    await page.locator("#portfolio-quantity-2 input").fill("400");
    await page.locator("#portfolio-ratio-2 input").fill("130");
    await page.locator("#portfolio-venue-2").selectOption("kraken");
    await page.locator("#portfolio-contract-2").selectOption("kraken:PI_XBTUSD");
    await expect(page.locator("#portfolio-hint-2").textContent()).resolves.toMatch(/^Proxy hedge with BTC/);
    // Row 3: ETH direct on OKX, at 2 coins.
    await page.locator("#portfolio-add").click();
    await page.locator("#portfolio-coin-3").selectOption("ETH");
    await page.locator("#portfolio-quantity-3 input").fill("20");
    await page.locator("#portfolio-venue-3").selectOption("okx");
    await expect(page.locator("#portfolio-hint-3").textContent()).resolves.toMatch(/^Direct hedge/);
    // A fourth row, added and removed again with the keyboard: it must not reach the sheet.
    await page.locator("#portfolio-add").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("portfolio-coin-4");
    await page.locator("#portfolio-quantity-4 input").fill("999");
    await page.locator('[data-holding="4"] [data-remove]').focus();
    await page.keyboard.press("Enter");
    // Focus does not fall back to the page: it goes to the row above.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("portfolio-coin-3");
    await expect(page.locator("#portfolio-rows fieldset").count()).resolves.toBe(3);
    await expect(page.locator("#portfolio-rows legend").allTextContents()).resolves.toEqual([
      "Holding 1",
      "Holding 2",
      "Holding 3",
    ]);
    expect(await axeViolations(page)).toEqual([]);

    await page.locator("#portfolio-build").click();
    await expect
      .poll(() => page.locator("#portfolio-status").textContent(), { timeout: 10_000 })
      .toBe('Added sheet "Portfolio (2)".');
    // Excel's sheet names ignore case: the person's `portfolio` is kept as it was.
    expect(await rawCells(page, "portfolio")).toEqual([["1,1", { value: 42 }]]);

    const holdings: Holding[] = [
      {
        coin: "BTC",
        quantity: 1.5,
        hedge: "direct",
        hedgeRatio: 0.5,
        exchange: "bybit",
        symbol: "BTCUSD",
        priceExchange: "bybit",
        priceSymbol: "BTCUSD",
      },
      {
        coin: "SOL",
        quantity: 400,
        hedge: "proxy",
        hedgeRatio: 1.3,
        exchange: "kraken",
        symbol: "PI_XBTUSD",
        priceExchange: "bybit",
        priceSymbol: "SOLUSD",
      },
      {
        coin: "ETH",
        quantity: 20,
        hedge: "direct",
        hedgeRatio: 1,
        exchange: "okx",
        symbol: "ETH-USD-SWAP",
        priceExchange: "okx",
        priceSymbol: "ETH-USD-SWAP",
      },
    ];
    const plan = portfolioPlan(holdings);
    const cells = await cellsOf(page, "Portfolio (2)");
    expectPlanWritten(cells, plan.cells);
    expect(plan.rows).toEqual([8, 9, 10]);
    expect(cells.get("A11")).toBeUndefined();
    expect(cells.get("K5")?.formula).toBe("=SUM(K8:K200)");
    expect(cells.get("K9")?.formula).toMatch(/^=IF\(C9="proxy",HEDGE\.NOTIONAL\(B9,G9,D9\),/);
    expect(cells.get("L9")?.formula).toBe("=HEDGE.CONTRACTS(K9,I9)");
    // Per row, the only numeric constants are quantity, hedge ratio and leverage.
    const numbers = [...cells].filter(([, c]) => typeof c.value === "number" && c.formula === undefined);
    expect(numbers.map(([a]) => a.replace(/\d+/, "")).sort()).toEqual(
      ["B", "B", "B", "D", "D", "D", "J", "J", "J"].sort(),
    );

    // Calculated as Excel would, with the built functions against the same replay server.
    const wb = new FormulaWorkbook();
    loadSheet(wb, "Portfolio (2)", await rawCells(page, "Portfolio (2)"));
    const fns = bundleFunctions(
      loadBundle({ location: { origin: server.url, href: `${server.url}/taskpane.html` }, fetch }),
    );
    await wb.calculate(fns);
    const num = (address: string) => {
      const v = wb.value("Portfolio (2)", address);
      if (typeof v !== "number") throw new Error(`${address} is ${String(v)}`);
      return v;
    };
    for (const r of plan.rows) expect(num(`K${r}`), `K${r}`).toBeGreaterThan(0);
    expect(num("K9")).toBeCloseTo(400 * num("G9") * 1.3, 6);
    for (const col of ["K", "M", "O", "R"]) {
      const sum = plan.rows.reduce((a, r) => a + num(`${col}${r}`), 0);
      expect(Math.abs(num(`${col}5`) - sum), col).toBeLessThanOrEqual(1e-9 * Math.abs(sum));
    }
  }, 60_000);
});

describe.runIf(runnable)("proxy and portfolio forms when the server cannot list contracts", () => {
  it("offers the built-in table, says so, and still keeps to venues with history", async () => {
    const page = await browser.context.newPage();
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
    await page.route("**/api/v1/contracts", (route) =>
      route.fulfill({
        status: 502,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "upstream", message: "every venue is down" } }),
      }),
    );
    await page.addInitScript({ content: inPage });
    await page.goto(`${server.url}/taskpane.html`);
    await page.locator("#proxy[data-ready]").waitFor({ state: "visible", timeout: 15_000 });
    await expect(page.locator("#proxy-contracts").textContent()).resolves.toBe(
      "The venues' contract lists could not be loaded (every venue is down); showing the built-in table.",
    );
    await page.locator("#proxy-coin").selectOption("XRP");
    const sources = await page.$$eval("#proxy-source option", (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    // The built-in table also has BingX's and MEXC's XRP, which keep no daily history.
    expect(sources).toEqual(["bybit:XRPUSD", "binance:XRPUSD_PERP", "okx:XRP-USD-SWAP", "kraken:PI_XRPUSD"]);
    await expect(page.locator("#portfolio-rows fieldset").count()).resolves.toBe(1);
    await page.close();
  });
});

describe.runIf(runnable)("proxy and portfolio forms in the dashboard (no Office)", () => {
  it("keeps both forms out of reach and says that building these worksheets needs Excel", async () => {
    const page = await browser.context.newPage();
    // No office.js at all: the page is the dashboard.
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
    await page.goto(`${server.url}/taskpane.html`);
    await page.locator("#host-note").waitFor({ state: "visible", timeout: 15_000 });
    await expect(page.locator("#host-note").textContent()).resolves.toMatch(
      /proxy hedge and portfolio worksheets\s+needs\s+Excel/,
    );
    await expect(page.locator("#proxy").isVisible()).resolves.toBe(false);
    await expect(page.locator("#portfolio").isVisible()).resolves.toBe(false);
    await expect(page.locator("#proxy-coin option").count()).resolves.toBe(0);
    await page.close();
  });
});
