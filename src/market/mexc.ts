import { z } from "zod";
import {
  failIf,
  fieldOf,
  historyRows,
  LISTING_MAX_AGE_MS,
  listingOf,
  notInverse,
  notTrading,
  parseEnvelope,
  snapshotOf,
  type VenueAdapter,
} from "./venue";

/*
 * MEXC futures (contract API v1). Its coin-margined contracts are the USD-quoted perpetuals `BTC_USD`,
 * `ETH_USD`, ... (settled in the base coin, `contractSize` in USD); everything else it lists (`_USDT`, `_USDC`,
 * `_USD1`) is linear. Market endpoints need no API key. All numbers are JSON numbers. No answer of MEXC's
 * Coin-M endpoints recorded by a third party was found, so this adapter follows MEXC's contract API
 * documentation (contract/detail, funding_rate, funding_rate/history) and a published probe of the live API
 * (2026-09) for what the documentation does not say (test/fixtures/venues/mexc/SOURCES.md).
 */

const num = z.number().finite();
const positive = z.number().finite().positive();
const ms = z.number().int().nonnegative().max(1e15);

const envelope = z.object({ success: z.boolean(), code: z.number() }).loose();

/** One row of /api/v1/contract/funding_rate: the running rate, its cycle in hours, and (since 2026-04) prices. */
const fundingRate = z.object({
  symbol: z.string(),
  fundingRate: num,
  collectCycle: z.number().int().positive(),
  nextSettleTime: ms,
  timestamp: ms,
  // The index and the fair (mark) price; a row without them cannot be quoted.
  idxPrice: positive,
  fairPrice: positive,
});

/** One entry of /api/v1/contract/detail. */
const detail = z.object({
  symbol: z.string(),
  baseCoin: z.string(),
  quoteCoin: z.string(),
  settleCoin: z.string(),
  contractSize: positive,
  state: z.number().int(),
  // 1 perpetual, 2 delivery; absent in older answers, where every contract was perpetual.
  futureType: z.number().int().optional(),
});

const historyRow = z.object({ symbol: z.string(), fundingRate: num, settleTime: ms });

const INVERSE = /^([A-Z0-9]{1,20})_USD$/;
/** `state` in contract/detail: 0 enabled, 1 delivering, 2 delivered, 3 offline, 4 paused. */
const STATES = ["enabled", "delivering", "delivered", "offline", "paused"];

/** The body's `data` once the envelope says success; otherwise the venue's own error. */
function dataOf(payload: unknown, what: string): unknown {
  const head = parseEnvelope(envelope, payload, what);
  const message = (payload as { message?: unknown }).message;
  failIf(!head.success || head.code !== 0, `mexc ${head.code} ${typeof message === "string" ? message : ""}`);
  return parseEnvelope(z.object({ data: z.unknown() }), payload, what).data;
}

/** MEXC futures: one funding_rate call without a symbol serves every contract, its Coin-M ones included. */
export const mexc: VenueAdapter = {
  exchange: "mexc",
  // MEXC moved its futures API from contract.mexc.com to api.mexc.com in January 2026.
  origin: "https://api.mexc.com",
  // Market endpoints allow 20 requests per 2 s (contract/detail less); we need one call per refresh.
  budget: { limit: 8, windowMs: 2_000 },
  quoteRequests: [{ name: "funding_rate", path: "/api/v1/contract/funding_rate", query: {}, weight: 1 }],
  parseQuotes([payload]) {
    const rows = parseEnvelope(
      z.array(z.unknown()),
      dataOf(payload, "mexc funding_rate"),
      "mexc funding_rate",
    );
    return snapshotOf(
      rows,
      fieldOf("symbol"),
      (s) => INVERSE.test(s),
      fundingRate,
      (f, symbol) => ({
        symbol,
        kind: "perpetual",
        fundingRate: f.fundingRate,
        fundingIntervalHours: f.collectCycle,
        nextFundingTime: f.nextSettleTime,
        // fundingRate is already the running rate for the coming settlement; there is no other forecast.
        predictedFundingRate: null,
        markPrice: f.fairPrice,
        indexPrice: f.idxPrice,
        expiry: null,
        exchangeTime: f.timestamp,
      }),
    );
  },
  instrumentRequests: [
    {
      name: "contract-detail",
      path: "/api/v1/contract/detail",
      query: {},
      weight: 1,
      maxAgeMs: LISTING_MAX_AGE_MS,
    },
  ],
  parseInstruments([payload]) {
    const entries = parseEnvelope(z.array(z.unknown()), dataOf(payload, "mexc detail"), "mexc detail");
    return listingOf(entries, (entry) => {
      const parsed = detail.safeParse(entry);
      if (!parsed.success) return undefined;
      const d = parsed.data;
      if (d.quoteCoin !== "USD" || d.settleCoin !== d.baseCoin || !INVERSE.test(d.symbol))
        return notInverse(d.symbol, `settled in ${d.settleCoin} and quoted in ${d.quoteCoin}`);
      if (d.futureType !== undefined && d.futureType !== 1) return undefined;
      if (d.state !== 0) {
        const state = STATES[d.state] ?? `state ${d.state}`;
        return notTrading(d.symbol, state, d.state === 1 || d.state === 2);
      }
      return {
        symbol: d.symbol,
        coin: d.baseCoin,
        kind: "perpetual",
        contractSize: d.contractSize,
        expiry: null,
        fundingIntervalHours: null,
      };
    });
  },
  historyRequest(symbol) {
    return {
      name: `history-${symbol}`,
      path: "/api/v1/contract/funding_rate/history",
      // MEXC pages by number, newest first, at most 100 a page, and takes no time window.
      query: { symbol, page_num: "1", page_size: "100" },
      weight: 1,
    };
  },
  parseHistory(payload) {
    const body = parseEnvelope(
      z.object({ resultList: z.array(historyRow) }),
      dataOf(payload, "mexc funding history"),
      "mexc funding history",
    );
    return historyRows(body.resultList, (r) => ({ time: r.settleTime, fundingRate: r.fundingRate }));
  },
};
