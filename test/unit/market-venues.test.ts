/* eslint-disable @typescript-eslint/no-explicit-any -- the tests poke into raw venue payloads of many shapes */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { findContract, quickCheck } from "../../src/market/contracts";
import { MarketError } from "../../src/market/errors";
import { fractionOf } from "../../src/market/kraken";
import type { Exchange } from "../../src/market/types";
import { buildQuote, toFundingPoints, type MarketData, type VenueSnapshot } from "../../src/market/venue";
import { VENUES } from "../../src/market/venues";
import { readRecorded } from "../../src/server/market/recorded";

const payloads: Partial<Record<Exchange, unknown[]>> = {};

async function recordedQuotes(exchange: Exchange): Promise<unknown[]> {
  return Promise.all(VENUES[exchange].quoteRequests.map((r) => readRecorded(exchange, r.name)));
}

beforeAll(async () => {
  for (const exchange of Object.keys(VENUES) as Exchange[])
    payloads[exchange] = await recordedQuotes(exchange);
});

const clone = <T>(v: T): T => structuredClone(v);

function snapshot(exchange: Exchange, mutate?: (payloads: any[]) => void): VenueSnapshot {
  const p = clone(payloads[exchange]!);
  mutate?.(p);
  return VENUES[exchange].parseQuotes(p);
}

function market(s: VenueSnapshot, symbol: string): MarketData {
  const m = s.get(symbol);
  if (!m || m instanceof MarketError) throw new Error(`${symbol}: ${m?.message ?? "missing"}`);
  return m;
}

const iso = (s: string) => Date.parse(s);

describe("bybit (strings, fundingIntervalHour)", () => {
  it("reads an 8 h perpetual with numbers sent as strings", () => {
    const m = market(snapshot("bybit"), "BTCUSD");
    expect(m).toEqual({
      symbol: "BTCUSD",
      kind: "perpetual",
      fundingRate: 0.0001,
      fundingIntervalHours: 8,
      nextFundingTime: iso("2026-11-26T16:00:00Z"),
      predictedFundingRate: null,
      markPrice: 91250.5,
      indexPrice: 91200.25,
      expiry: null,
      exchangeTime: iso("2026-11-26T15:30:00Z"),
    });
  });

  it("takes a 4 h interval from fundingIntervalHour, so the APR is rate x 8760 / 4", () => {
    const m = market(snapshot("bybit"), "SOLUSD");
    expect(m.fundingIntervalHours).toBe(4);
    const q = buildQuote(findContractOk("bybit", "SOLUSD"), m, 0, "live", false);
    // 0.0002 x 8760 / 4 = 0.438
    expect(q.fundingApr).toBeCloseTo(0.438, 12);
  });

  it("without fundingIntervalHour takes instruments-info fundingInterval (minutes), without both refuses", () => {
    const s = snapshot("bybit", (p) => delete p[0].result.list[2].fundingIntervalHour);
    // instruments-info says 240 minutes for SOLUSD
    expect(market(s, "SOLUSD").fundingIntervalHours).toBe(4);
    const none = snapshot("bybit", (p) => {
      delete p[0].result.list[2].fundingIntervalHour;
      p[1] = undefined;
    });
    expect(none.get("SOLUSD")).toMatchObject({ code: "upstream_bad_response" });
    expect(market(none, "BTCUSD").fundingIntervalHours).toBe(8);
  });

  it("reads a dated future: no funding, expiry from deliveryTime", () => {
    const m = market(snapshot("bybit"), "BTCUSDH27");
    expect(m.kind).toBe("future");
    expect(m.fundingRate).toBeNull();
    expect(m.fundingIntervalHours).toBeNull();
    expect(m.nextFundingTime).toBeNull();
    expect(m.expiry).toBe(iso("2027-03-26T08:00:00Z"));
  });

  it("reports the venue's own error code as an upstream error, not as data", () => {
    expect(() =>
      VENUES.bybit.parseQuotes([{ retCode: 10006, retMsg: "Too many visits!", result: {} }]),
    ).toThrow(expect.objectContaining({ code: "upstream_error" }));
  });
});

