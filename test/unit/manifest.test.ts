import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { DIST } from "../support/bundle";

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", removeNSPrefix: true });
const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** A URL without the build's version stamp (?v=1.2.3): the wiring is the same in every version. */
const unversioned = (url: string) => url.replace(/\?v=\d+\.\d+\.\d+$/, "");

/** The wiring facts of a manifest that must agree with each other. */
function wiring(xml: string) {
  const app = (parser.parse(xml) as { OfficeApp: Node }).OfficeApp;
  const vo = app.VersionOverrides as Node;
  const host = (vo.Hosts as Node).Host as Node;
  const res = vo.Resources as Node;
  const urls = new Map(
    list((res.Urls as Node).Url as Node[]).map((u) => [
      u["@id"] as string,
      unversioned(u["@DefaultValue"] as string),
    ]),
  );
  const images = new Map(
    list((res.Images as Node).Image as Node[]).map((u) => [u["@id"] as string, u["@DefaultValue"] as string]),
  );
  const strings = new Map(
    list((res.ShortStrings as Node).String as Node[]).map((u) => [
      u["@id"] as string,
      u["@DefaultValue"] as string,
    ]),
  );
  const cf = (host.AllFormFactors as Node).ExtensionPoint as Node;
  const desktop = host.DesktopFormFactor as Node;
  const control = ((((desktop.ExtensionPoint as Node).OfficeTab as Node).Group as Node).Control as Node)
    .Action as Node;
  return {
    app,
    host,
    hostKeys: Object.keys(host).filter((k) => !k.startsWith("@")),
    sets: list(((app.Requirements as Node).Sets as Node).Set as Node[]),
    runtimeResid: ((host.Runtimes as Node).Runtime as Node)["@resid"] as string,
    runtimeLifetime: ((host.Runtimes as Node).Runtime as Node)["@lifetime"] as string,
    cfScript: ((cf.Script as Node).SourceLocation as Node)["@resid"] as string,
    cfPage: ((cf.Page as Node).SourceLocation as Node)["@resid"] as string,
    cfMetadata: ((cf.Metadata as Node).SourceLocation as Node)["@resid"] as string,
    cfNamespace: (cf.Namespace as Node)["@resid"] as string,
    functionFile: (desktop.FunctionFile as Node)["@resid"] as string,
    buttonPage: (control.SourceLocation as Node)["@resid"] as string,
    sourceLocation: unversioned(
      ((app.DefaultSettings as Node).SourceLocation as Node)["@DefaultValue"] as string,
    ),
    urls,
    images,
    strings,
    allUrls: [...xml.matchAll(/https?:\/\/[^"<\s]+/g)]
      .map((m) => m[0])
      .filter((u) => !u.includes("schemas.microsoft.com") && !u.includes("w3.org")),
  };
}

function checkWiring(xml: string, origin: string) {
  const w = wiring(xml);
  expect(w.app["@type"]).toBe("TaskPaneApp");
  expect(w.app.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(w.sets.some((s) => s["@Name"] === "SharedRuntime" && s["@MinVersion"] === "1.1")).toBe(true);
  // <Runtimes> must come first in the Workbook host.
  expect(w.hostKeys[0]).toBe("Runtimes");
  expect(w.runtimeLifetime).toBe("long");
  // One task pane URL everywhere: the runtime, the functions page, the FunctionFile and the ribbon button.
  for (const resid of [w.cfPage, w.functionFile, w.buttonPage]) expect(resid).toBe(w.runtimeResid);
  const pane = w.urls.get(w.runtimeResid);
  expect(pane).toBe(`${origin}taskpane.html`);
  expect(w.sourceLocation).toBe(pane);
  expect(w.urls.get(w.cfScript)).toBe(`${origin}functions.js`);
  expect(w.urls.get(w.cfMetadata)).toBe(`${origin}functions.json`);
  expect(w.strings.get(w.cfNamespace)).toBe("HEDGE");
  for (const image of w.images.values()) expect(image.startsWith(`${origin}assets/`)).toBe(true);
  // Every resid used is defined.
  const resids = [...xml.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]);
  const defined = new Set(
    [
      ...w.urls.keys(),
      ...w.images.keys(),
      ...w.strings.keys(),
      ...xml.matchAll(/<bt:String id="([^"]+)"/g),
    ].map((x) => (typeof x === "string" ? x : x[1])),
  );
  for (const r of resids) expect(defined.has(r), r).toBe(true);
  return w;
}

describe("manifest.xml", () => {
  it("wires the shared runtime, custom functions and ribbon button to one task pane URL", () => {
    checkWiring(readFileSync("manifest.xml", "utf8"), "https://localhost:3000/");
  });

  it("is copied to dist/ by the build, with icons that exist", () => {
    const w = checkWiring(readFileSync(path.join(DIST, "manifest.xml"), "utf8"), "https://localhost:3000/");
    for (const url of w.images.values()) {
      const file = path.join(DIST, new URL(url).pathname);
      expect(readFileSync(file).subarray(1, 4).toString()).toBe("PNG");
    }
  });

  it("takes every production URL from HEDGE_ADDIN_URL, not only the first", () => {
    const out = mkdtempSync(path.join(tmpdir(), "hedge-build-"));
    const origin = "https://hedge.example.com/addin/";
    execFileSync(
      process.execPath,
      ["node_modules/webpack/bin/webpack.js", "--mode", "production", "--output-path", out],
      {
        env: { ...process.env, HEDGE_ADDIN_URL: origin },
        stdio: "pipe",
      },
    );
    const xml = readFileSync(path.join(out, "manifest.xml"), "utf8");
    const w = checkWiring(xml, origin);
    expect(w.allUrls.length).toBeGreaterThan(8);
    // Every URL is below the public base; AppDomain is the bare origin.
    for (const url of w.allUrls)
      expect(
        url.startsWith("https://hedge.example.com/addin/") || url === "https://hedge.example.com",
        url,
      ).toBe(true);
    expect(xml).toContain("<AppDomain>https://hedge.example.com</AppDomain>");
    const json = readFileSync(path.join(out, "functions.json"), "utf8");
    expect(json).not.toContain("localhost");
    expect(json).toContain(`${origin}help/functions.html#`);
  }, 120_000);
});
