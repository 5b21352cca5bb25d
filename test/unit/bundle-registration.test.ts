import { beforeAll, describe, expect, it } from "vitest";
import { loadBundle, readMetadata, type LoadedBundle } from "../support/bundle";

// The Excel boundary, checked on the built bundle: what functions.json promises is what functions.js registers.
describe("dist/functions.js registration", () => {
  let bundle: LoadedBundle;
  beforeAll(() => {
    bundle = loadBundle();
  });

  it("loads with only CustomFunctions, timers, fetch, console and location defined", () => {
    expect(bundle.associated.size).toBeGreaterThan(0);
  });

  it("associates every id in functions.json exactly once, and nothing else", () => {
    const ids = readMetadata().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...bundle.associated.keys()].sort()).toEqual([...ids].sort());
    expect(bundle.duplicates).toEqual([]);
  });

  it("gives every function and parameter a description and every function a help URL", () => {
    for (const fn of bundle.metadata) {
      expect(fn.description, fn.id).toBeTruthy();
      expect(fn.helpUrl, fn.id).toMatch(/^https:\/\/[^/]+\/help\/functions\.html#[a-z0-9-]+$/);
      for (const p of fn.parameters) expect(p.description, `${fn.id}(${p.name})`).toBeTruthy();
    }
  });

  it("names functions in the catalog's families", () => {
    for (const fn of bundle.metadata) {
      expect(fn.name).toBe(fn.id);
      expect(fn.name).toMatch(/^(INVERSE|FUNDING|BASIS|CONTRACT|FUTURES|PRICE)\.[A-Z]+$|^[A-Z]+$/);
    }
  });
});

describe("a host whose CustomFunctions has no ErrorCode enum", () => {
  it("still gets #VALUE! and #N/A with their messages", async () => {
    const bare = loadBundle({ withoutErrorCodeEnum: true });
    expect(await bare.invoke("SIZE", [1000, 0])).toEqual({
      kind: "error",
      code: "#VALUE!",
      message: "price must be greater than 0",
    });
    const liq = await bare.invoke("INVERSE.LIQPRICE", [10_000, 50_000, "short", 1, null, null]);
    expect(liq).toMatchObject({ kind: "error", code: "#N/A" });
    const cell = bare.stream("MARKET", ["nowhere", "BTC", null]);
    expect(cell.latest()).toMatchObject({ code: "#VALUE!", message: expect.stringContaining("exchange") });
  });
});
