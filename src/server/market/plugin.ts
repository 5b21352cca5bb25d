import { PRICE_KINDS, type PriceKind } from "../../market/price-kinds";
import type { FastifyInstance, FastifyReply } from "fastify";
import { isWellFormedSymbol } from "../../market/contracts";
import { MarketError } from "../../market/errors";
import { EXCHANGES, type Exchange } from "../../market/types";
import type { ServerConfig } from "../config";
import { MarketService, type MarketServiceOptions } from "./service";

/** What a client may name: an exchange from the fixed list and a well-formed symbol, nothing else. */
export const MAX_ITEMS = 50;
const MAX_DAYS = 365;

export interface MarketApiOptions extends MarketServiceOptions {
  config: ServerConfig;
  /** A service to use instead of a new one (tests and the benchmark read its counters). */
  service?: MarketService;
}

/** A 4xx the client caused: its message says which parameter and which rule. */
class BadRequest extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function exchangeOf(raw: string): Exchange {
  const exchange = raw.toLowerCase();
  if (!(EXCHANGES as readonly string[]).includes(exchange)) {
    throw new BadRequest(
      "unknown_exchange",
      `unknown exchange "${raw.slice(0, 40)}"; use one of ${EXCHANGES.join(", ")}`,
    );
  }
  return exchange as Exchange;
}

/** Checks a symbol's shape only: whether the venue lists it is the venue's list's business (an item error). */
function symbolOf(symbol: string): string {
  if (!isWellFormedSymbol(symbol)) {
    throw new BadRequest(
      "invalid_symbol",
      `symbol "${symbol.slice(0, 40)}" must be 1 to 40 letters, digits, _ . or -`,
    );
  }
  return symbol;
}

/** A query parameter that must be given at most once, as text. */
function single(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new BadRequest("invalid_parameter", `${name} must be given once`);
  return value;
}

function parseItems(raw: string | undefined): { exchange: Exchange; symbol: string }[] {
  if (!raw)
    throw new BadRequest("invalid_parameter", "items is required, e.g. items=bybit:BTCUSD,okx:BTC-USD-SWAP");
  if (raw.length > MAX_ITEMS * 50) throw new BadRequest("too_many_items", `items is too long`);
  const items = raw.split(",");
  if (items.length > MAX_ITEMS)
    throw new BadRequest("too_many_items", `at most ${MAX_ITEMS} items, got ${items.length}`);
  return items.map((item) => {
    const colon = item.indexOf(":");
    if (colon < 0)
      throw new BadRequest("invalid_item", `item "${item.slice(0, 60)}" must be exchange:symbol`);
    return { exchange: exchangeOf(item.slice(0, colon)), symbol: symbolOf(item.slice(colon + 1)) };
  });
}

function parseDays(raw: string | undefined, fallback = 30): number {
  if (raw === undefined || raw === "") return fallback;
  const days = Number(raw);
  if (!/^\d{1,3}$/.test(raw) || days < 1 || days > MAX_DAYS) {
    throw new BadRequest("invalid_days", `days must be a whole number from 1 to ${MAX_DAYS}`);
  }
  return days;
}

const STATUS: Record<MarketError["code"], number> = {
  upstream_timeout: 504,
  upstream_unavailable: 502,
  upstream_rate_limited: 502,
  upstream_bad_response: 502,
  upstream_error: 502,
  not_listed: 404,
  not_inverse: 404,
  expired: 404,
};

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

/** The market API: GET /api/v1/quotes, /funding-history, /price-history, /curve, /contracts and /health (shared spec market-api.md). */
export async function marketApi(app: FastifyInstance, opts: MarketApiOptions): Promise<void> {
  const service = opts.service ?? new MarketService(opts.config, opts);
  // Refreshes running in the background must not outlive the server.
  if (!opts.service) app.addHook("onClose", async () => service.close());

  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof BadRequest) return sendError(reply, 400, err.code, err.message);
    if (err instanceof MarketError) return sendError(reply, STATUS[err.code], err.code, err.message);
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return sendError(reply, status, "bad_request", (err as Error).message);
    }
    app.log.error(err);
    return sendError(reply, 500, "internal_error", "internal error");
  });

  app.addHook("onSend", async (_request, reply) => {
    reply.header("cache-control", "no-store");
  });

  app.get("/api/v1/quotes", async (request) => {
    const contracts = parseItems(single(request.query, "items"));
    return { quotes: await service.quotes(contracts) };
  });

  /** Prefixes a venue's error with its name, as every item error is. */
  const named = async <T>(exchange: Exchange, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof MarketError && !err.message.startsWith(`${exchange}:`)) {
        throw new MarketError(err.code, `${exchange}: ${err.message}`, err.detail);
      }
      throw err;
    }
  };

  app.get("/api/v1/funding-history", async (request) => {
    const exchange = exchangeOf(single(request.query, "exchange") ?? "");
    const symbol = symbolOf(single(request.query, "symbol") ?? "");
    const days = parseDays(single(request.query, "days"));
    return named(exchange, async () => service.history(await service.listedContract(exchange, symbol), days));
  });

  app.get("/api/v1/price-history", async (request) => {
    const exchange = exchangeOf(single(request.query, "exchange") ?? "");
    const symbol = symbolOf(single(request.query, "symbol") ?? "");
    const days = parseDays(single(request.query, "days"), 90);
    const price = single(request.query, "price") || "mark";
    if (!(PRICE_KINDS as readonly string[]).includes(price)) {
      throw new BadRequest("invalid_price", `price must be one of ${PRICE_KINDS.join(", ")}`);
    }
    return named(exchange, async () =>
      service.priceHistory(await service.listedContract(exchange, symbol), days, price as PriceKind),
    );
  });

  app.get("/api/v1/curve", async (request) => {
    const exchange = exchangeOf(single(request.query, "exchange") ?? "");
    const coin = single(request.query, "coin") ?? "";
    if (!/^[A-Za-z0-9]{1,12}$/.test(coin)) {
      throw new BadRequest(
        "invalid_coin",
        `coin "${coin.slice(0, 40)}" must be 1 to 12 letters or digits, e.g. BTC`,
      );
    }
    return named(exchange, () => service.curve(exchange, coin));
  });

  app.get("/api/v1/contracts", async () => ({ contracts: await service.contracts() }));

  app.get("/api/v1/health", async () => ({
    status: "ok",
    version: opts.config.version,
    source: opts.config.market,
    exchanges: service.healthReport(),
  }));

  // Everything under /api/v1 is read-only: other methods get a JSON 405 rather than a bare 404.
  app.route({
    method: ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
    url: "/api/v1/*",
    bodyLimit: 1024,
    // Answered before any body is read or parsed.
    onRequest: async (request, reply) =>
      sendError(
        reply.header("allow", "GET, HEAD"),
        405,
        "method_not_allowed",
        `${request.method} is not allowed; the API is GET only`,
      ),
    handler: async () => undefined,
  });
}
