import { D, dec, type Num } from "./decimal";

export type Rounding = "nearest" | "down" | "up";

/** USD value to hedge: quantity x price x hedge_ratio. */
export function notional(quantity: Num, price: Num, hedgeRatio: Num = 1): D {
  return dec(quantity).times(price).times(hedgeRatio);
}

/** Coin-equivalent size of a USD notional at a price: notional / price. */
export function size(notionalUsd: Num, price: Num): D {
  return dec(notionalUsd).div(price);
}

const ROUNDING_MODE: Record<Rounding, Parameters<D["toDecimalPlaces"]>[1]> = {
  nearest: D.ROUND_HALF_UP,
  down: D.ROUND_DOWN,
  up: D.ROUND_UP,
};

/** Whole number of contracts for a notional: notional / contract_size, rounded as asked (nearest = halves up). */
export function contracts(notionalUsd: Num, contractSize: Num, rounding: Rounding = "nearest"): D {
  return dec(notionalUsd).div(contractSize).toDecimalPlaces(0, ROUNDING_MODE[rounding]);
}