describe("binance COIN-M (dated futures, fundingInfo)", () => {
  it("reads a perpetual, 8 h by default when fundingInfo does not list it", () => {
    const m = market(snapshot("binance"), "BTCUSD_PERP");
    expect(m.fundingRate).toBe(0.0001);
    expect(m.fundingIntervalHours).toBe(8);
    expect(m.nextFundingTime).toBe(iso("2026-11-26T16:00:00Z"));
    expect(m.markPrice).toBe(91240.12);
    expect(m.indexPrice).toBe(91210.6);
  });

  it("takes the interval from fundingInfo (SOLUSD_PERP: 4 h)", () => {
    const m = market(snapshot("binance"), "SOLUSD_PERP");
    expect(m.fundingIntervalHours).toBe(4);
    expect(m.fundingRate).toBe(-0.00012);
  });

  it('turns lastFundingRate "" and nextFundingTime 0 into a future with no funding, expiry from the symbol', () => {
    const m = market(snapshot("binance"), "BTCUSD_270326");
    expect(m.kind).toBe("future");
    expect(m.fundingRate).toBeNull();
    expect(m.nextFundingTime).toBeNull();
    // 27-03-26 at 08:00 UTC
    expect(m.expiry).toBe(iso("2027-03-26T08:00:00Z"));
  });

  it("refuses a perpetual whose funding rate is empty (it would otherwise read as a future or a zero)", () => {
    const s = snapshot("binance", (p) => (p[0][0].lastFundingRate = ""));
    expect(s.get("BTCUSD_PERP")).toBeInstanceOf(MarketError);
    expect(market(s, "ETHUSD_PERP").fundingRate).toBe(0.00002345);
  });

  it("reports {code, msg} as the venue's error", () => {
    expect(() => VENUES.binance.parseQuotes([{ code: -1003, msg: "Too many requests" }, []])).toThrow(
      expect.objectContaining({ code: "upstream_error" }),
    );
  });
});

describe("bitmex (isInverse only, fundingInterval as a time)", () => {
  it("reads XBTUSD: fundingInterval 2000-01-01T08:00Z is 8 hours, indicative rate is the predicted one", () => {
    const m = market(snapshot("bitmex"), "XBTUSD");
    expect(m).toMatchObject({
      kind: "perpetual",
      fundingRate: 0.000075,
      predictedFundingRate: 0.000112,
      fundingIntervalHours: 8,
      nextFundingTime: iso("2026-11-26T20:00:00Z"),
      markPrice: 91255.84,
      indexPrice: 91204.12,
    });
  });

  it("drops the quanto ETHUSD, the linear XBTUSDT and XBTETH (priced in ETH), keeps the inverse future XBTH27", () => {
    const s = snapshot("bitmex");
    expect([...s.keys()].sort()).toEqual(["XBTH27", "XBTUSD"]);
    expect(market(s, "XBTH27")).toMatchObject({
      kind: "future",
      fundingRate: null,
      expiry: iso("2027-03-26T12:00:00Z"),
    });
  });

  it("reads a 12 h interval too (2000-01-01T12:00Z)", () => {
    const s = snapshot("bitmex", (p) => (p[0][0].fundingInterval = "2000-01-01T12:00:00.000Z"));
    expect(market(s, "XBTUSD").fundingIntervalHours).toBe(12);
  });
});

describe("deribit (continuous funding quoted as 8 h)", () => {
  it("reads BTC-PERPETUAL: funding_8h as an 8 h rate, no next funding time", () => {
    const s = snapshot("deribit");
    const m = market(s, "BTC-PERPETUAL");
    expect(m).toMatchObject({ fundingRate: 0.00012, fundingIntervalHours: 8, nextFundingTime: null });
    expect(m.indexPrice).toBe(91205.4);
    const q = buildQuote(findContractOk("deribit", "BTC"), m, 0, "live", false);
    // 0.00012 x 8760 / 8 = 0.1314; BTC contract 10 USD
    expect(q.fundingApr).toBeCloseTo(0.1314, 12);
    expect(q.contractSize).toBe(10);
  });

  it("merges the BTC and ETH book summaries and reads a dated future's expiry from its name", () => {
    const s = snapshot("deribit");
    expect(market(s, "ETH-PERPETUAL").fundingRate).toBe(-0.00003);
    expect(market(s, "BTC-26MAR27")).toMatchObject({ kind: "future", expiry: iso("2027-03-26T08:00:00Z") });
  });

  it("refuses a perpetual without funding_8h rather than calling it zero", () => {
    const s = snapshot("deribit", (p) => delete p[0].result[0].funding_8h);
    expect(s.get("BTC-PERPETUAL")).toBeInstanceOf(MarketError);
  });
});

