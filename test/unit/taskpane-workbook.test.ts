import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Quote, QuoteResult } from "../../src/market/types";
import { workbookSerial } from "../../src/live/date-system";
import { COLUMNS } from "../../src/taskpane/rows";
import {
  SHEET_NAME,
  TABLE_NAME,
  buildHedgeSheet,
  resetDateSystem,
  writeFundingTable,
} from "../../src/taskpane/workbook";
import { makeQuote } from "../support/quotes";
import { FakeExcel, colLetters } from "./taskpane-fake-excel";

const LAST = colLetters(COLUMNS.length - 1); // "N"

function quote(
  exchange: Quote["exchange"],
  symbol: string,
  markPrice: number,
  extra: Partial<Quote> = {},
): Quote {
  return makeQuote(exchange, symbol, markPrice, {
    contractSize: 100,
    nextFundingTime: "2025-01-02T08:00:00.000Z",
    predictedFundingRate: 0.00012,
    indexPrice: markPrice - 10,
    premium: markPrice / (markPrice - 10) - 1,
    exchangeTime: "2025-01-02T07:59:58.000Z",
    fetchedAt: "2025-01-02T07:59:59.000Z",
    ...extra,
  });
}

const failure = (exchange: string, symbol: string, message: string): QuoteResult => ({
  exchange,
  symbol,
  error: { code: "upstream_error", message },
});

/** n distinct quotes (bybit has symbols enough for any n in a double). */
const many = (n: number, price = 100): Quote[] =>
  Array.from({ length: n }, (_, i) => quote("bybit", `C${i}USD`, price + i));

let excel: FakeExcel;
beforeEach(() => {
  excel = new FakeExcel();
  (globalThis as { Excel?: unknown }).Excel = excel.global();
  (globalThis as { Office?: unknown }).Office = excel.office();
  resetDateSystem();
});
afterEach(() => {
  delete (globalThis as { Excel?: unknown }).Excel;
  delete (globalThis as { Office?: unknown }).Office;
});

