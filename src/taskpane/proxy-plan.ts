/*
 * The layouts of the proxy-hedge and portfolio sheets as data (like hedge-plan.ts): labels, inputs and formulas.
 * Every number is a formula of the catalog or of Excel; prices and histories are live formulas a person may
 * overwrite. The proxy sheet pairs the two histories BY DATE (VLOOKUP on the hedge history's dates), so a day
 * one venue lacks drops that day from both series instead of shifting every later pair.
 */
import type { PlannedCell, PlannedChart } from "./hedge-plan";

export interface ProxySheetInput {
  /** The coin held, e.g. SOL. */
  coin: string;
  quantity: number;
  /** Where the coin's price history comes from: a venue listing an inverse perpetual of it. */
  coinExchange: string;
  coinSymbol: string;
  /** The BTC or ETH contract shorted as the hedge. */
  hedgeExchange: string;
  hedgeSymbol: string;
  hedgeCoin: string;
  /** Days of daily history, 1 to 365. */
  days: number;
  price?: "mark" | "index" | "last";
}

export interface ProxySheetPlan {
  cells: PlannedCell[];
  chart: PlannedChart;
  /** The aligned columns HEDGE.RATIO reads: coin closes and hedge closes on the same dates. */
  coinCloses: string;
  hedgeCloses: string;
  /** Where the two histories spill. */
  coinHistory: string;
  hedgeHistory: string;
}

/** Rows reserved for a history: 365 days back plus the current day. */
export const HISTORY_ROWS = 366;

const PRICE = "#,##0.00##";
const DATE = "yyyy-mm-dd";
const q = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** A sheet of labelled lines in columns A (label) and B (value), built top to bottom. */
class Lines {
  readonly cells: PlannedCell[] = [];
  readonly at: Record<string, string> = {};
  row = 1;

  put(cell: PlannedCell): void {
    this.cells.push(cell);
  }
  line(
    key: string,
    label: string,
    content: { value?: string | number; formula?: string },
    role: "input" | "output",
    numberFormat?: string,
  ): string {
    this.row += 1;
    this.at[key] = `B${this.row}`;
    this.put({ address: `A${this.row}`, value: label, role: "label" });
    this.put({ address: `B${this.row}`, ...content, numberFormat, role });
    return this.at[key];
  }
  heading(text: string): void {
    this.row += 2;
    this.put({ address: `A${this.row}`, value: text, role: "heading" });
  }
}

