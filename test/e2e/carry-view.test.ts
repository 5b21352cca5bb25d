/*
 * The carry view in a real browser against the real server (replay data), as a dashboard and inside Excel (the
 * in-page Excel double of taskpane-excel.test.ts). The ranking the page shows is checked against one this test
 * computes on its own from the API's funding-history, quotes and curve answers. Needs `npm run build` first.
 * The README's picture: `UPDATE_SCREENSHOT=1 npx vitest run test/e2e/carry-view.test.ts`.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";
import { CHROMIUM, axeViolations, excelInPageScript, launch, type Browser } from "./chromium";

const runnable = existsSync(CHROMIUM) && existsSync("dist/taskpane.html");
const OUTPUT = "test-output";

/** Every venue's BTC inverse perpetual, as the venues name them (written out here, not taken from the add-in). */
const BTC_PERPETUALS: Record<string, string> = {
  bybit: "BTCUSD",
  binance: "BTCUSD_PERP",
  bitmex: "XBTUSD",
  deribit: "BTC-PERPETUAL",
  okx: "BTC-USD-SWAP",
  kraken: "PI_XBTUSD",
  bingx: "BTC-USD",
  mexc: "BTC_USD",
};

interface Expected {
  exchange: string;
  symbol: string;
  current: number | null;
  realised7: number | null;
  realised30: number | null;
  /** The nearest dated future's annualised basis as a function of the time it is measured at. */
  basisAt: ((nowMs: number) => number) | null;
  basisSymbol: string | null;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * What a short on each venue earned, from the API's own answers with plain arithmetic: realised APR = sum of the
 * settled rates x 365 / days; current APR = rate x 8760 / interval; basis of the nearest dated future still
 * ahead = (mark / index - 1) x 365 / days to expiry. Ranked best first by realised 30-day APR, then current APR;
 * a venue without realised funding after every venue with it.
 */
async function expectedRanking(base: string): Promise<Expected[]> {
  const rows = await Promise.all(
    Object.entries(BTC_PERPETUALS).map(async ([exchange, symbol]): Promise<Expected> => {
      const realised = async (days: number) => {
        const { status, body } = await getJson(
          `${base}/api/v1/funding-history?exchange=${exchange}&symbol=${encodeURIComponent(symbol)}&days=${days}`,
        );
        const items = (body.items ?? []) as { fundingRate: number }[];
        if (status !== 200 || items.length === 0) return null;
        return (items.reduce((s, p) => s + p.fundingRate, 0) * 365) / days;
      };
      const quotes = await getJson(`${base}/api/v1/quotes?items=${exchange}:${encodeURIComponent(symbol)}`);
      const q = (
        quotes.body.quotes as { fundingRate: number | null; fundingIntervalHours: number | null }[]
      )[0];
      const current =
        q.fundingRate !== null && q.fundingIntervalHours
          ? (q.fundingRate * 8760) / q.fundingIntervalHours
          : null;
      const curve = await getJson(`${base}/api/v1/curve?exchange=${exchange}&coin=BTC`);
      const now = Date.now();
      const dated = ((curve.body.quotes ?? []) as Record<string, unknown>[])
        .filter((c) => c.kind === "future" && Date.parse(c.expiry as string) > now)
        .sort((a, b) => Date.parse(a.expiry as string) - Date.parse(b.expiry as string));
      const near = dated[0];
      const basisAt = near
        ? (at: number) =>
            (((near.markPrice as number) / (near.indexPrice as number) - 1) * 365 * 86_400_000) /
            (Date.parse(near.expiry as string) - at)
        : null;
      return {
        exchange,
        symbol,
        current,
        realised7: await realised(7),
        realised30: await realised(30),
        basisAt,
        basisSymbol: near ? (near.symbol as string) : null,
      };
    }),
  );
  const tier = (r: Expected) => (r.realised30 !== null ? 0 : r.current !== null ? 1 : 2);
  return rows.sort(
    (a, b) =>
      tier(a) - tier(b) ||
      (b.realised30 ?? 0) - (a.realised30 ?? 0) ||
      (b.current ?? -Infinity) - (a.current ?? -Infinity),
  );
}

/** The carry table as the page shows it: per row its venue, symbol and the four percentages (null for n/a). */
async function shownRanking(page: Page) {
  return page.$$eval("#carry-body tr", (trs) =>
    trs.map((tr) => {
      const pct = (td: Element) => {
        const m = /^(-?\d+\.\d+)%/.exec(td.textContent ?? "");
        return m ? Number(m[1]) / 100 : null;
      };
      const tds = [...tr.querySelectorAll("td")];
      return {
        exchange: (tr as HTMLElement).dataset.exchange,
        symbol: tr.querySelector("th .sub")?.textContent,
        current: pct(tds[0]),
        realised7: pct(tds[1]),
        realised30: pct(tds[2]),
        basis: pct(tds[3]),
        basisSymbol: tds[3].querySelector(".sub")?.textContent ?? null,
        buttons: tr.querySelectorAll("fluent-button").length,
      };
    }),
  );
}

/** The chart's accessible parts and each line's non-colour identity (dash pattern, marker shape and fill). */
async function chartParts(page: Page) {
  return page.$eval("#carry-chart", (root) => {
    const svg = root.querySelector("svg.line-chart")!;
    const ids = (svg.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean);
    return {
      role: svg.getAttribute("role"),
      labelledBy: ids.map((id) => document.getElementById(id)?.tagName ?? null),
      title: svg.querySelector("title")?.textContent ?? "",
      desc: svg.querySelector("desc")?.textContent ?? "",
      caption: root.querySelector("figcaption")?.textContent ?? "",
      axisLabels: [...svg.querySelectorAll(".axis-label")].map((t) => t.textContent),
      tickLabels: svg.querySelectorAll(".axes text:not(.axis-label)").length,
      summary: [...root.querySelectorAll(".chart-summary li")].map((li) => li.textContent ?? ""),
      legend: [...root.querySelectorAll(".chart-legend li")].map((li) => li.textContent ?? ""),
      // The vertical extent of the axes (the lowest and highest gridline) and of the drawn points.
      gridYs: [...svg.querySelectorAll(".axes line")].map((l) => Number(l.getAttribute("y1"))),
      pointYs: [...svg.querySelectorAll("polyline")].flatMap((l) =>
        (l.getAttribute("points") ?? "")
          .trim()
          .split(/\s+/)
          .map((p) => Number(p.split(",")[1])),
      ),
      lines: [...svg.querySelectorAll("g.series")].map((g) => {
        const line = g.querySelector("polyline");
        const mark = line?.nextElementSibling;
        return {
          label: g.getAttribute("data-label"),
          points: line ? (line.getAttribute("points") ?? "").trim().split(/\s+/).length : 0,
          dash: line?.getAttribute("stroke-dasharray") ?? null,
          // A marker's shape from its geometry: element, path commands, and whether it is filled.
          marker: mark
            ? [
                mark.tagName,
                (mark.getAttribute("d") ?? "").replace(/[^A-Za-z]/g, ""),
                mark.getAttribute("fill") === "#fff" ? "open" : mark.getAttribute("fill") ? "filled" : "none",
              ].join(":")
            : null,
        };
      }),
    };
  });
}

const VENUE_NAMES: Record<string, string> = {
  bybit: "Bybit",
  binance: "Binance COIN-M",
  bitmex: "BitMEX",
  deribit: "Deribit",
  okx: "OKX",
  kraken: "Kraken Futures",
  bingx: "BingX Coin-M",
  mexc: "MEXC",
};

/** Half a unit of the table's last shown digit (0.01 %), and room for the doubles' rounding. */
const SHOWN = 0.00005 + 1e-12;

/**
 * The page's table against the expected ranking. The page measured the basis at some moment of `during` (from
 * before it was opened to after its rows were in), so its figure lies between the basis at either end.
 */
async function checkRanking(page: Page, expected: Expected[], during: [number, number]) {
  const shown = await shownRanking(page);
  expect(shown.map((r) => r.exchange)).toEqual(expected.map((r) => r.exchange));
  for (const [i, e] of expected.entries()) {
    const s = shown[i];
    expect(s.symbol).toBe(e.symbol);
    for (const key of ["current", "realised7", "realised30"] as const) {
      if (e[key] === null) expect(s[key], `${e.exchange} ${key}`).toBeNull();
      else expect(Math.abs(s[key]! - e[key]!), `${e.exchange} ${key}`).toBeLessThanOrEqual(SHOWN);
    }
    if (e.basisAt === null) expect(s.basis, `${e.exchange} basis`).toBeNull();
    else {
      const [a, b] = during.map(e.basisAt);
      expect(s.basis, `${e.exchange} basis`).toBeGreaterThanOrEqual(Math.min(a, b) - SHOWN);
      expect(s.basis, `${e.exchange} basis`).toBeLessThanOrEqual(Math.max(a, b) + SHOWN);
    }
    expect(s.basisSymbol).toBe(e.basisSymbol);
  }
  // Venues without a dated future (BingX, MEXC) and one without funding history (BingX) are in the data.
  expect(expected.some((r) => r.basisAt === null)).toBe(true);
  expect(expected.some((r) => r.realised30 === null)).toBe(true);
  return shown;
}

async function checkChart(page: Page, expected: Expected[]) {
  const chart = await chartParts(page);
  expect(chart.role).toBe("img");
  expect(chart.labelledBy).toEqual(["title", "desc"]);
  expect(chart.title).toMatch(/^BTC funding by venue, last 30 days/);
  expect(chart.caption).toBe(chart.title);
  expect(chart.axisLabels).toEqual(["Day (UTC)", "Funding APR"]);
  expect(chart.tickLabels).toBeGreaterThanOrEqual(4);
  // One line per venue that has a funding history, in the ranking's order; every venue said in words.
  const withHistory = expected.filter((r) => r.realised30 !== null).map((r) => VENUE_NAMES[r.exchange]);
  const drawn = chart.lines.filter((l) => l.points > 0);
  expect(drawn.map((l) => l.label)).toEqual(withHistory);
  expect(drawn.every((l) => l.points >= 25)).toBe(true); // 30 daily means, less a day missing in the data
  for (const name of Object.values(VENUE_NAMES)) {
    expect(chart.desc).toContain(`${name}:`);
    expect(chart.summary.some((s) => s.startsWith(`${name}:`))).toBe(true);
    expect(chart.legend).toContain(name);
  }
  // Every point inside the axes (SVG y grows downwards).
  expect(Math.min(...chart.pointYs)).toBeGreaterThanOrEqual(Math.min(...chart.gridYs));
  expect(Math.max(...chart.pointYs)).toBeLessThanOrEqual(Math.max(...chart.gridYs));
  // Told apart without colour: no two lines share a dash pattern, nor a marker shape and fill.
  expect(new Set(drawn.map((l) => l.dash)).size).toBe(drawn.length);
  expect(new Set(drawn.map((l) => l.marker)).size).toBe(drawn.length);
}

describe.runIf(runnable)("carry view", () => {
  let server: RunningServer;
  let browser: Browser;
  let expected: Expected[];
  let excelBundle: string;
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    excelBundle = await excelInPageScript();
    // office.js from Microsoft's CDN, which the pages below cannot reach: the dashboard starts at once.
    server = await startServer({ HEDGE_MARKET: "replay" });
    browser = await launch();
    expected = await expectedRanking(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens the pane; `during` spans the time the page ranked the venues in. */
  async function open(excel: boolean, width: number): Promise<{ page: Page; during: [number, number] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.setViewportSize({ width, height: 1400 });
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
    if (excel) await page.addInitScript({ content: excelBundle });
    const start = Date.now();
    await page.goto(`${server.url}/taskpane.html`);
    await page.waitForSelector("#carry-body tr", { timeout: 15_000 });
    const end = Date.now();
    if (excel) await page.locator("#builder").waitFor({ state: "visible", timeout: 10_000 });
    expect(errors).toEqual([]);
    return { page, during: [start, end] };
  }

  it("dashboard: ranks BTC's venues as their funding histories say, with an accessible chart", async () => {
    const { page, during } = await open(false, 1000);
    const shown = await checkRanking(page, expected, during);
    expect(shown.every((r) => r.buttons === 0)).toBe(true); // no worksheet form outside Excel
    await checkChart(page, expected);
    await expect(page.locator("#carry-status").textContent()).resolves.toMatch(
      // BingX publishes no Coin-M funding history: its row follows the others by current APR.
      /^8 venues ranked by realised 30-day APR; 1 venue without a 30-day funding history follows by current APR \(replay sample data\)\.$/,
    );
    expect(await axeViolations(page)).toEqual([]);

    // Another coin, by keyboard: ETH has no inverse perpetual on BitMEX, so seven venues are ranked.
    await page.locator("#carry-coin").focus();
    await page.keyboard.press("ArrowDown"); // BTC -> ETH, the next coin
    await expect
      .poll(() => page.locator("#carry-status").textContent(), { timeout: 15_000 })
      .toMatch(/^7 venues ranked/);
    const eth = await shownRanking(page);
    expect(eth.map((r) => r.exchange).sort()).toEqual(
      ["binance", "bingx", "bybit", "deribit", "kraken", "mexc", "okx"].sort(),
    );
    expect(eth.every((r) => /ETH/.test(r.symbol ?? ""))).toBe(true);
    expect((await chartParts(page)).title).toMatch(/^ETH funding by venue/);
    await page.close();
  });

  it('Excel: the same ranking and chart, and "Use this venue" fills the hedge worksheet form', async () => {
    const { page, during } = await open(true, 420);
    await expect.poll(async () => (await shownRanking(page)).every((r) => r.buttons === 1)).toBe(true);
    await checkRanking(page, expected, during);
    await checkChart(page, expected);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator("#carry").screenshot({ path: `${OUTPUT}/carry-view.png` });
    if (process.env.UPDATE_SCREENSHOT === "1")
      copyFileSync(`${OUTPUT}/carry-view.png`, "docs/carry-view.png");

    // Pick a venue that is not the form's default (the first venue), by keyboard.
    const pick = expected.find((r) => r.exchange !== "bybit")!;
    expect(await page.locator("#builder-venue").inputValue()).not.toBe(pick.exchange);
    await page.locator(`#carry-body tr[data-exchange="${pick.exchange}"] fluent-button`).focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("#builder-coin").inputValue()).toBe("BTC");
    expect(await page.locator("#builder-venue").inputValue()).toBe(pick.exchange);
    expect(await page.locator("#builder-contract").inputValue()).toBe(pick.symbol);
    // The form's own handlers ran: the contract's size and funding are shown for the picked venue.
    await expect
      .poll(() => page.locator("#contract-info").textContent())
      .toMatch(/^Contract size \d+ USD\. /);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest("#builder-quantity") !== null))
      .toBe(true);
    await page.close();
  });

  it("while a ranking runs, its button is disabled for assistive technology too, and axe finds nothing", async () => {
    const { page } = await open(false, 1000);
    // Fluent buttons fade their colours (100 ms); slowed to 1.5 s, axe must judge the settled colours.
    await page.evaluate(() => document.documentElement.style.setProperty("--durationFaster", "1500ms"));
    // Hold the curves until axe has looked: the page is caught mid-ranking every time, not by chance.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/v1/curve**", async (route) => {
      await held;
      await route.continue();
    });
    const button = page.locator("#carry-refresh");
    await button.click();
    await expect.poll(() => button.getAttribute("disabled")).toBe("");
    expect(await button.getAttribute("aria-disabled")).toBe("true");
    expect(await axeViolations(page)).toEqual([]);
    release();
    await expect.poll(() => button.getAttribute("disabled"), { timeout: 15_000 }).toBeNull();
    expect(await button.getAttribute("aria-disabled")).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
