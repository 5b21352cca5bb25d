/*
 * The fake exchange's candle routes, derived from the candle request builders themselves (src/market/candles.ts)
 * so they cannot drift from the real paths: every recorded `candles-<kind>-<symbol>.json` is indexed under the
 * request the server would send for it, minus the window and paging parameters.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CANDLES, PRICE_KINDS, type PriceKind } from "../../src/market/candles";
import { findContract } from "../../src/market/contracts";
import type { Exchange } from "../../src/market/types";

const REPLAY = fileURLToPath(new URL("../../src/market/replay/", import.meta.url));
/** Query parameters that place a page in time or size it: not part of what names the series. */
const WINDOW = new Set([
  "start",
  "end",
  "startTime",
  "endTime",
  "after",
  "before",
  "from",
  "to",
  "limit",
  "count",
]);
WINDOW.add("start_timestamp").add("end_timestamp");

function keyOf(path: string, query: Iterable<[string, string]>): string {
  const fixed = [...query].filter(([k]) => !WINDOW.has(k)).sort(([a], [b]) => a.localeCompare(b));
  return `${path}?${fixed.map(([k, v]) => `${k}=${v}`).join("&")}`;
}

const indexes = new Map<Exchange, Map<string, string>>();

/** The recorded candle payload's name for an incoming request, or undefined when it is not a candle request. */
export function candlePayloadName(venue: Exchange, url: URL): string | undefined {
  let index = indexes.get(venue);
  if (!index) {
    index = new Map();
    const source = CANDLES[venue];
    const files = source ? readdirSync(`${REPLAY}${venue}`).filter((f) => f.startsWith("candles-")) : [];
    for (const file of files) {
      const m = /^candles-([a-z]+)-(.+)\.json$/.exec(file);
      if (!m || !(PRICE_KINDS as readonly string[]).includes(m[1])) continue;
      const found = findContract(venue, m[2]);
      if (!found.ok) continue;
      const request = source!.request(found.contract, m[1] as PriceKind, 0, 0);
      index.set(keyOf(request.path, Object.entries(request.query)), request.name);
    }
    indexes.set(venue, index);
  }
  return index.get(keyOf(url.pathname, url.searchParams.entries()));
}
