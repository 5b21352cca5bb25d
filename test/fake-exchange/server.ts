/*
 * A local fake of the exchanges: recorded payloads served on each venue's REAL paths, one loopback port
 * per venue, each venue switchable to a failure mode. Used by the server tests, the task-pane browser tests
 * and the benchmark (point HEDGE_UPSTREAM_<VENUE> at url(venue)).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EXCHANGES, type Exchange } from "../../src/market/types";
import { VENUES } from "../../src/market/venues";
import { readRecorded } from "../../src/server/market/recorded";
import { candlePayloadName } from "./candles";

/** How a venue answers. */
export type FailMode =
  | "ok"
  /** Accepts the request and never answers. */
  | "hang"
  | "500"
  /** 429 with Retry-After (seconds, see retryAfterSeconds). */
  | "429"
  /** 403 with a rate-limit message and no Retry-After (Binance's WAF style). */
  | "403"
  /** 200 with an HTML error page. */
  | "html"
  /** 200 with the real payload cut in half. */
  | "truncated"
  /** 200 with text that is not JSON. */
  | "malformed"
  /** 200 with valid JSON of a shape no venue sends. */
  | "wrong-shape"
  /** 200 with the real payload, the second half sent after slowBodyMs. */
  | "slow-body"
  /** 200 with a body larger than any real one (bodyBytes). */
  | "huge";

export interface ModeOptions {
  retryAfterSeconds?: number;
  slowBodyMs?: number;
  bodyBytes?: number;
}

export interface FakeExchange {
  /** Origin of one venue's fake, e.g. http://127.0.0.1:41234 (for HEDGE_UPSTREAM_<VENUE>). */
  url(venue: Exchange): string;
  /** HEDGE_UPSTREAM_* for every venue. */
  env(): Record<string, string>;
  setMode(venue: Exchange, mode: FailMode, options?: ModeOptions): void;
  /** Replaces one recorded payload (by request name, e.g. "tickers" or "history-BTCUSD"); undefined restores it. */
  setPayload(venue: Exchange, name: string, payload: unknown): void;
  /** Requests received by a venue since the last reset (or all venues). */
  count(venue?: Exchange): number;
  /** Path and query of every request a venue received since the last reset. */
  requests(venue: Exchange): string[];
  /** Zeroes the counts and puts every venue back to "ok" with its recorded payloads. */
  reset(): void;
  close(): Promise<void>;
}

export interface Route {
  path: string;
  /** Query values that must match (e.g. currency=BTC). */
  query: Record<string, string>;
  /** Recorded payload name, or for history the query parameter that names the symbol. */
  name?: string;
  symbolParam?: string;
  /** A time parameter the venue requires (BingX answers 400 without `timestamp`). */
  timeParam?: string;
}

/** The venue's history request, or none for a venue that publishes no funding history (BingX Coin-M). */
function historyProbe(venue: Exchange) {
  try {
    return VENUES[venue].historyRequest("PROBE", 0, 0);
  } catch {
    return undefined;
  }
}

/** Routes from the adapters' own request descriptions, so the fake can never drift from the real paths. */
export function routesOf(venue: Exchange): Route[] {
  const adapter = VENUES[venue];
  const probe = historyProbe(venue);
  const symbolParam = probe && Object.keys(probe.query).find((k) => probe.query[k] === "PROBE");
  return [
    ...[...adapter.quoteRequests, ...adapter.instrumentRequests].map((r) => ({
      path: r.path,
      query: r.query,
      name: r.name,
      timeParam: r.timeParam,
    })),
    ...(probe ? [{ path: probe.path, query: {}, symbolParam, timeParam: probe.timeParam }] : []),
  ];
}

const HTML = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>";

