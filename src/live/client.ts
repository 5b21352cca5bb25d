import type { FundingHistory, QuoteResult } from "../market/types";

/** One instrument as the API names it: `exchange:symbol`. */
export interface QuoteItem {
  exchange: string;
  symbol: string;
}

/** Raised when the add-in's own server cannot be reached or answers with an error. */
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

/** The page's own origin: every browser-side request goes there. (No URL class: the functions runtime may lack it.) */
function apiUrl(path: string): string {
  return location.origin + path;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path), { signal, headers: { accept: "application/json" } });
  } catch (err) {
    throw new ApiRequestError(`add-in server unreachable: ${(err as Error).message}`, 0, "unreachable");
  }
  const body = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string };
  } | null;
  if (!response.ok || body === null) {
    const error = body?.error;
    throw new ApiRequestError(
      error?.message ?? `add-in server answered HTTP ${response.status}`,
      response.status,
      error?.code ?? "http_error",
    );
  }
  return body as T;
}

/** GET /api/v1/quotes for up to 50 items: one entry per item, in the order asked. */
export async function fetchQuotes(items: readonly QuoteItem[], signal?: AbortSignal): Promise<QuoteResult[]> {
  const list = items.map((i) => `${i.exchange}:${i.symbol}`).join(",");
  const body = await getJson<{ quotes: QuoteResult[] }>(
    `/api/v1/quotes?items=${encodeURIComponent(list)}`,
    signal,
  );
  return body.quotes;
}

/** GET /api/v1/funding-history. */
export async function fetchFundingHistory(
  exchange: string,
  symbol: string,
  days: number,
  signal?: AbortSignal,
): Promise<FundingHistory> {
  const q = `exchange=${encodeURIComponent(exchange)}&symbol=${encodeURIComponent(symbol)}&days=${days}`;
  return getJson<FundingHistory>(`/api/v1/funding-history?${q}`, signal);
}
