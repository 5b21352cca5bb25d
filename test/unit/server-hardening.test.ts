/*
 * The server under abuse and at its edges: Host check, half-open connections, shutdown with connections open,
 * settings that cannot work, odd methods, source maps, Retry-After: 0. Real HTTP on free loopback ports; the
 * only clocks are injected ones or Node's own connection timers set short (the test waits for their outcome,
 * it never races them).
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app";
import { loadCertificate } from "../../src/server/certs";
import { readConfig, SettingError } from "../../src/server/config";
import { retryAfterMs, Upstream, VenueGate } from "../../src/server/market/upstream";
import { closeWithin } from "../../src/server/shutdown";
import { DIST } from "../support/bundle";
import { FakeClock } from "../support/fake-clock";
import { startServer, type RunningServer } from "../support/server";

/** Sends raw bytes on a fresh connection and collects everything until the server closes it. */
function raw(port: number, bytes: string): Promise<{ text: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    let text = "";
    socket.on("data", (d) => (text += d.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve({ text, socket }));
  });
}

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return (app.server.address() as AddressInfo).port;
}

/** A GET with any Host header (fetch does not let a client choose Host). */
function get(server: RunningServer, urlPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Headers; json: () => Promise<unknown> }>(
    (resolve, reject) => {
      const req = httpRequest(server.url + urlPath, { headers: { host: "localhost", ...headers } }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: new Headers(res.headers as Record<string, string>),
            json: async () => JSON.parse(text) as unknown,
          }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}

describe("Host check (DNS rebinding)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      HEDGE_MARKET: "replay",
      HOST: "127.0.0.1",
      HEDGE_ADDIN_URL: "https://hedge.example.test/",
    });
  });
  afterAll(() => server.close());

  it("answers 421, in the API's error shape, for a Host that is not the server's own, on pages and API alike", async () => {
    for (const urlPath of ["/api/v1/health", "/taskpane.html", "/manifest.xml"]) {
      for (const host of ["evil.example", "evil.example:3000", "localhost.evil.example", "127.0.0.2", "%%"]) {
        const res = await get(server, urlPath, { host });
        expect(res.status, `${host} ${urlPath}`).toBe(421);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("misdirected_request");
        expect(res.headers.get("cache-control")).toBe("no-store");
      }
    }
  });

  it("answers for localhost, 127.0.0.1, [::1], HOST and the host of HEDGE_ADDIN_URL, any port or case", async () => {
    for (const host of [
      "localhost:3000",
      "127.0.0.1",
      "[::1]:3000",
      "HEDGE.example.test",
      "hedge.example.test.",
    ]) {
      expect((await get(server, "/api/v1/health", { host })).status, host).toBe(200);
    }
  });

  it("takes X-Forwarded-Host from a trusted proxy (loopback by default), but never instead of checking Host", async () => {
    // The proxy (on loopback) forwards the public name.
    expect(
      (
        await get(server, "/api/v1/health", {
          host: "127.0.0.1:3000",
          "x-forwarded-host": "hedge.example.test",
        })
      ).status,
    ).toBe(200);
    expect(
      (await get(server, "/api/v1/health", { host: "127.0.0.1:3000", "x-forwarded-host": "evil.example" }))
        .status,
    ).toBe(421);
    // A rebound page talks to the server directly and may add any header: its own Host still fails.
    expect(
      (await get(server, "/api/v1/health", { host: "evil.example:3000", "x-forwarded-host": "localhost" }))
        .status,
    ).toBe(421);
  });

  it("ignores X-Forwarded-Host from peers it does not trust", async () => {
    const strict = await startServer({ HEDGE_MARKET: "replay", HEDGE_TRUST_PROXY: "10.0.0.5" });
    try {
      expect(
        (await get(strict, "/api/v1/health", { host: "localhost", "x-forwarded-host": "evil.example" }))
          .status,
      ).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe("half-open connections", () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    const config = readConfig(
      {
        HEDGE_HTTP: "1",
        HEDGE_MARKET: "replay",
        HEDGE_HEADERS_TIMEOUT_MS: "200",
        HEDGE_REQUEST_TIMEOUT_MS: "400",
      },
      DIST,
    );
    app = await buildApp(config, { connectionsCheckingIntervalMs: 50 });
    port = await listen(app);
  });
  afterAll(() => app.close());

  it("closes a connection that sends part of its headers and stops, answering 408 in the API's error shape", async () => {
    const { text } = await raw(port, "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('"code":"request_timeout"');
  });

  it("closes a connection that never sends a byte, on its own side, even when the client never reads or closes", async () => {
    // The server's end of the connection must go away: a half-close would wait forever for this client.
    const serverSide = new Promise<Socket>((resolve) => app.server.once("connection", resolve));
    const client = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    client.on("error", () => undefined);
    const socket = await serverSide;
    await new Promise<void>((resolve) =>
      socket.destroyed ? resolve() : socket.once("close", () => resolve()),
    );
    expect(socket.destroyed).toBe(true);
    client.destroy();
  });

  it("closes a TLS connection that never starts its handshake", async () => {
    const certDir = mkdtempSync(path.join(tmpdir(), "hedge-certs-"));
    const cert = await loadCertificate(certDir, certDir);
    const config = readConfig({ HEDGE_MARKET: "replay", HEDGE_HEADERS_TIMEOUT_MS: "200" }, DIST);
    const tls = await buildApp(config, { https: cert, connectionsCheckingIntervalMs: 50 });
    const tlsPort = await listen(tls);
    try {
      const { text } = await raw(tlsPort, "");
      expect(text).toBe("");
      // And a real TLS client is still served.
      const ok = await new Promise<string>((resolve, reject) => {
        const s = tlsConnect({ port: tlsPort, host: "127.0.0.1", rejectUnauthorized: false }, () =>
          s.write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        );
        let t = "";
        s.on("data", (d) => (t += d.toString()));
        s.on("error", reject);
        s.on("close", () => resolve(t));
      });
      expect(ok).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      await tls.close();
    }
  });
});

describe("shutdown", () => {
  it("closes idle keep-alive connections at once: no clock needs to move", async () => {
    const config = readConfig({ HEDGE_HTTP: "1", HEDGE_MARKET: "replay" }, DIST);
    const app = await buildApp(config);
    const port = await listen(app);
    const socket = connect(port, "127.0.0.1");
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    const answered = new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
    await answered;
    const clock = new FakeClock();
    await expect(closeWithin(app, 8_000, clock.timers)).resolves.toBe("clean");
    await closed;
  });

  it("gives a request in flight the grace period, then closes its connection", async () => {
    const config = readConfig({ HEDGE_HTTP: "1", HEDGE_MARKET: "replay" }, DIST);
    const app = await buildApp(config);
    let reached!: () => void;
    const inFlight = new Promise<void>((resolve) => (reached = resolve));
    app.get("/test/hang", () => {
      reached();
      return new Promise(() => undefined);
    });
    const port = await listen(app);
    const client = raw(port, "GET /test/hang HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await inFlight;
    const clock = new FakeClock();
    let result: string | undefined;
    const closing = closeWithin(app, 8_000, clock.timers).then((r) => (result = r));
    await clock.advance(7_999);
    expect(result).toBeUndefined();
    await clock.advance(1);
    await closing;
    expect(result).toBe("forced");
    await client;
  });
});

describe("settings that cannot work stop the server with a message naming them", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ HEDGE_UPSTREAM_OKX: "not-a-url" }, /^HEDGE_UPSTREAM_OKX must be an http\(s\) origin.*not a URL/],
    [{ HEDGE_UPSTREAM_OKX: "ftp://x.test" }, /^HEDGE_UPSTREAM_OKX must be an http\(s\) origin/],
    [
      { HEDGE_UPSTREAM_BYBIT: "http://127.0.0.1:9101/v5" },
      /^HEDGE_UPSTREAM_BYBIT must be an origin only.*path/,
    ],
    [{ HEDGE_HTTP: "yes" }, /^HEDGE_HTTP must be 1 or true/],
    [{ PORT: "80a" }, /^PORT must be a whole number from 0 to 65535/],
    [{ PORT: "70000" }, /^PORT must be a whole number/],
    [{ HEDGE_ADDIN_URL: "http://hedge.example.test/" }, /^HEDGE_ADDIN_URL must be an https URL/],
    [{ HEDGE_ADDIN_URL: "hedge.example.test" }, /^HEDGE_ADDIN_URL must be an https URL/],
    [{ HEDGE_TRUST_PROXY: "my proxy" }, /^HEDGE_TRUST_PROXY must be/],
    [{ HEDGE_MARKET: "paper" }, /^HEDGE_MARKET must be "live" or "replay"/],
  ];
  for (const [env, message] of cases) {
    it(JSON.stringify(env), () => {
      expect(() => readConfig(env)).toThrow(SettingError);
      expect(() => readConfig(env)).toThrow(message);
    });
  }

  it("accepts the documented forms", () => {
    const c = readConfig({
      HEDGE_HTTP: "true",
      HEDGE_UPSTREAM_OKX: "http://127.0.0.1:9101/",
      HEDGE_ADDIN_URL: "https://hedge.example.test/hedge",
      HEDGE_TRUST_PROXY: "10.0.0.5, 10.1.0.0/16",
    });
    expect(c.http).toBe(true);
    expect(c.upstream.okx).toBe("http://127.0.0.1:9101");
    expect(c.addinUrl.href).toBe("https://hedge.example.test/hedge/");
    expect(c.allowedHosts).toContain("hedge.example.test");
    expect(readConfig({ HEDGE_HTTP: "0" }).http).toBe(false);
  });

  it("a certificate directory that cannot be made names the file and the way out", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hedge-certs-"));
    const blocker = path.join(dir, "certs");
    writeFileSync(blocker, "a file where the directory should be");
    const failure = loadCertificate(path.join(blocker, "sub"), dir);
    await expect(failure).rejects.toThrow(SettingError);
    await expect(loadCertificate(path.join(blocker, "sub"), dir)).rejects.toThrow(
      new RegExp(`cannot make the certificate directory ${blocker.replace(/[\\/.]/g, ".")}.*HEDGE_HTTP=1`),
    );
  });
});

