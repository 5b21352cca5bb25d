import { readFileSync } from "node:fs";
import path from "node:path";
import { EXCHANGES, type Exchange } from "../market/types";
import { MAX_BODY_BYTES } from "./market/upstream";

/** The origin every URL in the built add-in is written with (manifest, functions.json, help pages). */
export const DEV_ADDIN_URL = "https://localhost:3000/";

/** Everything the server reads from its environment, parsed once. */
export interface ServerConfig {
  port: number;
  host: string;
  /** Plain HTTP instead of HTTPS (HEDGE_HTTP=1). */
  http: boolean;
  /** Where the built add-in is (dist/). */
  distDir: string;
  /** "live" calls the exchanges; "replay" serves recorded data shipped in the repo. */
  market: "live" | "replay";
  /** Replaces each venue's API host (scheme, host and port); paths stay the venue's own. */
  upstream: Partial<Record<Exchange, string>>;
  quoteTtlMs: number;
  upstreamTimeoutMs: number;
  /** Largest venue body read; more is "upstream response too large". */
  upstreamMaxBodyBytes: number;
  /** "cdn" pages load office.js from Microsoft's CDN; "local" from the npm @microsoft/office-js copy. */
  officeJs: "cdn" | "local";
  /**
   * The public URL the add-in is reached at (HEDGE_ADDIN_URL, ending in "/"): every URL in the manifest,
   * functions.json and the help pages is served pointing there, and its path is where the server answers.
   */
  addinUrl: URL;
  /** Host names a request may carry in Host (and X-Forwarded-Host): anything else gets 421. */
  allowedHosts: string[];
  /** Which peers may set X-Forwarded-Proto/-Host: false, or proxy-addr's list ("loopback", addresses, CIDRs). */
  trustProxy: false | string;
  /** The add-in's version (package.json), shown in /api/v1/health. */
  version: string;
  /** Connection limits: a client must send its headers, and its whole request, within these. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** On SIGTERM/SIGINT: requests in flight get this long, then every connection is closed. */
  shutdownGraceMs: number;
}

/** A setting that cannot be used: the message names the variable (or file) and what it must be. */
export class SettingError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new SettingError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? "").trim().toLowerCase();
  if (raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new SettingError(`${name} must be 1 or true (or 0, false, unset) (got "${env[name]}")`);
}

/** A venue origin: scheme, host and port only, since the request paths are the venue's own. */
function upstreamOrigin(name: string, raw: string): string {
  const example = `e.g. ${name}=http://127.0.0.1:9101`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingError(`${name} must be an http(s) origin, ${example} (got "${raw}": not a URL)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SettingError(`${name} must be an http(s) origin, ${example} (got "${raw}")`);
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new SettingError(
      `${name} must be an origin only (scheme, host, port), without a path, query or credentials: the venue's ` +
        `own paths are appended (got "${raw}")`,
    );
  }
  return url.origin;
}

/** HEDGE_ADDIN_URL: an https URL, normalised to end in "/". */
export function parseAddinUrl(raw: string | undefined, name = "HEDGE_ADDIN_URL"): URL {
  if (!raw) return new URL(DEV_ADDIN_URL);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingError(`${name} must be an https URL like https://hedge.example.com/ (got "${raw}")`);
  }
  if (url.protocol !== "https:") {
    throw new SettingError(
      `${name} must be an https URL: Office loads add-ins over https only (got "${raw}")`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new SettingError(`${name} must have no query, fragment or credentials (got "${raw}")`);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

function trustProxyOf(env: NodeJS.ProcessEnv): false | string {
  const raw = (env.HEDGE_TRUST_PROXY ?? "").trim();
  if (raw === "") return "loopback";
  if (raw === "none" || raw === "0" || raw === "false") return false;
  const names = new Set(["loopback", "linklocal", "uniquelocal"]);
  for (const part of raw.split(",").map((p) => p.trim())) {
    if (!names.has(part) && !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(part)) {
      throw new SettingError(
        `HEDGE_TRUST_PROXY must be "none", "loopback" or a comma-separated list of proxy addresses or CIDR ` +
          `ranges like 10.0.0.5,10.1.0.0/16 (got "${raw}")`,
      );
    }
  }
  return raw;
}

/** The version in the package.json beside dist/ (the repository's, or the release's). */
export function packageVersion(distDir: string): string {
  const file = path.join(path.resolve(distDir), "..", "package.json");
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Reads PORT, HOST, HEDGE_* (README "Configuration"); every malformed value is a SettingError naming it. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, distDir = "dist"): ServerConfig {
  const market = env.HEDGE_MARKET || "live";
  if (market !== "live" && market !== "replay") {
    throw new SettingError(`HEDGE_MARKET must be "live" or "replay" (got "${market}")`);
  }
  const officeJs = env.HEDGE_OFFICE_JS || "cdn";
  if (officeJs !== "cdn" && officeJs !== "local") {
    throw new SettingError(`HEDGE_OFFICE_JS must be "cdn" or "local" (got "${officeJs}")`);
  }
  const upstream: Partial<Record<Exchange, string>> = {};
  for (const exchange of EXCHANGES) {
    const name = `HEDGE_UPSTREAM_${exchange.toUpperCase()}`;
    const raw = env[name];
    if (raw) upstream[exchange] = upstreamOrigin(name, raw);
  }
  const host = env.HOST || "localhost";
  const addinUrl = parseAddinUrl(env.HEDGE_ADDIN_URL);
  const allowedHosts = [
    ...new Set(["localhost", "127.0.0.1", "[::1]", host.toLowerCase(), addinUrl.hostname.toLowerCase()]),
  ];
  const headersTimeoutMs = integer(env, "HEDGE_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000);
  const requestTimeoutMs = integer(env, "HEDGE_REQUEST_TIMEOUT_MS", 60_000, 100, 3_600_000);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new SettingError(
      `HEDGE_REQUEST_TIMEOUT_MS (${requestTimeoutMs}) must not be below HEDGE_HEADERS_TIMEOUT_MS (${headersTimeoutMs})`,
    );
  }
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host,
    http: flag(env, "HEDGE_HTTP"),
    distDir,
    market,
    upstream,
    quoteTtlMs: integer(env, "HEDGE_QUOTE_TTL_MS", 10_000, 0, 3_600_000),
    upstreamTimeoutMs: integer(env, "HEDGE_UPSTREAM_TIMEOUT_MS", 5_000, 1, 120_000),
    upstreamMaxBodyBytes: integer(env, "HEDGE_UPSTREAM_MAX_BYTES", MAX_BODY_BYTES, 1024, 64 * 1024 * 1024),
    officeJs,
    addinUrl,
    allowedHosts,
    trustProxy: trustProxyOf(env),
    version: packageVersion(distDir),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, "HEDGE_KEEP_ALIVE_TIMEOUT_MS", 5_000, 100, 600_000),
    shutdownGraceMs: integer(env, "HEDGE_SHUTDOWN_GRACE_MS", 8_000, 0, 60_000),
  };
}
