import { z } from "zod";
import { notUnderstood } from "./errors";
import {
  decimalString,
  failIf,
  fieldOf,
  historyRows,
  msString,
  optionalDecimalString,
  parseEnvelope,
  priceString,
  snapshotOf,
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

const historyRow = z.object({
  symbol: z.string(),
  fundingRate: decimalString,
  fundingRateTimestamp: msString,
});

/** Bybit v5, category=inverse: one tickers call lists every inverse perpetual and dated future (numbers as strings). */
export const bybit: VenueAdapter = {
  exchange: "bybit",
  origin: "https://api.bybit.com",
  // Bybit allows 600 requests per 5 s per IP; we need a handful.
  budget: { limit: 60, windowMs: 5_000 },
  quoteRequests: [{ name: "tickers", path: "/v5/market/tickers", query: { category: "inverse" }, weight: 1 }],
  parseQuotes([payload]) {
    const e = parseEnvelope(
      z.object({ retCode: z.number(), retMsg: z.string() }).loose(),
      payload,
      "bybit tickers",
    );
    failIf(e.retCode !== 0, `bybit retCode ${e.retCode} ${e.retMsg}`);
    const body = parseEnvelope(
      z.object({ time: z.number(), result: z.object({ list: z.array(z.unknown()) }) }),
      payload,
      "bybit tickers",
    );
    return snapshotOf(
      body.result.list,
      fieldOf("symbol"),
      () => true,
      ticker,
      (t, symbol) => {
        const delivery = t.deliveryTime || 0;
        const perpetual = delivery === 0;
        // No guessing an interval: some inverse perpetuals fund every 4 h, and the APR depends on it.
        if (perpetual && !t.fundingIntervalHour) throw notUnderstood(`${symbol}: no fundingIntervalHour`);
        return {
          symbol,
          kind: perpetual ? "perpetual" : "future",
          fundingRate: perpetual ? t.fundingRate : null,
          fundingIntervalHours: perpetual ? t.fundingIntervalHour || null : null,
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
