import type { FastifyInstance } from "fastify";

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (id: unknown) => void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};

/**
 * Stops the server within `graceMs`: no new connections, idle keep-alive connections closed at once, requests
 * in flight answered if they finish in time; after that every connection still open is closed.
 */
export async function closeWithin(
  app: FastifyInstance,
  graceMs: number,
  timers: Timers = realTimers,
): Promise<"clean" | "forced"> {
  let forced = false;
  const deadline = timers.setTimeout(() => {
    forced = true;
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    timers.clearTimeout(deadline);
  }
  return forced ? "forced" : "clean";
}

/**
 * Under `npm run serve` / `npm start` the server runs below npm's shell: a SIGTERM to npm ends npm and the shell
 * but not this process, which would keep the port. So when started by npm, the server stops once its parent
 * is gone. (Started directly, e.g. by systemd or nohup, it does not watch.)
 */
export function stopWhenOrphaned(onOrphaned: () => void, everyMs = 250): void {
  if (!process.env.npm_lifecycle_event || process.platform === "win32") return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, everyMs);
  timer.unref();
}
