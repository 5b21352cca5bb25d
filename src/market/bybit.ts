import { z } from "zod";
import { notUnderstood } from "./errors";
import {
  decimalString,
  failIf,
  fieldOf,
  historyRows,
  LISTING_MAX_AGE_MS,
  listingOf,
  msString,
  notInverse,
  notTrading,
  optionalDecimalString,
  parseEnvelope,
  priceString,
  snapshotOf,
  type UpstreamRequest,
  type VenueAdapter,
} from "./venue";

const ticker = z.object({
  symbol: z.string(),
  markPrice: priceString,
  indexPrice: priceString,
  fundingRate: optionalDecimalString,
  nextFundingTime: z.union([z.literal(""), msString]).optional(),
  // Perpetuals say how often they fund; dated futures leave it empty or omit it.
  fundingIntervalHour: z.union([z.literal(""), msString]).optional(),
  deliveryTime: z.union([z.literal(""), msString]).optional(),
});

/** instruments-info?category=inverse: every inverse contract; `fundingInterval` in minutes (absent on futures). */
const instrument = z.object({
  symbol: z.string(),
  contractType: z.string(),
  status: z.string(),
  baseCoin: z.string(),
  quoteCoin: z.string(),
  deliveryTime: msString.optional(),
  fundingInterval: z.number().int().nonnegative().optional(),
});

const historyRow = z.object({
  symbol: z.string(),
  fundingRate: decimalString,
  fundingRateTimestamp: msString,
});

function listOf(payload: unknown, what: string): { time: number; list: unknown[] } {
  const e = parseEnvelope(z.object({ retCode: z.number(), retMsg: z.string() }).loose(), payload, what);
  failIf(e.retCode !== 0, `bybit retCode ${e.retCode} ${e.retMsg}`);
  const body = parseEnvelope(
    z.object({ time: z.number(), result: z.object({ list: z.array(z.unknown()) }) }),
    payload,
    what,
  );
  return { time: body.time, list: body.result.list };
}

const INSTRUMENTS: UpstreamRequest = {
  name: "instruments-info",
  path: "/v5/market/instruments-info",
  query: { category: "inverse", limit: "1000" },
  weight: 1,
  maxAgeMs: LISTING_MAX_AGE_MS,
  // Tickers alone serve every contract whose ticker names its funding interval.
  optional: true,
};

/** Funding intervals in hours from instruments-info (minutes there), for tickers that do not send one. */
function intervalsOf(payload: unknown): Map<string, number> {
  const intervals = new Map<string, number>();
  if (payload === undefined) return intervals;
  try {
    for (const entry of listOf(payload, "bybit instruments-info").list) {
      const i = instrument.safeParse(entry);
      if (i.success && i.data.fundingInterval) intervals.set(i.data.symbol, i.data.fundingInterval / 60);
    }
  } catch {
    // Not understood: the tickers' own field is still read; a perpetual without one is refused.
  }
  return intervals;
}

/**
 * Bybit v5, category=inverse: one tickers call lists every inverse perpetual and dated future (numbers as
 * strings). Tickers from before 2024 have no `fundingIntervalHour`; instruments-info `fundingInterval`
 * (minutes) is the documented second source.
 */
export const bybit: VenueAdapter = {
  exchange: "bybit",
  origin: "https://api.bybit.com",
  // Bybit allows 600 requests per 5 s per IP; we need a handful.
  budget: { limit: 60, windowMs: 5_000 },
  quoteRequests: [
    { name: "tickers", path: "/v5/market/tickers", query: { category: "inverse" }, weight: 1 },
    INSTRUMENTS,
  ],
  parseQuotes([payload, instrumentsPayload]) {
    const body = listOf(payload, "bybit tickers");
    const intervals = intervalsOf(instrumentsPayload);
    return snapshotOf(
      body.list,
      fieldOf("symbol"),
      () => true,
      ticker,
      (t, symbol) => {
        const delivery = t.deliveryTime || 0;
        const perpetual = delivery === 0;
        // No guessing an interval: some inverse perpetuals fund every 4 h, and the APR depends on it.
        const interval = t.fundingIntervalHour || intervals.get(symbol);
        if (perpetual && !interval) throw notUnderstood(`${symbol}: no fundingIntervalHour`);
        return {
          symbol,
          kind: perpetual ? "perpetual" : "future",
          fundingRate: perpetual ? t.fundingRate : null,
          fundingIntervalHours: perpetual ? (interval ?? null) : null,
          nextFundingTime: perpetual && t.nextFundingTime ? t.nextFundingTime : null,
          predictedFundingRate: null,
          markPrice: t.markPrice,
          indexPrice: t.indexPrice,
          expiry: perpetual ? null : delivery,
          exchangeTime: body.time,
        };
      },
    );
  },
  instrumentRequests: [INSTRUMENTS],
  parseInstruments([payload]) {
    return listingOf(listOf(payload, "bybit instruments-info").list, (entry) => {
      const symbol = fieldOf("symbol")(entry);
      if (symbol === undefined) return undefined;
      const parsed = instrument.safeParse(entry);
      if (!parsed.success) return undefined;
      const i = parsed.data;
      if (!i.contractType.startsWith("Inverse") || i.quoteCoin !== "USD")
        return notInverse(symbol, `${i.contractType} quoted in ${i.quoteCoin}`);
      if (i.status !== "Trading") return notTrading(symbol, i.status, i.status === "Delivering");
      const perpetual = i.contractType === "InversePerpetual";
      return {
        symbol: symbol.toUpperCase(),
        coin: i.baseCoin,
        kind: perpetual ? "perpetual" : "future",
        // Bybit's inverse contracts are 1 USD each; instruments-info has no size field for them.
        contractSize: 1,
        expiry: perpetual || !i.deliveryTime ? null : i.deliveryTime,
        fundingIntervalHours: perpetual && i.fundingInterval ? i.fundingInterval / 60 : null,
      };
    });
  },
  historyRequest(symbol, startMs, endMs) {
    return {
      name: `history-${symbol}`,
      path: "/v5/market/funding/history",
      // startTime alone is an error at Bybit: always send both ends.
      query: {
        category: "inverse",
        symbol,
        startTime: String(startMs),
        endTime: String(endMs),
        limit: "200",
      },
      weight: 1,
    };
  },
  parseHistory(payload) {
    const e = parseEnvelope(
      z.object({ retCode: z.number(), retMsg: z.string() }).loose(),
      payload,
      "bybit history",
    );
    failIf(e.retCode !== 0, `bybit retCode ${e.retCode} ${e.retMsg}`);
    const body = parseEnvelope(
      z.object({ result: z.object({ list: z.array(historyRow) }) }),
      payload,
      "bybit history",
    );
    return historyRows(body.result.list, (r) => ({
      time: r.fundingRateTimestamp,
      fundingRate: r.fundingRate,
    }));
  },
};
