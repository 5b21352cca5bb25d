/*
 * An in-memory double of the few Excel JavaScript API objects the task pane uses: worksheets, tables,
 * ranges and charts on a grid of cells. office-addin-mock only replays properties scripted into it, so it
 * cannot show whether a write landed in the right cells, skipped a person's column or shifted neighbours;
 * this double keeps a real grid. Like Office.js, a loaded property is readable only after a context.sync()
 * (reading it earlier throws), and the double counts syncs. Writes land at once, which is equivalent for
 * code that never reads back what it wrote in the same batch.
 */
export type Value = string | number | boolean;

export interface FakeCell {
  value: Value;
  formula?: string;
  numberFormat?: string;
  fill?: string;
  bold?: boolean;
}

interface Bounds {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export function colIndex(letters: string): number {
  return [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}
export function colLetters(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
function parseAddress(address: string): Bounds {
  const [a, b = a] = address.split(":");
  const part = (p: string, end: boolean) => {
    const m = /^([A-Z]+)?(\d+)?$/i.exec(p);
    if (!m) throw new Error(`InvalidArgument: bad address ${address}`);
    return { c: colIndex(m[1]), r: m[2] ? Number(m[2]) - 1 : end ? 1_048_575 : 0 };
  };
  const s = part(a, false);
  const e = part(b, true);
  return { r0: s.r, c0: s.c, r1: e.r, c1: e.c };
}
const addressOf = (b: Bounds) =>
  `${colLetters(b.c0)}${b.r0 + 1}` +
  (b.r0 === b.r1 && b.c0 === b.c1 ? "" : `:${colLetters(b.c1)}${b.r1 + 1}`);

export class FakeSheetState {
  cells = new Map<string, FakeCell>();
  charts: FakeChart[] = [];
  constructor(public name: string) {}
  cell(address: string): FakeCell | undefined {
    const { r0, c0 } = parseAddress(address);
    return this.cells.get(`${r0},${c0}`);
  }
  value(address: string): Value {
    return this.cell(address)?.value ?? "";
  }
  set(address: string, value: Value): void {
    const { r0, c0 } = parseAddress(address);
    this.at(r0, c0).value = value;
  }
  at(r: number, c: number): FakeCell {
    const key = `${r},${c}`;
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = { value: "" }));
    return cell;
  }
}

interface TableState {
  name: string;
  sheet: FakeSheetState;
  top: number;
  left: number;
  width: number;
  rows: number;
}

export class FakeChart {
  title = { text: "" };
  legend = { position: "" };
  position: [string, string] = ["", ""];
  series: { name: string; values: string; xValues: string }[] = [];
  constructor(
    public type: string,
    values: string,
  ) {
    this.series.push({ name: "", values, xValues: "" });
  }
}

/** The whole fake workbook plus the Excel global to install. */
export class FakeExcel {
  sheets: FakeSheetState[] = [];
  tables: TableState[] = [];
  syncs = 0;
  private pending: (() => void)[] = [];
  active = "";

  sheet(name: string): FakeSheetState {
    const s = this.sheets.find((x) => x.name === name);
    if (!s) throw new Error(`no sheet ${name}`);
    return s;
  }
  addSheet(name: string): FakeSheetState {
    if (this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
      throw new Error(`ItemAlreadyExists: ${name}`);
    }
    const s = new FakeSheetState(name);
    this.sheets.push(s);
    return s;
  }
  /** Values of a rectangle of a sheet, for assertions. */
  grid(sheet: string, address: string): Value[][] {
    const b = parseAddress(address);
    const s = this.sheet(sheet);
    const out: Value[][] = [];
    for (let r = b.r0; r <= b.r1; r++) {
      const row: Value[] = [];
      for (let c = b.c0; c <= b.c1; c++) row.push(s.cells.get(`${r},${c}`)?.value ?? "");
      out.push(row);
    }
    return out;
  }
  /** A table's address (header row included), as Excel would report it. */
  tableAddress(name: string): string {
    const t = this.tables.find((x) => x.name === name);
    if (!t) throw new Error(`no table ${name}`);
    return `${t.sheet.name}!${addressOf({ r0: t.top, c0: t.left, r1: t.top + t.rows, c1: t.left + t.width - 1 })}`;
  }

  /** Queues a snapshot taken at the next sync (what load() + sync() does). */
  private onSync(fn: () => void) {
    this.pending.push(fn);
  }