describe("okx (fundingTime is the NEXT settlement; interval from two times)", () => {
  it("reads BTC-USD-SWAP from three payloads; empty nextFundingRate is no prediction", () => {
    const m = market(snapshot("okx"), "BTC-USD-SWAP");
    expect(m).toEqual({
      symbol: "BTC-USD-SWAP",
      kind: "perpetual",
      fundingRate: 0.0000912,
      // nextFundingTime - fundingTime = 00:00 - 16:00 = 8 h
      fundingIntervalHours: 8,
      nextFundingTime: iso("2026-11-26T16:00:00Z"),
      predictedFundingRate: null,
      markPrice: 91252.3,
      indexPrice: 91208.7,
      expiry: null,
      exchangeTime: iso("2026-11-26T15:29:59.500Z"),
    });
    expect(market(snapshot("okx"), "ETH-USD-SWAP").predictedFundingRate).toBe(0.0000456);
  });

  it("derives a 4 h interval when the two settlements are 4 h apart", () => {
    const s = snapshot("okx", (p) => (p[0].data[0].nextFundingTime = String(iso("2026-11-26T20:00:00Z"))));
    expect(market(s, "BTC-USD-SWAP").fundingIntervalHours).toBe(4);
  });

  it("drops linear USDT contracts and reads the inverse dated future against the coin's USD index", () => {
    const s = snapshot("okx");
    expect([...s.keys()].sort()).toEqual(["BTC-USD-261225", "BTC-USD-SWAP", "ETH-USD-SWAP"]);
    expect(market(s, "BTC-USD-261225")).toMatchObject({
      kind: "future",
      fundingRate: null,
      indexPrice: 91208.7,
      expiry: iso("2026-12-25T08:00:00Z"),
    });
  });

  it('reports code != "0" as the venue\'s error', () => {
    const err = { code: "50011", msg: "Rate limit reached", data: [] };
    expect(() => VENUES.okx.parseQuotes([err, err, err, err])).toThrow(
      expect.objectContaining({ code: "upstream_error" }),
    );
  });
});

describe("kraken (absolute funding per contract per hour)", () => {
  it("converts the inverse tickers' fundingRate to a fraction: fundingRate x markPrice", () => {
    const m = market(snapshot("kraken"), "PI_XBTUSD");
    // 1.5e-10 x 91000 = 1.365e-5 per hour; prediction 2e-10 x 91000 = 1.82e-5
    expect(m.fundingRate).toBeCloseTo(1.365e-5, 18);
    expect(m.predictedFundingRate).toBeCloseTo(1.82e-5, 18);
    expect(m.fundingIntervalHours).toBe(1);
    // serverTime 15:30 -> next hourly settlement 16:00
    expect(m.nextFundingTime).toBe(iso("2026-11-26T16:00:00Z"));
    const q = buildQuote(findContractOk("kraken", "BTC"), m, 0, "live", false);
    // 1.365e-5 x 8760 / 1 = 0.119574
    expect(q.fundingApr).toBeCloseTo(0.119574, 12);
  });

  it("is not the naive reading (the raw number is not a fraction, nor divided by the price)", () => {
    const m = market(snapshot("kraken"), "PI_XBTUSD");
    expect(m.fundingRate).not.toBeCloseTo(1.5e-10, 12);
    expect(m.fundingRate).not.toBeCloseTo(1.5e-10 / 91000, 18);
    expect(fractionOf(-4e-9, 3050)).toBeCloseTo(-1.22e-5, 18);
  });

  it("accepts lower-case symbols, drops linear PF_ and index entries, dates FI_ at 16:00 London", () => {
    const s = snapshot("kraken");
    expect([...s.keys()].sort()).toEqual(["FI_XBTUSD_261225", "PI_BCHUSD", "PI_ETHUSD", "PI_XBTUSD"]);
    expect(market(s, "PI_ETHUSD").fundingRate).toBeCloseTo(-1.22e-5, 18);
    // 25 Dec: GMT, so 16:00 UTC
    expect(market(s, "FI_XBTUSD_261225").expiry).toBe(iso("2026-12-25T16:00:00Z"));
    const summer = snapshot("kraken", (p) => (p[0].tickers[4].symbol = "FI_XBTUSD_270625"));
    // 25 Jun: BST, so 15:00 UTC
    expect(market(summer, "FI_XBTUSD_270625").expiry).toBe(iso("2027-06-25T15:00:00Z"));
  });
});

