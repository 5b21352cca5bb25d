import { z } from "zod";
import { notUnderstood } from "./errors";
import {
  decimalString,
  failIf,
  fieldOf,
  historyRows,
  hoursBetween,
  LISTING_MAX_AGE_MS,
  listingOf,
  msString,
  notInverse,
  notTrading,
  optionalDecimalString,
  parseEnvelope,
  priceString,
  snapshotOf,
  yymmdd,
  type VenueAdapter,
} from "./venue";

const envelope = z.object({ code: z.string(), msg: z.string(), data: z.array(z.unknown()) });

const fundingRate = z.object({
  instId: z.string(),
  fundingRate: decimalString,
  // May be "" when the venue does not publish a forecast.
  nextFundingRate: optionalDecimalString,
  fundingTime: msString,
  nextFundingTime: msString,
  ts: msString.optional(),
});
const markPrice = z.object({ instId: z.string(), markPx: priceString, ts: msString });
const indexTicker = z.object({ instId: z.string(), idxPx: priceString, ts: msString });
/** instruments: `ctType` inverse or linear, `ctVal` x `ctMult` in `ctValCcy` a contract, `expTime` ms or "". */
const instrument = z.object({
  instId: z.string(),
  ctType: z.string(),
  ctVal: decimalString,
  ctMult: decimalString.optional(),
  ctValCcy: z.string(),
  settleCcy: z.string(),
  state: z.string(),
  expTime: z.union([z.literal(""), msString]).optional(),
});

const historyRow = z.object({ instId: z.string(), realizedRate: decimalString, fundingTime: msString });

const INVERSE = /^([A-Z0-9]+)-USD-(SWAP|\d{6})$/;

function dataOf(payload: unknown, what: string): unknown[] {
  const err = z.object({ code: z.string(), msg: z.string() }).loose().safeParse(payload);
  failIf(err.success && err.data.code !== "0", err.success ? `okx ${err.data.code} ${err.data.msg}` : "");
  return parseEnvelope(envelope, payload, what).data;
}

/** Reads a list keyed by instId, keeping only entries the schema accepts. */
function byInstId<T extends { instId: string }>(entries: unknown[], schema: z.ZodType<T>): Map<string, T> {
  const map = new Map<string, T>();
  for (const e of entries) {
    const r = schema.safeParse(e);
    if (r.success) map.set(r.data.instId, r.data);
  }
  return map;
}

/**
 * OKX has no single call with funding, mark and index together, so a refresh is four fixed calls whatever the
 * number of symbols: funding-rate with instId=ANY (every swap), mark-price for SWAP and for FUTURES, and the USD
 * index tickers. `fundingTime` is the NEXT settlement of the current rate; the interval is the gap to the one after.
 */
export const okx: VenueAdapter = {
  exchange: "okx",
  origin: "https://www.okx.com",
  // Each of these public endpoints allows 10-20 requests per 2 s.
  budget: { limit: 16, windowMs: 2_000 },
  quoteRequests: [
    { name: "funding-rate-ANY", path: "/api/v5/public/funding-rate", query: { instId: "ANY" }, weight: 1 },
    { name: "mark-price-SWAP", path: "/api/v5/public/mark-price", query: { instType: "SWAP" }, weight: 1 },
    {
      name: "mark-price-FUTURES",
      path: "/api/v5/public/mark-price",
      query: { instType: "FUTURES" },
      weight: 1,
    },
    {
      name: "index-tickers-USD",
      path: "/api/v5/market/index-tickers",
      query: { quoteCcy: "USD" },
      weight: 1,
    },
  ],
  parseQuotes([fundingPayload, swapMarkPayload, futuresMarkPayload, indexPayload]) {
    const funding = dataOf(fundingPayload, "okx funding-rate");
    const marks = [
      ...dataOf(swapMarkPayload, "okx mark-price SWAP"),
      ...dataOf(futuresMarkPayload, "okx mark-price FUTURES"),
    ];
    const fundingById = byInstId(funding, fundingRate);
    const indexById = byInstId(dataOf(indexPayload, "okx index-tickers"), indexTicker);
    return snapshotOf(
      marks,
      fieldOf("instId"),
      (s) => INVERSE.test(s),
      markPrice,
      (m, symbol) => {
        const [, coin, tail] = INVERSE.exec(symbol) ?? [];
        const index = indexById.get(`${coin}-USD`);
        if (!index) throw notUnderstood(`${symbol}: no ${coin}-USD index`);
        const perpetual = tail === "SWAP";
        const f = perpetual ? fundingById.get(symbol) : undefined;
        if (perpetual && !f) throw notUnderstood(`${symbol}: no funding rate`);
        return {
          symbol,
          kind: perpetual ? "perpetual" : "future",
          fundingRate: f ? f.fundingRate : null,
          fundingIntervalHours: f ? hoursBetween(f.fundingTime, f.nextFundingTime) : null,
          nextFundingTime: f ? f.fundingTime : null,
          predictedFundingRate: f ? f.nextFundingRate : null,
          markPrice: m.markPx,
          indexPrice: index.idxPx,
          // OKX dated futures deliver at 08:00 UTC on the date in the instId.
          expiry: perpetual ? null : yymmdd(tail, 8),
          exchangeTime: m.ts,
        };
      },
    );
  },
  instrumentRequests: ["SWAP", "FUTURES"].map((instType) => ({
    name: `instruments-${instType}`,
    path: "/api/v5/public/instruments",
    query: { instType },
    weight: 1,
    maxAgeMs: LISTING_MAX_AGE_MS,
  })),
  parseInstruments(payloads) {
    const entries = payloads.flatMap((p) => dataOf(p, "okx instruments"));
    return listingOf(entries, (entry) => {
      const parsed = instrument.safeParse(entry);
      if (!parsed.success) return undefined;
      const i = parsed.data;
      if (i.ctType !== "inverse" || i.ctValCcy !== "USD")
        return notInverse(i.instId, `${i.ctType || "not inverse"} with contracts in ${i.ctValCcy}`);
      if (i.state !== "live") return notTrading(i.instId, i.state, i.state === "expired");
      const perpetual = i.instId.endsWith("-SWAP");
      const size = i.ctVal * (i.ctMult ?? 1);
      if (!(size > 0)) return undefined;
      return {
        symbol: i.instId,
        coin: i.settleCcy,
        kind: perpetual ? "perpetual" : "future",
        contractSize: size,
        expiry: perpetual || !i.expTime ? null : i.expTime,
        fundingIntervalHours: null,
      };
    });
  },
  historyRequest(symbol, _startMs, endMs) {
    return {
      name: `history-${symbol}`,
      path: "/api/v5/public/funding-rate-history",
      // `after` asks for records earlier than the time; 400 is the page limit.
      query: { instId: symbol, after: String(endMs + 1), limit: "400" },
      weight: 1,
    };
  },
  parseHistory(payload) {
    const rows = parseEnvelope(
      z.array(historyRow),
      dataOf(payload, "okx funding-rate-history"),
      "okx history",
    );
    return historyRows(rows, (r) => ({ time: r.fundingTime, fundingRate: r.realizedRate }));
  },
};