describe("edges of the HTTP surface", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ HEDGE_MARKET: "replay" });
  });
  afterAll(() => server.close());

  it("API 404s are not cached", async () => {
    const res = await get(server, "/api/v2/quotes");
    expect(res.status).toBe(404);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("an unknown method gets the API's error shape, not the framework's", async () => {
    const port = Number(new URL(server.url).port);
    for (const method of ["FOO", "PROPFIND"]) {
      const { text } = await raw(
        port,
        `${method} /api/v1/quotes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as Record<string, unknown>;
      expect(Object.keys(body), method).toEqual(["error"]);
      expect(Object.keys(body.error as object).sort(), method).toEqual(["code", "message"]);
      expect(text, method).toMatch(/^HTTP\/1\.1 4\d\d/);
      expect(text.toLowerCase(), method).toContain("cache-control: no-store");
    }
  });

  it("the production build has no source maps, and the server never serves one", async () => {
    const dist = mkdtempSync(path.join(tmpdir(), "hedge-dist-"));
    mkdirSync(path.join(dist, "x"));
    writeFileSync(path.join(dist, "taskpane.js.map"), "{}");
    writeFileSync(path.join(dist, "taskpane.js"), "//");
    const app = await buildApp(readConfig({ HEDGE_HTTP: "1" }, dist));
    const port = await listen(app);
    try {
      expect((await fetch(`http://127.0.0.1:${port}/taskpane.js`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/taskpane.js.map`)).status).toBe(404);
    } finally {
      await app.close();
    }
    const { readdirSync } = await import("node:fs");
    const maps = readdirSync(DIST, { recursive: true }).filter((f) => String(f).endsWith(".map"));
    expect(maps).toEqual([]);
  });

  it("/api/v1/health names the version of package.json", async () => {
    const { version } = (await import("../../package.json", { with: { type: "json" } })).default as {
      version: string;
    };
    const health = (await (await get(server, "/api/v1/health")).json()) as { version: string };
    expect(health.version).toBe(version);
  });
});

describe("Retry-After: 0 means retry now", () => {
  it("is only the usual jitter, not the 60 s default back-off", () => {
    const T0 = Date.parse("2026-11-26T15:30:00Z");
    expect(retryAfterMs("0", T0, () => 0)).toBe(100);
    expect(retryAfterMs("0", T0, () => 0.999)).toBe(399);
    expect(retryAfterMs(new Date(T0 - 5_000).toUTCString(), T0, () => 0.5)).toBe(250);
    // Malformed or negative stays the cautious default.
    expect(retryAfterMs("-5", T0)).toBe(60_000);
    expect(retryAfterMs("", T0)).toBe(60_000);
  });

  it("a 429 with Retry-After: 0 blocks the venue for the jitter only", async () => {
    const now = 1_000_000;
    const fetchImpl = (async () =>
      new Response('{"message":"Too many requests"}', {
        status: 429,
        headers: { "retry-after": "0" },
      })) as unknown as typeof fetch;
    const up = new Upstream(fetchImpl, 1_000, {
      now: () => now,
      random: () => 0.5,
      sleep: async () => undefined,
    });
    const gate = new VenueGate(100, 60_000);
    await expect(
      up.get("okx", "http://venue.test", { name: "t", path: "/t", query: {}, weight: 1 }, gate),
    ).rejects.toMatchObject({ code: "upstream_rate_limited" });
    expect(gate.blockedUntil - now).toBe(250);
  });
});

describe("under its public name (HEDGE_ADDIN_URL), with and without a path", () => {
  for (const base of ["https://hedge.example.test/", "https://hedge.example.test/desk/hedge/"]) {
    it(base, async () => {
      const server = await startServer({ HEDGE_MARKET: "replay", HEDGE_ADDIN_URL: base });
      const prefix = new URL(base).pathname;
      const host = { host: "hedge.example.test" };
      try {
        const text = async (p: string) => {
          const res = await get(server, prefix + p, host);
          expect(res.status, p).toBe(200);
          return JSON.stringify(await res.json().catch(() => null));
        };
        const body = async (p: string) =>
          new Promise<string>((resolve, reject) =>
            httpRequest(server.url + prefix + p, { headers: host }, (res) => {
              let t = "";
              res.on("data", (d) => (t += d.toString()));
              res.on("end", () => resolve(t));
            })
              .on("error", reject)
              .end(),
          );
        const xml = await body("manifest.xml");
        const urls = [...xml.matchAll(/https?:\/\/[^"<\s]+/g)]
          .map((m) => m[0])
          .filter((u) => !u.includes("schemas.microsoft.com") && !u.includes("w3.org"));
        expect(urls.length).toBeGreaterThan(8);
        for (const url of urls)
          expect(url.startsWith(base) || url === "https://hedge.example.test", url).toBe(true);
        const json = JSON.parse(await body("functions.json")) as { functions: { helpUrl?: string }[] };
        for (const fn of json.functions)
          expect(fn.helpUrl?.startsWith(`${base}help/functions.html#`)).toBe(true);
        expect(await body("functions.js")).toBe(readFileSync(path.join(DIST, "functions.js"), "utf8"));
        expect(await text("api/v1/health")).toContain('"status":"ok"');
        const redirect = await get(server, prefix, host);
        expect(redirect.status).toBe(302);
        expect(redirect.headers.get("location")).toBe("taskpane.html");
      } finally {
        await server.close();
      }
    });
  }
});
