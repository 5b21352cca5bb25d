import type { ContractKind, Exchange } from "./types";
import type { ItemErrorCode, Listing } from "./venue";

/** One inverse contract (or family of dated contracts) in the built-in table. */
export interface ContractSpec {
  exchange: Exchange;
  /** Exact symbol, or a readable template for a dated family (e.g. "BTCUSD_YYMMDD"). */
  symbol: string;
  coin: string;
  kind: ContractKind;
  /** USD face value of one contract. */
  contractSize: number;
  /**
   * Matches the venue's symbols of a family (dated futures, or the venue's other coins when `coin` is "*",
   * the coin then being the pattern's first group); absent for a single contract.
   */
  pattern?: RegExp;
}

/** A contract resolved from what a person typed. */
export interface ResolvedContract {
  exchange: Exchange;
  symbol: string;
  coin: string;
  kind: ContractKind;
  contractSize: number;
  /** Delivery time in ms when the venue's own list gives it (the quote's data gives it otherwise). */
  expiry?: number | null;
}

/** What one item of a request resolves to: a contract to quote, or the item's own error. */
export type ItemLookup =
  { ok: true; contract: ResolvedContract } | { ok: false; code: ItemErrorCode; message: string };

export type ContractLookup =
  { ok: true; contract: ResolvedContract } | { ok: false; reason: "unknown" | "linear"; message: string };

const MONTH = "[FGHJKMNQUVXZ]";
const perp = (exchange: Exchange, symbol: string, coin: string, contractSize: number): ContractSpec => ({
  exchange,
  symbol,
  coin,
  kind: "perpetual",
  contractSize,
});
const dated = (
  exchange: Exchange,
  symbol: string,
  coin: string,
  contractSize: number,
  pattern: RegExp,
): ContractSpec => ({ exchange, symbol, coin, kind: "future", contractSize, pattern });

/**
 * The venues' inverse (coin-margined) contracts. Sizes are the venues' published face values:
 * Bybit, BitMEX and Kraken 1 USD; Binance COIN-M and OKX 100 USD for BTC and 10 USD otherwise;
 * Deribit 10 USD for BTC and 1 USD for ETH;
 * BingX Coin-M and MEXC 100 USD for BTC and 10 USD otherwise.
 */
