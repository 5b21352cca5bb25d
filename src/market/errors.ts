/** Why market data could not be served; the API turns the code into an HTTP status and a JSON error. */
export type MarketErrorCode =
  | "upstream_timeout"
  | "upstream_unavailable"
  | "upstream_rate_limited"
  | "upstream_bad_response"
  | "upstream_error"
  | "not_listed"
  | "not_inverse"
  | "expired";

/** A failure getting or reading a venue's data. `message` is safe to show to a user; `detail` is for logs. */
export class MarketError extends Error {
  constructor(
    readonly code: MarketErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "MarketError";
  }
}

/** The one error every parser raises for a payload it cannot read: never a NaN or a zero instead. */
export function notUnderstood(detail: string): MarketError {
  return new MarketError("upstream_bad_response", "upstream response not understood", detail);
}

/** The venue answered, but with an error of its own (e.g. Bybit retCode, OKX code, Deribit error). */
export function venueReported(message: string): MarketError {
  return new MarketError("upstream_error", `upstream error: ${message.slice(0, 200)}`);
}
