import { describe, expect, it } from "vitest";
import { readMetadata } from "../support/bundle";

/*
 * The catalog of the shared function spec, as a contract: name -> parameter names in order
 * (optional ones in brackets), and whether the result streams or spills. Tests outside the
 * project call the built add-in by these names, so any drift here is a breaking change.
 */
const CATALOG: Record<string, { params: string[]; stream?: boolean; matrix?: boolean; volatile?: boolean }> =
  {
    NOTIONAL: { params: ["quantity", "price", "[hedge_ratio]"] },
    SIZE: { params: ["notional", "price"] },
    CONTRACTS: { params: ["notional", "contract_size", "[rounding]"] },
    "INVERSE.PNL": { params: ["notional", "entry_price", "exit_price", "side"] },
    "INVERSE.PNLUSD": { params: ["notional", "entry_price", "exit_price", "side"] },
    "INVERSE.ROE": { params: ["entry_price", "exit_price", "side", "leverage"] },
    "INVERSE.MARGIN": { params: ["notional", "entry_price", "leverage"] },
    "INVERSE.LIQPRICE": {
      params: ["notional", "entry_price", "side", "leverage", "[maint_margin_rate]", "[extra_margin]"],
    },
    "INVERSE.AVGENTRY": { params: ["notionals", "prices"] },
    "FUNDING.PAYMENT": { params: ["notional", "mark_price", "funding_rate", "side"] },
    "FUNDING.APR": { params: ["funding_rate", "[interval_hours]", "[method]"] },
    BASIS: { params: ["futures_price", "spot_price"] },
    // Volatile: an omitted as_of reads the clock, so the days to expiry must follow it.
    "BASIS.APR": { params: ["futures_price", "spot_price", "expiry", "[as_of]", "[method]"], volatile: true },
    RATIO: { params: ["spot_prices", "futures_prices"] },
    EFFECTIVENESS: { params: ["spot_prices", "futures_prices", "[hedge_ratio]"] },
    SCENARIO: {
      params: ["quantity", "spot_price", "notional", "futures_price", "price_changes", "[side]"],
      matrix: true,
    },
    "CONTRACT.SIZE": { params: ["exchange", "symbol"] },
    "FUNDING.RATE": { params: ["exchange", "symbol"], stream: true },
    MARKET: { params: ["exchange", "symbol", "[field]"], stream: true },
    // Streams (refreshes every 5 minutes, cancelled with its cell) so it neither freezes nor hangs.
    "FUNDING.HISTORY": { params: ["exchange", "symbol", "[days]", "[headers]"], stream: true, matrix: true },
    "FUTURES.CURVE": { params: ["exchange", "coin", "[headers]"], stream: true, matrix: true },
    "FUNDING.STATS": { params: ["exchange", "symbol", "[days]", "[headers]"], stream: true, matrix: true },
    "FUNDING.EARNED": { params: ["exchange", "symbol", "notional", "[days]", "[side]"], stream: true },
    "PRICE.HISTORY": {
      params: ["exchange", "symbol", "[days]", "[price]", "[headers]"],
      stream: true,
      matrix: true,
    },
  };

describe("functions.json against the catalog", () => {
  const metadata = readMetadata();
  const byName = new Map(metadata.map((m) => [m.name, m]));

  it("has exactly the catalog's functions", () => {
    expect([...byName.keys()].sort()).toEqual(Object.keys(CATALOG).sort());
  });

  for (const [name, spec] of Object.entries(CATALOG)) {
    it(`HEDGE.${name}(${spec.params.join(", ")})`, () => {
      const fn = byName.get(name);
      expect(fn, name).toBeDefined();
      const params = fn!.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name));
      expect(params).toEqual(spec.params);
      expect(Boolean(fn!.options?.stream)).toBe(Boolean(spec.stream));
      expect(fn!.result.dimensionality === "matrix").toBe(Boolean(spec.matrix));
      expect(Boolean(fn!.options?.volatile)).toBe(Boolean(spec.volatile));
    });
  }

  it("keeps every description at most 128 characters (older Excel builds refuse longer ones)", () => {
    const tooLong: string[] = [];
    for (const fn of metadata) {
      const texts: [string, string | undefined][] = [
        [fn.name, fn.description],
        ...fn.parameters.map((p): [string, string | undefined] => [`${fn.name}(${p.name})`, p.description]),
      ];
      for (const [where, text] of texts) {
        expect(text, where).toBeTruthy();
        if (text!.length > 128) tooLong.push(`${where}: ${text!.length}`);
      }
    }
    expect(tooLong).toEqual([]);
  });
});
