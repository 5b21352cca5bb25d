/** Where the page runs: inside Excel (it may write to the workbook) or anywhere else (read-only dashboard). */
export type PaneHost = "excel" | "browser";

/**
 * Waits for Office.onReady at most `timeoutMs`. No office.js at all (CDN blocked), a plain browser, or an
 * Office that never answers all mean the dashboard: the page never hangs waiting for Office.
 */
export async function detectHost(timeoutMs = 3000): Promise<PaneHost> {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (typeof office?.onReady !== "function") return "browser";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    const info = await Promise.race([office.onReady().catch(() => null), timeout]);
    return info?.host === office.HostType?.Excel ? "excel" : "browser";
  } finally {
    clearTimeout(timer);
  }
}