  /** The `Excel` global: run(), and the enums the pane uses. */
  global(): unknown {
    const context = this.context();
    return {
      run: async <T>(batch: (ctx: unknown) => Promise<T>) => batch(context),
      ChartType: { line: "Line" },
      ChartSeriesBy: { columns: "Columns" },
      ChartLegendPosition: { bottom: "Bottom" },
    };
  }

  private context() {
    return {
      sync: async () => {
        this.syncs += 1;
        const work = this.pending;
        this.pending = [];
        work.forEach((fn) => fn());
      },
      workbook: {
        worksheets: this.worksheets(),
        tables: {
          getItemOrNullObject: (name: string) =>
            this.tableProxy(() => this.tables.find((t) => t.name === name)),
        },
      },
    };
  }

  private loadable<T extends object>(
    target: T,
    read: Record<string, () => unknown>,
  ): T & { load(p?: string): T } {
    const snapshot = new Map<string, unknown>();
    for (const key of Object.keys(read)) {
      // Keep a writable property writable (values, name): only reading needs load() + sync().
      const setter = Object.getOwnPropertyDescriptor(target, key)?.set;
      Object.defineProperty(target, key, {
        set: setter,
        get: () => {
          if (!snapshot.has(key))
            throw new Error(`PropertyNotLoaded: ${key} was read before load() and sync()`);
          return snapshot.get(key);
        },
        configurable: true,
      });
    }
    return Object.assign(target, {
      load: (props?: string) => {
        // As in Office.js, any load of an *OrNullObject also fills isNullObject.
        const wanted = props
          ? [...props.split(",").map((p) => p.trim().split("/")[0]), "isNullObject"]
          : Object.keys(read);
        this.onSync(() =>
          wanted.forEach((k) => {
            // Loading a property of a null object is allowed; reading it afterwards is not.
            try {
              if (read[k]) snapshot.set(k, read[k]());
            } catch {
              snapshot.delete(k);
            }
          }),
        );
        return target;
      },
    });
  }

  private worksheets() {
    return this.loadable(
      {
        add: (name: string) => this.sheetProxy(this.addSheet(name)),
        getItem: (name: string) => this.sheetProxy(this.sheet(name)),
      },
      { items: () => this.sheets.map((s) => ({ name: s.name })) },
    );
  }

  private sheetProxy(sheet: FakeSheetState) {
    return this.loadable(
      {
        getRange: (address: string) => this.rangeProxy(sheet, () => parseAddress(address)),
        activate: () => {
          this.active = sheet.name;
        },
        tables: {
          add: (range: { bounds(): Bounds }, hasHeaders: boolean) => {
            if (!hasHeaders) throw new Error("the fake only supports tables with headers");
            const b = range.bounds();
            const overlap = this.tables.find(
              (t) => t.sheet === sheet && !(b.r1 < t.top || b.r0 > t.top + t.rows),
            );
            if (overlap) throw new Error("InvalidOperation: tables overlap");
            const state: TableState = {
              name: `Table${this.tables.length + 1}`,
              sheet,
              top: b.r0,
              left: b.c0,
              width: b.c1 - b.c0 + 1,
              rows: b.r1 - b.r0,
            };
            this.tables.push(state);
            return this.tableProxy(() => state);
          },
        },
        charts: {
          add: (type: string, range: { bounds(): Bounds }) => {
            const chart = new FakeChart(type, addressOf(range.bounds()));
            sheet.charts.push(chart);
            return {
              title: chart.title,
              legend: chart.legend,
              setPosition: (from: string, to: string) => (chart.position = [from, to]),
              series: {
                getItemAt: (i: number) => this.seriesProxy(chart, i),
                add: (name: string) => {
                  chart.series.push({ name, values: "", xValues: "" });
                  return this.seriesProxy(chart, chart.series.length - 1);
                },
              },
            };
          },
        },
      },
      { name: () => sheet.name },
    );
  }

  private seriesProxy(chart: FakeChart, i: number) {
    const s = chart.series[i];
    return {
      set name(v: string) {
        s.name = v;
      },
      setValues: (r: { bounds(): Bounds }) => (s.values = addressOf(r.bounds())),
      setXAxisValues: (r: { bounds(): Bounds }) => (s.xValues = addressOf(r.bounds())),
    };
  }

