/*
 * The built bundle as the live-function tests run it: its timeouts on a fake clock (so deadlines and refresh
 * intervals are decided by the test), its intervals real, and every URL it fetches recorded.
 */
import { loadBundle, type LoadedBundle } from "./bundle";
import { FakeClock } from "./fake-clock";

export interface ClockedBundle {
  bundle: LoadedBundle;
  clock: FakeClock;
  /** What the bundle fetched: whole URLs, or paths when `relativeTo` is the origin they start with. */
  fetched: string[];
}

export function loadBundleOnClock(options: {
  href: string;
  fetch?: typeof fetch;
  globals?: Record<string | symbol, unknown>;
  /** Recorded URLs lose this prefix (the add-in server's origin). */
  relativeTo?: string;
}): ClockedBundle {
  const clock = new FakeClock();
  const fetched: string[] = [];
  const doFetch = options.fetch ?? fetch;
  const origin = /^https?:\/\/[^/]+/.exec(options.href)![0];
  const bundle = loadBundle({
    globals: options.globals,
    location: { origin, href: options.href },
    fetch: ((input: string, init?: RequestInit) => {
      const url = String(input);
      fetched.push(
        options.relativeTo && url.startsWith(options.relativeTo) ? url.slice(options.relativeTo.length) : url,
      );
      return doFetch(input, init);
    }) as typeof fetch,
    timers: {
      setTimeout: clock.timers.setTimeout as unknown as typeof setTimeout,
      clearTimeout: clock.timers.clearTimeout as unknown as typeof clearTimeout,
      setInterval,
      clearInterval,
    },
  });
  return { bundle, clock, fetched };
}

/** Waits (real time) until the condition holds: where real sockets and HTTP round trips must do their part. */
export async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}
