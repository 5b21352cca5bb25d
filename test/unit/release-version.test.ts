/*
 * Office caches the manifest, functions.json, functions.js and the pane by URL. The build writes the one
 * version of package.json into every such URL and into the manifest's <Version>, so an update makes Office
 * reload. Built twice (dist/ with package.json's version, and again with another) and compared.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DIST } from "../support/bundle";

const WEBPACK = ["node_modules/webpack/bin/webpack.js", "--mode", "production"];
const pkgVersion = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
const OTHER = "9.8.7";

/** Every URL Excel fetches and may cache: the manifest's (below the add-in origin) and the page's scripts. */
function cachedUrls(dir: string) {
  const xml = readFileSync(path.join(dir, "manifest.xml"), "utf8");
  const html = readFileSync(path.join(dir, "taskpane.html"), "utf8");
  const manifest = [...xml.matchAll(/DefaultValue="(https:\/\/localhost:3000\/[^"]*)"/g)].map((m) => m[1]);
  const scripts = [...html.matchAll(/<script src="?([^"\s>]+)"?/g)]
    .map((m) => m[1])
    .filter((src) => !src.startsWith("https:"));
  const version = /<Version>([^<]+)<\/Version>/.exec(xml)?.[1];
  const footer = /id="?app-version"?[^>]*>([^<]*)</.exec(html)?.[1] ?? "";
  return { manifest, scripts, version, footer };
}

describe("one version, stamped everywhere Office caches", () => {
  let other: string;
  beforeAll(() => {
    other = mkdtempSync(path.join(tmpdir(), "hedge-version-"));
    execFileSync(process.execPath, [...WEBPACK, "--env", `version=${OTHER}`, "--env", `outDir=${other}`], {
      stdio: "pipe",
    });
  }, 180_000);

  it("the manifest's <Version> is package.json's version in four parts", () => {
    expect(cachedUrls(DIST).version).toBe(`${pkgVersion}.0`);
    expect(cachedUrls(other).version).toBe(`${OTHER}.0`);
  });

  it("every URL Excel caches carries the version, and each one changes with it", () => {
    const a = cachedUrls(DIST);
    const b = cachedUrls(other);
    // Pane, functions.js, functions.json, icons, help: all of them.
    expect(a.manifest.length).toBeGreaterThanOrEqual(10);
    for (const name of ["taskpane.html", "functions.js", "functions.json"])
      expect(a.manifest.some((u) => new URL(u).pathname === `/${name}`)).toBe(true);
    expect(a.scripts.map((s) => s.split("?")[0])).toEqual(["functions.js", "taskpane.js"]);
    expect(b.manifest.length).toBe(a.manifest.length);
    expect(b.scripts.length).toBe(a.scripts.length);
    for (const [i, url] of a.manifest.entries()) {
      expect(new URL(url).searchParams.get("v"), url).toBe(pkgVersion);
      expect(new URL(b.manifest[i]).searchParams.get("v"), b.manifest[i]).toBe(OTHER);
      expect(b.manifest[i]).not.toBe(url);
    }
    for (const [i, src] of a.scripts.entries()) {
      expect(src).toBe(`${src.split("?")[0]}?v=${pkgVersion}`);
      expect(b.scripts[i]).toBe(`${src.split("?")[0]}?v=${OTHER}`);
    }
  });

  it("the pane's footer shows the version", () => {
    expect(cachedUrls(DIST).footer).toContain(`Inverse Hedge ${pkgVersion}`);
    expect(cachedUrls(other).footer).toContain(`Inverse Hedge ${OTHER}`);
  });

  it("refuses a version the manifest cannot carry, naming the rule", () => {
    const out = mkdtempSync(path.join(tmpdir(), "hedge-version-"));
    const r = spawnSync(
      process.execPath,
      [...WEBPACK, "--env", "version=1.0.0-beta.1", "--env", `outDir=${out}`],
      {
        encoding: "utf8",
      },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('package.json "version" must be MAJOR.MINOR.PATCH');
  });
});
