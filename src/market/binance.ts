import { z } from "zod";
import {
  decimalString,
  failIf,
  fieldOf,
  historyRows,
  LISTING_MAX_AGE_MS,
  listingOf,
  notInverse,
  notTrading,
  optionalDecimalString,
  parseEnvelope,
  priceString,
  snapshotOf,
  yymmdd,
  type VenueAdapter,
} from "./venue";

const premiumIndex = z.object({
  symbol: z.string(),
  markPrice: priceString,
  indexPrice: priceString,
  // Dated futures: "" and 0, because they never fund.
  lastFundingRate: optionalDecimalString,
  nextFundingTime: z.number().int().nonnegative(),
  time: z.number().int().positive(),
});

const fundingInfo = z.array(
  z.object({ symbol: z.string(), fundingIntervalHours: z.number().positive() }).loose(),
);

/** exchangeInfo's symbols: the venue's own size (USD), delivery date and state for every COIN-M contract. */
const exchangeSymbol = z.object({
  symbol: z.string(),
  contractType: z.string(),
  contractStatus: z.string(),
  contractSize: z.number().positive(),
  deliveryDate: z.number().int().positive(),
  marginAsset: z.string(),
  quoteAsset: z.string(),
});

const historyRow = z.object({ symbol: z.string(), fundingTime: z.number(), fundingRate: decimalString });

/** Binance answers an error as {code, msg} where an array was expected. */
function failOnBinanceError(payload: unknown): void {
  const err = z.object({ code: z.number(), msg: z.string() }).safeParse(payload);
  failIf(err.success, err.success ? `binance ${err.data.code} ${err.data.msg}` : "");
}

const DATED = /^[A-Z0-9]+USD_(\d{6})$/;
const DEFAULT_INTERVAL_HOURS = 8;

/** Binance COIN-M: premiumIndex without a symbol lists every contract; fundingInfo names the non-8 h ones. */
export const binance: VenueAdapter = {
  exchange: "binance",
  origin: "https://dapi.binance.com",
  // COIN-M allows 2400 weight a minute; premiumIndex without a symbol weighs 10.
  budget: { limit: 1200, windowMs: 60_000 },
  quoteRequests: [
    { name: "premiumIndex", path: "/dapi/v1/premiumIndex", query: {}, weight: 10 },
    // Funding intervals change rarely: an hour's reuse keeps the per-refresh cost at one call.
    { name: "fundingInfo", path: "/dapi/v1/fundingInfo", query: {}, weight: 1, maxAgeMs: 3_600_000 },
  ],
  parseQuotes([indexPayload, infoPayload]) {
    failOnBinanceError(indexPayload);
    failOnBinanceError(infoPayload);
    const entries = parseEnvelope(z.array(z.unknown()), indexPayload, "binance premiumIndex");
    const info = parseEnvelope(fundingInfo, infoPayload, "binance fundingInfo");
    const intervals = new Map(info.map((i) => [i.symbol, i.fundingIntervalHours]));
    return snapshotOf(
      entries,
      fieldOf("symbol"),
      () => true,
      premiumIndex,
      (p, symbol) => {
        const dated = DATED.exec(symbol);
        const perpetual = !dated;
        return {
          symbol,
          kind: perpetual ? "perpetual" : "future",
          fundingRate: perpetual ? p.lastFundingRate : null,
          fundingIntervalHours: perpetual ? (intervals.get(symbol) ?? DEFAULT_INTERVAL_HOURS) : null,
          nextFundingTime: perpetual && p.nextFundingTime > 0 ? p.nextFundingTime : null,
          predictedFundingRate: null,
          markPrice: p.markPrice,
          indexPrice: p.indexPrice,
          // COIN-M quarterlies deliver at 08:00 UTC on the date in the symbol.
          expiry: dated ? yymmdd(dated[1], 8) : null,
          exchangeTime: p.time,
        };
      },
    );
  },
  instrumentRequests: [
    {
      name: "exchangeInfo",
      path: "/dapi/v1/exchangeInfo",
      query: {},
      weight: 1,
      maxAgeMs: LISTING_MAX_AGE_MS,
    },
  ],
  parseInstruments([payload]) {
    failOnBinanceError(payload);
    const body = parseEnvelope(z.object({ symbols: z.array(z.unknown()) }), payload, "binance exchangeInfo");
    return listingOf(body.symbols, (entry) => {
      const parsed = exchangeSymbol.safeParse(entry);
      if (!parsed.success) return undefined;
      const s = parsed.data;
      if (s.quoteAsset !== "USD") return notInverse(s.symbol, `quoted in ${s.quoteAsset}`);
      if (s.contractStatus !== "TRADING")
        return notTrading(s.symbol, s.contractStatus, /DELIVER|SETTL|CLOSE/.test(s.contractStatus));
      const perpetual = s.contractType === "PERPETUAL";
      return {
        symbol: s.symbol,
        coin: s.marginAsset,
        kind: perpetual ? "perpetual" : "future",
        contractSize: s.contractSize,
        // Perpetuals carry a far-future deliveryDate (2100-12-25): not an expiry.
        expiry: perpetual ? null : s.deliveryDate,
        fundingIntervalHours: null,
      };
    });
  },
  historyRequest(symbol, startMs, endMs) {
    return {
      name: `history-${symbol}`,
      path: "/dapi/v1/fundingRate",
      query: { symbol, startTime: String(startMs), endTime: String(endMs), limit: "1000" },
      weight: 1,
    };
  },
  parseHistory(payload) {
    failOnBinanceError(payload);
    const rows = parseEnvelope(z.array(historyRow), payload, "binance fundingRate");
    return historyRows(rows, (r) => ({ time: r.fundingTime, fundingRate: r.fundingRate }));
  },
};
