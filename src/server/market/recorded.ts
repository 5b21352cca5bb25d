import { readFile } from "node:fs/promises";
import type { Exchange } from "../../market/types";

/** When the recorded data was taken: replay mode judges dated futures' expiry against this time. */
export const RECORDED_AT = Date.parse("2026-11-26T15:30:00Z");

// The compiled server (dist-server/server.js) has the recorded answers beside it, in replay/.
const ROOT = new URL(
  import.meta.url.endsWith("/dist-server/server.js") ? "./replay/" : "../../market/replay/",
  import.meta.url,
);

/**
 * The recorded payload a venue request is named after (src/market/replay/<venue>/<name>.json), or undefined
 * when none was recorded. Serves replay mode, the fake exchange and the parser tests alike.
 */
export async function readRecorded(exchange: Exchange, name: string): Promise<unknown> {
  // Names come from the adapters (request names, or "history-" + a symbol the contract table resolved).
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(name) || name.includes("..")) return undefined;
  try {
    return JSON.parse(await readFile(new URL(`${exchange}/${name}.json`, ROOT), "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
