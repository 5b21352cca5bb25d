/** +1 for a long (buy) position, -1 for a short (sell) one. */
export type Side = 1 | -1;

// No prototype, so text such as "constructor" is not mistaken for a side.
const SIDES: Record<string, Side | undefined> = Object.assign(Object.create(null), {
  long: 1,
  buy: 1,
  short: -1,
  sell: -1,
});

/** Reads a side from its trader's words (long/short/buy/sell, any case) or from 1 / -1; undefined if neither. */
export function parseSide(value: string | number): Side | undefined {
  if (typeof value === "number") return value === 1 ? 1 : value === -1 ? -1 : undefined;
  const direct = SIDES[value];
  if (direct !== undefined) return direct;
  const text = value.trim().toLowerCase();
  const named = SIDES[text];
  if (named !== undefined) return named;
  const n = text === "" ? NaN : Number(text);
  return n === 1 ? 1 : n === -1 ? -1 : undefined;
}
