// Task pane refresh cost: API requests and context.sync calls per refresh, for growing row counts.
import type { QuoteItem } from "../src/live/client";
import type { QuoteResult } from "../src/market/types";
import { RatesController } from "../src/taskpane/controller";
import { writeFundingTable } from "../src/taskpane/workbook";
import { makeQuote } from "../test/support/quotes";
import { FakeExcel } from "../test/unit/taskpane-fake-excel";
import { printTable, timeOnce } from "./harness";

export async function benchTaskpane() {
  const rows: (string | number)[][] = [];
  const result: Record<string, unknown> = {};
  for (const n of [10, 100]) {
    const excel = new FakeExcel();
    (globalThis as { Excel?: unknown }).Excel = excel.global();
    let apiRequests = 0;
    let price = 100;
    const controller = new RatesController({
      fetchQuotes: async (items: readonly QuoteItem[]): Promise<QuoteResult[]> => {
        apiRequests++;
        price++;
        return items.map((item) => makeQuote("bybit", item.symbol, price));
      },
      write: writeFundingTable,
      onChange: () => undefined,
    });
    controller.setItems(Array.from({ length: n }, (_, i) => ({ exchange: "bybit", symbol: `C${i}USD` })));
    await controller.refresh(); // creates the table
    const createSyncs = excel.syncs;
    const before = { syncs: excel.syncs, api: apiRequests };
    await controller.refresh();
    const refreshSyncs = excel.syncs - before.syncs;
    const refreshApi = apiRequests - before.api;
    const ms = await timeOnce(() => controller.refresh());
    rows.push([`${n} rows`, refreshApi, createSyncs, refreshSyncs, ms]);
    result[`${n} rows`] = {
      apiRequestsPerRefresh: refreshApi,
      syncsToCreate: createSyncs,
      syncsPerRefresh: refreshSyncs,
      msPerRefreshInDouble: ms,
    };
    delete (globalThis as { Excel?: unknown }).Excel;
  }
  printTable(
    "Task pane refresh (against an in-memory Excel double; ms excludes Excel's own round trips)",
    ["table", "API requests", "syncs to create", "syncs per refresh", "ms"],
    rows,
  );
  return result;
}
