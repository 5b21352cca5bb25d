import { describe, expect, it } from "vitest";
import {
  carryStatus,
  loadCarry,
  nearestBasis,
  perpetualsOf,
  rankCarry,
  type CarryDeps,
  type CarryRow,
} from "../../src/taskpane/carry";
import { makeQuote } from "../support/quotes";

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

  it("says what the order rests on: realised APR, current APR for venues without history, or current APR alone", () => {
    const status = (rows: CarryRow[], source: "live" | "replay" | null = "live") =>
      carryStatus({ coin: "XRP", rows, source });
    expect(status([row("okx", 0.08, 0.01), row("bybit", 0.12, 0.02)])).toBe(
      "2 venues ranked by realised 30-day APR.",
    );
    expect(status([row("okx", 0.08, 0.01), row("bingx", null, 0.5)], "replay")).toBe(
      "2 venues ranked by realised 30-day APR; 1 venue without a 30-day funding history follows by current APR " +
        "(replay sample data).",
    );
    expect(status([row("okx", 0.08, 0.01), row("bingx", null, 0.5), row("mexc", null, null)])).toBe(
      "3 venues ranked by realised 30-day APR; 2 venues without a 30-day funding history follow by current APR.",
    );
    expect(status([row("bybit", null, 0.1)])).toBe(
      "1 venue ranked by current funding APR: none has a 30-day funding history.",
    );
    expect(status([])).toBe("No venue lists an inverse perpetual of XRP.");
  });
});

describe("carry basis from the venues' curves", () => {
  const NOW = Date.parse("2026-11-26T08:00:00Z");
  const future = (exchange: string, symbol: string, expiry: string, mark: number, index = 100) =>
    makeQuote(exchange, symbol, mark, {
      kind: "future",
      expiry,
      indexPrice: index,
      fundingRate: null,
      fundingIntervalHours: null,
      fundingApr: null,
    });

  it("takes the earliest expiry not yet expired, with HEDGE.FUTURES.CURVE's basis_apr", () => {
    const quotes = [
      makeQuote("deribit", "BTC-PERPETUAL", 100),
      // Stored out of order; one delivered already, one delivering this very millisecond (no longer live).
      future("deribit", "BTC-25JUN27", "2027-06-25T08:00:00.000Z", 110),
      future("deribit", "BTC-26DEC26", "2026-12-26T08:00:00.000Z", 101),
      future("deribit", "BTC-27NOV26", "2026-11-25T08:00:00.000Z", 150),
      future("deribit", "BTC-NOW", "2026-11-26T08:00:00.000Z", 150),
    ];
    const nearest = nearestBasis(quotes, NOW);
    expect(nearest?.symbol).toBe("BTC-26DEC26");
    // Worked by hand: 30 days to expiry, basis 101/100 - 1 = 1 %, annualised 0.01 x 365 / 30.
    expect(nearest?.apr).toBeCloseTo((0.01 * 365) / 30, 15);
  });

  it("is null for a venue that lists no live dated future", () => {
    expect(nearestBasis([makeQuote("bingx", "BTC-USD", 100)], NOW)).toBeNull();
    expect(nearestBasis([future("okx", "BTC-USD-261120", "2026-11-20T08:00:00.000Z", 101)], NOW)).toBeNull();
  });

  it("ranks from curve answers: a venue without a dated future, and one whose curve fails, keep their rows", async () => {
    // Each venue settles the same rate every 8 h: 21 settlements in 7 days, 90 in 30 days.
    const rate: Record<string, number> = {
      bybit: 0.0001,
      binance: 0.00012,
      bitmex: 0.00008,
      deribit: 0.00005,
      okx: 0.0002, // its curve fails: no current APR and no basis, but its realised APRs stand
      kraken: -0.00002,
      mexc: 0.00015,
    };
    const asked: string[] = [];
    const deps: CarryDeps = {
      now: () => NOW,
      async fetchCurve(exchange, coin) {
        asked.push(`${exchange}:${coin}`);
        if (exchange === "okx") throw new Error("okx: upstream answered HTTP 500");
        const perp = perpetualsOf("BTC").find((p) => p.exchange === exchange)!;
        const quotes = [
          makeQuote(exchange, perp.symbol, 100, { fundingRate: 0.0001 * (exchange.length - 3) }),
        ];
        if (exchange === "deribit")
          quotes.push(future(exchange, "BTC-26DEC26", "2026-12-26T08:00:00.000Z", 101));
        if (exchange === "bybit") quotes.push(future(exchange, "BTCUSDZ26", "2026-12-26T08:00:00.000Z", 102));
        return { quotes };
      },
      async fetchFundingHistory(exchange, symbol, days) {
        if (exchange === "bingx") throw new Error("bingx publishes no funding history");
        const n = days * 3;
        return {
          exchange: exchange as CarryRow["exchange"],
          symbol,
          items: Array.from({ length: n }, (_, i) => ({
            time: new Date(NOW - (n - i) * 8 * 3_600_000).toISOString(),
            fundingRate: rate[exchange],
          })),
          fetchedAt: new Date(NOW).toISOString(),
          source: "replay",
        };
      },
    };
    const ranking = await loadCarry("BTC", deps);
    expect(asked.sort()).toEqual(
      perpetualsOf("BTC")
        .map((p) => `${p.exchange}:BTC`)
        .sort(),
    );
    // Realised 30-day APR = 90 x rate x 365 / 30 = rate x 1095: okx, mexc, binance, bybit, bitmex, deribit,
    // kraken; then bingx (no history) on its current APR.
    expect(ranking.rows.map((r) => r.exchange)).toEqual([
      "okx",
      "mexc",
      "binance",
      "bybit",
      "bitmex",
      "deribit",
      "kraken",
      "bingx",
    ]);
    const by = (ex: string) => ranking.rows.find((r) => r.exchange === ex)!;
    for (const r of ranking.rows.filter((x) => x.exchange !== "bingx")) {
      expect(r.realised30).toBeCloseTo(rate[r.exchange] * 1095, 12);
      expect(r.realised7).toBeCloseTo(rate[r.exchange] * 1095, 12);
    }
    expect(by("okx").currentApr).toBeNull();
    expect(by("okx").basisApr).toBeNull();
    // The row names the venue: the server's "okx: " prefix is not repeated in the note.
    expect(by("okx").notes).toContain("quote: upstream answered HTTP 500");
    expect(by("deribit").basisApr).toBeCloseTo((0.01 * 365) / 30, 15);
    expect(by("deribit").basisSymbol).toBe("BTC-26DEC26");
    expect(by("bybit").basisApr).toBeCloseTo((0.02 * 365) / 30, 15);
    for (const ex of ["binance", "bitmex", "kraken", "mexc", "bingx"]) {
      expect(by(ex).basisApr).toBeNull();
      expect(by(ex).basisSymbol).toBeNull();
      expect(by(ex).currentApr).toBeCloseTo((0.0001 * (ex.length - 3) * 8760) / 8, 12);
    }
    expect(by("bingx").notes).toEqual(["funding history: bingx publishes no funding history"]);
    expect(ranking.source).toBe("replay");
  });
});
