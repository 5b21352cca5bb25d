/*
 * The bundle's requests when the add-in's server misbehaves: one that accepts and never answers (every
 * request has a 15 s deadline, counted on a fake clock), one behind a proxy that answers a web page, and
 * an add-in served under a path. The bundle is the BUILT dist/functions.js in a vm.
 */
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExcelError, type LoadedBundle, type StreamingCell } from "../support/bundle";
import { loadBundleOnClock, until } from "../support/bundle-on-clock";
import type { FakeClock } from "../support/fake-clock";
import { makeQuote } from "../support/quotes";

const errorOf = (v: unknown) => (v instanceof ExcelError ? { code: v.code, message: v.message } : v);

interface Harness {
  bundle: LoadedBundle;
  clock: FakeClock;
  fetched: string[];
  cells: StreamingCell[];
}

function harness(
  href: string,
  doFetch: typeof fetch = fetch,
  globals: Record<symbol, unknown> = {},
): Harness {
  const loaded = loadBundleOnClock({ href, fetch: doFetch, globals: { AbortController, ...globals } });
  return { ...loaded, cells: [] };
}

let h: Harness | undefined;
afterEach(() => {
  for (const c of h?.cells ?? []) c.cancel();
  h = undefined;
});

describe("a server that accepts and never answers", () => {
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  let url: string;
  beforeAll(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it("a streaming cell shows #N/A with the reason at 15 s, and polling goes on", async () => {
    h = harness(`${url}/taskpane.html`);
    const cell = h.bundle.stream("MARKET", ["bybit", "BTC", "mark_price"]);
    h.cells.push(cell);
    await h.clock.advance(0);
    expect(h.fetched).toHaveLength(1);
    await h.clock.advance(14_999);
    expect(cell.results).toEqual([]);
    await h.clock.advance(1);
    expect(errorOf(cell.latest())).toEqual({
      code: "#N/A",
      message: "the add-in server did not answer within 15 s",
    });
    // The next poll comes at the usual interval, and meets the same deadline.
    await h.clock.advance(10_000);
    expect(h.fetched).toHaveLength(2);
    await h.clock.advance(15_000);
    expect(cell.results).toHaveLength(2);
    // The abandoned requests' connections are closed, not left hanging.
    await until(() => sockets.size <= 1);
  });

  it("HEDGE.FUNDING.HISTORY is #N/A at 15 s instead of #BUSY! forever, and is asked again later", async () => {
    h = harness(`${url}/taskpane.html`);
    const cell = h.bundle.stream("FUNDING.HISTORY", ["bybit", "BTC", 7, null]);
    h.cells.push(cell);
    expect(h.fetched).toHaveLength(1);
    await h.clock.advance(15_000);
    expect(errorOf(cell.latest())).toEqual({
      code: "#N/A",
      message: "the add-in server did not answer within 15 s",
    });
    await h.clock.advance(5 * 60_000);
    expect(h.fetched).toHaveLength(2);
  });

  it("cancelling a FUNDING.HISTORY cell abandons its request and leaves no timer", async () => {
    h = harness(`${url}/taskpane.html`);
    const cell = h.bundle.stream("FUNDING.HISTORY", ["okx", "BTC", 7, null]);
    expect(h.fetched).toHaveLength(1);
    cell.cancel();
    // The aborted fetch settles through the real socket; then the deadline's timer is gone too.
    await until(() => h!.clock.size === 0);
    await h.clock.advance(60 * 60_000);
    expect(h.fetched).toHaveLength(1);
    expect(cell.results).toEqual([]);
  });
});

describe("what the server answered, said plainly", () => {
  let server: http.Server;
  let url: string;
  let reply: (res: http.ServerResponse) => void = () => undefined;
  beforeAll(async () => {
    server = http.createServer((_req, res) => reply(res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  async function firstResult(): Promise<unknown> {
    h = harness(`${url}/taskpane.html`);
    const cell = h.bundle.stream("FUNDING.RATE", ["okx", "BTC"]);
    h.cells.push(cell);
    await h.clock.advance(0);
    await until(() => cell.results.length > 0);
    return errorOf(cell.latest());
  }

  it("a proxy's web page (HTTP 200) is called a web page instead of data", async () => {
    reply = (res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!doctype html><html><body>Sign in to continue</body></html>");
    };
    expect(await firstResult()).toEqual({
      code: "#N/A",
      message:
        "the add-in server answered with a web page instead of data (HTTP 200); a proxy or sign-in page may be in the way",
    });
  });

  it("other non-JSON answers say so with the status", async () => {
    reply = (res) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("Bad Gateway");
    };
    expect(await firstResult()).toEqual({
      code: "#N/A",
      message: "the add-in server answered with something other than data (HTTP 502)",
    });
  });
});

describe("an add-in served under a path", () => {
  it("calls the API under that path, for quotes and histories alike", async () => {
    const answer = (body: unknown) =>
      Promise.resolve(
        new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } }),
      );
    h = harness("https://host.example/addin/taskpane.html?_host_Info=Excel#x", ((input: string) =>
      String(input).includes("/quotes")
        ? answer({
            quotes: [{ exchange: "okx", symbol: "BTC-USD-SWAP", error: { code: "x", message: "y" } }],
          })
        : answer({ items: [] })) as typeof fetch);
    h.cells.push(h.bundle.stream("FUNDING.RATE", ["okx", "BTC"]));
    h.cells.push(h.bundle.stream("FUNDING.HISTORY", ["okx", "BTC", 7, null]));
    await h.clock.advance(0);
    expect(h.fetched.sort()).toEqual([
      "https://host.example/addin/api/v1/funding-history?exchange=okx&symbol=BTC-USD-SWAP&days=7",
      `https://host.example/addin/api/v1/quotes?items=${encodeURIComponent("okx:BTC-USD-SWAP")}`,
    ]);
  });
});

describe("a workbook on the 1904 date system", () => {
  const answer = (body: unknown) =>
    Promise.resolve(new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } }));
  const stub = ((input: string) =>
    String(input).includes("/quotes")
      ? answer({
          quotes: [
            makeQuote("bybit", "BTCUSD", 50_000, {
              nextFundingTime: "2025-01-02T08:00:00.000Z",
              exchangeTime: "2025-01-02T07:59:58.000Z",
            }),
          ],
        })
      : answer({ items: [{ time: "2025-01-02T08:00:00.000Z", fundingRate: 0.0001 }] })) as typeof fetch;
  // 2025-01-02 08:00 UTC in the 1900 date system.
  const serial1900 = 45659 + 8 / 24;

  for (const [label, flag, expected] of [
    ["1900 (the default)", {}, serial1900],
    [
      "1904, as the pane read it from Excel",
      { [Symbol.for("inverse-hedge.date1904")]: true },
      serial1900 - 1462,
    ],
  ] as const) {
    it(`the functions' dates follow it: ${label}`, async () => {
      h = harness("https://localhost:3000/taskpane.html", stub, flag);
      const next = h.bundle.stream("MARKET", ["bybit", "BTCUSD", "next_funding_time"]);
      const history = h.bundle.stream("FUNDING.HISTORY", ["bybit", "BTCUSD", 7, false]);
      h.cells.push(next, history);
      await h.clock.advance(0);
      await until(() => next.results.length > 0 && history.results.length > 0);
      expect(next.latest()).toBeCloseTo(expected, 9);
      expect((history.latest() as number[][])[0][0]).toBeCloseTo(expected, 9);
    });
  }
});