describe("funding table", () => {
  it("creates the sheet and a table with the spec's columns, values, times as serials and formats", async () => {
    const result = await writeFundingTable([
      quote("bybit", "BTCUSD", 50_000),
      quote("okx", "ETH-USD-SWAP", 3_000),
    ]);
    expect(result).toEqual({ sheet: SHEET_NAME, created: true, updated: 0, added: 2 });
    expect(excel.tableAddress(TABLE_NAME)).toBe(`${SHEET_NAME}!A1:${LAST}3`);
    const sheet = excel.sheet(SHEET_NAME);
    expect(excel.grid(SHEET_NAME, `A1:${LAST}1`)[0]).toEqual([...COLUMNS]);
    expect(excel.grid(SHEET_NAME, "A2:D2")[0]).toEqual(["bybit", "BTCUSD", "BTC", 0.0001]);
    expect(sheet.value("G2")).toBeCloseTo(45659.3333333, 6); // 2025-01-02 08:00 UTC
    expect(sheet.value("I3")).toBe(3_000);
    expect(sheet.value(`${LAST}2`)).toBe("ok");
    expect(sheet.cell("D2")?.numberFormat).toBe("0.0000%");
    expect(sheet.cell("F2")?.numberFormat).toBe("0.00%");
    expect(sheet.cell("G3")?.numberFormat).toBe("yyyy-mm-dd hh:mm");
    expect(sheet.cell("I2")?.numberFormat).toBe("#,##0.00");
    expect(sheet.cell("K2")?.numberFormat).toBe("0.00%");
  });

  it("updates rows in place by Exchange + Symbol, in whatever order they now are, and appends new ones", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000), quote("okx", "BTC-USD-SWAP", 50_100)]);
    // The person sorted the table: okx is now first.
    const sheet = excel.sheet(SHEET_NAME);
    const [first, second] = excel.grid(SHEET_NAME, `A2:${LAST}3`);
    second.forEach((v, c) => sheet.set(`${colLetters(c)}2`, v));
    first.forEach((v, c) => sheet.set(`${colLetters(c)}3`, v));

    const result = await writeFundingTable([
      quote("bybit", "BTCUSD", 51_000),
      quote("deribit", "BTC-PERPETUAL", 51_200),
      quote("okx", "BTC-USD-SWAP", 51_100),
    ]);
    expect(result).toMatchObject({ created: false, updated: 2, added: 1 });
    expect(excel.tableAddress(TABLE_NAME)).toBe(`${SHEET_NAME}!A1:${LAST}4`);
    expect(excel.grid(SHEET_NAME, "A2:A4").flat()).toEqual(["okx", "bybit", "deribit"]);
    expect(excel.grid(SHEET_NAME, "I2:I4").flat()).toEqual([51_100, 51_000, 51_200]);
    expect(sheet.cell("I4")?.numberFormat).toBe("#,##0.00");
    expect(excel.sheets).toHaveLength(1);
  });

  it("leaves the person's own columns, rows it was not asked about and every cell around the table alone", async () => {
    excel.addSheet("Notes").set("A1", "unrelated");
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000), quote("okx", "BTC-USD-SWAP", 50_100)]);
    const sheet = excel.sheet(SHEET_NAME);
    // The person widens the table with a column of their own, and writes next to and below it.
    excel.tables[0].width += 1;
    sheet.set("O1", "My note");
    sheet.set("O2", "keep bybit");
    sheet.set("O3", "keep okx");
    sheet.set("Q2", "beside");
    sheet.set("A6", "below");
    sheet.set("P6", "below, right");

    await writeFundingTable([quote("bybit", "BTCUSD", 52_000), quote("kraken", "PI_XBTUSD", 52_300)]);
    expect(sheet.value("I2")).toBe(52_000);
    expect(sheet.value("I3")).toBe(50_100); // okx was not asked for this time: untouched, not blanked
    expect(excel.grid(SHEET_NAME, "A4:B4")[0]).toEqual(["kraken", "PI_XBTUSD"]);
    expect(excel.grid(SHEET_NAME, "O1:O4").flat()).toEqual(["My note", "keep bybit", "keep okx", ""]);
    expect(sheet.value("Q2")).toBe("beside");
    // Appending a table row inserts cells in the table's columns; content below moves down, never lost.
    expect(sheet.value("A7")).toBe("below");
    expect(sheet.value("P6")).toBe("below, right");
    expect(excel.sheet("Notes").value("A1")).toBe("unrelated");
  });

  it("finds its columns by header name after the person inserts a column between them", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    const sheet = excel.sheet(SHEET_NAME);
    // Shift columns C.. one to the right and put the person's column at C.
    const [header, row] = excel.grid(SHEET_NAME, `A1:${LAST}2`);
    excel.tables[0].width += 1;
    [header, row].forEach((values, r) => {
      values.forEach((v, c) => sheet.set(`${colLetters(c < 2 ? c : c + 1)}${r + 1}`, v));
    });
    sheet.set("C1", "Desk");
    sheet.set("C2", "London");

    await writeFundingTable([quote("bybit", "BTCUSD", 53_000)]);
    expect(sheet.value("C2")).toBe("London");
    expect(sheet.value("J2")).toBe(53_000); // Mark moved from I to J
  });

  it("keeps a failing venue's last values and puts the error in its Status, leaving the others current", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000), quote("okx", "BTC-USD-SWAP", 50_100)]);
    await writeFundingTable([
      quote("bybit", "BTCUSD", 51_000, { stale: true }),
      failure("okx", "BTC-USD-SWAP", "okx: upstream timed out"),
      failure("deribit", "BTC-PERPETUAL", "deribit: HTTP 502"),
    ]);
    const sheet = excel.sheet(SHEET_NAME);
    expect(sheet.value("I2")).toBe(51_000);
    expect(sheet.value(`${LAST}2`)).toBe("stale");
    expect(sheet.value("I3")).toBe(50_100);
    expect(sheet.value(`${LAST}3`)).toBe("okx: upstream timed out");
    // A failing contract never seen before still gets a row that says why.
    expect(excel.grid(SHEET_NAME, "A4:C4")[0]).toEqual(["deribit", "BTC-PERPETUAL", "BTC"]);
    expect(sheet.value("I4")).toBe("");
    expect(sheet.value(`${LAST}4`)).toBe("deribit: HTTP 502");
  });

  it("does not write into a `Funding Rates` sheet that holds no table of its own: it makes `Funding Rates (2)`", async () => {
    const foreign = excel.addSheet(SHEET_NAME);
    foreign.set("A1", "my own funding notes");
    foreign.set("B2", 42);
    const result = await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    expect(result.sheet).toBe("Funding Rates (2)");
    expect(excel.tableAddress(TABLE_NAME)).toBe(`Funding Rates (2)!A1:${LAST}2`);
    expect([...foreign.cells.keys()].sort()).toEqual(["0,0", "1,1"]);
    expect(foreign.value("A1")).toBe("my own funding notes");
    // The next refresh finds the table where it is.
    await writeFundingTable([quote("bybit", "BTCUSD", 50_500)]);
    expect(excel.sheet("Funding Rates (2)").value("I2")).toBe(50_500);
    expect(excel.sheets).toHaveLength(2);
  });

  it("syncs the same number of times for 10 rows as for 100, creating or refreshing", async () => {
    const counts = async (n: number) => {
      excel = new FakeExcel();
      (globalThis as { Excel?: unknown }).Excel = excel.global();
      (globalThis as { Office?: unknown }).Office = excel.office();
      resetDateSystem();
      await writeFundingTable(many(n));
      const create = excel.syncs;
      await writeFundingTable(many(n, 200).concat(quote("okx", "BTC-USD-SWAP", 1)));
      return { create, refresh: excel.syncs - create };
    };
    const ten = await counts(10);
    const hundred = await counts(100);
    expect(ten).toEqual(hundred);
    // The workbook's date system (once a session), then: locate the table, read it, write everything.
    expect(ten).toEqual({ create: 3, refresh: 3 });
    expect(excel.grid(SHEET_NAME, "I101:I102").flat()).toEqual([299, 1]);
  });
});

