/*
 * The release artifact as a desk runs it: `npm run release`'s tarball unpacked in an empty directory,
 * `npm ci --omit=dev`, `npm start` with HEDGE_HTTP=1 behind nginx (Debian's package) terminating TLS with a
 * self-signed certificate under a public name and a path. A client reaches everything through the proxy only.
 *
 * nginx rather than Caddy: it is the reverse proxy most desks already run, its Debian package is 1.3 MB
 * against Caddy's ~40 MB, and it takes a given certificate without managing its own CA.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import selfsigned from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PUBLIC_HOST = "hedge.example.test";
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.on("connect", () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));

describe("the release behind a TLS-terminating reverse proxy (nginx)", () => {
  let dir: string;
  let app: string;
  let server: ChildProcess | undefined;
  let nginx: ChildProcess | undefined;
  let base: string;
  let ca: string;
  let proxyPort: number;

  /** GET through the proxy: public name resolved to loopback, the self-signed certificate as the only CA. */
  function get(url: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          ca,
          lookup: (_host, options, cb) =>
            options.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4),
        },
        (res) => {
          let body = "";
          res.on("data", (d) => (body += d.toString()));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  beforeAll(async () => {
    if (!NGINX)
      throw new Error("nginx is not installed (Debian: apt-get install nginx-light); .ci/run installs it");
    dir = mkdtempSync(path.join(tmpdir(), "hedge-release-"));
    // The artifact, from the build `npm test` just made.
    execFileSync(process.execPath, ["scripts/release.mjs", "--out", dir], { stdio: "pipe" });
    const tgz = path.join(dir, `inverse-hedge-${version}.tgz`);
    expect(statSync(tgz).size).toBeLessThan(2 * 1024 * 1024);
    execFileSync("tar", ["-xzf", tgz, "-C", dir]);
    app = path.join(dir, `inverse-hedge-${version}`);
    execFileSync(
      "npm",
      ["ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
      {
        cwd: app,
        stdio: "pipe",
      },
    );

    proxyPort = await freePort();
    base = `https://${PUBLIC_HOST}:${proxyPort}/desk/hedge/`;

    // The server, production-style: plain HTTP on loopback, told its public URL.
    server = spawn("npm", ["start"], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HEDGE_HTTP: "1",
        HOST: "127.0.0.1",
        PORT: "0",
        HEDGE_MARKET: "replay",
        HEDGE_ADDIN_URL: base,
      },
    });
    const backendPort = await new Promise<number>((resolve, reject) => {
      let out = "";
      server!.stdout!.on("data", (d) => {
        out += d.toString();
        const m = /serving http:\/\/localhost:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server!.stderr!.on("data", (d) => (out += d.toString()));
      server!.once("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
    });

    const pems = await selfsigned.generate([{ name: "commonName", value: PUBLIC_HOST }], {
      keySize: 2048,
      algorithm: "sha256",
      extensions: [
        { name: "basicConstraints", cA: true },
        { name: "subjectAltName", altNames: [{ type: 2, value: PUBLIC_HOST }] },
      ],
    });
    ca = pems.cert;
    writeFileSync(path.join(dir, "proxy.crt"), pems.cert);
    writeFileSync(path.join(dir, "proxy.key"), pems.private);
    // The proxy configuration docs/deploy.md gives, on test ports and paths.
    writeFileSync(
      path.join(dir, "nginx.conf"),
      `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
${process.getuid?.() === 0 ? "user root;" : ""}
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
  server {
    listen 127.0.0.1:${proxyPort} ssl;
    server_name ${PUBLIC_HOST};
    ssl_certificate ${dir}/proxy.crt;
    ssl_certificate_key ${dir}/proxy.key;
    location /desk/hedge/ {
      proxy_pass http://127.0.0.1:${backendPort};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
    );
    nginx = spawn(
      NGINX,
      [
        "-p",
        dir,
        "-c",
        path.join(dir, "nginx.conf"),
        "-e",
        path.join(dir, "nginx-error.log"),
        "-g",
        "daemon off;",
      ],
      {
        stdio: "pipe",
      },
    );
    let nginxOut = "";
    nginx.stderr!.on("data", (d) => (nginxOut += d.toString()));
    // Ready when it accepts; an early exit (port taken, bad config) fails with its own words.
    const early = exited(nginx).then(() => {
      throw new Error(`nginx exited: ${nginxOut} ${readFileSync(path.join(dir, "nginx-error.log"), "utf8")}`);
    });
    const ready = (async () => {
      while (!(await accepts(proxyPort))) await new Promise((r) => setTimeout(r, 50));
    })();
    await Promise.race([ready, early]);
  }, 240_000);

  afterAll(async () => {
    nginx?.kill("SIGTERM");
    server?.kill("SIGTERM");
    await Promise.all([nginx && exited(nginx), server && exited(server)]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("unpacked, it holds production dependencies only: no tsx, esbuild, TypeScript or webpack", () => {
    const modules = readdirSync(path.join(app, "node_modules"));
    for (const dev of ["tsx", "esbuild", "typescript", "webpack", "vitest", "@microsoft"])
      expect(modules, dev).not.toContain(dev);
    expect(modules).toContain("fastify");
    for (const file of ["manifest.xml", "LICENSE", "README.md", "CHANGELOG.md", "package-lock.json"])
      expect(existsSync(path.join(app, file)), file).toBe(true);
    expect(
      readdirSync(path.join(app, "dist"), { recursive: true }).filter((f) => String(f).endsWith(".map")),
    ).toEqual([]);
  });

  it("serves manifest, pane, functions.json, functions.js and the API through the proxy, every URL public", async () => {
    const manifest = await get(`${base}manifest.xml`);
    expect(manifest.status).toBe(200);
    const urls = [...manifest.body.matchAll(/DefaultValue="(https?:\/\/[^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(10);
    for (const url of urls) {
      expect(url.startsWith(base), url).toBe(true);
      expect(new URL(url).searchParams.get("v"), url).toBe(version);
    }
    expect(manifest.body).toContain(`<AppDomain>https://${PUBLIC_HOST}:${proxyPort}</AppDomain>`);
    expect(manifest.body).toContain(`<Version>${version}.0</Version>`);
    expect(manifest.body).not.toContain("localhost");

    // Everything the manifest names answers through the proxy.
    for (const url of new Set(urls)) expect((await get(url)).status, url).toBe(200);

    const pane = await get(urls.find((u) => new URL(u).pathname.endsWith("/taskpane.html"))!);
    expect(pane.type).toContain("text/html");
    expect(pane.body).toContain(`Inverse Hedge ${version}`);
    const scripts = [...pane.body.matchAll(/<script src="?([^"\s>]+)"?/g)]
      .map((m) => m[1])
      .filter((s) => !s.startsWith("https://appsforoffice"));
    expect(scripts.map((s) => s.split("?")[0])).toEqual(["functions.js", "taskpane.js"]);
    for (const src of scripts) {
      const res = await get(new URL(src, `${base}taskpane.html`).href);
      expect(res.status, src).toBe(200);
      expect(res.type, src).toContain("javascript");
    }

    const functionsJson = await get(`${base}functions.json?v=${version}`);
    const metadata = JSON.parse(functionsJson.body) as { functions: { helpUrl?: string }[] };
    for (const fn of metadata.functions)
      expect(fn.helpUrl?.startsWith(`${base}help/functions.html#`)).toBe(true);
    expect((await get(`${base}help/functions.html`)).status).toBe(200);

    const quotes = await get(`${base}api/v1/quotes?items=bybit:BTCUSD,okx:BTC-USD-SWAP`);
    expect(quotes.status).toBe(200);
    const body = JSON.parse(quotes.body) as { quotes: { source?: string; markPrice?: number }[] };
    expect(body.quotes).toHaveLength(2);
    for (const q of body.quotes) {
      expect(q.source).toBe("replay");
      expect(q.markPrice).toBeGreaterThan(0);
    }
    const health = JSON.parse((await get(`${base}api/v1/health`)).body) as { version: string };
    expect(health.version).toBe(version);
  });
});
