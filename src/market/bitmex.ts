import { z } from "zod";
import {
  failIf,
  fieldOf,
  historyRows,
  isoTime,
  parseEnvelope,
  price,
  snapshotOf,
  type VenueAdapter,
} from "./venue";

const instrument = z.object({
  symbol: z.string(),
  isInverse: z.literal(true),
  expiry: isoTime.nullable(),
  fundingRate: z.number().nullable(),
  indicativeFundingRate: z.number().nullable().optional(),
  fundingTimestamp: isoTime.nullable(),
  // An interval written as a time after 2000-01-01T00:00Z: "2000-01-01T08:00:00.000Z" is 8 hours.
  fundingInterval: isoTime.nullable(),
  markPrice: price,
  // For inverse contracts BitMEX publishes the underlying index here.
  indicativeSettlePrice: price,
  timestamp: isoTime,
});

const historyRow = z.object({ timestamp: isoTime, symbol: z.string(), fundingRate: z.number() });

const EPOCH_2000 = Date.UTC(2000, 0, 1);

function failOnBitmexError(payload: unknown): void {
  const err = z.object({ error: z.object({ message: z.string() }) }).safeParse(payload);
  failIf(err.success, err.success ? `bitmex ${err.data.error.message}` : "");
}

/** True for the entries that are inverse (XBTUSD, XBT futures); quanto and linear entries are dropped unread. */
function isInverse(entry: unknown): boolean {
  return typeof entry === "object" && entry !== null && (entry as { isInverse?: unknown }).isInverse === true;
}

/** BitMEX: instrument/active lists every open instrument; only `isInverse` ones qualify (ETHUSD is quanto). */
export const bitmex: VenueAdapter = {
  exchange: "bitmex",
  origin: "https://www.bitmex.com",
  // 30 requests a minute without a key; keep a margin for the history endpoint and retries.
  budget: { limit: 25, windowMs: 60_000 },
  quoteRequests: [{ name: "instrument-active", path: "/api/v1/instrument/active", query: {}, weight: 1 }],
  parseQuotes([payload]) {
    failOnBitmexError(payload);
    const entries = parseEnvelope(z.array(z.unknown()), payload, "bitmex instrument").filter(isInverse);
    return snapshotOf(
      entries,
      fieldOf("symbol"),
      () => true,
      instrument,
      (i, symbol) => {
        const perpetual = i.expiry === null;
        return {
          symbol,
          kind: perpetual ? "perpetual" : "future",
          fundingRate: perpetual ? i.fundingRate : null,
          fundingIntervalHours:
            perpetual && i.fundingInterval !== null ? (i.fundingInterval - EPOCH_2000) / 3_600_000 : null,
          nextFundingTime: perpetual ? i.fundingTimestamp : null,
          predictedFundingRate: perpetual ? (i.indicativeFundingRate ?? null) : null,
          markPrice: i.markPrice,
          indexPrice: i.indicativeSettlePrice,
          expiry: i.expiry,
          exchangeTime: i.timestamp,
        };
      },
    );
  },
  historyRequest(symbol, startMs, endMs) {
    return {
      name: `history-${symbol}`,
      path: "/api/v1/funding",
      query: {
        symbol,
        reverse: "true",
        count: "500",
        startTime: new Date(startMs).toISOString(),
        endTime: new Date(endMs).toISOString(),
      },
      weight: 1,
    };
  },
  parseHistory(payload) {
    failOnBitmexError(payload);
    const rows = parseEnvelope(z.array(historyRow), payload, "bitmex funding");
    return historyRows(rows, (r) => ({ time: r.timestamp, fundingRate: r.fundingRate }));
  },
};
