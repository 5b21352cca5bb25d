/*
 * Daily price candles, one small request builder and parser per venue (the endpoints of market-api.md's price
 * history table). Each parser reads the venue's own payload into { time: UTC day start, close }, refusing any
 * candle that is not a positive price on a UTC day boundary: a day bar that starts at another hour means the
 * request asked for the wrong bar (OKX "1D" is Hong Kong days, "1Dutc" UTC days).
 */
import { z } from "zod";
import { notUnderstood } from "./errors";
import type { Exchange } from "./types";
import { failIf, msString, parseEnvelope, priceString, type UpstreamRequest } from "./venue";

import type { PriceKind } from "./price-kinds";

export { PRICE_KINDS, type PriceHistory, type PriceKind } from "./price-kinds";

/** One daily candle: its UTC day (ms at 00:00) and its close (the current day's: the price as it stands). */
export interface Candle {
  time: number;
  close: number;
}

/** What the candle request needs to know about the contract. */
export interface CandleContract {
  symbol: string;
  coin: string;
}

/** One venue's daily candles. */
export interface CandleVenue {
  /** Kinds the venue has daily candles for; the first is what it answers with for a kind it lacks. */
  kinds: readonly PriceKind[];
  /** The request for the newest candles of [startMs, endMs] (the server pages back while the window is not covered). */
  request(contract: CandleContract, kind: PriceKind, startMs: number, endMs: number): UpstreamRequest;
  parse(payload: unknown): Candle[];
}

export const DAY_MS = 86_400_000;

/** The kind a venue answers for the kind asked: the same when it has it, else the one it has. */
export function servedKind(venue: CandleVenue, asked: PriceKind): PriceKind {
  return venue.kinds.includes(asked) ? asked : venue.kinds[0];
}

/** The recorded payload's name (replay mode, the fake exchange): `candles-<kind>-<contract symbol>`. */
export function candleName(kind: PriceKind, symbol: string): string {
  return `candles-${kind}-${symbol}`;
}

/** Checks and orders parsed candles: UTC day starts, positive finite closes, one per day, oldest first. */
export function dailyCandles(rows: readonly Candle[]): Candle[] {
  const byDay = new Map<number, number>();
  for (const r of rows) {
    if (!Number.isFinite(r.time) || r.time % DAY_MS !== 0)
      throw notUnderstood(`candle at ${String(r.time)} is not a UTC day`);
    if (!Number.isFinite(r.close) || r.close <= 0) throw notUnderstood("candle close out of range");
    byDay.set(r.time, r.close);
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([time, close]) => ({ time, close }));
}

// ---------------------------------------------------------------------------------------------
// Bybit v5: /v5/market/{mark-price-kline,index-price-kline,kline}, interval D, rows newest first as string
// arrays [start, open, high, low, close, (volume, turnover)]; at most 1000 rows.
// ---------------------------------------------------------------------------------------------

const bybitEnvelope = z.object({ retCode: z.number(), retMsg: z.string() }).loose();
const bybitRow = z.tuple([msString, z.string(), z.string(), z.string(), priceString]).rest(z.string());
const BYBIT_PATH: Record<PriceKind, string> = {
  mark: "mark-price-kline",
  index: "index-price-kline",
  last: "kline",
};

const bybit: CandleVenue = {
  kinds: ["mark", "index", "last"],
  request({ symbol }, kind, startMs, endMs) {
    return {
      name: candleName(kind, symbol),
      path: `/v5/market/${BYBIT_PATH[kind]}`,
      query: {
        category: "inverse",
        symbol,
        interval: "D",
        start: String(startMs),
        end: String(endMs),
        limit: "1000",
      },
      weight: 1,
    };
  },
  parse(payload) {
    const e = parseEnvelope(bybitEnvelope, payload, "bybit kline");
    failIf(e.retCode !== 0, `bybit retCode ${e.retCode} ${e.retMsg}`);
    const body = parseEnvelope(
      z.object({ result: z.object({ list: z.array(bybitRow) }) }),
      payload,
      "bybit kline",
    );
    return dailyCandles(body.result.list.map(([time, , , , close]) => ({ time, close })));
  },
};