/** Every cell and the chart of a `Proxy <COIN>` sheet. */
export function proxySheetPlan(input: ProxySheetInput): ProxySheetPlan {
  const s = new Lines();
  s.put({
    address: "A1",
    value: `Proxy hedge: ${input.coin} held, short ${input.hedgeExchange} ${input.hedgeSymbol}`,
    role: "title",
  });
  s.row = 2;
  s.put({
    address: "A2",
    value: "Shaded cells are inputs. The ratio comes from the two daily histories below, paired by date.",
    role: "note",
  });
  s.heading("Inputs");
  const quantity = s.line("quantity", `Quantity held (${input.coin})`, { value: input.quantity }, "input");
  const coinEx = s.line("coinEx", `${input.coin} price venue`, { value: input.coinExchange }, "input");
  const coinSym = s.line(
    "coinSym",
    `${input.coin} contract (price source)`,
    { value: input.coinSymbol },
    "input",
  );
  const hedgeEx = s.line("hedgeEx", "Hedge venue", { value: input.hedgeExchange }, "input");
  const hedgeSym = s.line("hedgeSym", "Hedge contract", { value: input.hedgeSymbol }, "input");
  const days = s.line("days", "Days of history", { value: input.days }, "input", "0");
  const kind = s.line("price", "Price (mark, index or last)", { value: input.price ?? "mark" }, "input");
  const coinPrice = s.line(
    "coinPrice",
    `${input.coin} price (USD)`,
    { formula: `=HEDGE.MARKET(${coinEx},${coinSym},"index_price")` },
    "input",
    PRICE,
  );
  const futures = s.line(
    "futures",
    `Hedge futures price (USD)`,
    { formula: `=HEDGE.MARKET(${hedgeEx},${hedgeSym},"mark_price")` },
    "input",
    PRICE,
  );
  const size = s.line(
    "size",
    "Contract size (USD)",
    { formula: `=HEDGE.CONTRACT.SIZE(${hedgeEx},${hedgeSym})` },
    "input",
    PRICE,
  );

  // The history block's rows are fixed here so the hedge lines above can refer to them.
  const summaryRows = 10;
  const headRow = s.row + 2 + summaryRows + 3;
  const first = headRow + 1;
  const last = first + HISTORY_ROWS - 1;
  const coinCloses = `B${first}:B${last}`;
  const hedgeCloses = `C${first}:C${last}`;

  s.heading("Proxy hedge");
  const ratio = s.line(
    "ratio",
    "Hedge ratio (minimum variance)",
    { formula: `=HEDGE.RATIO(${coinCloses},${hedgeCloses})` },
    "output",
    "0.0000",
  );
  s.line(
    "effectiveness",
    "Hedge effectiveness (variance removed)",
    { formula: `=HEDGE.EFFECTIVENESS(${coinCloses},${hedgeCloses})` },
    "output",
    "0.00%",
  );
  s.line("pairs", "Days paired (same date on both)", { formula: `=COUNT(${hedgeCloses})` }, "output", "0");
  const value = s.line(
    "value",
    "Holding value (USD)",
    { formula: `=${quantity}*${coinPrice}` },
    "output",
    PRICE,
  );
  const notional = s.line(
    "notional",
    "Hedge notional (USD) = ratio x holding value",
    { formula: `=HEDGE.NOTIONAL(${quantity},${coinPrice},${ratio})` },
    "output",
    PRICE,
  );
  const contracts = s.line(
    "contracts",
    "Contracts to short",
    { formula: `=HEDGE.CONTRACTS(${notional},${size})` },
    "output",
    "#,##0",
  );
  const position = s.line(
    "position",
    "Position notional (USD)",
    { formula: `=${contracts}*${size}` },
    "output",
    PRICE,
  );
  s.line(
    "hedgeSize",
    `Hedge size (${input.hedgeCoin})`,
    { formula: `=HEDGE.SIZE(${position},${futures})` },
    "output",
    "0.00000000",
  );
  s.line("share", "Hedge notional / holding value", { formula: `=${notional}/${value}` }, "output", "0.00%");

  s.put({ address: `A${headRow - 1}`, value: "Daily closes, paired by date", role: "heading" });
  const labels: [string, string][] = [
    ["A", "Date (UTC)"],
    ["B", `${input.coin} close`],
    ["C", `${input.hedgeSymbol} close, same date`],
    ["E", "Hedge date"],
    ["F", "Hedge close"],
    ["H", `${input.coin} (first = 100)`],
    ["I", `${input.hedgeSymbol} (first = 100)`],
  ];
  for (const [col, text] of labels) s.put({ address: `${col}${headRow}`, value: text, role: "label" });
  s.put({
    address: `A${first}`,
    formula: `=HEDGE.PRICE.HISTORY(${coinEx},${coinSym},${days},${kind},FALSE)`,
    role: "output",
  });
  s.put({
    address: `E${first}`,
    formula: `=HEDGE.PRICE.HISTORY(${hedgeEx},${hedgeSym},${days},${kind},FALSE)`,
    role: "output",
  });
  const hedgeTable = `$E$${first}:$F$${last}`;
  for (let r = first; r <= last; r++) {
    // A date the hedge venue lacks is blank here, so HEDGE.RATIO drops that pair; nothing shifts.
    s.put({
      address: `C${r}`,
      formula: `=IF(ISNUMBER(A${r}),IFERROR(VLOOKUP(A${r},${hedgeTable},2,FALSE),""),"")`,
      role: "output",
    });
    // #N/A, not "", where there is no value: Excel's line charts leave a gap for #N/A but draw "" as 0.
    s.put({ address: `H${r}`, formula: `=IF(ISNUMBER(B${r}),100*B${r}/$B$${first},NA())`, role: "output" });
    s.put({ address: `I${r}`, formula: `=IF(ISNUMBER(C${r}),100*C${r}/$F$${first},NA())`, role: "output" });
  }
  for (const [col, format] of [
    ["A", DATE],
    ["E", DATE],
    ["B", PRICE],
    ["C", PRICE],
    ["F", PRICE],
    ["H", "0.0"],
    ["I", "0.0"],
  ] as const) {
    s.put({ address: `${col}${first}:${col}${last}`, numberFormat: format, role: "output" });
  }
  const shown = first + Math.min(input.days, HISTORY_ROWS - 1);
  return {
    cells: s.cells,
    coinCloses,
    hedgeCloses,
    coinHistory: `A${first}:B${last}`,
    hedgeHistory: `E${first}:F${last}`,
    chart: {
      title: `${input.coin} against ${input.hedgeSymbol}, first day = 100`,
      from: `K${headRow - 1}`,
      to: `S${headRow + 20}`,
      categories: `A${first}:A${shown}`,
      series: [
        { name: input.coin, values: `H${first}:H${shown}` },
        { name: input.hedgeSymbol, values: `I${first}:I${shown}` },
      ],
    },
  };
}

/** One holding of the portfolio sheet. */
export interface Holding {
  coin: string;
  quantity: number;
  /** "direct": the coin's own inverse contract; "proxy": another coin's contract at `hedgeRatio`. */
  hedge: "direct" | "proxy";
  hedgeRatio: number;
  exchange: string;
  symbol: string;
  /** Where the held coin's price comes from (a proxy holding has no contract of its own on the hedge venue). */
  priceExchange: string;
  priceSymbol: string;
  leverage?: number;
}

export interface PortfolioPlan {
  cells: PlannedCell[];
  /** The header row, the rows of holdings, and the totals row (column letter -> address). */
  headerRow: number;
  rows: number[];
  totals: Record<string, string>;
  /** Rows the totals add up: the holdings and room for the person's own below them. */
  sumRows: string;
}

