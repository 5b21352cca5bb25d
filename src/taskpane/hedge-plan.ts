/*
 * The layout of a `Hedge <COIN>` sheet as data: which cell holds which label, input or formula. The
 * workbook module writes it; tests read it back from the written sheet.
 */

/** What the builder form collects. */
export interface HedgeSheetInput {
  coin: string;
  exchange: string;
  symbol: string;
  /** Spot coins held. */
  quantity: number;
  /** Fraction, 0.5 = 50 %. */
  hedgeRatio: number;
  /** Omitted means 1x: the fully collateralised short. */
  leverage?: number;
  /** Fraction; the catalog's default when omitted. */
  maintMarginRate?: number;
}

/** One cell the builder writes: a label, an input (constant or overwritable live formula), or a formula. */
export interface PlannedCell {
  address: string;
  value?: string | number;
  formula?: string;
  numberFormat?: string;
  role: "title" | "heading" | "label" | "input" | "output" | "note";
}

export interface PlannedChart {
  title: string;
  /** Top-left and bottom-right cells the chart covers. */
  from: string;
  to: string;
  /** x-axis values (the price moves). */
  categories: string;
  series: { name: string; values: string }[];
}

export interface HedgeSheetPlan {
  cells: PlannedCell[];
  /** Where HEDGE.SCENARIO spills: header row and one row per move (for pre-formatting the area). */
  scenarioArea: string;
  chart: PlannedChart;
}

/** The scenario's price moves: -50 % to +50 % in steps of 10 %. */
export const SCENARIO_MOVES = [-0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5];

/** Rows and columns of an A1 range such as `C31:C41` (one cell for `B7`). */
export function addressShape(address: string): [number, number] {
  const [a, b = a] = address.split(":").map((p) => {
    const m = /^([A-Z]+)(\d+)$/.exec(p);
    if (!m) throw new Error(`not an A1 address: ${address}`);
    const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    return { row: Number(m[2]), col };
  });
  return [b.row - a.row + 1, b.col - a.col + 1];
}

