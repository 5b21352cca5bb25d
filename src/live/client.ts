import type { FundingHistory, Quote, QuoteResult } from "../market/types";

/** One instrument as the API names it: `exchange:symbol`. */
export interface QuoteItem {
  exchange: string;
  symbol: string;
}

/** Raised when the add-in's own server cannot be reached, does not answer in time, or answers with an error. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** How long any request from the add-in may take, body included; past it the request is abandoned. */
export const REQUEST_DEADLINE_MS = 15_000;

/** The timers the client uses for its deadline; injectable so tests drive time. */
/** The timers the live layer uses; injectable so tests drive time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ApiClientOptions {
  deadlineMs?: number;
  timers?: Timers;
  /** The page the add-in runs in (its URL decides where the API is); `location` when omitted. */
  page?: () => { href: string };
  fetch?: typeof fetch;
}

/**
 * The folder the add-in's page is served from, which is where its API is: `https://host/addin/taskpane.html`
 * gives `https://host/addin/`. (No URL class: the functions runtime may lack it.)
 */
export function apiBase(href: string): string {
  const clean = href.replace(/[?#].*$/, "");
  return clean.slice(0, clean.lastIndexOf("/") + 1);
}

/** The host's timers (client, quote poller and curve poller share this one definition). */
export const hostTimers: Timers = {
  // Looked up at call time: the custom-functions runtime may install its timers after this module loads.
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What a body that is not our JSON says about what happened: a web page (a proxy's, a sign-in) or else. */
function notData(status: number, contentType: string, text: string): string {
  const html = /html/i.test(contentType) || /^\s*</.test(text);
  return html
    ? `the add-in server answered with a web page instead of data (HTTP ${status}); a proxy or sign-in page may be in the way`
    : `the add-in server answered with something other than data (HTTP ${status})`;
}

/** A client of the add-in's own API: every request under the page's base, each with a deadline. */
export function createApiClient(options: ApiClientOptions = {}) {
  const deadlineMs = options.deadlineMs ?? REQUEST_DEADLINE_MS;
  const timers = options.timers ?? hostTimers;
  const page = options.page ?? (() => location);
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? fetch)(input, init);

  async function request<T>(url: string, signal: AbortSignal | undefined): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(url, { signal, headers: { accept: "application/json" } });
    } catch (err) {
      throw new ApiRequestError(`add-in server unreachable: ${(err as Error).message}`, 0, "unreachable");
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw new ApiRequestError(`add-in server unreachable: ${(err as Error).message}`, 0, "unreachable");
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiRequestError(
        notData(response.status, response.headers.get("content-type") ?? "", text),
        response.status,
        "not_data",
      );
    }
    if (!response.ok || body === null || typeof body !== "object") {
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiRequestError(
        error?.message ?? `the add-in server answered HTTP ${response.status}`,
        response.status,
        error?.code ?? "http_error",
      );
    }
    return body as T;
  }

  /** GET a path of the API (`api/v1/...`, relative to the add-in's base) as JSON, within the deadline. */
  async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
    const url = apiBase(page().href) + path.replace(/^\//, "");
    const controller = typeof AbortController === "function" ? new AbortController() : undefined;
    const forward = () => controller?.abort();
    signal?.addEventListener?.("abort", forward);
    let timer: unknown;
    const deadline = new Promise<never>((_, reject) => {
      timer = timers.setTimeout(() => {
        controller?.abort();
        reject(
          new ApiRequestError(`the add-in server did not answer within ${deadlineMs / 1000} s`, 0, "timeout"),
        );
      }, deadlineMs);
    });
    try {
      return await Promise.race([request<T>(url, controller?.signal ?? signal), deadline]);
    } finally {
      timers.clearTimeout(timer);
      signal?.removeEventListener?.("abort", forward);
    }
  }

  return {
    apiGet,
    /** GET /api/v1/quotes for up to 50 items: one entry per item, in the order asked. */
    async fetchQuotes(items: readonly QuoteItem[], signal?: AbortSignal): Promise<QuoteResult[]> {
      const list = items.map((i) => `${i.exchange}:${i.symbol}`).join(",");
      const body = await apiGet<{ quotes: QuoteResult[] }>(
        `api/v1/quotes?items=${encodeURIComponent(list)}`,
        signal,
      );
      return body.quotes;
    },
    /** GET /api/v1/funding-history. */
    fetchFundingHistory(
      exchange: string,
      symbol: string,
      days: number,
      signal?: AbortSignal,
    ): Promise<FundingHistory> {
      const q = `exchange=${encodeURIComponent(exchange)}&symbol=${encodeURIComponent(symbol)}&days=${days}`;
      return apiGet<FundingHistory>(`api/v1/funding-history?${q}`, signal);
    },
    /** GET /api/v1/curve: every live inverse contract of a coin on a venue, perpetual first, then by expiry. */
    fetchCurve(exchange: string, coin: string, signal?: AbortSignal): Promise<{ quotes: Quote[] }> {
      const q = `exchange=${encodeURIComponent(exchange)}&coin=${encodeURIComponent(coin)}`;
      return apiGet<{ quotes: Quote[] }>(`api/v1/curve?${q}`, signal);
    },
  };
}

const defaultClient = createApiClient();
/** The add-in's API as the bundle uses it: the page's base, global fetch and timers, a 15 s deadline. */
export const { apiGet, fetchQuotes, fetchFundingHistory, fetchCurve } = defaultClient;