/** The portfolio sheet's columns, left to right. */
export const PORTFOLIO_COLUMNS = [
  ["A", "Coin"],
  ["B", "Quantity"],
  ["C", "Hedge (direct or proxy)"],
  ["D", "Hedge ratio"],
  ["E", "Venue"],
  ["F", "Contract"],
  ["G", "Coin price (USD)"],
  ["H", "Futures price (USD)"],
  ["I", "Contract size (USD)"],
  ["J", "Leverage"],
  ["K", "Notional (USD)"],
  ["L", "Contracts"],
  ["M", "Position (USD)"],
  ["N", "Margin (coin)"],
  ["O", "Margin (USD)"],
  ["P", "Funding rate"],
  ["Q", "Interval (h)"],
  ["R", "Funding per year (USD)"],
] as const;

/** Columns with a total: USD amounts only (coin amounts of different coins do not add up). */
const TOTALLED = ["K", "M", "O", "R"] as const;
/** The last row the totals include, so rows a person adds below are counted. */
export const PORTFOLIO_LAST_ROW = 200;

/** Every cell of a `Portfolio` sheet: one row per holding, each number a formula, totals above the rows. */
export function portfolioPlan(holdings: readonly Holding[]): PortfolioPlan {
  const cells: PlannedCell[] = [];
  const put = (cell: PlannedCell) => cells.push(cell);
  const headerRow = 7;
  const first = headerRow + 1;
  put({ address: "A1", value: "Portfolio hedge", role: "title" });
  put({
    address: "A2",
    value:
      "One row per holding; shaded cells are inputs. Add a holding by copying a row below the last one " +
      `(the totals count rows ${first} to ${PORTFOLIO_LAST_ROW}). ` +
      'A "proxy" row hedges with another coin\'s contract at its hedge ratio (see a Proxy sheet).',
    role: "note",
  });
  const sumRows = (col: string) => `${col}${first}:${col}${PORTFOLIO_LAST_ROW}`;
  put({ address: "A4", value: "Totals", role: "heading" });
  const totals: Record<string, string> = {};
  for (const col of TOTALLED) {
    const label = PORTFOLIO_COLUMNS.find(([c]) => c === col)![1];
    put({ address: `${col}4`, value: label, role: "label" });
    totals[col] = `${col}5`;
    put({ address: `${col}5`, formula: `=SUM(${sumRows(col)})`, numberFormat: "#,##0.00", role: "output" });
  }
  for (const [col, label] of PORTFOLIO_COLUMNS)
    put({ address: `${col}${headerRow}`, value: label, role: "label" });

  const rows = holdings.map((h, i) => {
    const r = first + i;
    const c = (col: string) => `${col}${r}`;
    const input = (col: string, value: string | number, numberFormat?: string) =>
      put({ address: c(col), value, numberFormat, role: "input" });
    const live = (col: string, formula: string, numberFormat?: string) =>
      put({ address: c(col), formula, numberFormat, role: "input" });
    const out = (col: string, formula: string, numberFormat?: string) =>
      put({ address: c(col), formula, numberFormat, role: "output" });
    input("A", h.coin);
    input("B", h.quantity);
    input("C", h.hedge);
    input("D", h.hedgeRatio, "0.00%");
    input("E", h.exchange);
    input("F", h.symbol);
    live("G", `=HEDGE.MARKET(${q(h.priceExchange)},${q(h.priceSymbol)},"index_price")`, PRICE);
    live("H", `=HEDGE.MARKET(${c("E")},${c("F")},"mark_price")`, PRICE);
    live("I", `=HEDGE.CONTRACT.SIZE(${c("E")},${c("F")})`, PRICE);
    input("J", h.leverage ?? 1, "0.00");
    // A direct hedge of q coins is q x the futures price (it moves like q coins); a proxy hedges the USD value.
    out(
      "K",
      `=IF(${c("C")}="proxy",HEDGE.NOTIONAL(${c("B")},${c("G")},${c("D")}),HEDGE.NOTIONAL(${c("B")},${c("H")},${c("D")}))`,
      PRICE,
    );
    out("L", `=HEDGE.CONTRACTS(${c("K")},${c("I")})`, "#,##0");
    out("M", `=${c("L")}*${c("I")}`, PRICE);
    out("N", `=HEDGE.INVERSE.MARGIN(${c("M")},${c("H")},${c("J")})`, "0.00000000");
    out("O", `=${c("N")}*${c("H")}`, PRICE);
    live("P", `=HEDGE.FUNDING.RATE(${c("E")},${c("F")})`, "0.0000%");
    live("Q", `=HEDGE.MARKET(${c("E")},${c("F")},"funding_interval_hours")`, "General");
    out("R", `=HEDGE.FUNDING.PAYMENT(${c("M")},${c("H")},${c("P")},"short")*${c("H")}*8760/${c("Q")}`, PRICE);
    return r;
  });
  return { cells, headerRow, rows, totals, sumRows: `${first}:${PORTFOLIO_LAST_ROW}` };
}
