/*
 * Bundled into the page (before its scripts) by the Excel-mode browser test: the unit tests' in-memory
 * workbook as `Excel`, and an `Office` that reports an Excel host with document settings in memory.
 */
import { FakeExcel } from "../unit/taskpane-fake-excel";

const fake = new FakeExcel();
const settings: Record<string, unknown> = {};
Object.assign(window, {
  __fakeExcel: fake,
  __settings: settings,
  Excel: fake.global(),
  Office: {
    HostType: { Excel: "Excel" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    onReady: async () => ({ host: "Excel", platform: "PC" }),
    context: {
      document: {
        settings: {
          get: (key: string) => settings[key] ?? null,
          set: (key: string, value: unknown) => (settings[key] = value),
          saveAsync: (callback: (r: { status: string }) => void) => callback({ status: "succeeded" }),
        },
      },
    },
  },
});
