/*
 * Bundled into the page (before its scripts) by the Excel-mode browser test: the unit tests' in-memory
 * workbook as `Excel`, and its `Office` (an Excel host, requirement sets, document settings in memory).
 */
import { FakeExcel } from "../unit/taskpane-fake-excel";

const fake = new FakeExcel();
const settings: Record<string, unknown> = {};
Object.assign(window, {
  __fakeExcel: fake,
  __settings: settings,
  Excel: fake.global(),
  Office: fake.office(settings),
});
