/*
 * The carry view's cost. Upstream: the venue requests one ranking of BTC's venues makes, counted at the fake
 * exchange (each venue on its own port), cold (fresh server) and warm (again at once); the six venues of the
 * shared spec are summed from the same per-venue counts (a venue's requests do not depend on the others).
 * Paint: the chart's time to first paint in Chromium, from the page's own performance marks (carry:request when
 * the ranking is asked for, carry:painted a frame after the chart is in the page), on replay data.
 */
import { existsSync } from "node:fs";
import { createApiClient } from "../src/live/client";
import { EXCHANGES, type Exchange } from "../src/market/types";
import { loadCarry } from "../src/taskpane/carry";
import { CHROMIUM, launch } from "../test/e2e/chromium";
import { start as startFakeExchange } from "../test/fake-exchange/server";
import { startServer } from "../test/support/server";
import { median, printTable } from "./harness";

const SPEC_SIX: readonly Exchange[] = ["bybit", "binance", "bitmex", "deribit", "okx", "kraken"];

async function upstreamCost(ttlMs: string | undefined) {
  const fake = await startFakeExchange();
  const server = await startServer({
    ...fake.env(),
    ...(ttlMs === undefined ? {} : { HEDGE_QUOTE_TTL_MS: ttlMs }),
  });
  try {
    const api = createApiClient({ page: () => ({ href: `${server.url}/taskpane.html` }) });
    const deps = { fetchCurve: api.fetchCurve, fetchFundingHistory: api.fetchFundingHistory, now: Date.now };
    const counts = () =>
      Object.fromEntries(EXCHANGES.map((v) => [v, fake.count(v)])) as Record<Exchange, number>;
    const runs: { name: string; perVenue: Record<Exchange, number>; ms: number; ranked: number }[] = [];
    for (const name of ["cold", "warm"]) {
      const before = counts();
      const t0 = performance.now();
      const ranking = await loadCarry("BTC", deps);
      const ms = performance.now() - t0;
      const after = counts();
      const perVenue = Object.fromEntries(EXCHANGES.map((v) => [v, after[v] - before[v]])) as Record<
        Exchange,
        number
      >;
      runs.push({ name, perVenue, ms, ranked: ranking.rows.filter((r) => r.realised30 !== null).length });
    }
    return runs;
  } finally {
    await server.close();
    await fake.close();
  }
}

async function paintTimes(rounds: number) {
  const server = await startServer({ HEDGE_MARKET: "replay" });
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 420, height: 1200 });
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort());
    const once = async () => {
      await page.goto(`${server.url}/taskpane.html`);
      await page.waitForFunction(() => performance.getEntriesByName("carry:painted").length > 0, undefined, {
        timeout: 30_000,
      });
      // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
      return page.evaluate(`(() => {
        const at = (name) => performance.getEntriesByName(name)[0].startTime;
        return {
          fromNavigation: at("carry:painted"),
          fromRequest: at("carry:painted") - at("carry:request"),
          renderToPaint: at("carry:painted") - at("carry:rendered"),
        };
      })()`) as Promise<{ fromNavigation: number; fromRequest: number; renderToPaint: number }>;
    };
    const cold = await once(); // first ranking the server serves: its caches are empty
    const warm: Awaited<ReturnType<typeof once>>[] = [];
    for (let i = 0; i < rounds; i++) warm.push(await once());
    return {
      cold,
      warm: {
        fromNavigation: median(warm.map((w) => w.fromNavigation)),
        fromRequest: median(warm.map((w) => w.fromRequest)),
        renderToPaint: median(warm.map((w) => w.renderToPaint)),
      },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function benchCarry() {
  const result: Record<string, unknown> = {};
  const rows: (string | number)[][] = [];
  for (const [label, ttl] of [
    ["default quote TTL", undefined],
    ["quote TTL 0 (every quote fetched)", "0"],
  ] as const) {
    const runs = await upstreamCost(ttl);
    for (const run of runs) {
      const all = EXCHANGES.reduce((n, v) => n + run.perVenue[v], 0);
      const six = SPEC_SIX.reduce((n, v) => n + run.perVenue[v], 0);
      rows.push([
        `${run.name}, ${label}`,
        six,
        all,
        EXCHANGES.map((v) => `${v} ${run.perVenue[v]}`).join(", "),
        Math.round(run.ms),
      ]);
      result[`${run.name}, ${label}`] = {
        sixVenues: six,
        eightVenues: all,
        perVenue: run.perVenue,
        ms: run.ms,
      };
    }
  }
  printTable(
    "Carry ranking of BTC: upstream requests at the fake exchange (six = the spec's six venues; eight = all)",
    ["ranking", "six venues", "eight venues", "per venue", "ms"],
    rows,
  );
  if (!existsSync(CHROMIUM)) {
    console.log(`\nCarry chart paint skipped: no Chromium at ${CHROMIUM}`);
    return result;
  }
  const paint = await paintTimes(5);
  result.chartPaint = paint;
  printTable(
    "Carry chart time to first paint in Chromium (replay; ms; warm = median of 5 reloads)",
    ["page", "navigation to chart painted", "ranking asked to chart painted", "chart in DOM to painted"],
    [
      ["cold server", ...Object.values(paint.cold).map((v) => Math.round(v))],
      ["warm server", ...Object.values(paint.warm).map((v) => Math.round(v))],
    ],
  );
  return result;
}
