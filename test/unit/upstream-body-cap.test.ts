/*
 * The venue body cap on its own: an injected fetch hands Upstream real Response objects, so the cap is decided
 * by bytes counted, never by a timer racing a large transfer.
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/server/config";
import { MAX_BODY_BYTES, Upstream, VenueGate, type Env } from "../../src/server/market/upstream";

const env: Env = { now: () => 0, random: () => 0, sleep: async () => undefined };
const request = { name: "tickers", path: "/tickers", query: {}, weight: 1 };
const gate = () => new VenueGate(1_000, 60_000);

/** A body of `chunks` chunks of `size` bytes each; `open` leaves it unfinished after them (a stalled sender). */
function stream(chunks: number, size: number, open = false) {
  let sent = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent < chunks) {
        sent++;
        controller.enqueue(new Uint8Array(size).fill(0x20));
      } else if (!open) controller.close();
      // open: never enqueues again and never closes, like a venue that stops sending.
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, sent: () => sent, cancelled: () => cancelled };
}

function upstream(response: () => Response, cap: number) {
  const fetchImpl = (async () => response()) as unknown as typeof fetch;
  return new Upstream(fetchImpl, 60_000, env, cap);
}

describe("the upstream body cap", () => {
  it("a chunked body (no Content-Length) over the cap is refused once the cap is passed, and the read stops", async () => {
    const s = stream(64, 1024);
    const up = upstream(
      () => new Response(s.body, { headers: { "content-type": "application/json" } }),
      4096,
    );
    await expect(up.get("okx", "http://venue.test", request, gate())).rejects.toMatchObject({
      code: "upstream_bad_response",
      message: "upstream response too large",
    });
    // 4 KiB allowed: the fifth 1 KiB chunk breaks the cap; nothing near the 64 chunks is read.
    expect(s.sent()).toBeLessThanOrEqual(6);
    expect(s.cancelled()).toBe(true);
  });

  it("a declared Content-Length over the cap is refused before any byte is read (the body never ends)", async () => {
    const s = stream(0, 0, true);
    const up = upstream(
      () =>
        new Response(s.body, {
          headers: { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) },
        }),
      4096,
    );
    await expect(up.get("okx", "http://venue.test", request, gate())).rejects.toMatchObject({
      code: "upstream_bad_response",
      message: "upstream response too large",
    });
    expect(s.cancelled()).toBe(true);
  });

  it("a body exactly at the cap is read", async () => {
    const text = JSON.stringify({ pad: "x".repeat(4096 - 10) });
    expect(Buffer.byteLength(text)).toBe(4096);
    const up = upstream(() => new Response(text, { headers: { "content-type": "application/json" } }), 4096);
    await expect(up.get("okx", "http://venue.test", request, gate())).resolves.toEqual(JSON.parse(text));
  });

  it("HEDGE_UPSTREAM_MAX_BYTES sets it; the default fits three full BitMEX instrument lists", () => {
    expect(readConfig({}).upstreamMaxBodyBytes).toBe(MAX_BODY_BYTES);
    expect(readConfig({ HEDGE_UPSTREAM_MAX_BYTES: "16384" }).upstreamMaxBodyBytes).toBe(16384);
    expect(() => readConfig({ HEDGE_UPSTREAM_MAX_BYTES: "12kb" })).toThrow(/HEDGE_UPSTREAM_MAX_BYTES/);
    // 400 instruments x 3.2 KB (one full recorded instrument/active row) x 3.
    expect(MAX_BODY_BYTES).toBeGreaterThanOrEqual(400 * 3200 * 3);
    expect(MAX_BODY_BYTES).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});
