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
      expect(fn.name).toMatch(/^(INVERSE|FUNDING|BASIS|CONTRACT)\.[A-Z]+$|^[A-Z]+$/);
    }
  });
});
