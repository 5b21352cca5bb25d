import { binance } from "./binance";
import { bingx } from "./bingx";
import { bitmex } from "./bitmex";
import { bybit } from "./bybit";
import { deribit } from "./deribit";
import { kraken } from "./kraken";
import { mexc } from "./mexc";
import { okx } from "./okx";
import type { Exchange } from "./types";
import type { VenueAdapter } from "./venue";

/** The venue adapters, by exchange name. */
export const VENUES: Readonly<Record<Exchange, VenueAdapter>> = {
  bybit,
  binance,
  bitmex,
  deribit,
  okx,
  kraken,
  bingx,
  mexc,
};
