import { describe, expect, it } from "vitest";
import { rankCarry, type CarryRow } from "../../src/taskpane/carry";

const row = (exchange: string, realised30: number | null, currentApr: number | null): CarryRow => ({
  exchange: exchange as CarryRow["exchange"],
  symbol: `${exchange}-BTC`,
  currentApr,
  realised7: null,
  realised30,
  basisApr: null,
  basisSymbol: null,
  daily: [],
  notes: [],
});

describe("carry ranking", () => {
  it("ranks by realised 30-day APR; a venue without history never outranks one with it", () => {
    const ranked = rankCarry([
      row("bingx", null, 0.5), // no published history, a high current rate
      row("okx", 0.08, 0.01),
      row("bybit", 0.12, -0.02),
      row("kraken", null, null),
      row("mexc", null, 0.2),
    ]);
    expect(ranked.map((r) => r.exchange)).toEqual(["bybit", "okx", "bingx", "mexc", "kraken"]);
  });

  it("breaks a tie in realised APR by the current APR", () => {
    const ranked = rankCarry([row("okx", 0.1, 0.01), row("bybit", 0.1, 0.03)]);
    expect(ranked.map((r) => r.exchange)).toEqual(["bybit", "okx"]);
  });
});
