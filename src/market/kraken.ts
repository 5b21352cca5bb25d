import { z } from "zod";
import {
  failIf,
  fieldOf,
  historyRows,
  isoTime,
  LISTING_MAX_AGE_MS,
  listingOf,
  nextHour,
  notInverse,
  notTrading,
  parseEnvelope,
  price,
  snapshotOf,
  yymmdd,
  type VenueAdapter,
} from "./venue";

const ticker = z.object({
  symbol: z.string(),
  markPrice: price,
  indexPrice: price,
  // Absolute: an amount of the quote per contract per hour, NOT a fraction (see fractionOf).
  fundingRate: z.number().optional(),
  fundingRatePrediction: z.number().optional(),
  suspended: z.boolean().optional(),
});

/** instruments: `type` futures_inverse for PI_/FI_; `lastTradingTime` for dated ones; symbols may be lower case. */
const instrument = z.object({
  symbol: z.string(),
  type: z.string().nullish(),
  contractSize: z.number().positive().nullish(),
  lastTradingTime: isoTime.nullish(),
  tradeable: z.boolean().nullish(),
});

const COINS: Record<string, string> = { XBT: "BTC" };

const historyRow = z.object({ timestamp: isoTime, relativeFundingRate: z.number() });

const INVERSE = /^(PI|FI)_([A-Z0-9]+)USD(?:_(\d{6}))?$/;

/**
 * Kraken's tickers give funding as an absolute amount per contract per hour. An inverse contract is worth
 * 1 USD, i.e. 1/markPrice coin, so the fraction of the position paid per hour is fundingRate x markPrice.
 * (For linear PF_ contracts it would be divided by the price instead; those are not served.)
 */
export function fractionOf(absoluteRate: number, markPrice: number): number {
  return absoluteRate * markPrice;
}

/** Start of British Summer Time's last-Sunday rule, as a UTC time at 01:00 on the last Sunday of the month. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
}

/** Kraken's dated contracts stop trading at 16:00 London time on the date in the symbol. */
function krakenExpiry(digits: string): number {
  const utc16 = yymmdd(digits, 16);
  const year = new Date(utc16).getUTCFullYear();
  const summer = utc16 >= lastSunday(year, 2) && utc16 < lastSunday(year, 9);
  return summer ? utc16 - 3_600_000 : utc16;
}

/** Kraken Futures: one tickers call lists every contract; inverse ones are PI_ (perpetual) and FI_ (dated). */
export const kraken: VenueAdapter = {
  exchange: "kraken",
  origin: "https://futures.kraken.com",
  budget: { limit: 30, windowMs: 10_000 },
  quoteRequests: [{ name: "tickers", path: "/derivatives/api/v3/tickers", query: {}, weight: 1 }],
  parseQuotes([payload]) {
    const head = parseEnvelope(z.object({ result: z.string() }).loose(), payload, "kraken tickers");
    failIf(
      head.result !== "success",
      `kraken ${String((payload as { error?: unknown }).error ?? head.result)}`,
    );
    const body = parseEnvelope(
      z.object({ serverTime: isoTime, tickers: z.array(z.unknown()) }),
      payload,
      "kraken tickers",
    );
    // Older responses spell symbols in lower case.
    const symbolOf = (e: unknown) => fieldOf("symbol")(e)?.toUpperCase();
    const tickers = body.tickers.map((t) =>
      typeof t === "object" && t !== null ? { ...t, symbol: symbolOf(t) } : t,
    );
    return snapshotOf(
      tickers,
      symbolOf,
      (s) => INVERSE.test(s),
      ticker,
      (t, symbol) => {
        const [, prefix, , date] = INVERSE.exec(symbol) ?? [];
        const perpetual = prefix === "PI";
        const absolute = perpetual ? t.fundingRate : undefined;
        const predicted = perpetual ? t.fundingRatePrediction : undefined;
        return {
          symbol,
          kind: perpetual ? "perpetual" : "future",
          fundingRate: absolute === undefined ? null : fractionOf(absolute, t.markPrice),
          fundingIntervalHours: perpetual ? 1 : null,
          // Funding settles every hour on the hour.
          nextFundingTime: perpetual ? nextHour(body.serverTime) : null,
          predictedFundingRate: predicted === undefined ? null : fractionOf(predicted, t.markPrice),
          markPrice: t.markPrice,
          indexPrice: t.indexPrice,
          expiry: date ? krakenExpiry(date) : null,
          exchangeTime: body.serverTime,
        };
      },
    );
  },
  instrumentRequests: [
    {
      name: "instruments",
      path: "/derivatives/api/v3/instruments",
      query: {},
      weight: 1,
      maxAgeMs: LISTING_MAX_AGE_MS,
    },
  ],
  parseInstruments([payload]) {
    const head = parseEnvelope(z.object({ result: z.string() }).loose(), payload, "kraken instruments");
    failIf(
      head.result !== "success",
      `kraken ${String((payload as { error?: unknown }).error ?? head.result)}`,
    );
    const body = parseEnvelope(
      z.object({ instruments: z.array(z.unknown()) }),
      payload,
      "kraken instruments",
    );
    return listingOf(body.instruments, (entry) => {
      const parsed = instrument.safeParse(entry);
      if (!parsed.success) return undefined;
      const i = parsed.data;
      const symbol = i.symbol.toUpperCase();
      if (/^(PF|PV|FF|FV)_/.test(symbol))
        return notInverse(symbol, `${i.type ?? "linear"} (multi-collateral)`);
      const m = INVERSE.exec(symbol);
      // Indices (in_, rr_) and other products are not contracts.
      if (!m) return undefined;
      if (i.type && !/inverse/.test(i.type)) return notInverse(symbol, i.type);
      if (i.tradeable === false) return notTrading(symbol, "not tradeable", false);
      if (!i.contractSize) return undefined;
      const [, prefix, coin] = m;
      const perpetual = prefix === "PI";
      return {
        symbol,
        coin: COINS[coin] ?? coin,
        kind: perpetual ? "perpetual" : "future",
        contractSize: i.contractSize,
        expiry: perpetual ? null : (i.lastTradingTime ?? (m[3] ? krakenExpiry(m[3]) : null)),
        fundingIntervalHours: null,
      };
    });
  },
  historyRequest(symbol) {
    // The venue returns the whole history in one call and takes no window.
    return {
      name: `history-${symbol}`,
      path: "/derivatives/api/v4/historicalfundingrates",
      query: { symbol },
      weight: 1,
    };
  },
  parseHistory(payload) {
    const body = parseEnvelope(
      z.object({ rates: z.array(historyRow) }),
      payload,
      "kraken historicalfundingrates",
    );
    // relativeFundingRate is already the fraction per hour; fundingRate there is absolute like the tickers'.
    return historyRows(body.rates, (r) => ({ time: r.timestamp, fundingRate: r.relativeFundingRate }));
  },
};