/** Starts the fakes on loopback: free ports, or basePort, basePort+1, ... in the fixed venue order. */
export async function start(basePort?: number): Promise<FakeExchange> {
  const modes = new Map<Exchange, { mode: FailMode; options: ModeOptions }>();
  const overrides = new Map<string, unknown>();
  const counts = new Map<Exchange, string[]>();
  const servers = new Map<Exchange, { server: Server; url: string }>();
  const timers = new Set<NodeJS.Timeout>();

  const reset = () => {
    for (const v of EXCHANGES) {
      modes.set(v, { mode: "ok", options: {} });
      counts.set(v, []);
    }
    overrides.clear();
  };
  reset();

  async function handle(venue: Exchange, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    counts.get(venue)!.push(url.pathname + url.search);
    const { mode, options } = modes.get(venue)!;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body);
    };
    if (mode === "hang") return;
    if (mode === "500") return send(500, JSON.stringify({ message: "internal error" }));
    if (mode === "429") {
      return send(429, JSON.stringify({ message: "Too many requests" }), {
        "retry-after": String(options.retryAfterSeconds ?? 30),
      });
    }
    if (mode === "403")
      return send(403, "Rate limit exceeded; this IP is temporarily banned", {
        "content-type": "text/plain",
      });
    if (mode === "html") return send(200, HTML, { "content-type": "text/html" });
    if (mode === "malformed") return send(200, "{'retCode': 0, result: [1,2,,]");
    if (mode === "wrong-shape") return send(200, JSON.stringify({ hello: "world", data: { list: 42 } }));
    if (mode === "huge")
      return send(200, JSON.stringify({ pad: "x".repeat(options.bodyBytes ?? 9 * 1024 * 1024) }));

    const route = routesOf(venue).find(
      (r) =>
        r.path === url.pathname && Object.entries(r.query).every(([k, v]) => url.searchParams.get(k) === v),
    );
    if (route?.timeParam && !/^\d{13}$/.test(url.searchParams.get(route.timeParam) ?? ""))
      return send(400, JSON.stringify({ code: 104414, msg: "Invalid parameter", retryable: 0 }));
    const name =
      candlePayloadName(venue, url) ??
      (route && (route.name ?? `history-${url.searchParams.get(route.symbolParam ?? "") ?? ""}`));
    const key = `${venue}/${name}`;
    const payload = name && (overrides.has(key) ? overrides.get(key) : await readRecorded(venue, name));
    if (!payload)
      return send(404, JSON.stringify({ error: `no recorded ${venue} payload for ${url.pathname}` }));
    const body = JSON.stringify(payload);
    if (mode === "truncated") return send(200, body.slice(0, Math.floor(body.length / 2)));
    if (mode === "slow-body") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      const t = setTimeout(() => {
        timers.delete(t);
        res.end(body.slice(Math.floor(body.length / 2)));
      }, options.slowBodyMs ?? 2_000);
      timers.add(t);
      return;
    }
    send(200, body);
  }

  for (const [i, venue] of EXCHANGES.entries()) {
    const server = createServer((req, res) => {
      handle(venue, req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(basePort === undefined ? 0 : basePort + i, "127.0.0.1", resolve),
    );
    const { port } = server.address() as AddressInfo;
    servers.set(venue, { server, url: `http://127.0.0.1:${port}` });
  }

  return {
    url: (venue) => servers.get(venue)!.url,
    env: () =>
      Object.fromEntries(EXCHANGES.map((v) => [`HEDGE_UPSTREAM_${v.toUpperCase()}`, servers.get(v)!.url])),
    setMode: (venue, mode, options = {}) => modes.set(venue, { mode, options }),
    setPayload: (venue, name, payload) => {
      if (payload === undefined) overrides.delete(`${venue}/${name}`);
      else overrides.set(`${venue}/${name}`, payload);
    },
    count: (venue) =>
      venue ? counts.get(venue)!.length : EXCHANGES.reduce((n, v) => n + counts.get(v)!.length, 0),
    requests: (venue) => [...counts.get(venue)!],
    reset,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await Promise.all(
        [...servers.values()].map(
          ({ server }) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