export const CONTRACTS: readonly ContractSpec[] = [
  perp("bybit", "BTCUSD", "BTC", 1),
  perp("bybit", "ETHUSD", "ETH", 1),
  perp("bybit", "XRPUSD", "XRP", 1),
  perp("bybit", "SOLUSD", "SOL", 1),
  perp("bybit", "ADAUSD", "ADA", 1),
  perp("bybit", "DOTUSD", "DOT", 1),
  perp("bybit", "LTCUSD", "LTC", 1),
  dated("bybit", "BTCUSDMYY", "BTC", 1, new RegExp(`^BTCUSD${MONTH}\\d{2}$`)),
  dated("bybit", "ETHUSDMYY", "ETH", 1, new RegExp(`^ETHUSD${MONTH}\\d{2}$`)),

  perp("binance", "BTCUSD_PERP", "BTC", 100),
  perp("binance", "ETHUSD_PERP", "ETH", 10),
  perp("binance", "XRPUSD_PERP", "XRP", 10),
  perp("binance", "SOLUSD_PERP", "SOL", 10),
  perp("binance", "ADAUSD_PERP", "ADA", 10),
  perp("binance", "DOTUSD_PERP", "DOT", 10),
  perp("binance", "LTCUSD_PERP", "LTC", 10),
  // Binance COIN-M: every coin other than BTC is 10 USD a contract.
  { ...perp("binance", "<COIN>USD_PERP", "*", 10), pattern: /^([A-Z0-9]{2,10})USD_PERP$/ },
  dated("binance", "BTCUSD_YYMMDD", "BTC", 100, /^BTCUSD_\d{6}$/),
  dated("binance", "ETHUSD_YYMMDD", "ETH", 10, /^ETHUSD_\d{6}$/),

  perp("bitmex", "XBTUSD", "BTC", 1),
  dated("bitmex", "XBTMYY", "BTC", 1, new RegExp(`^XBT${MONTH}\\d{2}$`)),

  perp("deribit", "BTC-PERPETUAL", "BTC", 10),
  perp("deribit", "ETH-PERPETUAL", "ETH", 1),
  dated("deribit", "BTC-DDMMMYY", "BTC", 10, /^BTC-\d{1,2}[A-Z]{3}\d{2}$/),
  dated("deribit", "ETH-DDMMMYY", "ETH", 1, /^ETH-\d{1,2}[A-Z]{3}\d{2}$/),

  perp("okx", "BTC-USD-SWAP", "BTC", 100),
  perp("okx", "ETH-USD-SWAP", "ETH", 10),
  perp("okx", "XRP-USD-SWAP", "XRP", 10),
  perp("okx", "SOL-USD-SWAP", "SOL", 10),
  perp("okx", "ADA-USD-SWAP", "ADA", 10),
  perp("okx", "DOT-USD-SWAP", "DOT", 10),
  perp("okx", "LTC-USD-SWAP", "LTC", 10),
  { ...perp("okx", "<COIN>-USD-SWAP", "*", 10), pattern: /^([A-Z0-9]{2,10})-USD-SWAP$/ },
  dated("okx", "BTC-USD-YYMMDD", "BTC", 100, /^BTC-USD-\d{6}$/),
  dated("okx", "ETH-USD-YYMMDD", "ETH", 10, /^ETH-USD-\d{6}$/),

  perp("kraken", "PI_XBTUSD", "BTC", 1),
  perp("kraken", "PI_ETHUSD", "ETH", 1),
  perp("kraken", "PI_XRPUSD", "XRP", 1),
  perp("kraken", "PI_LTCUSD", "LTC", 1),
  dated("kraken", "FI_XBTUSD_YYMMDD", "BTC", 1, /^FI_XBTUSD_\d{6}$/),
  dated("kraken", "FI_ETHUSD_YYMMDD", "ETH", 1, /^FI_ETHUSD_\d{6}$/),

  // BingX Coin-M lists perpetuals only: BTC-USD is 100 USD a contract, every other coin 10 USD (its
  // contracts endpoint, `minTickSize`).
  perp("bingx", "BTC-USD", "BTC", 100),
  perp("bingx", "ETH-USD", "ETH", 10),
  perp("bingx", "SOL-USD", "SOL", 10),
  perp("bingx", "XRP-USD", "XRP", 10),
  perp("bingx", "DOGE-USD", "DOGE", 10),
  perp("bingx", "BNB-USD", "BNB", 10),
  { ...perp("bingx", "<COIN>-USD", "*", 10), pattern: /^([A-Z0-9]{2,10})-USD$/ },

  // MEXC's coin-margined contracts are USD-quoted perpetuals: BTC_USD 100 USD a contract, the others 10 USD
  // (contract/detail `contractSize`).
  perp("mexc", "BTC_USD", "BTC", 100),
  perp("mexc", "ETH_USD", "ETH", 10),
  perp("mexc", "SOL_USD", "SOL", 10),
  perp("mexc", "XRP_USD", "XRP", 10),
  { ...perp("mexc", "<COIN>_USD", "*", 10), pattern: /^([A-Z0-9]{2,10})_USD$/ },
];

/** What a symbol may look like before it is looked up: 1 to 40 letters, digits, _ . or -, and no "..". */
export function isWellFormedSymbol(symbol: string): boolean {
  return /^[A-Za-z0-9_.-]{1,40}$/.test(symbol) && !symbol.includes("..");
}

/** Coin aliases: each venue's inverse perpetual for the coin. */
const ALIASES: Record<string, string> = { XBT: "BTC" };

const LINEAR = /USDT|USDC|^[A-Z0-9]+PERP$|^PF_|^PL_/;
/** Bybit's USDC futures (BTC-29DEC23) are linear; Deribit spells its inverse futures the same way. */
const BYBIT_USDC_FUTURE = /^[A-Z0-9]+-\d{1,2}[A-Z]{3}\d{2}$/;

function isLinear(exchange: Exchange, symbol: string): boolean {
  return (
    LINEAR.test(symbol) ||
    (exchange === "bitmex" && /^[A-Z]{3,5}USD$/.test(symbol)) ||
    (exchange === "bybit" && BYBIT_USDC_FUTURE.test(symbol))
  );
}