const PRICE = "#,##0.00";
const COIN = "0.00000000";
const q = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** Every cell, format and the chart of a hedge sheet; all derived numbers are formulas. */
export function hedgeSheetPlan(input: HedgeSheetInput): HedgeSheetPlan {
  const cells: PlannedCell[] = [];
  const rowOf: Record<string, string> = {};
  let row = 0;
  const put = (cell: PlannedCell) => cells.push(cell);
  const line = (
    key: string,
    label: string,
    content: { value?: string | number; formula?: string },
    role: "input" | "output",
    numberFormat?: string,
  ) => {
    row += 1;
    rowOf[key] = `B${row}`;
    put({ address: `A${row}`, value: label, role: "label" });
    put({ address: `B${row}`, ...content, numberFormat, role });
  };
  const heading = (text: string) => {
    row += 2;
    put({ address: `A${row}`, value: text, role: "heading" });
  };

  row = 1;
  put({
    address: "A1",
    value: `Hedge ${input.coin}: short ${input.exchange} ${input.symbol} against spot`,
    role: "title",
  });
  row += 1;
  put({
    address: `A${row}`,
    value: "Shaded cells are inputs: type a number over any of them (live prices included).",
    role: "note",
  });

  heading("Inputs");
  line("exchange", "Exchange", { value: input.exchange }, "input");
  line("symbol", "Contract", { value: input.symbol }, "input");
  const ex = rowOf.exchange;
  const sym = rowOf.symbol;
  const market = (field: string) => `=HEDGE.MARKET(${ex},${sym},${q(field)})`;
  line("quantity", `Spot quantity (${input.coin})`, { value: input.quantity }, "input");
  line("spot", "Spot price (USD)", { formula: market("index_price") }, "input", PRICE);
  line("ratio", "Hedge ratio", { value: input.hedgeRatio }, "input", "0%");
  line("futures", "Futures price (USD)", { formula: market("mark_price") }, "input", PRICE);
  line("size", "Contract size (USD)", { formula: `=HEDGE.CONTRACT.SIZE(${ex},${sym})` }, "input", PRICE);
  line("leverage", "Leverage", { value: input.leverage ?? 1 }, "input", "0.00");
  line("mmr", "Maintenance margin rate", { value: input.maintMarginRate ?? 0.005 }, "input", "0.00%");
  line(
    "funding",
    "Funding rate (per interval)",
    { formula: `=HEDGE.FUNDING.RATE(${ex},${sym})` },
    "input",
    "0.0000%",
  );
  line("interval", "Funding interval (h)", { formula: market("funding_interval_hours") }, "input", "General");

  const r = rowOf;
  heading("Hedge");
  // An inverse short of N USD at futures price F moves like N / F coins, so hedging q coins takes
  // q x F, not q x spot: valued at spot, the hedged total drifts with the basis across the scenario.
  line(
    "notional",
    "Notional to hedge (USD)",
    { formula: `=HEDGE.NOTIONAL(${r.quantity},${r.futures},${r.ratio})` },
    "output",
    PRICE,
  );
  line(
    "coinSize",
    `Hedge size (${input.coin})`,
    { formula: `=HEDGE.SIZE(${r.notional},${r.futures})` },
    "output",
    COIN,
  );
  line(
    "contracts",
    "Contracts to short",
    { formula: `=HEDGE.CONTRACTS(${r.notional},${r.size})` },
    "output",
    "#,##0",
  );
  line("position", "Position notional (USD)", { formula: `=${r.contracts}*${r.size}` }, "output", PRICE);
  line(
    "margin",
    `Initial margin (${input.coin})`,
    { formula: `=HEDGE.INVERSE.MARGIN(${r.position},${r.futures},${r.leverage})` },
    "output",
    COIN,
  );
  // A short at leverage <= 1 is fully collateralised and cannot be liquidated; LIQPRICE is then #N/A by
  // design. Testing the leverage (not IFERROR) keeps real errors, such as a missing price, visible.
  line(
    "liq",
    "Liquidation price (USD)",
    {
      formula:
        `=IF(${r.leverage}<=1,"none (fully collateralised)",` +
        `HEDGE.INVERSE.LIQPRICE(${r.position},${r.futures},"short",${r.leverage},${r.mmr}))`,
    },
    "output",
    PRICE,
  );
  line(
    "fundingCoin",
    `Funding per interval (${input.coin}, + = received)`,
    { formula: `=HEDGE.FUNDING.PAYMENT(${r.position},${r.futures},${r.funding},"short")` },
    "output",
    COIN,
  );
  line(
    "fundingUsd",
    "Funding per interval (USD)",
    { formula: `=${r.fundingCoin}*${r.futures}` },
    "output",
    PRICE,
  );
  line(
    "apr",
    "Funding APR",
    { formula: `=HEDGE.FUNDING.APR(${r.funding},${r.interval})` },
    "output",
    "0.00%",
  );
  line(
    "fundingYear",
    "Funding per year at this rate (USD)",
    { formula: `=${r.fundingUsd}*8760/${r.interval}` },
    "output",
    PRICE,
  );
  line(
    "basis",
    "Basis (futures / spot - 1)",
    { formula: `=HEDGE.BASIS(${r.futures},${r.spot})` },
    "output",
    "0.00%",
  );

  heading("Scenario: price moves");
  const header = row + 1;
  const first = header + 1;
  const last = first + SCENARIO_MOVES.length - 1;
  put({ address: `A${header}`, value: "Move (input)", role: "label" });
  SCENARIO_MOVES.forEach((move, i) => {
    put({ address: `A${first + i}`, value: move, numberFormat: "0%", role: "input" });
  });
  // The spill's columns: change, price, spot_usd, hedge_coin, hedge_usd, total_usd, total_coin (C..I).
  put({
    address: `C${header}`,
    formula: `=HEDGE.SCENARIO(${r.quantity},${r.spot},${r.position},${r.futures},A${first}:A${last},"short")`,
    role: "output",
  });
  const spillFormats: [string, string][] = [
    ["C", "0%"],
    ["D", PRICE],
    ["E", PRICE],
    ["F", COIN],
    ["G", PRICE],
    ["H", PRICE],
    ["I", COIN],
  ];
  for (const [col, format] of spillFormats) {
    put({ address: `${col}${first}:${col}${last}`, numberFormat: format, role: "output" });
  }

  return {
    cells,
    scenarioArea: `C${header}:I${last}`,
    chart: {
      title: `${input.coin} holding value across price moves (USD)`,
      from: `K${header - 1}`,
      to: `R${last + 8}`,
      categories: `A${first}:A${last}`,
      series: [
        { name: "Unhedged (spot only)", values: `E${first}:E${last}` },
        { name: "Hedged (spot + short)", values: `H${first}:H${last}` },
      ],
    },
  };
}