// ---------------------------------------------------------------------------------------------
// Binance COIN-M: /dapi/v1/{markPriceKlines,indexPriceKlines,klines}, interval 1d; an array of arrays
// [openTime (number), open, high, low, close (strings), ...]. startTime..endTime spans at most 200 days.
// ---------------------------------------------------------------------------------------------

const binanceRow = z
  .tuple([z.number().int(), z.string(), z.string(), z.string(), priceString])
  .rest(z.unknown());
const BINANCE_MAX_SPAN_MS = 199 * DAY_MS;
const BINANCE: Record<PriceKind, { endpoint: string; param: "symbol" | "pair" }> = {
  mark: { endpoint: "markPriceKlines", param: "symbol" },
  // The index belongs to the pair (BTCUSD), not to one contract of it.
  index: { endpoint: "indexPriceKlines", param: "pair" },
  last: { endpoint: "klines", param: "symbol" },
};

const binance: CandleVenue = {
  kinds: ["mark", "index", "last"],
  request({ symbol }, kind, startMs, endMs) {
    const { endpoint, param } = BINANCE[kind];
    const sent = param === "pair" ? symbol.replace(/_.*$/, "") : symbol;
    return {
      name: candleName(kind, symbol),
      path: `/dapi/v1/${endpoint}`,
      query: {
        [param]: sent,
        interval: "1d",
        startTime: String(Math.max(startMs, endMs - BINANCE_MAX_SPAN_MS)),
        endTime: String(endMs),
        limit: "200",
      },
      // Weight by limit: [100, 500) rows weigh 2.
      weight: 2,
    };
  },
  parse(payload) {
    const err = z.object({ code: z.number(), msg: z.string() }).safeParse(payload);
    failIf(err.success, err.success ? `binance ${err.data.code} ${err.data.msg}` : "");
    const rows = parseEnvelope(z.array(binanceRow), payload, "binance klines");
    return dailyCandles(rows.map(([time, , , , close]) => ({ time, close })));
  },
};

// ---------------------------------------------------------------------------------------------
// BitMEX: /api/v1/trade/bucketed, binSize 1d, JSON numbers. A bucket's timestamp is the END of the bucket, so the
// day a row describes starts one day earlier. No mark-price candles: last trades stand in. The index is .B<coin>.
// ---------------------------------------------------------------------------------------------

const bitmexRow = z
  .object({ timestamp: z.iso.datetime({ offset: true }), close: z.number().positive() })
  .loose();

const bitmex: CandleVenue = {
  kinds: ["last", "index"],
  request({ symbol, coin }, kind, startMs, endMs) {
    const sent = kind === "index" ? `.B${coin === "BTC" ? "XBT" : coin}` : symbol;
    return {
      name: candleName(kind, symbol),
      path: "/api/v1/trade/bucketed",
      query: {
        binSize: "1d",
        partial: "true",
        symbol: sent,
        reverse: "true",
        count: "1000",
        startTime: new Date(startMs).toISOString(),
        endTime: new Date(endMs).toISOString(),
      },
      weight: 1,
    };
  },
  parse(payload) {
    const err = z.object({ error: z.object({ message: z.string() }) }).safeParse(payload);
    failIf(err.success, err.success ? `bitmex ${err.data.error.message}` : "");
    const rows = parseEnvelope(z.array(bitmexRow), payload, "bitmex bucketed");
    return dailyCandles(rows.map((r) => ({ time: Date.parse(r.timestamp) - DAY_MS, close: r.close })));
  },
};

// ---------------------------------------------------------------------------------------------
// Deribit: /api/v2/public/get_tradingview_chart_data, resolution 1D; parallel arrays ticks[] and close[]. Trades
// only (the venue keeps no mark or index candles for futures), status "no_data" for an empty window.
// ---------------------------------------------------------------------------------------------

