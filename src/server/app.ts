import { existsSync, readdirSync, readFileSync } from "node:fs";
import { STATUS_CODES } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import { DEV_ADDIN_URL, type ServerConfig } from "./config";
import { marketApi } from "./market/plugin";

export const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OFFICE_JS_LOCAL = "/vendor/office-js/office.js";
const OFFICE_CDN_ORIGIN = "https://appsforoffice.microsoft.com";

/**
 * The npm @microsoft/office-js copy of the CDN files (offline development, browser tests). It is a development
 * dependency (87 MB): a release installs it only when HEDGE_OFFICE_JS=local asks for it.
 */
function officeJsDir(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve("@microsoft/office-js/package.json")), "dist");
  } catch {
    return undefined;
  }
}

/** Writes the built add-in's development origin as the public one: "https://localhost:3000/x" -> "<url>x". */
export function rewriteOrigin(text: string, target: URL): string {
  if (target.href === DEV_ADDIN_URL) return text;
  // The origin alone (AppDomain) becomes the public origin; every URL under it keeps its path below the base.
  return text.split(DEV_ADDIN_URL).join(target.href).split(DEV_ADDIN_URL.slice(0, -1)).join(target.origin);
}

/** Text files of the built add-in that name the development origin, by URL path ("/manifest.xml"). */
function filesNamingOrigin(dist: string): string[] {
  if (!existsSync(dist)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(html|json|xml|js|css)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (readFileSync(file, "utf8").includes(DEV_ADDIN_URL.slice(0, -1)))
      found.push("/" + path.relative(dist, file).split(path.sep).join("/"));
  }
  return found;
}

/** Host name of a Host (or X-Forwarded-Host) value, lower case, without port; undefined if malformed. */
function hostnameOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(`http://${value.trim()}`);
    if (url.pathname !== "/" || url.username || url.search) return undefined;
    return url.hostname.replace(/\.$/, "");
  } catch {
    return undefined;
  }
}

const sendError = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).header("cache-control", "no-store").send({ error: { code, message } });

export interface BuildOptions {
  /** TLS key and certificate; plain HTTP when absent. */
  https?: { key: string; cert: string };
  logger?: FastifyServerOptions["logger"];
  /** How often Node looks for connections past their header or request timeout (tests make it short). */
  connectionsCheckingIntervalMs?: number;
}