describe("funding history parsers", () => {
  const cases: [Exchange, string, number, (rows: { time: number; fundingRate: number }[]) => void][] = [
    ["bybit", "BTCUSD", 270, () => {}],
    ["binance", "BTCUSD_PERP", 270, () => {}],
    ["bitmex", "XBTUSD", 270, (rows) => expect(new Date(rows[0].time).getUTCHours() % 8).toBe(4)],
    ["okx", "BTC-USD-SWAP", 270, () => {}],
    ["deribit", "BTC-PERPETUAL", 720, () => {}],
    ["kraken", "PI_XBTUSD", 720, () => {}],
  ];
  for (const [exchange, symbol, count, extra] of cases) {
    it(`${exchange}: every recorded row, finite, sorted oldest first after toFundingPoints`, async () => {
      const rows = VENUES[exchange].parseHistory(await readRecorded(exchange, `history-${symbol}`));
      expect(rows).toHaveLength(count);
      extra(rows);
      const points = toFundingPoints(rows, 0, Date.now() * 2);
      expect(points.map((p) => p.time)).toEqual([...points.map((p) => p.time)].sort());
      expect(points.every((p) => Number.isFinite(p.fundingRate) && p.fundingRate !== 0)).toBe(true);
    });
  }

  it("kraken history uses relativeFundingRate (a fraction), not the absolute fundingRate", () => {
    const rows = VENUES.kraken.parseHistory({
      rates: [{ timestamp: "2026-11-26T15:00:00.000Z", fundingRate: 1.5e-10, relativeFundingRate: 1.365e-5 }],
    });
    expect(rows).toEqual([{ time: iso("2026-11-26T15:00:00Z"), fundingRate: 1.365e-5 }]);
  });

  it("okx history uses realizedRate, deribit the hourly interest_1h", () => {
    const okx = VENUES.okx.parseHistory({
      code: "0",
      msg: "",
      data: [
        {
          instId: "BTC-USD-SWAP",
          fundingRate: "0.0002",
          realizedRate: "0.00019",
          fundingTime: "1795708800000",
        },
      ],
    });
    expect(okx).toEqual([{ time: 1795708800000, fundingRate: 0.00019 }]);
    const deribit = VENUES.deribit.parseHistory({
      result: [{ timestamp: 1795708800000, interest_1h: 0.0000125, interest_8h: 0.0001 }],
    });
    expect(deribit).toEqual([{ time: 1795708800000, fundingRate: 0.0000125 }]);
  });

  it("toFundingPoints keeps the window, drops duplicates, sorts", () => {
    const rows = [
      { time: 3, fundingRate: 0.3 },
      { time: 1, fundingRate: 0.1 },
      { time: 3, fundingRate: 0.3 },
      { time: 9, fundingRate: 0.9 },
    ];
    expect(toFundingPoints(rows, 1, 5).map((p) => p.fundingRate)).toEqual([0.1, 0.3]);
  });
});

