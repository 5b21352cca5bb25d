/*
 * An in-memory stand-in for the venues, injected as the market service's `fetch`: the recorded payloads on the
 * venues' real paths (the fake exchange's own routes), answered without any I/O, so a test on an injected
 * clock decides every timing. A venue can hang (until the caller aborts), fail with HTTP 500, or answer.
 */
import { EXCHANGES, type Exchange } from "../../src/market/types";
import { readRecorded } from "../../src/server/market/recorded";
import { routesOf } from "../fake-exchange/server";

export type VenueMode = "ok" | "hang" | "500";

export interface VenueFetch {
  fetch: typeof fetch;
  /** HEDGE_UPSTREAM_* pointing every venue at its own in-memory origin. */
  env: Record<string, string>;
  setMode(venue: Exchange, mode: VenueMode): void;
  /** Replaces one recorded payload by request name (e.g. "premiumIndex"). */
  setPayload(venue: Exchange, name: string, payload: unknown): void;
  /** Path and query of every request a venue received. */
  requests(venue: Exchange): string[];
  count(venue?: Exchange): number;
}

const originOf = (venue: Exchange) => `http://${venue}.venue.test`;

/** Loads every recorded payload the routes name (history for the given symbols too). */
export async function venueFetch(
  historySymbols: Partial<Record<Exchange, string[]>> = {},
): Promise<VenueFetch> {
  const payloads = new Map<string, unknown>();
  for (const venue of EXCHANGES) {
    const names = routesOf(venue).flatMap((r) => (r.name ? [r.name] : []));
    for (const s of historySymbols[venue] ?? []) names.push(`history-${s}`);
    for (const name of names) {
      const p = await readRecorded(venue, name);
      if (p !== undefined) payloads.set(`${venue}/${name}`, p);
    }
  }
  const modes = new Map<Exchange, VenueMode>();
  const seen = new Map<Exchange, string[]>(EXCHANGES.map((v) => [v, []]));

  const impl = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const venue = EXCHANGES.find((v) => originOf(v) === url.origin);
    if (!venue) return Promise.reject(new TypeError(`fetch failed: no venue at ${url.origin}`));
    seen.get(venue)!.push(url.pathname + url.search);
    const mode = modes.get(venue) ?? "ok";
    if (mode === "hang") {
      return new Promise((_, reject) => {
        const signal = init?.signal;
        const abort = () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
        if (signal?.aborted) abort();
        signal?.addEventListener("abort", abort, { once: true });
      });
    }
    if (mode === "500") return Promise.resolve(new Response('{"message":"internal error"}', { status: 500 }));
    const route = routesOf(venue).find(
      (r) =>
        r.path === url.pathname && Object.entries(r.query).every(([k, v]) => url.searchParams.get(k) === v),
    );
    const name = route && (route.name ?? `history-${url.searchParams.get(route.symbolParam ?? "") ?? ""}`);
    const payload = name === undefined ? undefined : payloads.get(`${venue}/${name}`);
    if (payload === undefined)
      return Promise.resolve(new Response('{"error":"not recorded"}', { status: 404 }));
    return Promise.resolve(
      new Response(JSON.stringify(payload), { status: 200, headers: { "content-type": "application/json" } }),
    );
  };

  return {
    fetch: impl as typeof fetch,
    env: Object.fromEntries(EXCHANGES.map((v) => [`HEDGE_UPSTREAM_${v.toUpperCase()}`, originOf(v)])),
    setMode: (venue, mode) => modes.set(venue, mode),
    setPayload: (venue, name, payload) => payloads.set(`${venue}/${name}`, payload),
    requests: (venue) => [...seen.get(venue)!],
    count: (venue) =>
      venue ? seen.get(venue)!.length : EXCHANGES.reduce((n, v) => n + seen.get(v)!.length, 0),
  };
}
