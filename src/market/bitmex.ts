import { z } from "zod";
import {
  failIf,
  fieldOf,
  historyRows,
  isoTime,
  LISTING_MAX_AGE_MS,
  listingOf,
  notInverse,
  notTrading,
  parseEnvelope,
  price,
  snapshotOf,
  type VenueAdapter,
} from "./venue";

// BitMEX leaves out keys whose value is null (a live XBTUSD row has no `expiry`): absent reads as null.
const instrument = z.object({
  symbol: z.string(),
  isInverse: z.literal(true),
  expiry: isoTime.nullish().transform((v) => v ?? null),
  fundingRate: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  indicativeFundingRate: z.number().nullish(),
  fundingTimestamp: isoTime.nullish().transform((v) => v ?? null),
  // An interval written as a time after 2000-01-01T00:00Z: "2000-01-01T08:00:00.000Z" is 8 hours.
  fundingInterval: isoTime.nullish().transform((v) => v ?? null),
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

/** What the listing needs of an instrument row; the contract value is multiplier / underlyingToSettleMultiplier. */
const listed = z.object({
  symbol: z.string(),
  state: z.string().nullish(),
  isInverse: z.boolean().nullish(),
  isQuanto: z.boolean().nullish(),
  quoteCurrency: z.string().nullish(),
  underlying: z.string().nullish(),
  expiry: isoTime.nullish(),
  multiplier: z.number().nullish(),
  underlyingToSettleMultiplier: z.number().nullish(),
});

/**
 * True for the inverse entries priced in USD (XBTUSD, XBT futures). Quanto and linear entries, and XBTETH
 * (inverse but priced in ETH), are dropped unread.
 */
function isUsdInverse(entry: unknown): boolean {
  if (typeof entry !== "object" || entry === null) return false;
  const e = entry as { isInverse?: unknown; quoteCurrency?: unknown };
  return e.isInverse === true && (e.quoteCurrency === undefined || e.quoteCurrency === "USD");
}

const COINS: Record<string, string> = { XBT: "BTC" };

/** BitMEX: instrument/active lists every open instrument; only `isInverse` ones qualify (ETHUSD is quanto). */
export const bitmex: VenueAdapter = {
  exchange: "bitmex",
  origin: "https://www.bitmex.com",
  // 30 requests a minute without a key; keep a margin for the history endpoint and retries.
  budget: { limit: 25, windowMs: 60_000 },
  quoteRequests: [{ name: "instrument-active", path: "/api/v1/instrument/active", query: {}, weight: 1 }],
  parseQuotes([payload]) {
    failOnBitmexError(payload);
    const entries = parseEnvelope(z.array(z.unknown()), payload, "bitmex instrument").filter(isUsdInverse);
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
  // The same list serves quotes and contracts: a recent quote refresh answers the listing too.
  instrumentRequests: [
    {
      name: "instrument-active",
      path: "/api/v1/instrument/active",
      query: {},
      weight: 1,
      maxAgeMs: LISTING_MAX_AGE_MS,
    },
  ],
  parseInstruments([payload]) {
    failOnBitmexError(payload);
    const entries = parseEnvelope(z.array(z.unknown()), payload, "bitmex instrument");
    return listingOf(entries, (entry) => {
      const parsed = listed.safeParse(entry);
      if (!parsed.success) return undefined;
      const i = parsed.data;
      // Indices (".BXBT") are not contracts.
      if (i.symbol.startsWith(".")) return undefined;
      if (i.isInverse !== true) return notInverse(i.symbol, i.isQuanto ? "quanto" : "linear");
      if (i.quoteCurrency !== "USD") return notInverse(i.symbol, `priced in ${i.quoteCurrency ?? "?"}`);
      if (i.state && i.state !== "Open")
        return notTrading(i.symbol, i.state, /Settled|Expired/.test(i.state));
      if (!i.multiplier || !i.underlyingToSettleMultiplier) return undefined;
      const underlying = i.underlying ?? "XBT";
      return {
        symbol: i.symbol,
        coin: COINS[underlying] ?? underlying,
        kind: i.expiry ? "future" : "perpetual",
        // XBTUSD: -100000000 / -100000000 = 1 USD a contract.
        contractSize: i.multiplier / i.underlyingToSettleMultiplier,
        expiry: i.expiry ?? null,
        fundingIntervalHours: null,
      };
    });
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