/**
 * Resolves what a person typed (the venue's symbol or a coin, any case) against what the venue lists now;
 * without a listing (venue not reached yet, or replay without one), against the built-in table. A dated future
 * whose delivery is at or before `now` is `expired`.
 */
export function resolveListed(
  exchange: Exchange,
  typed: string,
  listing: Listing | undefined,
  now: number,
): ItemLookup {
  const symbol = typed.trim().toUpperCase();
  if (!listing) {
    const found = findContract(exchange, typed);
    if (found.ok) return found;
    return {
      ok: false,
      code: found.reason === "linear" ? "not_inverse" : "not_listed",
      message: found.reason === "linear" ? found.message : `${exchange}: ${typed} is not listed now`,
    };
  }
  const coin = ALIASES[symbol] ?? symbol;
  const hit =
    listing.contracts.find((c) => c.symbol === symbol) ??
    listing.contracts.find((c) => c.kind === "perpetual" && c.coin === coin);
  if (hit) {
    if (hit.expiry !== null && hit.expiry <= now) return expired(exchange, hit.symbol, hit.expiry);
    return {
      ok: true,
      contract: {
        exchange,
        symbol: hit.symbol,
        coin: hit.coin,
        kind: hit.kind,
        contractSize: hit.contractSize,
        expiry: hit.expiry,
      },
    };
  }
  const refused = listing.refused.get(symbol);
  if (refused) return { ok: false, code: refused.code, message: `${exchange}: ${refused.message}` };
  if (isLinear(exchange, symbol)) {
    return {
      ok: false,
      code: "not_inverse",
      message: `${exchange}:${typed} is not an inverse (coin-margined) contract; only inverse contracts are supported`,
    };
  }
  return { ok: false, code: "not_listed", message: `${exchange}: ${typed} is not listed now` };
}

/** The item error for a dated future past its delivery. */
export function expired(exchange: Exchange, symbol: string, expiry: number): ItemLookup & { ok: false } {
  return {
    ok: false,
    code: "expired",
    message: `${exchange}:${symbol} expired on ${new Date(expiry).toISOString().slice(0, 16).replace("T", " ")} UTC`,
  };
}

/** Looks up what a person typed (exchange's symbol or coin alias, any case) in the contract table. */
export function findContract(exchange: Exchange, typed: string): ContractLookup {
  const symbol = typed.trim().toUpperCase();
  const coin = ALIASES[symbol] ?? symbol;
  const venue = CONTRACTS.filter((c) => c.exchange === exchange);
  const found =
    venue.find((c) => !c.pattern && c.symbol === symbol) ??
    venue.find((c) => c.kind === "perpetual" && c.coin === coin) ??
    venue.find((c) => c.pattern?.test(symbol));
  if (found) {
    const resolved = found.pattern ? symbol : found.symbol;
    const resolvedCoin = found.coin === "*" ? (found.pattern?.exec(symbol)?.[1] ?? symbol) : found.coin;
    return {
      ok: true,
      contract: {
        exchange,
        symbol: resolved,
        coin: resolvedCoin,
        kind: found.kind,
        contractSize: found.contractSize,
      },
    };
  }
  if (isLinear(exchange, symbol)) {
    return {
      ok: false,
      reason: "linear",
      message: `${exchange}:${typed} is not an inverse (coin-margined) contract; only inverse contracts are supported`,
    };
  }
  return {
    ok: false,
    reason: "unknown",
    message: `${exchange} has no inverse contract ${typed} in the contract table`,
  };
}

/**
 * The quick offline check the pane and the functions make before asking the server: a malformed symbol or one
 * the table knows to be linear is refused; a known contract or coin is resolved to the venue's symbol; anything
 * else goes to the server as typed, whose venue lists decide (so a new listing works without a new release).
 */
export function quickCheck(
  exchange: Exchange,
  typed: string,
): { ok: true; symbol: string } | { ok: false; message: string } {
  const text = typed.trim();
  if (!isWellFormedSymbol(text))
    return { ok: false, message: "symbol must be 1 to 40 letters, digits, _ . or -" };
  const found = findContract(exchange, text);
  if (found.ok) return { ok: true, symbol: found.contract.symbol };
  if (found.reason === "linear") return { ok: false, message: found.message };
  return { ok: true, symbol: text.toUpperCase() };
}
