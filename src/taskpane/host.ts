/** Where the page runs: inside Excel (it may write to the workbook) or anywhere else (read-only dashboard). */
export type PaneHost = "excel" | "browser";

export interface HostWatchOptions {
  /** How long to wait for Office before showing the dashboard. */
  timeoutMs?: number;
  office?: Pick<typeof Office, "onReady" | "HostType">;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
}

/**
 * Tells the page where it runs. No office.js at all (CDN blocked) or a plain browser: "browser" at once.
 * An Office that has not answered within `timeoutMs`: "browser" then, so the page never hangs, and "excel"
 * later if Office.onReady then reports Excel, however late (a long-lived shared runtime can start slowly):
 * the caller switches to Excel mode. At most one "browser" and one "excel", in that order.
 */
export function watchHost(onHost: (host: PaneHost) => void, options: HostWatchOptions = {}): void {
  const office =
    options.office ?? (globalThis as { Office?: Pick<typeof Office, "onReady" | "HostType"> }).Office;
  const timers = options.timers ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  if (typeof office?.onReady !== "function") {
    onHost("browser");
    return;
  }
  let answered = false;
  const timer = timers.setTimeout(() => {
    if (answered) return;
    answered = true;
    onHost("browser");
  }, options.timeoutMs ?? 3000);
  office
    .onReady()
    .then((info) => {
      timers.clearTimeout(timer);
      const excel = info?.host === office.HostType?.Excel;
      if (excel) onHost("excel");
      else if (!answered) onHost("browser");
      answered = true;
    })
    .catch(() => {
      timers.clearTimeout(timer);
      if (!answered) onHost("browser");
      answered = true;
    });
}