/** The add-in's server: the built add-in (dist/), help pages, office.js fallback and the market API. */
export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Half-open connections are closed: headers (and the TLS handshake) must arrive within headersTimeoutMs, a
  // whole request within requestTimeoutMs; an idle keep-alive connection lasts keepAliveTimeoutMs.
  const limits = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Node looks every 30 s by default, so a silent connection could live 40 s; every 2 s keeps it near 12 s.
    connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 2_000,
  };
  const base = config.addinUrl.pathname;
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https
      ? { https: { ...options.https, ...limits, handshakeTimeout: config.headersTimeoutMs } }
      : { http: limits }),
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    forceCloseConnections: "idle",
    // X-Forwarded-Proto/-Host count only from these peers (the TLS-terminating proxy).
    trustProxy: config.trustProxy,
    // Behind a proxy under a path (HEDGE_ADDIN_URL=https://host/hedge/), /hedge/x is served as /x; the root
    // paths answer too, so a proxy that strips the prefix works as well.
    rewriteUrl: (request) => {
      const url = request.url ?? "/";
      if (base === "/" || !url.startsWith(base.slice(0, -1))) return url;
      const rest = url.slice(base.length - 1);
      return rest === "" || rest.startsWith("?") ? `/${rest}` : rest.startsWith("/") ? rest : url;
    },
    // A request Node's parser refuses (unknown method, header timeout, oversized headers) gets our error shape.
    clientErrorHandler: (err, socket) => {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      // Nothing can be answered on a connection that never finished its TLS handshake.
      if (socket.destroyed || !socket.writable || /^ERR_(TLS|SSL)|^ECONNRESET$/.test(code)) {
        socket.destroy();
        return;
      }
      const [status, errorCode, message] =
        code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "request_timeout", "the request did not arrive in time"]
          : code === "HPE_HEADER_OVERFLOW"
            ? [431, "headers_too_large", "request headers too large"]
            : code === "HPE_INVALID_METHOD"
              ? [405, "method_not_allowed", "unknown HTTP method; this server answers GET and HEAD"]
              : [400, "bad_request", "malformed HTTP request"];
      const body = JSON.stringify({ error: { code: errorCode, message } });
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
          `cache-control: no-store\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      // Closed outright, not half-closed: a client that never reads would otherwise hold the connection open.
      socket.destroy();
    },
    // Query strings and paths from clients are short; anything longer is hostile or a mistake.
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 16 * 1024,
  }) as unknown as FastifyInstance;

  // DNS rebinding: a page on another name that resolves to this machine must not read anything here.
  const allowed = new Set(config.allowedHosts);
  app.addHook("onRequest", async (request, reply) => {
    const host = hostnameOf(request.headers.host);
    // request.host is X-Forwarded-Host when a trusted proxy sent it, else the Host header again.
    const forwarded = hostnameOf(request.host);
    if (!host || !allowed.has(host) || !forwarded || !allowed.has(forwarded)) {
      const named = (!host || !allowed.has(host) ? request.headers.host : request.host) ?? "";
      return sendError(
        reply,
        421,
        "misdirected_request",
        `this server does not answer for the host "${named.slice(0, 100)}"; set HEDGE_ADDIN_URL to its public URL`,
      );
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", OFFICE_CDN_ORIGIN],
        // Web components adopt constructed style sheets and set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", OFFICE_CDN_ORIGIN],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'", OFFICE_CDN_ORIGIN],
        frameSrc: ["'self'", OFFICE_CDN_ORIGIN],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // Office hosts the pane in a frame of its own origin (Excel on the web, desktop webviews),
    // so framing must stay allowed: no X-Frame-Options and no frame-ancestors.
    frameguard: false,
    // Office's ribbon loads our icons and Excel loads functions.js/json from its own origin.
    crossOriginResourcePolicy: { policy: "cross-origin" },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    // HSTS on localhost would pin every local port to HTTPS for a year; a production proxy sets its own.
    strictTransportSecurity: false,
  });

  await app.register(marketApi, { config });

  const dist = path.resolve(config.distDir);
  if (!existsSync(path.join(dist, "taskpane.html"))) {
    app.log.warn(`${dist} has no built add-in; run "npm run build"`);
  }

  // Excel (desktop and web) fetches the custom-functions script and metadata cross-origin.
  app.addHook("onSend", async (request, reply) => {
    if (/^\/functions\.js(on)?$/.test(request.url.split("?")[0]))
      reply.header("access-control-allow-origin", "*");
  });

  // Files that name the development origin (manifest, functions.json, pages) are served with the public one;
  // the pane also with office.js from the local copy when asked. Read per request so a rebuild is picked up.
  const officeDir = config.officeJs === "local" ? officeJsDir() : undefined;
  if (config.officeJs === "local" && !officeDir) {
    throw new Error(
      'HEDGE_OFFICE_JS=local needs the @microsoft/office-js package: run "npm install @microsoft/office-js"',
    );
  }
  const rewritten = new Set(filesNamingOrigin(dist));
  if (officeDir) rewritten.add("/taskpane.html");
  for (const file of rewritten) {
    app.get(file, async (_request, reply) => {
      let text = rewriteOrigin(readFileSync(path.join(dist, file), "utf8"), config.addinUrl);
      // Relative, so it holds under a path too.
      if (officeDir && file === "/taskpane.html")
        text = text.split(OFFICE_JS_CDN).join(OFFICE_JS_LOCAL.slice(1));
      const type = file.endsWith(".html")
        ? "text/html; charset=utf-8"
        : file.endsWith(".xml")
          ? "application/xml; charset=utf-8"
          : file.endsWith(".json")
            ? "application/json; charset=utf-8"
            : file.endsWith(".css")
              ? "text/css; charset=utf-8"
              : "text/javascript; charset=utf-8";
      return reply.type(type).header("cache-control", "no-cache").send(text);
    });
  }

  await app.register(fastifyStatic, {
    root: dist,
    index: false,
    wildcard: true,
    // Always revalidate (ETag): a rebuilt add-in must never be served from a stale cache.
    maxAge: 0,
    // Source maps stay private even if a development build left some in dist/.
    allowedPath: (pathName) => !pathName.endsWith(".map"),
  });
  if (officeDir) {
    await app.register(fastifyStatic, {
      root: officeDir,
      prefix: "/vendor/office-js/",
      decorateReply: false,
      index: false,
      maxAge: "1d",
    });
  }

  // Relative, so that under a path (https://host/hedge/) the browser stays below it.
  app.get("/", async (_request, reply) => reply.redirect("taskpane.html"));

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith("/api/")) {
      return sendError(
        reply,
        404,
        "not_found",
        `no API route ${request.method} ${request.url.split("?")[0]}`,
      );
    }
    return reply.code(404).type("text/plain; charset=utf-8").send("Not found");
  });

  return app;
}
