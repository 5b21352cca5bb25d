/*
 * An in-memory double of the Excel JavaScript API objects the task pane uses: worksheets, tables, ranges and
 * charts on a grid of cells. office-addin-mock only replays properties scripted into it, so it cannot show
 * whether a write landed in the right cells, skipped a person's column or shifted neighbours; this double
 * keeps a real grid, and is at least as strict as Excel where the pane could go wrong (Microsoft's "Excel
 * JavaScript API" docs: core concepts, RunOptions, resource limits, tables):
 *
 * - Commands are queued and run at context.sync(), in order. A failing command rejects that sync(); the
 *   commands before it in the batch stay done and the ones after it are dropped, as in Excel.
 * - A loaded property is readable only after a sync() (reading it earlier throws PropertyNotLoaded).
 * - While the person edits a cell, a batch run without `delayForCellEdit` fails; with it, it waits.
 * - One sync may carry at most 5 MB of request payload (Excel on the web's limit); more is rejected whole.
 * - Table names are unique and case-insensitive; header cells are unique text (Excel renames duplicates
 *   and blanks, e.g. `Status2`, `Column1`); writing into a filtered table is refused (in Excel it misplaces
 *   rows: office-js #224).
 * - A chart gets a series only for source columns holding values; asking for a series that does not exist
 *   fails the batch (ItemNotFound).
 * - Requirement sets: `Office.context.requirements.isSetSupported("ExcelApi", v)` up to `apiVersion`;
 *   APIs of a newer set fail.
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

/** Excel's request payload limit (Excel on the web), in bytes. */
export const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/** An error as Office.js reports it: a code and a message. */
export class FakeExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "RichApi.Error";
  }
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
    if (!m) throw new FakeExcelError("InvalidArgument", `bad address ${address}`);
    return { c: colIndex(m[1]), r: m[2] ? Number(m[2]) - 1 : end ? 1_048_575 : 0 };
  };
  const s = part(a, false);
  const e = part(b, true);
  return { r0: s.r, c0: s.c, r1: e.r, c1: e.c };
}
const addressOf = (b: Bounds) =>
  `${colLetters(b.c0)}${b.r0 + 1}` +
  (b.r0 === b.r1 && b.c0 === b.c1 ? "" : `:${colLetters(b.c1)}${b.r1 + 1}`);
const versionAtLeast = (have: string, want: string) => {
  const [a, b] = have.split(".").map(Number);
  const [c, d] = want.split(".").map(Number);
  return a > c || (a === c && b >= d);
};

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
  /** True when the cell holds a value or a formula. */
  filled(r: number, c: number): boolean {
    const cell = this.cells.get(`${r},${c}`);
    return cell !== undefined && (cell.formula !== undefined || cell.value !== "");
  }
}

export interface TableState {
  name: string;
  sheet: FakeSheetState;
  top: number;
  left: number;
  width: number;
  rows: number;
  /** The person applied a filter (some rows hidden by it). */
  filtered: boolean;
}

export class FakeChart {
  title = { text: "" };
  legend = { position: "" };
  position: [string, string] = ["", ""];
  series: { name: string; values: string; xValues: string }[] = [];
  constructor(public type: string) {}
}

type Proxy = Record<string, unknown>;

/** The whole fake workbook plus the Excel (and Office) globals to install. */
export class FakeExcel {
  sheets: FakeSheetState[] = [];
  tables: TableState[] = [];
  syncs = 0;
  active = "";
  /** The newest ExcelApi requirement set this host supports. */
  apiVersion = "1.17";
  /** The workbook's date system. */
  date1904 = false;
  /** Every Excel.run's options, in order. */
  runOptions: (Record<string, unknown> | undefined)[] = [];
  /** Payload bytes of the largest sync so far. */
  largestPayload = 0;
  /** The next sync fails with this error (once): Excel refusing something the double cannot foresee. */
  failNextSync?: FakeExcelError;
  /** How many times the document settings were saved. */
  settingsSaves = 0;
  /** Makes the next charts.add fail at sync (a chart Excel cannot make). */
  failCharts = false;
  private editing = false;
  private editEnded: (() => void)[] = [];

