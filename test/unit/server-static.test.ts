import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCertificate } from "../../src/server/certs";
import { DIST } from "../support/bundle";
import { startServer, type RunningServer } from "../support/server";

describe("the add-in server (real HTTP)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ HEDGE_MARKET: "replay" });
  });
  afterAll(() => server.close());

  it("serves the task pane, functions.js and functions.json as built", async () => {
    for (const [file, type] of [
      ["taskpane.html", "text/html"],
      ["functions.js", "javascript"],
      ["functions.json", "application/json"],
      ["manifest.xml", "xml"],
    ]) {
      const res = await fetch(`${server.url}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type"), file).toContain(type);
      expect(await res.text(), file).toBe(readFileSync(path.join(DIST, file), "utf8"));
    }
  });

  it("sets security headers on every response, and a CSP that allows the Office.js CDN and no inline script", async () => {
    for (const url of [
      "/taskpane.html",
      "/functions.js",
      "/help/functions.html",
      "/nope",
      "/api/v1/unknown",
    ]) {
      const res = await fetch(server.url + url);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, url).toContain("script-src 'self' https://appsforoffice.microsoft.com");
      expect(csp, url).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(csp, url).toContain("object-src 'none'");
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), url).toBe("no-referrer");
      // Office frames the pane: framing must not be forbidden.
      expect(res.headers.get("x-frame-options"), url).toBeNull();
      expect(csp, url).not.toContain("frame-ancestors");
    }
  });

  it("lets Excel fetch the custom-functions files cross-origin, but not the API", async () => {
    expect((await fetch(`${server.url}/functions.json`)).headers.get("access-control-allow-origin")).toBe(
      "*",
    );
    expect((await fetch(`${server.url}/functions.js`)).headers.get("access-control-allow-origin")).toBe("*");
    expect(
      (await fetch(`${server.url}/api/v1/health`)).headers.get("access-control-allow-origin"),
    ).toBeNull();
  });

  it("loads office.js from Microsoft's CDN by default", async () => {
    const html = await (await fetch(`${server.url}/taskpane.html`)).text();
    expect(html).toContain("https://appsforoffice.microsoft.com/lib/1/hosted/office.js");
  });

  it("answers unknown paths with 404, in JSON under /api/", async () => {
    const page = await fetch(`${server.url}/does-not-exist.html`);
    expect(page.status).toBe(404);
    const api = await fetch(`${server.url}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });

  it("does not serve files outside dist/", async () => {
    for (const probe of ["/../package.json", "/%2e%2e/package.json", "/..%2fpackage.json"]) {
      const res = await fetch(server.url + probe);
      expect(res.status, probe).toBeGreaterThanOrEqual(400);
      expect(await res.text(), probe).not.toContain('"name": "inverse-hedge"');
    }
  });
});

describe("office.js fallback (HEDGE_OFFICE_JS=local)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ HEDGE_OFFICE_JS: "local", HEDGE_MARKET: "replay" });
  });
  afterAll(() => server.close());

  it("points the pane at the npm copy of office.js and serves it", async () => {
    const html = await (await fetch(`${server.url}/taskpane.html`)).text();
    expect(html).not.toContain("appsforoffice.microsoft.com");
    const src = /<script src=["']?([^"' >]*office\.js)/.exec(html)?.[1];
    // Relative to the page, so it holds when the add-in is served under a path.
    expect(src).toBe("vendor/office-js/office.js");
    const res = await fetch(`${server.url}/${src}`);
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(10_000);
  });
});

describe("HTTPS certificate", () => {
  it("makes a self-signed localhost certificate on first run and reuses it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hedge-certs-"));
    const home = mkdtempSync(path.join(tmpdir(), "hedge-home-"));
    const first = await loadCertificate(dir, home);
    expect(first.origin).toBe("self-signed (new)");
    expect(first.cert).toContain("BEGIN CERTIFICATE");
    expect(first.hint).toMatch(/trust/i);
    const again = await loadCertificate(dir, home);
    expect(again.origin).toBe("self-signed (existing)");
    expect(again.cert).toBe(first.cert);
  }, 60_000);
});
