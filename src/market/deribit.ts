import { z } from "zod";
import { notUnderstood } from "./errors";
import {
  failIf,
  fieldOf,
  historyRows,
  LISTING_MAX_AGE_MS,
  listingOf,
  MONTHS,
  notInverse,
  notTrading,
  parseEnvelope,
  price,
  snapshotOf,
  type VenueAdapter,
} from "./venue";

const summary = z.object({
  instrument_name: z.string(),
  mark_price: price,
  // Deribit's index for the currency; for futures it is what delivery would settle at now.
  estimated_delivery_price: price,
  funding_8h: z.number().nullable().optional(),
  creation_timestamp: z.number().int().positive(),
});

/** get_instruments?kind=future: `future_type` "reversed" is inverse; `contract_size` is USD for those. */
const instrument = z.object({
  instrument_name: z.string(),
  base_currency: z.string(),
  counter_currency: z.string().nullish(),
  quote_currency: z.string().nullish(),
  future_type: z.string().nullish(),
  instrument_type: z.string().nullish(),
  settlement_period: z.string(),
  contract_size: z.number().positive(),
  expiration_timestamp: z.number().int().positive(),
  is_active: z.boolean().nullish(),
});

const historyRow = z.object({ timestamp: z.number(), interest_1h: z.number(), interest_8h: z.number() });

const INVERSE = /^(BTC|ETH)-(PERPETUAL|(\d{1,2})([A-Z]{3})(\d{2}))$/;

function failOnRpcError(payload: unknown): void {
  const err = z.object({ error: z.object({ code: z.number(), message: z.string() }) }).safeParse(payload);
  failIf(err.success, err.success ? `deribit ${err.data.error.code} ${err.data.error.message}` : "");
}

/** Deribit futures expire at 08:00 UTC on the day in the name (e.g. BTC-27MAR26). */
function expiryOf(day: string, month: string, year: string): number {
  const m = MONTHS.indexOf(month);
  if (m < 0) throw notUnderstood(`bad month ${month}`);
  return Date.UTC(2000 + Number(year), m, Number(day), 8);
}

const rpc = z.object({ result: z.array(z.unknown()) });

/**
 * Deribit: the book summary of each currency's futures (BTC, ETH: its only inverse coins) lists the perpetual
 * and the dated futures. Funding accrues continuously; the venue quotes it as an 8 h rate and has no next time.
 */
export const deribit: VenueAdapter = {
  exchange: "deribit",
  origin: "https://www.deribit.com",
  // Public non-matching-engine calls are credit-limited at about 20 a second.
  budget: { limit: 20, windowMs: 2_000 },
  quoteRequests: ["BTC", "ETH"].map((currency) => ({
    name: `book-summary-${currency}`,
    path: "/api/v2/public/get_book_summary_by_currency",
    query: { currency, kind: "future" },
    weight: 1,
  })),
  parseQuotes(payloads) {
    const entries = payloads.flatMap((p) => {
      failOnRpcError(p);
      return parseEnvelope(rpc, p, "deribit book summary").result;
    });
    return snapshotOf(
      entries,
      fieldOf("instrument_name"),
      (s) => INVERSE.test(s),
      summary,
      (s, symbol) => {
        const [, , tail, day, month, year] = INVERSE.exec(symbol) ?? [];
        const perpetual = tail === "PERPETUAL";
        if (perpetual && (s.funding_8h === null || s.funding_8h === undefined)) {
          throw notUnderstood(`${symbol}: no funding_8h`);
        }
        return {
          symbol,
          kind: perpetual ? "perpetual" : "future",
          fundingRate: perpetual ? (s.funding_8h ?? null) : null,
          fundingIntervalHours: perpetual ? 8 : null,
          nextFundingTime: null,
          predictedFundingRate: null,
          markPrice: s.mark_price,
          indexPrice: s.estimated_delivery_price,
          expiry: perpetual ? null : expiryOf(day, month, year),
          exchangeTime: s.creation_timestamp,
        };
      },
    );
  },
  instrumentRequests: ["BTC", "ETH"].map((currency) => ({
    name: `instruments-${currency}`,
    path: "/api/v2/public/get_instruments",
    query: { currency, kind: "future" },
    weight: 1,
    maxAgeMs: LISTING_MAX_AGE_MS,
  })),
  parseInstruments(payloads) {
    const entries = payloads.flatMap((p) => {
      failOnRpcError(p);
      return parseEnvelope(rpc, p, "deribit instruments").result;
    });
    return listingOf(entries, (entry) => {
      const parsed = instrument.safeParse(entry);
      if (!parsed.success) return undefined;
      const i = parsed.data;
      const type = i.future_type ?? i.instrument_type;
      const quote = i.counter_currency ?? i.quote_currency;
      if (type !== "reversed" || quote !== "USD")
        return notInverse(i.instrument_name, `${type ?? "not reversed"} quoted in ${quote ?? "?"}`);
      if (i.is_active === false) return notTrading(i.instrument_name, "not active", false);
      const perpetual = i.settlement_period === "perpetual";
      return {
        symbol: i.instrument_name,
        coin: i.base_currency,
        kind: perpetual ? "perpetual" : "future",
        contractSize: i.contract_size,
        // A perpetual's expiration_timestamp is the year 3000: not an expiry.
        expiry: perpetual ? null : i.expiration_timestamp,
        fundingIntervalHours: null,
      };
    });
  },
  historyRequest(symbol, startMs, endMs) {
    return {
      name: `history-${symbol}`,
      path: "/api/v2/public/get_funding_rate_history",
      query: { instrument_name: symbol, start_timestamp: String(startMs), end_timestamp: String(endMs) },
      weight: 1,
    };
  },
  parseHistory(payload) {
    failOnRpcError(payload);
    const body = parseEnvelope(z.object({ result: z.array(historyRow) }), payload, "deribit funding history");
    // Rows are hourly: the rate for the row's own interval is the 1 h one (interest_8h is a trailing 8 h figure).
    return historyRows(body.result, (r) => ({ time: r.timestamp, fundingRate: r.interest_1h }));
  },
};
