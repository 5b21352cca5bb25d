// Server benchmarks: cached /api/v1/quotes throughput and latency, and what a crowd of clients costs upstream.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import autocannon from "autocannon";
import { CONTRACTS } from "../src/market/contracts";
import { EXCHANGES, type Exchange, type QuoteResult } from "../src/market/types";
import { start as startFakeExchange } from "../test/fake-exchange/server";
import { startServer } from "../test/support/server";
import { printTable } from "./harness";

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Resident memory of a process in MB, from /proc (Linux); NaN elsewhere. */
function residentMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function getQuotes(url: string, items: string[]): Promise<QuoteResult[]> {
  const res = await fetch(`${url}/api/v1/quotes?items=${encodeURIComponent(items.join(","))}`);
  return ((await res.json()) as { quotes: QuoteResult[] }).quotes;
}

/** Up to `n` symbols per venue that the recorded data can quote (probed once, before counting). */
async function symbolsPerVenue(url: string, n: number): Promise<Record<Exchange, string[]>> {
  const out = {} as Record<Exchange, string[]>;
  for (const venue of EXCHANGES) {
    const candidates = CONTRACTS.filter((c) => c.exchange === venue && !c.pattern).map(
      (c) => `${venue}:${c.symbol}`,
    );
    const quotes = await getQuotes(url, candidates);
    out[venue] = quotes
      .filter((q) => !("error" in q))
      .map((q) => `${q.exchange}:${q.symbol}`)
      .slice(0, n);
  }
  return out;
}

export async function benchServer() {
  const fake = await startFakeExchange();
  const result: Record<string, unknown> = {};
  try {
    // 1. Upstream cost of a crowd: 200 concurrent clients, each asking for every venue's symbols.
    const crowdServer = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "60000" });
    const perVenue = await symbolsPerVenue(crowdServer.url, 10);
    await crowdServer.close();
    const cold = await startServer({ ...fake.env(), HEDGE_QUOTE_TTL_MS: "60000" });
    fake.reset();
    const items = Object.values(perVenue).flat();
    // The API takes 50 items a request: a client asking for more splits its list.
    const batches = Array.from({ length: Math.ceil(items.length / 50) }, (_, i) =>
      items.slice(i * 50, i * 50 + 50),
    );
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 200 }, () => Promise.all(batches.map((b) => getQuotes(cold.url, b)))),
    );
    const crowdMs = performance.now() - t0;
    const rows = EXCHANGES.map((v) => [v, perVenue[v].length, fake.count(v)] as (string | number)[]);
    rows.push(["all venues", items.length, fake.count()]);
    printTable(
      `Upstream requests when 200 concurrent clients ask for every venue's symbols (${Math.round(crowdMs)} ms in all)`,
      ["venue", "symbols asked", "upstream HTTP requests"],
      rows,
    );
    result.crowd = {
      clients: 200,
      symbols: Object.fromEntries(EXCHANGES.map((v) => [v, perVenue[v].length])),
      upstreamRequests: Object.fromEntries(EXCHANGES.map((v) => [v, fake.count(v)])),
      upstreamRequestsTotal: fake.count(),
      ms: crowdMs,
    };
    await cold.close();

    // 2. Cached quotes under load: the compiled server (as production runs it) in its own process, autocannon on
    // loopback for 5 s.
    const port = await freePort();
    const child = spawn(process.execPath, ["dist-server/server.js"], {
      env: {
        ...process.env,
        ...fake.env(),
        HEDGE_HTTP: "1",
        PORT: String(port),
        HOST: "127.0.0.1",
        HEDGE_QUOTE_TTL_MS: "3600000",
        LOG_LEVEL: "error",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100; i++) {
        try {
          if ((await fetch(`${url}/api/v1/health`)).ok) break;
        } catch {
          /* starting */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const ten = items.filter((_, i) => i % Math.max(1, Math.floor(items.length / 10)) === 0).slice(0, 10);
      const path = `/api/v1/quotes?items=${encodeURIComponent(ten.join(","))}`;
      await getQuotes(url, ten); // warm the cache
      const before = fake.count();
      const run = await autocannon({ url: url + path, connections: 20, duration: 5 });
      const table = [
        ["requests/s (mean)", run.requests.average],
        ["latency p50 (ms)", run.latency.p50],
        ["latency p99 (ms)", run.latency.p99],
        ["non-2xx responses", run.non2xx],
        ["errors + timeouts", run.errors + run.timeouts],
        ["upstream requests during the run", fake.count() - before],
        ["server resident memory after the run (MB)", residentMb(child.pid)],
      ];
      printTable(`Cached GET /api/v1/quotes (10 items), 20 connections for 5 s`, ["figure", "value"], table);
      result.cachedQuotes = {
        items: ten.length,
        connections: 20,
        seconds: 5,
        requestsPerSecond: run.requests.average,
        latencyP50Ms: run.latency.p50,
        latencyP99Ms: run.latency.p99,
        non2xx: run.non2xx,
        errors: run.errors + run.timeouts,
        upstreamRequestsDuringRun: fake.count() - before,
        serverResidentMb: residentMb(child.pid),
      };
    } finally {
      child.kill("SIGTERM");
    }
  } finally {
    await fake.close();
  }
  return result;
}