describe("payloads the adapters do not understand", () => {
  const exchanges = Object.keys(VENUES) as Exchange[];
  const garbage: [string, unknown][] = [
    ["an HTML page", "<html><body>502 Bad Gateway</body></html>"],
    ["null", null],
    ["an empty object", {}],
    ["a wrong-shape object", { data: { list: "nope" }, tickers: 3, result: "x" }],
  ];
  for (const exchange of exchanges) {
    for (const [what, body] of garbage) {
      it(`${exchange}: ${what} is "upstream response not understood"`, () => {
        const n = VENUES[exchange].quoteRequests.length;
        let error: unknown;
        try {
          VENUES[exchange].parseQuotes(Array.from({ length: n }, () => body));
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(MarketError);
        expect((error as MarketError).code).toMatch(/upstream_(bad_response|error)/);
      });
    }
  }

  it("a price of 0, a non-number or a missing price spoils only that contract", () => {
    const s = snapshot("bybit", (p) => {
      p[0].result.list[0].markPrice = "0";
      p[0].result.list[1].indexPrice = "abc";
      delete p[0].result.list[2].markPrice;
    });
    for (const symbol of ["BTCUSD", "ETHUSD", "SOLUSD"]) {
      expect(s.get(symbol)).toMatchObject({
        code: "upstream_bad_response",
        message: "upstream response not understood",
      });
    }
    expect(market(s, "BTCUSDH27").markPrice).toBe(93475.5);
  });

  it("never yields a non-finite number or a zero price from any JSON (property)", () => {
    const mutateValue = fc.oneof(
      fc.constant(""),
      fc.constant("NaN"),
      fc.constant("Infinity"),
      fc.constant(null),
      fc.constant(0),
      fc.constant("0"),
      fc.double(),
      fc.string(),
      fc.constant(1e308),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...exchanges),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 30 }),
        mutateValue,
        (exchange, pick, key, value) => {
          const p = clone(payloads[exchange]!) as any[];
          // Put the value into one field of one entry of one payload (a real field name half the time).
          const target = p[pick % p.length];
          const list: any[] =
            target?.result?.list ??
            target?.data ??
            target?.tickers ??
            target?.result ??
            (Array.isArray(target) ? target : []);
          if (list.length > 0) {
            const entry = list[pick % list.length];
            const keys = Object.keys(entry);
            entry[pick % 2 === 0 && keys.length ? keys[pick % keys.length] : key] = value;
          }
          let s: VenueSnapshot;
          try {
            s = VENUES[exchange].parseQuotes(p);
          } catch (err) {
            return err instanceof MarketError;
          }
          for (const m of s.values()) {
            if (m instanceof MarketError) continue;
            const nums = [
              m.markPrice,
              m.indexPrice,
              m.fundingRate,
              m.fundingIntervalHours,
              m.predictedFundingRate,
            ];
            if (nums.some((n) => n !== null && !Number.isFinite(n))) return false;
            if (m.markPrice <= 0 || m.indexPrice <= 0) return false;
          }
          return true;
        },
      ),
      { numRuns: 400 },
    );
  });
});

function findContractOk(exchange: Exchange, typed: string) {
  const r = findContract(exchange, typed);
  if (!r.ok) throw new Error(r.message);
  return r.contract;
}

describe("the quick offline check before asking the server", () => {
  it("refuses malformed and known-linear symbols, resolves known ones, passes a new listing as typed", () => {
    expect(quickCheck("bybit", "btc/usd")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^symbol must be/),
    });
    expect(quickCheck("bybit", "BTCUSDT")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an inverse/),
    });
    // Bybit's USDC futures are linear, though Deribit spells its inverse futures the same way.
    expect(quickCheck("bybit", "BTC-29DEC23")).toMatchObject({ ok: false });
    expect(quickCheck("deribit", "BTC-29DEC23")).toEqual({ ok: true, symbol: "BTC-29DEC23" });
    expect(quickCheck("kraken", "xbt")).toEqual({ ok: true, symbol: "PI_XBTUSD" });
    expect(quickCheck("kraken", " pi_bchusd ")).toEqual({ ok: true, symbol: "PI_BCHUSD" });
  });
});
