/*
 * Market service under faults, measured over real HTTP: the real server against the fake exchange.
 *   npx tsx bench/market-faults.ts
 * Prints: answer times with one venue hanging (with and without a last good value), upstream calls in a cold
 * HTTP 500 outage, and upstream calls under a history flood. The README's reliability rows quote its output.
 */
import { start } from "../test/fake-exchange/server";
import { startServer } from "../test/support/server";

const TIMEOUT_MS = 5_000;
const TTL_MS = 10_000;
const ALL = [
  "bybit:BTCUSD",
  "binance:BTCUSD_PERP",
  "bitmex:XBTUSD",
  "deribit:BTC-PERPETUAL",
  "okx:BTC-USD-SWAP",
  "kraken:PI_XBTUSD",
  "bingx:BTC-USD",
  "mexc:BTC_USD",
].join(",");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timedGet(url: string): Promise<{ ms: number; body: unknown; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.json();
  return { ms: performance.now() - t0, body, status: res.status };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function main() {
  const fake = await start();
  const env = {
    ...fake.env(),
    HEDGE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
    HEDGE_QUOTE_TTL_MS: String(TTL_MS),
  };

  // 1. One venue hanging, a last good value for every venue: 20 answers over 30 s, all venues in each.
  {
    const server = await startServer(env);
    await timedGet(`${server.url}/api/v1/quotes?items=${ALL}`);
    fake.setMode("okx", "hang");
    await sleep(TTL_MS + 100);
    const times: number[] = [];
    let stale = 0;
    for (let i = 0; i < 20; i++) {
      const r = await timedGet(`${server.url}/api/v1/quotes?items=${ALL}`);
      times.push(r.ms);
      const okx = (r.body as { quotes: { exchange: string; stale?: boolean }[] }).quotes.find(
        (q) => q.exchange === "okx",
      );
      if (okx?.stale) stale++;
      await sleep(1_500);
    }
    console.log(
      `hanging okx, warm: ${times.length} answers, max ${Math.round(Math.max(...times))} ms, p50 ${Math.round(pct(times, 0.5))} ms, okx stale in ${stale}`,
    );
    await server.close();
    fake.reset();
  }

  // 2. One venue hanging on a cold server.
  {
    const server = await startServer(env);
    fake.setMode("okx", "hang");
    const r = await timedGet(`${server.url}/api/v1/quotes?items=${ALL}`);
    console.log(`hanging okx, cold: answer in ${Math.round(r.ms)} ms (upstream timeout ${TIMEOUT_MS} ms)`);
    await server.close();
    fake.reset();
  }

  // 3. A cold HTTP 500 outage: 10 clients asking every 100 ms for 10 s.
  {
    const server = await startServer(env);
    fake.setMode("okx", "500");
    const messages = new Map<string, number>();
    const end = performance.now() + 10_000;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < end) {
          const r = await timedGet(`${server.url}/api/v1/quotes?items=okx:BTC`);
          const q = (r.body as { quotes: { error?: { message: string } }[] }).quotes[0];
          const m = q.error?.message ?? "quote";
          messages.set(m, (messages.get(m) ?? 0) + 1);
          await sleep(100);
        }
      }),
    );
    console.log(
      `okx HTTP 500 for 10 s: ${fake.count("okx")} upstream calls; answers: ${JSON.stringify(Object.fromEntries(messages))}`,
    );
    await server.close();
    fake.reset();
  }

  // 4. History flood: 1,500 invented COIN-M symbols, days 1..365 on one symbol, a failing symbol 100 times.
  {
    const server = await startServer(env);
    await Promise.all(
      Array.from({ length: 1_500 }, (_, n) =>
        fetch(`${server.url}/api/v1/funding-history?exchange=binance&symbol=Q${n}USD_PERP&days=30`).then(
          (r) => r.text(),
        ),
      ),
    );
    const invented = fake.requests("binance").filter((p) => p.startsWith("/dapi/v1/fundingRate")).length;
    for (let days = 1; days <= 365; days++)
      await fetch(
        `${server.url}/api/v1/funding-history?exchange=binance&symbol=BTCUSD_PERP&days=${days}`,
      ).then((r) => r.text());
    const windows =
      fake.requests("binance").filter((p) => p.startsWith("/dapi/v1/fundingRate")).length - invented;
    fake.setMode("kraken", "500");
    for (let i = 0; i < 100; i++)
      await fetch(`${server.url}/api/v1/funding-history?exchange=kraken&symbol=PI_ETHUSD&days=30`).then((r) =>
        r.text(),
      );
    const failing = fake.requests("kraken").filter((p) => p.includes("historicalfundingrates")).length;
    fake.setMode("kraken", "ok");
    const quotes = await timedGet(
      `${server.url}/api/v1/quotes?items=binance:BTCUSD_PERP,binance:ETHUSD_PERP`,
    );
    const served = (quotes.body as { quotes: { error?: unknown }[] }).quotes.every((q) => !q.error);
    console.log(
      `history flood: 1,500 invented symbols -> ${invented} upstream calls; days 1..365 on BTCUSD_PERP -> ${windows}; failing symbol x100 -> ${failing}; binance quotes served after: ${served}`,
    );
    await server.close();
  }
  await fake.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