  sheet(name: string): FakeSheetState {
    const s = this.sheets.find((x) => x.name === name);
    if (!s) throw new Error(`no sheet ${name}`);
    return s;
  }
  addSheet(name: string): FakeSheetState {
    if (this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
      throw new FakeExcelError("ItemAlreadyExists", `a sheet named ${name} exists`);
    }
    const s = new FakeSheetState(name);
    this.sheets.push(s);
    return s;
  }
  table(name: string): TableState | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
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
    const t = this.table(name);
    if (!t) throw new Error(`no table ${name}`);
    return `${t.sheet.name}!${addressOf({ r0: t.top, c0: t.left, r1: t.top + t.rows, c1: t.left + t.width - 1 })}`;
  }
  /** The person starts typing in a cell: batches without delayForCellEdit fail until endCellEdit(). */
  startCellEdit(): void {
    this.editing = true;
  }
  endCellEdit(): void {
    this.editing = false;
    this.editEnded.splice(0).forEach((resume) => resume());
  }

  /** The `Excel` global: run(), and the enums the pane uses. */
  global(): unknown {
    return {
      run: async <T>(
        optionsOrBatch: Record<string, unknown> | ((ctx: unknown) => Promise<T>),
        maybeBatch?: (ctx: unknown) => Promise<T>,
      ) => {
        const options = typeof optionsOrBatch === "function" ? undefined : optionsOrBatch;
        const batch = typeof optionsOrBatch === "function" ? optionsOrBatch : maybeBatch!;
        this.runOptions.push(options);
        return batch(this.context(options?.delayForCellEdit === true));
      },
      ChartType: { line: "Line" },
      ChartSeriesBy: { columns: "Columns" },
      ChartLegendPosition: { bottom: "Bottom" },
    };
  }

  /** An `Office` global reporting Excel, with requirement sets up to `apiVersion` and in-memory settings. */
  office(settings: Record<string, unknown> = {}): unknown {
    return {
      HostType: { Excel: "Excel" },
      AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
      onReady: async () => ({ host: "Excel", platform: "PC" }),
      context: {
        requirements: {
          isSetSupported: (name: string, version?: string) =>
            name === "ExcelApi" && versionAtLeast(this.apiVersion, version ?? "1.1"),
        },
        document: {
          settings: {
            get: (key: string) => settings[key] ?? null,
            set: (key: string, value: unknown) => (settings[key] = value),
            saveAsync: (callback: (r: { status: string }) => void) => {
              this.settingsSaves += 1;
              callback({ status: "succeeded" });
            },
          },
        },
      },
    };
  }

  private context(delayForCellEdit: boolean) {
    let queue: { run: () => void; bytes: number }[] = [];
    const ctx = {
      enqueue: (run: () => void, payload?: unknown) => {
        queue.push({ run, bytes: payload === undefined ? 64 : JSON.stringify(payload).length });
      },
      sync: async () => {
        if (this.editing) {
          if (!delayForCellEdit) {
            queue = [];
            throw new FakeExcelError(
              "InvalidOperationInCellEditMode",
              "Excel is in cell-editing mode; exit it and try again",
            );
          }
          await new Promise<void>((resume) => this.editEnded.push(resume));
        }
        this.syncs += 1;
        const work = queue;
        queue = [];
        const bytes = work.reduce((n, w) => n + w.bytes, 0);
        this.largestPayload = Math.max(this.largestPayload, bytes);
        if (bytes > PAYLOAD_LIMIT_BYTES) {
          throw new FakeExcelError("RequestPayloadSizeLimitExceeded", `the request is ${bytes} bytes`);
        }
        for (const w of work) w.run();
        if (this.failNextSync) {
          const error = this.failNextSync;
          this.failNextSync = undefined;
          throw error;
        }
      },
    };
    const workbook = this.loadable(
      ctx,
      {
        worksheets: this.worksheets(ctx),
        tables: {
          getItemOrNullObject: (name: string) => this.tableProxy(ctx, () => this.table(name)),
        },
      },
      {
        use1904DateSystem: () => {
          this.requireSet("1.16", "use1904DateSystem");
          return this.date1904;
        },
      },
    );
    return { sync: ctx.sync, workbook };
  }

  private requireSet(version: string, what: string): void {
    if (!versionAtLeast(this.apiVersion, version))
      throw new FakeExcelError("ApiNotFound", `${what} needs ExcelApi ${version}`);
  }

  private loadable<T extends object>(
    ctx: Ctx,
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
            throw new FakeExcelError("PropertyNotLoaded", `${key} was read before load() and sync()`);
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
          : Object.keys(read).filter((k) => k !== "use1904DateSystem");
        ctx.enqueue(() => {
          for (const k of wanted) {
            if (!read[k]) continue;
            try {
              snapshot.set(k, read[k]());
            } catch (err) {
              // Loading a property of a null object is allowed (reading it afterwards is not); an API the
              // host lacks fails the batch.
              if (err instanceof FakeExcelError && err.code === "ApiNotFound") throw err;
              snapshot.delete(k);
            }
          }
        });
        return target;
      },
    });
  }

  private worksheets(ctx: Ctx) {
    return this.loadable(
      ctx,
      {
        add: (name: string) => {
          let state: FakeSheetState | undefined;
          ctx.enqueue(() => (state = this.addSheet(name)));
          return this.sheetProxy(ctx, () => {
            if (!state) throw new FakeExcelError("ItemNotFound", `the sheet ${name} was not added`);
            return state;
          });
        },
        getItem: (name: string) =>
          this.sheetProxy(ctx, () => {
            const s = this.sheets.find((x) => x.name.toLowerCase() === name.toLowerCase());
            if (!s) throw new FakeExcelError("ItemNotFound", `no sheet ${name}`);
            return s;
          }),
      },
      { items: () => this.sheets.map((s) => ({ name: s.name })) },
    );
  }

  private sheetProxy(ctx: Ctx, sheet: () => FakeSheetState): Proxy {
    return this.loadable(
      ctx,
      {
        getRange: (address: string) => this.rangeProxy(ctx, sheet, () => parseAddress(address)),
        activate: () => ctx.enqueue(() => (this.active = sheet().name)),
        tables: {
          add: (range: { bounds(): Bounds }, hasHeaders: boolean) => {
            let state: TableState | undefined;
            ctx.enqueue(() => {
              if (!hasHeaders) throw new Error("the double only supports tables with headers");
              const s = sheet();
              const b = range.bounds();
              const overlap = this.tables.find(
                (t) =>
                  t.sheet === s &&
                  !(b.r1 < t.top || b.r0 > t.top + t.rows || b.c1 < t.left || b.c0 > t.left + t.width - 1),
              );
              if (overlap) throw new FakeExcelError("InvalidOperation", "tables cannot overlap");
              let n = this.tables.length + 1;
              while (this.table(`Table${n}`)) n += 1;
              state = {
                name: `Table${n}`,
                sheet: s,
                top: b.r0,
                left: b.c0,
                width: b.c1 - b.c0 + 1,
                rows: b.r1 - b.r0,
                filtered: false,
              };
              this.tables.push(state);
              this.uniqueHeaders(state);
            });
            return this.tableProxy(ctx, () => state);
          },
        },
        charts: {
          add: (type: string, range: { bounds(): Bounds }) => {
            const chart = new FakeChart(type);
            ctx.enqueue(() => {
              if (this.failCharts)
                throw new FakeExcelError("GeneralException", "the chart could not be made");
              const s = sheet();
              const b = range.bounds();
              // One series per source column that holds something; an empty source gives an empty chart.
              for (let c = b.c0; c <= b.c1; c++) {
                let any = false;
                for (let r = b.r0; r <= b.r1 && !any; r++) any = s.filled(r, c);
                if (any)
                  chart.series.push({ name: "", values: addressOf({ ...b, c0: c, c1: c }), xValues: "" });
              }
              s.charts.push(chart);
            });
            return {
              title: {
                set text(v: string) {
                  ctx.enqueue(() => (chart.title.text = v));
                },
              },
              legend: {
                set position(v: string) {
                  ctx.enqueue(() => (chart.legend.position = v));
                },
              },
              setPosition: (from: string, to: string) => ctx.enqueue(() => (chart.position = [from, to])),
              series: this.loadable(
                ctx,
                {
                  getItemAt: (i: number) =>
                    this.seriesProxy(ctx, () => {
                      if (i >= chart.series.length)
                        throw new FakeExcelError("ItemNotFound", `the chart has no series ${i}`);
                      return chart.series[i];
                    }),
                  add: (name: string) => {
                    this.requireSet("1.7", "ChartSeriesCollection.add");
                    let added: FakeChart["series"][number] | undefined;
                    ctx.enqueue(() => chart.series.push((added = { name, values: "", xValues: "" })));
                    return this.seriesProxy(ctx, () => added!);
                  },
                },
                {
                  count: () => chart.series.length,
                  items: () => chart.series.map((_, i) => this.seriesProxy(ctx, () => chart.series[i])),
                },
              ),
            };
          },
        },
      },
      { name: () => sheet().name },
    );
  }

  private seriesProxy(ctx: Ctx, series: () => FakeChart["series"][number]) {
    return {
      set name(v: string) {
        ctx.enqueue(() => (series().name = v));
      },
      setValues: (r: { bounds(): Bounds }) => {
        this.requireSet("1.7", "ChartSeries.setValues");
        ctx.enqueue(() => (series().values = addressOf(r.bounds())));
      },
      setXAxisValues: (r: { bounds(): Bounds }) => {
        this.requireSet("1.7", "ChartSeries.setXAxisValues");
        ctx.enqueue(() => (series().xValues = addressOf(r.bounds())));
      },
    };
  }

  /**
   * Excel keeps header cells unique, non-empty text: blanks become ColumnN, and a header written to repeat
   * another gets a number (the cells just written give way, the others keep their text).
   */
  private uniqueHeaders(t: TableState, written?: Bounds): void {
    const wrote = (j: number) => !written || (t.left + j >= written.c0 && t.left + j <= written.c1);
    const seen = new Set<string>();
    const order = [...Array(t.width).keys()].sort((a, b) => Number(wrote(a)) - Number(wrote(b)));
    for (const j of order) {
      const cell = t.sheet.at(t.top, t.left + j);
      const base = String(cell.value).trim() === "" ? `Column${j + 1}` : String(cell.value);
      let text = base;
      for (let n = 2; seen.has(text.toLowerCase()); n++) text = `${base}${n}`;
      seen.add(text.toLowerCase());
      cell.value = text;
      delete cell.formula;
    }
  }

  private tableProxy(ctx: Ctx, find: () => TableState | undefined): Proxy {
    const must = () => {
      const t = find();
      if (!t) throw new FakeExcelError("ItemNotFound", "the table does not exist");
      return t;
    };
    const sheetOf = () => must().sheet;
    const tableNamed = (name: string) => this.table(name);
    const proxy = this.loadable(
      ctx,
      {
        set name(v: string) {
          ctx.enqueue(() => {
            const t = must();
            const other = tableNamed(v);
            if (other && other !== t)
              throw new FakeExcelError("InvalidArgument", `a table named ${other.name} already exists`);
            t.name = v;
          });
        },
        getHeaderRowRange: () =>
          this.rangeProxy(ctx, sheetOf, () => {
            const t = must();
            return { r0: t.top, c0: t.left, r1: t.top, c1: t.left + t.width - 1 };
          }),
        getDataBodyRange: () =>
          this.rangeProxy(ctx, sheetOf, () => {
            const t = must();
            return { r0: t.top + 1, c0: t.left, r1: t.top + t.rows, c1: t.left + t.width - 1 };
          }),
        clearFilters: () => ctx.enqueue(() => (must().filtered = false)),
        autoFilter: this.loadable(
          ctx,
          {},
          {
            isDataFiltered: () => {
              this.requireSet("1.9", "AutoFilter.isDataFiltered");
              return must().filtered;
            },
          },
        ),
        rows: {
          add: (index: number | undefined | null, values: Value[][]) =>
            ctx.enqueue(() => {
              if (index !== undefined && index !== null && index !== -1)
                throw new Error("the double appends only");
              const t = must();
              if (t.filtered) this.refuseFiltered(t);
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
                  throw new FakeExcelError("InvalidArgument", "row width differs from the table's");
                row.forEach((v, j) => {
                  const cell = t.sheet.at(bottom + 1 + i, t.left + j);
                  cell.value = v;
                  delete cell.formula;
                });
              });
              t.rows += values.length;
            }, values),
        },
      },
      { isNullObject: () => find() === undefined, name: () => must().name },
    );
    // Office.js caches navigation properties: table.worksheet is the same object every time.
    let worksheet: Proxy | undefined;
    Object.defineProperty(proxy, "worksheet", { get: () => (worksheet ??= this.sheetProxy(ctx, sheetOf)) });
    return proxy;
  }

  private refuseFiltered(t: TableState): never {
    throw new FakeExcelError(
      "InvalidOperation",
      `the double refuses to write into the filtered table ${t.name}: Excel misplaces such rows (office-js #224)`,
    );
  }

  private rangeProxy(ctx: Ctx, sheet: () => FakeSheetState, bounds: () => Bounds): Proxy {
    const each = (data: unknown, apply: (cell: FakeCell, v: unknown) => void) => {
      const b = bounds();
      const rows = b.r1 - b.r0 + 1;
      const cols = b.c1 - b.c0 + 1;
      const grid = data as unknown[][];
      if (!Array.isArray(grid) || grid.length !== rows || grid.some((r) => r.length !== cols)) {
        throw new FakeExcelError("InvalidArgument", `${rows}x${cols} range given a different shape`);
      }
      const s = sheet();
      grid.forEach((row, i) =>
        row.forEach((v, j) => {
          if (v !== null) apply(s.at(b.r0 + i, b.c0 + j), v);
        }),
      );
    };
    /** Tables this write touches: a filtered one refuses it, header rows are kept unique. */
    const touched = () => {
      const b = bounds();
      const s = sheet();
      return this.tables.filter(
        (t) =>
          t.sheet === s &&
          !(b.r1 < t.top || b.r0 > t.top + t.rows || b.c1 < t.left || b.c0 > t.left + t.width - 1),
      );
    };
    const write = (data: unknown, apply: (cell: FakeCell, v: unknown) => void, values: boolean) =>
      ctx.enqueue(() => {
        const tables = touched();
        if (values) tables.filter((t) => t.filtered).forEach((t) => this.refuseFiltered(t));
        each(data, apply);
        if (values)
          tables
            .filter((t) => bounds().r0 <= t.top && bounds().r1 >= t.top)
            .forEach((t) => this.uniqueHeaders(t, bounds()));
      }, data);
    const cellsOf = () => {
      const b = bounds();
      const s = sheet();
      const out: FakeCell[] = [];
      for (let r = b.r0; r <= Math.min(b.r1, 2000); r++)
        for (let c = b.c0; c <= b.c1; c++) out.push(s.at(r, c));
      return out;
    };
    const range = this.loadable(
      ctx,
      {
        bounds,
        set values(v: unknown) {
          write(
            v,
            (cell, x) => {
              cell.value = x as Value;
              delete cell.formula;
            },
            true,
          );
        },
        set formulas(v: unknown) {
          write(
            v,
            (cell, x) => {
              const f = String(x);
              if (f.startsWith("=")) {
                cell.formula = f;
                cell.value = "";
              } else cell.value = x as Value;
            },
            true,
          );
        },
        set numberFormat(v: unknown) {
          write(v, (cell, x) => (cell.numberFormat = String(x)), false);
        },
        getResizedRange: (dr: number, dc: number) => {
          return this.rangeProxy(ctx, sheet, () => {
            const b = bounds();
            return { ...b, r1: b.r1 + dr, c1: b.c1 + dc };
          });
        },
        format: {
          autofitColumns: () => ctx.enqueue(() => undefined),
          set columnWidth(_v: number) {
            ctx.enqueue(() => undefined);
          },
          fill: {
            set color(v: string) {
              ctx.enqueue(() => cellsOf().forEach((c) => (c.fill = v)));
            },
          },
          font: {
            set bold(v: boolean) {
              ctx.enqueue(() => cellsOf().forEach((c) => (c.bold = v)));
            },
            set size(_v: number) {
              ctx.enqueue(() => undefined);
            },
          },
        },
      },
      {
        values: () => {
          const b = bounds();
          const s = sheet();
          const out: Value[][] = [];
          for (let r = b.r0; r <= b.r1; r++) {
            const row: Value[] = [];
            for (let c = b.c0; c <= b.c1; c++) row.push(s.cells.get(`${r},${c}`)?.value ?? "");
            out.push(row);
          }
          return out;
        },
        address: () => `${sheet().name}!${addressOf(bounds())}`,
      },
    );
    return range;
  }
}

interface Ctx {
  enqueue(run: () => void, payload?: unknown): void;
  sync(): Promise<void>;
}
