import { z } from "zod";
import { MarketError, notUnderstood } from "./errors";
import {
  decimalString,
  failIf,
  fieldOf,
  LISTING_MAX_AGE_MS,
  listingOf,
  msString,
  notInverse,
  notTrading,
  parseEnvelope,
  priceString,
  snapshotOf,
  type VenueAdapter,
} from "./venue";

/*
 * BingX Coin-M (inverse, coin-margined) perpetuals: the `/openApi/cswap/v1/market/*` family, symbols spelled
 * `BTC-USD`. Facts the parsers rely on, from the recorded answers (test/fixtures/venues/bingx/SOURCES.md) and
 * BingX's API docs:
 * - public market endpoints need no API key or signature, but every call must carry a `timestamp` query
 *   parameter (ms); without it the venue answers HTTP 400 `{"code":104414,"msg":"Invalid parameter"}`;
 * - errors arrive as a non-zero `code` in the JSON body, often with HTTP 200;
 * - premiumIndex sends prices and rates as strings and `nextFundingTime` as a number; it has NO funding
 *   interval field (the USDT-M twin has `fundingIntervalHours`, Coin-M does not);
 * - BingX lists Coin-M perpetuals only (no dated futures), and publishes no public funding-rate history for
 *   them (the Coin-M market API is contracts, premiumIndex, openInterest, klines, depth, ticker).
 */

/** A count or time BingX sends as a JSON number on one endpoint and as a digit string on another. */
const intLike = z.union([z.number().int().nonnegative().max(1e15), msString]);

const envelope = z.object({ code: z.union([z.number(), z.string()]), msg: z.string().optional() }).loose();

const premiumIndex = z.object({
  symbol: z.string(),
  markPrice: priceString,
  indexPrice: priceString,
  lastFundingRate: decimalString,
  nextFundingTime: intLike,
});

/** One entry of /openApi/cswap/v1/market/contracts. `minTickSize` is the USD face value of one contract. */
const contract = z.object({
  symbol: z.string(),
  minTickSize: priceString,
  minTradeValue: priceString,
  minQty: priceString,
  status: z.union([z.number(), z.string()]),
});

const HOUR_MS = 3_600_000;
/**
 * BingX's published schedule for its perpetual futures: funding every 8 h at 00:00, 08:00 and 16:00 UTC+8
 * (16:00, 00:00 and 08:00 UTC). premiumIndex does not say the interval, so a next funding time off that grid
 * means the schedule does not hold for the contract, and it is refused rather than given a guessed APR.
 */
export const BINGX_FUNDING_INTERVAL_HOURS = 8;

const INVERSE = /^([A-Z0-9]{1,20})-USD$/;

/** The body's `data` once its `code` says success; a non-zero code is the venue's own error. */
function dataOf(payload: unknown, what: string): { data: unknown[]; timestamp: number | null } {
  const head = parseEnvelope(envelope, payload, what);
  failIf(String(head.code) !== "0", `bingx ${String(head.code)} ${head.msg ?? ""}`.trim());
  const body = parseEnvelope(
    z.object({ data: z.array(z.unknown()), timestamp: intLike.optional() }),
    payload,
    what,
  );
  return { data: body.data, timestamp: body.timestamp ?? null };
}

/** Every request must carry the time; the server sets it when it sends (see UpstreamRequest.timeParam). */
const stamped = { timeParam: "timestamp" } as const;

/** BingX Coin-M: one premiumIndex call without a symbol serves every inverse perpetual. */
export const bingx: VenueAdapter = {
  exchange: "bingx",
  origin: "https://open-api.bingx.com",
  // BingX documents 500 requests per 10 s per IP for each market endpoint; we stay far under it.
  budget: { limit: 50, windowMs: 10_000 },
  quoteRequests: [
    {
      name: "premiumIndex",
      path: "/openApi/cswap/v1/market/premiumIndex",
      query: {},
      weight: 1,
      ...stamped,
    },
  ],
  parseQuotes([payload]) {
    const { data, timestamp } = dataOf(payload, "bingx premiumIndex");
    if (timestamp === null) throw notUnderstood("bingx premiumIndex: no timestamp");
    return snapshotOf(
      data,
      fieldOf("symbol"),
      (s) => INVERSE.test(s),
      premiumIndex,
      (p, symbol) => {
        if (p.nextFundingTime % (BINGX_FUNDING_INTERVAL_HOURS * HOUR_MS) !== 0)
          throw notUnderstood(`${symbol}: next funding time off the 8 h schedule, interval unknown`);
        return {
          symbol,
          kind: "perpetual",
          fundingRate: p.lastFundingRate,
          fundingIntervalHours: BINGX_FUNDING_INTERVAL_HOURS,
          nextFundingTime: p.nextFundingTime,
          // lastFundingRate is the running estimate for the coming settlement; BingX has no separate forecast.
          predictedFundingRate: null,
          markPrice: p.markPrice,
          indexPrice: p.indexPrice,
          expiry: null,
          exchangeTime: timestamp,
        };
      },
    );
  },
  instrumentRequests: [
    {
      name: "contracts",
      path: "/openApi/cswap/v1/market/contracts",
      query: {},
      weight: 1,
      maxAgeMs: LISTING_MAX_AGE_MS,
      ...stamped,
    },
  ],
  /**
   * The contract list: each USD-quoted perpetual with its face value (`minTickSize`). An entry whose face value,
   * minimum value and minimum quantity disagree (minTradeValue = minTickSize x minQty on every recorded row) is
   * left out rather than given a size we are not sure of.
   */
  parseInstruments([payload]) {
    return listingOf(dataOf(payload, "bingx contracts").data, (entry) => {
      const symbol = fieldOf("symbol")(entry);
      if (symbol === undefined) return undefined;
      const coin = INVERSE.exec(symbol)?.[1];
      if (coin === undefined) return notInverse(symbol, "not a USD-quoted Coin-M contract");
      const parsed = contract.safeParse(entry);
      if (!parsed.success) return undefined;
      const c = parsed.data;
      if (Math.abs(c.minTickSize * c.minQty - c.minTradeValue) > 1e-9 * c.minTradeValue) return undefined;
      if (String(c.status) !== "1") return notTrading(symbol, `status ${String(c.status)}`, false);
      return {
        symbol,
        coin,
        kind: "perpetual",
        contractSize: c.minTickSize,
        expiry: null,
        fundingIntervalHours: null,
      };
    });
  },
  historyRequest(symbol) {
    throw new MarketError(
      "not_listed",
      `bingx publishes no funding history for its Coin-M perpetuals (${symbol.slice(0, 40)})`,
    );
  },
  parseHistory() {
    throw notUnderstood("bingx has no funding history endpoint for Coin-M");
  },
};