  private tableProxy(find: () => TableState | undefined) {
    const must = () => {
      const t = find();
      if (!t) throw new Error("ItemNotFound: the table does not exist");
      return t;
    };
    const proxy = this.loadable(
      {
        set name(v: string) {
          must().name = v;
        },
        getHeaderRowRange: () =>
          this.rangeProxy(must().sheet, () => {
            const t = must();
            return { r0: t.top, c0: t.left, r1: t.top, c1: t.left + t.width - 1 };
          }),
        getDataBodyRange: () =>
          this.rangeProxy(must().sheet, () => {
            const t = must();
            return { r0: t.top + 1, c0: t.left, r1: t.top + t.rows, c1: t.left + t.width - 1 };
          }),
        rows: {
          add: (index: number | undefined | null, values: Value[][]) => {
            if (index !== undefined && index !== null && index !== -1)
              throw new Error("the fake appends only");
            const t = must();
            const bottom = t.top + t.rows;
            // Excel inserts table rows: the cells below, in the table's columns only, move down.
            const moved: [string, FakeCell][] = [];
            for (const [key, cell] of t.sheet.cells) {
              const [r, c] = key.split(",").map(Number);
              if (r > bottom && c >= t.left && c < t.left + t.width) moved.push([key, cell]);
            }
            moved.forEach(([key]) => t.sheet.cells.delete(key));
            for (const [key, cell] of moved) {
              const [r, c] = key.split(",").map(Number);
              t.sheet.cells.set(`${r + values.length},${c}`, cell);
            }
            values.forEach((row, i) => {
              if (row.length !== t.width)
                throw new Error("InvalidArgument: row width differs from the table's");
              row.forEach((v, j) => {
                const cell = t.sheet.at(bottom + 1 + i, t.left + j);
                cell.value = v;
                delete cell.formula;
              });
            });
            t.rows += values.length;
          },
        },
      },
      { isNullObject: () => find() === undefined, name: () => must().name },
    );
    // Office.js caches navigation properties: table.worksheet is the same object every time.
    let worksheet: ReturnType<FakeExcel["sheetProxy"]> | undefined;
    Object.defineProperty(proxy, "worksheet", { get: () => (worksheet ??= this.sheetProxy(must().sheet)) });
    return proxy;
  }

  private rangeProxy(sheet: FakeSheetState, bounds: () => Bounds) {
    const each = (data: unknown, apply: (cell: FakeCell, v: unknown) => void) => {
      const b = bounds();
      const rows = b.r1 - b.r0 + 1;
      const cols = b.c1 - b.c0 + 1;
      const grid = data as unknown[][];
      if (!Array.isArray(grid) || grid.length !== rows || grid.some((r) => r.length !== cols)) {
        throw new Error(`InvalidArgument: ${rows}x${cols} range given a different shape`);
      }
      grid.forEach((row, i) =>
        row.forEach((v, j) => {
          if (v !== null) apply(sheet.at(b.r0 + i, b.c0 + j), v);
        }),
      );
    };
    const font = {
      set bold(v: boolean) {
        cellsOf().forEach((c) => (c.bold = v));
      },
      size: 11,
    };
    const cellsOf = () => {
      const b = bounds();
      const out: FakeCell[] = [];
      for (let r = b.r0; r <= Math.min(b.r1, 2000); r++)
        for (let c = b.c0; c <= b.c1; c++) out.push(sheet.at(r, c));
      return out;
    };
    const range = this.loadable(
      {
        bounds,
        set values(v: unknown) {
          each(v, (cell, x) => {
            cell.value = x as Value;
            delete cell.formula;
          });
        },
        set formulas(v: unknown) {
          each(v, (cell, x) => {
            const f = String(x);
            if (f.startsWith("=")) cell.formula = f;
            else cell.value = x as Value;
          });
        },
        set numberFormat(v: unknown) {
          each(v, (cell, x) => (cell.numberFormat = String(x)));
        },
        getResizedRange: (dr: number, dc: number) => {
          return this.rangeProxy(sheet, () => {
            const b = bounds();
            return { ...b, r1: b.r1 + dr, c1: b.c1 + dc };
          });
        },
        format: {
          autofitColumns: () => undefined,
          columnWidth: 0,
          fill: {
            set color(v: string) {
              cellsOf().forEach((c) => (c.fill = v));
            },
          },
          font,
        },
      },
      {
        values: () => {
          const b = bounds();
          const out: Value[][] = [];
          for (let r = b.r0; r <= b.r1; r++) {
            const row: Value[] = [];
            for (let c = b.c0; c <= b.c1; c++) row.push(sheet.cells.get(`${r},${c}`)?.value ?? "");
            out.push(row);
          }
          return out;
        },
        address: () => `${sheet.name}!${addressOf(bounds())}`,
      },
    );
    return range;
  }
}