const deribitResult = z.object({
  result: z.object({
    status: z.string(),
    ticks: z.array(z.number().int()),
    close: z.array(z.number()),
  }),
});

const deribit: CandleVenue = {
  kinds: ["last"],
  request({ symbol }, kind, startMs, endMs) {
    return {
      name: candleName(kind, symbol),
      path: "/api/v2/public/get_tradingview_chart_data",
      query: {
        instrument_name: symbol,
        resolution: "1D",
        start_timestamp: String(startMs),
        end_timestamp: String(endMs),
      },
      weight: 1,
    };
  },
  parse(payload) {
    const err = z.object({ error: z.object({ code: z.number(), message: z.string() }) }).safeParse(payload);
    failIf(err.success, err.success ? `deribit ${err.data.error.code} ${err.data.error.message}` : "");
    const { result } = parseEnvelope(deribitResult, payload, "deribit chart data");
    if (result.status === "no_data") return [];
    if (result.status !== "ok" || result.ticks.length !== result.close.length)
      throw notUnderstood(`deribit chart data status ${result.status.slice(0, 40)}`);
    return dailyCandles(result.ticks.map((time, i) => ({ time, close: result.close[i] })));
  },
};

// ---------------------------------------------------------------------------------------------
// OKX: /api/v5/market/history-{mark-price,index}-candles and history-candles, bar 1Dutc (UTC days), rows newest
// first [ts, o, h, l, c, ...]; `after` pages back; at most 100 rows a call.
// ---------------------------------------------------------------------------------------------

const okxRow = z.tuple([msString, z.string(), z.string(), z.string(), priceString]).rest(z.string());
const OKX_PATH: Record<PriceKind, string> = {
  mark: "history-mark-price-candles",
  index: "history-index-candles",
  last: "history-candles",
};

const okx: CandleVenue = {
  kinds: ["mark", "index", "last"],
  request({ symbol, coin }, kind, _startMs, endMs) {
    const sent = kind === "index" ? `${coin}-USD` : symbol;
    return {
      name: candleName(kind, symbol),
      path: `/api/v5/market/${OKX_PATH[kind]}`,
      query: { instId: sent, bar: "1Dutc", after: String(endMs + 1), limit: "100" },
      weight: 1,
    };
  },
  parse(payload) {
    const err = z.object({ code: z.string(), msg: z.string() }).loose().safeParse(payload);
    failIf(err.success && err.data.code !== "0", err.success ? `okx ${err.data.code} ${err.data.msg}` : "");
    const body = parseEnvelope(z.object({ data: z.array(okxRow) }), payload, "okx candles");
    return dailyCandles(body.data.map(([time, , , , close]) => ({ time, close })));
  },
};

// ---------------------------------------------------------------------------------------------
// Kraken Futures charts: /api/charts/v1/{mark,spot,trade}/<symbol>/1d?from&to (seconds); candles with time in ms
// and prices as strings.
// ---------------------------------------------------------------------------------------------

const KRAKEN_TICK: Record<PriceKind, string> = { mark: "mark", index: "spot", last: "trade" };
const krakenBody = z.object({
  candles: z.array(z.object({ time: z.number().int(), close: priceString }).loose()),
});

const kraken: CandleVenue = {
  kinds: ["mark", "index", "last"],
  request({ symbol }, kind, startMs, endMs) {
    return {
      name: candleName(kind, symbol),
      path: `/api/charts/v1/${KRAKEN_TICK[kind]}/${symbol}/1d`,
      query: { from: String(Math.floor(startMs / 1000)), to: String(Math.floor(endMs / 1000)) },
      weight: 1,
    };
  },
  parse(payload) {
    const body = parseEnvelope(krakenBody, payload, "kraken candles");
    return dailyCandles(body.candles.map((c) => ({ time: c.time, close: c.close })));
  },
};

/** Daily candles by venue. A venue without an entry has no price history (the API says so). */
export const CANDLES: Partial<Record<Exchange, CandleVenue>> = {
  bybit,
  binance,
  bitmex,
  deribit,
  okx,
  kraken,
};
