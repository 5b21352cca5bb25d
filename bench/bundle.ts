// Bundle sizes: what Excel and the task pane download.
import { readFileSync } from "node:fs";
import path from "node:path";
import { DIST } from "../test/support/bundle";
import { gzipBytes, printTable } from "./harness";

/** The scripts the task pane page loads (from dist/taskpane.html), in order. */
export function paneScripts(): string[] {
  const html = readFileSync(path.join(DIST, "taskpane.html"), "utf8");
  return (
    [...html.matchAll(/<script[^>]*src=["']?([^"' >]+)/g)]
      .map((m) => m[1])
      .filter((src) => !/^https?:|^\//.test(src))
      // The build stamps the version into the URL (?v=): the file is the part before it.
      .map((src) => src.split("?")[0])
  );
}

export function benchBundle() {
  const file = (name: string) => readFileSync(path.join(DIST, name));
  const functionsJs = file("functions.js");
  const functionsJson = file("functions.json");
  const pane = paneScripts().map(file);
  const paneBytes = pane.reduce((a, b) => a + b.length, 0);
  const paneGzip = pane.reduce((a, b) => a + gzipBytes(b), 0);
  const result = {
    functionsJs: { minified: functionsJs.length, gzip: gzipBytes(functionsJs) },
    paneScripts: { files: paneScripts(), minified: paneBytes, gzip: paneGzip },
    functionsJson: { bytes: functionsJson.length, gzip: gzipBytes(functionsJson) },
  };
  printTable(
    "Bundle (bytes)",
    ["file", "minified", "gzip"],
    [
      ["functions.js", result.functionsJs.minified, result.functionsJs.gzip],
      [`task pane scripts (${result.paneScripts.files.join(" + ")})`, paneBytes, paneGzip],
      ["functions.json", result.functionsJson.bytes, result.functionsJson.gzip],
    ],
  );
  return result;
}