describe("hedge worksheet", () => {
  const input = {
    coin: "BTC",
    exchange: "okx",
    symbol: "BTC-USD-SWAP",
    quantity: 2,
    hedgeRatio: 0.5,
    leverage: 3,
  };

  /** The input/output cell (column B) whose label in column A starts with `label`. */
  const cellFor = (sheet: string, label: string) => {
    const s = excel.sheet(sheet);
    for (let r = 1; r <= 60; r++) {
      if (String(s.value(`A${r}`)).startsWith(label)) return `B${r}`;
    }
    throw new Error(`no label ${label}`);
  };

  it("adds `Hedge <COIN>` with labelled inputs, live formulas and catalog formulas in the catalog's argument order", async () => {
    const { sheet: name } = await buildHedgeSheet(input);
    expect(name).toBe("Hedge BTC");
    const s = excel.sheet(name);
    const at = (label: string) => cellFor(name, label);
    const formula = (label: string) => s.cell(at(label))?.formula;
    const [ex, sym, qty, spot, ratio, fut, size, lev, mmr, rate, hours] = [
      "Exchange",
      "Contract",
      "Spot quantity",
      "Spot price",
      "Hedge ratio",
      "Futures price",
      "Contract size",
      "Leverage",
      "Maintenance margin rate",
      "Funding rate",
      "Funding interval",
    ].map(at);
    expect(s.value(ex)).toBe("okx");
    expect(s.value(sym)).toBe("BTC-USD-SWAP");
    expect(s.value(qty)).toBe(2);
    expect(s.value(ratio)).toBe(0.5);
    expect(s.value(lev)).toBe(3);
    expect(s.value(mmr)).toBe(0.005);
    expect(formula("Spot price")).toBe(`=HEDGE.MARKET(${ex},${sym},"index_price")`);
    expect(formula("Futures price")).toBe(`=HEDGE.MARKET(${ex},${sym},"mark_price")`);
    expect(formula("Funding rate")).toBe(`=HEDGE.FUNDING.RATE(${ex},${sym})`);
    expect(formula("Funding interval")).toBe(`=HEDGE.MARKET(${ex},${sym},"funding_interval_hours")`);
    expect(formula("Contract size")).toBe(`=HEDGE.CONTRACT.SIZE(${ex},${sym})`);

    const notional = at("Notional to hedge");
    const contracts = at("Contracts to short");
    const position = at("Position notional");
    expect(formula("Notional to hedge")).toBe(`=HEDGE.NOTIONAL(${qty},${fut},${ratio})`);
    expect(formula("Hedge size")).toBe(`=HEDGE.SIZE(${notional},${fut})`);
    expect(formula("Contracts to short")).toBe(`=HEDGE.CONTRACTS(${notional},${size})`);
    expect(formula("Position notional")).toBe(`=${contracts}*${size}`);
    expect(formula("Initial margin")).toBe(`=HEDGE.INVERSE.MARGIN(${position},${fut},${lev})`);
    expect(formula("Liquidation price")).toBe(
      `=IF(${lev}<=1,"none (fully collateralised)",HEDGE.INVERSE.LIQPRICE(${position},${fut},"short",${lev},${mmr}))`,
    );
    expect(formula("Funding per interval (BTC")).toBe(
      `=HEDGE.FUNDING.PAYMENT(${position},${fut},${rate},"short")`,
    );
    expect(formula("Funding APR")).toBe(`=HEDGE.FUNDING.APR(${rate},${hours})`);
    expect(formula("Basis")).toBe(`=HEDGE.BASIS(${fut},${spot})`);

    // Every number in column B below the inputs is a formula, not a pasted value.
    for (let r = Number(notional.slice(1)); s.value(`A${r}`) !== ""; r++) {
      expect(s.cell(`B${r}`)?.formula, `B${r}`).toMatch(/^=/);
    }
    expect(s.cell(spot)?.fill).toBeTruthy(); // inputs are shaded
    expect(excel.active).toBe(name);
  });

  it("writes the scenario moves as inputs that HEDGE.SCENARIO references, and charts spot_usd vs total_usd", async () => {
    const { sheet: name } = await buildHedgeSheet(input);
    const s = excel.sheet(name);
    const header = cellFor(name, "Move").slice(1); // the row of the "Move" label
    const first = Number(header) + 1;
    const last = first + 10;
    expect(excel.grid(name, `A${first}:A${last}`).flat()).toEqual([
      -0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5,
    ]);
    const [qty, spot, position, fut] = [
      "Spot quantity",
      "Spot price",
      "Position notional",
      "Futures price",
    ].map((l) => cellFor(name, l));
    expect(s.cell(`C${header}`)?.formula).toBe(
      `=HEDGE.SCENARIO(${qty},${spot},${position},${fut},A${first}:A${last},"short")`,
    );
    expect(s.charts).toHaveLength(1);
    const [chart] = s.charts;
    expect(chart.type).toBe("Line");
    // The spill's columns are change, price, spot_usd, hedge_coin, hedge_usd, total_usd, total_coin from C.
    expect(chart.series).toEqual([
      { name: "Unhedged (spot only)", values: `E${first}:E${last}`, xValues: `A${first}:A${last}` },
      { name: "Hedged (spot + short)", values: `H${first}:H${last}`, xValues: `A${first}:A${last}` },
    ]);
    expect(chart.title.text).toMatch(/BTC/);
  });

  it("gives the sheet a name of its own when `Hedge BTC` exists; data in two syncs, the chart in two more", async () => {
    excel.addSheet("hedge btc").set("A1", "older");
    const before = excel.syncs;
    expect(await buildHedgeSheet(input)).toEqual({ sheet: "Hedge BTC (2)" });
    expect(excel.syncs - before).toBe(4);
    expect(excel.sheet("hedge btc").value("A1")).toBe("older");
  });

  it("uses leverage 1 when none is given, so the liquidation cell reads as fully collateralised", async () => {
    const { sheet: name } = await buildHedgeSheet({ ...input, leverage: undefined });
    expect(excel.sheet(name).value(cellFor(name, "Leverage"))).toBe(1);
  });
});

