import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import type { ServerConfig } from "./config";
import { marketApi } from "./market/plugin";

export const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OFFICE_JS_LOCAL = "/vendor/office-js/office.js";
const OFFICE_CDN_ORIGIN = "https://appsforoffice.microsoft.com";

/** The npm @microsoft/office-js copy of the CDN files (offline development, browser tests). */
function officeJsDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@microsoft/office-js/package.json")), "dist");
}

export interface BuildOptions {
  /** TLS key and certificate; plain HTTP when absent. */
  https?: { key: string; cert: string };
  logger?: FastifyServerOptions["logger"];
}

/** The add-in's server: the built add-in (dist/), help pages, office.js fallback and the market API. */
export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https ? { https: options.https } : {}),
    // Query strings and paths from clients are short; anything longer is hostile or a mistake.
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 16 * 1024,
  }) as unknown as FastifyInstance;

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

  // The pane with office.js from the local copy: read once per request so a rebuild is picked up.
  if (config.officeJs === "local") {
    app.get("/taskpane.html", async (_request, reply) => {
      const html = readFileSync(path.join(dist, "taskpane.html"), "utf8")
        .split(OFFICE_JS_CDN)
        .join(OFFICE_JS_LOCAL);
      return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html);
    });
  }

  await app.register(fastifyStatic, {
    root: dist,
    index: false,
    wildcard: true,
    // Always revalidate (ETag): a rebuilt add-in must never be served from a stale cache.
    maxAge: 0,
  });
  await app.register(fastifyStatic, {
    root: officeJsDir(),
    prefix: "/vendor/office-js/",
    decorateReply: false,
    index: false,
    maxAge: "1d",
  });

  app.get("/", async (_request, reply) => reply.redirect("/taskpane.html"));

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith("/api/")) {
      return reply.code(404).send({
        error: {
          code: "not_found",
          message: `no API route ${request.method} ${request.url.split("?")[0]}`,
        },
      });
    }
    return reply.code(404).type("text/plain; charset=utf-8").send("Not found");
  });

  return app;
}
