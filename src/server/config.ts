import { EXCHANGES, type Exchange } from "../market/types";
import { MAX_BODY_BYTES } from "./market/upstream";

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
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

/** Reads PORT, HOST, HEDGE_HTTP, HEDGE_OFFICE_JS, HEDGE_MARKET, HEDGE_UPSTREAM_*, HEDGE_QUOTE_TTL_MS and HEDGE_UPSTREAM_TIMEOUT_MS. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, distDir = "dist"): ServerConfig {
  const market = env.HEDGE_MARKET ?? "live";
  if (market !== "live" && market !== "replay") {
    throw new Error(`HEDGE_MARKET must be "live" or "replay" (got "${market}")`);
  }
  const officeJs = env.HEDGE_OFFICE_JS || "cdn";
  if (officeJs !== "cdn" && officeJs !== "local") {
    throw new Error(`HEDGE_OFFICE_JS must be "cdn" or "local" (got "${officeJs}")`);
  }
  const upstream: Partial<Record<Exchange, string>> = {};
  for (const exchange of EXCHANGES) {
    const raw = env[`HEDGE_UPSTREAM_${exchange.toUpperCase()}`];
    if (!raw) continue;
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`HEDGE_UPSTREAM_${exchange.toUpperCase()} must be an http(s) origin (got "${raw}")`);
    }
    upstream[exchange] = url.origin;
  }
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env.HOST || "localhost",
    http: env.HEDGE_HTTP === "1" || env.HEDGE_HTTP === "true",
    distDir,
    market,
    upstream,
    quoteTtlMs: integer(env, "HEDGE_QUOTE_TTL_MS", 10_000, 0, 3_600_000),
    upstreamTimeoutMs: integer(env, "HEDGE_UPSTREAM_TIMEOUT_MS", 5_000, 1, 120_000),
    upstreamMaxBodyBytes: integer(env, "HEDGE_UPSTREAM_MAX_BYTES", MAX_BODY_BYTES, 1024, 64 * 1024 * 1024),
    officeJs,
  };
}