describe("Excel as it really behaves", () => {
  const hedgeInput = { coin: "BTC", exchange: "bybit", symbol: "BTCUSD", quantity: 1, hedgeRatio: 1 };

  it("every batch waits while the person edits a cell, and then writes", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    excel.startCellEdit();
    let done = false;
    const refresh = writeFundingTable([quote("bybit", "BTCUSD", 51_000)]).then((r) => {
      done = true;
      return r;
    });
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(done).toBe(false);
    expect(excel.sheet(SHEET_NAME).value("I2")).toBe(50_000);
    excel.endCellEdit();
    await expect(refresh).resolves.toMatchObject({ updated: 1 });
    expect(excel.sheet(SHEET_NAME).value("I2")).toBe(51_000);
    await buildHedgeSheet(hedgeInput);
    expect(excel.runOptions.length).toBeGreaterThan(3);
    expect(excel.runOptions.every((o) => o?.delayForCellEdit === true)).toBe(true);
  });

  it("the hedge chart is added after the data, with its series set one by one from an empty spill", async () => {
    const { sheet } = await buildHedgeSheet(hedgeInput);
    // The spill the chart plots is empty when the sheet is written (Excel has not calculated yet): the
    // double then makes a chart with no series, as Excel does, and the builder adds both.
    expect(excel.sheet(sheet).charts[0].series.map((s) => s.name)).toEqual([
      "Unhedged (spot only)",
      "Hedged (spot + short)",
    ]);
  });

  it("a chart Excel cannot make is reported, and the sheet is complete without it", async () => {
    excel.failCharts = true;
    const result = await buildHedgeSheet(hedgeInput);
    expect(result).toEqual({
      sheet: "Hedge BTC",
      chartError: "GeneralException: the chart could not be made",
    });
    const s = excel.sheet("Hedge BTC");
    expect(s.charts).toEqual([]);
    expect(String(s.cell("C31")?.formula)).toMatch(/^=HEDGE\.SCENARIO\(/);
    expect(excel.active).toBe("Hedge BTC");
  });

  it("a host below ExcelApi 1.7 gets the sheet without the chart, and is told why", async () => {
    excel.apiVersion = "1.6";
    expect(await buildHedgeSheet(hedgeInput)).toEqual({
      sheet: "Hedge BTC",
      chartError: "this version of Excel cannot add chart series (ExcelApi 1.7)",
    });
    expect(excel.sheet("Hedge BTC").value("A1")).toMatch(/^Hedge BTC/);
  });

  it("a filtered table is unfiltered before the write, and the person is told", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000), quote("okx", "BTC-USD-SWAP", 50_100)]);
    excel.table(TABLE_NAME)!.filtered = true;
    const result = await writeFundingTable([
      quote("bybit", "BTCUSD", 52_000),
      quote("kraken", "PI_XBTUSD", 1),
    ]);
    expect(result.notice).toBe(
      "The filter on the HedgeFundingRates table was cleared so that every row could be updated.",
    );
    expect(excel.table(TABLE_NAME)!.filtered).toBe(false);
    expect(excel.grid(SHEET_NAME, "I2:I4").flat()).toEqual([52_000, 50_100, 1]);
    // Unfiltered: nothing to say.
    expect((await writeFundingTable([quote("bybit", "BTCUSD", 52_100)])).notice).toBeUndefined();
  });

  it("below ExcelApi 1.9 (no AutoFilter) the filter is cleared regardless", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    excel.apiVersion = "1.8";
    excel.table(TABLE_NAME)!.filtered = true;
    await expect(writeFundingTable([quote("bybit", "BTCUSD", 53_000)])).resolves.toMatchObject({
      updated: 1,
    });
    expect(excel.sheet(SHEET_NAME).value("I2")).toBe(53_000);
  });

  it("finds its table whatever the case of its name (Excel's table names are case-insensitive)", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    excel.table(TABLE_NAME)!.name = "HEDGEFUNDINGRATES";
    await writeFundingTable([quote("bybit", "BTCUSD", 54_000)]);
    expect(excel.tables).toHaveLength(1);
    expect(excel.sheet(SHEET_NAME).value("I2")).toBe(54_000);
  });

  it("workbooks on the 1904 date system get their times 1,462 days lower, the same instants", async () => {
    excel.date1904 = true;
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    const sheet = excel.sheet(SHEET_NAME);
    // 2025-01-02 08:00 UTC is 45659.3333 in the 1900 system.
    expect(sheet.value("G2")).toBeCloseTo(45659.3333333 - 1462, 6);
    await writeFundingTable([quote("bybit", "BTCUSD", 50_001)]);
    expect(sheet.value("G2")).toBeCloseTo(45659.3333333 - 1462, 6);
    expect(sheet.value("M2")).toBeCloseTo(45659.3333218 - 1462, 6);
    // ... and tells the custom functions, which share the runtime but cannot ask Excel.
    expect(workbookSerial(Date.UTC(2025, 0, 2, 8))).toBeCloseTo(45659.3333333 - 1462, 6);
  });

  it("a host that cannot tell its date system is read as 1900, and the refresh still writes", async () => {
    excel.apiVersion = "1.15";
    excel.date1904 = true;
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    expect(excel.sheet(SHEET_NAME).value("G2")).toBeCloseTo(45659.3333333, 6);
  });
});

