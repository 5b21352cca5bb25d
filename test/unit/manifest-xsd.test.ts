/*
 * manifest.xml (the source and the built copy) against Microsoft's add-in manifest schemas in
 * ../shared/office-manifest-xsd, with libxml2's xmllint compiled to WebAssembly (xmllint-wasm): offline, no
 * system package. Beside it, the requirement sets the manifest declares against the Excel APIs the pane uses.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { MIN_EXCEL_API } from "../../src/taskpane/workbook";
import { DIST } from "../support/bundle";

const XSD_DIR = path.resolve(import.meta.dirname, "../../../shared/office-manifest-xsd");
const MAIN_XSD = "OfficeAppManifestV1_1.xsd";

async function validate(xml: string) {
  const others = readdirSync(XSD_DIR).filter((f) => f.endsWith(".xsd") && f !== MAIN_XSD);
  const result = await validateXML({
    xml: [{ fileName: "manifest.xml", contents: xml }],
    schema: [{ fileName: MAIN_XSD, contents: readFileSync(path.join(XSD_DIR, MAIN_XSD), "utf8") }],
    preload: others.map((f) => ({ fileName: f, contents: readFileSync(path.join(XSD_DIR, f), "utf8") })),
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

describe("manifest.xml against the Office add-in manifest XSDs", () => {
  it("the source manifest is valid", async () => {
    expect(await validate(readFileSync("manifest.xml", "utf8"))).toEqual({ valid: true, errors: [] });
  });

  it("the built manifest is valid", async () => {
    expect(await validate(readFileSync(path.join(DIST, "manifest.xml"), "utf8"))).toEqual({
      valid: true,
      errors: [],
    });
  });

  it("a manifest with elements out of order or an unknown attribute is not", async () => {
    const xml = readFileSync("manifest.xml", "utf8");
    const swapped = xml.replace(
      /(<ProviderName>[^<]*<\/ProviderName>)\s*(<DefaultLocale>[^<]*<\/DefaultLocale>)/,
      "$2$1",
    );
    expect(swapped).not.toBe(xml);
    expect((await validate(swapped)).valid).toBe(false);
    const unknown = xml.replace('<Set Name="ExcelApi"', '<Set Colour="red" Name="ExcelApi"');
    expect((await validate(unknown)).valid).toBe(false);
  });
});

/** The Excel APIs the pane uses, and the ExcelApi set that brought each (Microsoft's API reference). */
const API_SETS: [RegExp, string][] = [
  [/\bExcel\.run\b/, "1.1"],
  [/\.worksheets\b/, "1.1"],
  [/\.tables\.add\(/, "1.1"],
  [/\.charts\.add\(/, "1.1"],
  [/\.getItemOrNullObject\(/, "1.4"],
  [/\.getResizedRange\(/, "1.2"],
  [/\.autofitColumns\(/, "1.2"],
  [/\.columnWidth\b/, "1.2"],
  [/\.clearFilters\(/, "1.2"],
  [/\.series\.add\(/, "1.7"],
  [/\.setValues\(/, "1.7"],
  [/\.setXAxisValues\(/, "1.7"],
];
/** APIs of newer sets: each may be used only behind a check (or a batch of its own that may fail). */
const GUARDED: [RegExp, RegExp][] = [
  [/\.autoFilter\b/, /supportsExcelApi\("1\.9"\)/],
  [/use1904DateSystem/, /\.catch\(\(\) => false\)/],
];

describe("requirement sets", () => {
  const source = readdirSync("src/taskpane")
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(path.join("src/taskpane", f), "utf8"))
    .join("\n");
  const version = (v: string) => v.split(".").map(Number) as [number, number];
  const newer = (a: string, b: string) => {
    const [x, y] = version(a);
    const [p, q] = version(b);
    return x > p || (x === p && y > q);
  };

  it("the manifest declares the ExcelApi set the pane's unguarded APIs need, and the code agrees", () => {
    const xml = readFileSync("manifest.xml", "utf8");
    const declared = /<Set Name="ExcelApi" MinVersion="([\d.]+)" \/>/.exec(xml)?.[1];
    expect(declared).toBe(MIN_EXCEL_API);
    const needed = API_SETS.filter(([re]) => re.test(source))
      .map(([, v]) => v)
      .reduce((a, b) => (newer(b, a) ? b : a), "1.1");
    expect(needed).toBe(declared);
    expect(/<Set Name="SharedRuntime" MinVersion="1.1" \/>/.test(xml)).toBe(true);
  });

  it("APIs of newer sets are used only behind a check", () => {
    for (const [api, guard] of GUARDED) {
      if (api.test(source)) expect(guard.test(source), String(api)).toBe(true);
    }
  });
});