describe("the Excel double is as strict as Excel", () => {
  type Ctx = {
    sync(): Promise<void>;
    workbook: {
      worksheets: {
        add(n: string): unknown;
        getItem(n: string): { getRange(a: string): { values: unknown } };
      };
    };
  };
  const runBatch = (batch: (ctx: Ctx) => Promise<void>) =>
    (excel.global() as { run(b: (c: Ctx) => Promise<void>): Promise<void> }).run(batch);

  it("errors surface at sync(), with the batch's earlier commands done and the later ones dropped", async () => {
    excel.addSheet("S");
    const outcome = runBatch(async (ctx) => {
      const s = ctx.workbook.worksheets.getItem("S");
      s.getRange("A1").values = [[1]];
      ctx.workbook.worksheets.getItem("Missing").getRange("A1").values = [[2]];
      s.getRange("A2").values = [[3]];
      expect(excel.sheet("S").value("A1")).toBe(""); // nothing runs before sync()
      await ctx.sync();
    });
    await expect(outcome).rejects.toThrow(/ItemNotFound/);
    expect(excel.grid("S", "A1:A2")).toEqual([[1], [""]]);
  });

  it("a batch without delayForCellEdit fails while a cell is being edited", async () => {
    excel.startCellEdit();
    await expect(runBatch(async (ctx) => ctx.sync())).rejects.toThrow(/InvalidOperationInCellEditMode/);
  });

  it("refuses a sync over 5 MB, and writes none of it", async () => {
    excel.addSheet("S");
    const big = Array.from({ length: 60_000 }, () => ["x".repeat(90)]);
    const outcome = runBatch(async (ctx) => {
      ctx.workbook.worksheets.getItem("S").getRange("A1:A60000").values = big;
      await ctx.sync();
    });
    await expect(outcome).rejects.toThrow(/RequestPayloadSizeLimitExceeded/);
    expect(excel.sheet("S").value("A1")).toBe("");
  });

  it("keeps table header cells unique text, as Excel renames repeats and blanks", async () => {
    await writeFundingTable([quote("bybit", "BTCUSD", 50_000)]);
    const sheet = excel.sheet(SHEET_NAME);
    await runBatch(async (ctx) => {
      ctx.workbook.worksheets.getItem(SHEET_NAME).getRange("A1:B1").values = [["Mark", ""]];
      await ctx.sync();
    });
    expect([sheet.value("A1"), sheet.value("B1")]).toEqual(["Mark2", "Column2"]);
  });

  it("a refresh of 1,000 rows stays far under the payload limit", async () => {
    await writeFundingTable(many(1000));
    expect(excel.largestPayload).toBeLessThan(1024 * 1024);
  });
});
