import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { END_SERIAL, epochMsFromSerial, serialFromEpochMs, serialFromIso } from "../../src/core/dates";
import { parseSide } from "../../src/core/side";

describe("Excel serial dates", () => {
  it("match Excel's well-known serials", () => {
    // Excel: =DATE(1900,3,1) is 61, =DATE(2000,1,1) is 36526, =DATE(2024,1,1) is 45292, =DATE(9999,12,31) is 2958465
    expect(serialFromIso("1900-03-01")).toBe(61);
    expect(serialFromIso("2000-01-01")).toBe(36_526);
    expect(serialFromIso("2024-01-01")).toBe(45_292);
    expect(serialFromIso("9999-12-31")).toBe(END_SERIAL - 1);
    expect(serialFromEpochMs(0)).toBe(25_569); // 1970-01-01
  });

  it("read times and offsets as UTC instants", () => {
    expect(serialFromIso("2024-01-01T12:00:00Z")).toBe(45_292.5);
    expect(serialFromIso("2024-01-01T12:00")).toBe(45_292.5);
    expect(serialFromIso("2024-01-01T14:00:00+02:00")).toBe(45_292.5);
    expect(serialFromIso("2024-01-01 06:00:00-0600")).toBe(45_292.5);
    expect(serialFromIso("2024-01-01T18:00:00.000z")).toBe(45_292.75);
    expect(serialFromIso(" 2024-01-02T00:00:00Z ")).toBe(45_293);
    expect(serialFromIso("2024-01-01T24:00")).toBe(45_293);
  });

  it("refuse impossible or out-of-range dates and other text", () => {
    for (const bad of [
      "2023-02-29",
      "2024-13-01",
      "2024-04-31",
      "2024-01-01T25:00",
      "2024-01-01T24:01",
      "2024-01-01T10:60",
      "1900-02-28",
      "0050-01-01",
      "24-01-01",
      "2024/01/01",
      "yesterday",
      "",
      "2024-01-01T10:00+25:00",
    ]) {
      expect(serialFromIso(bad), bad).toBeUndefined();
    }
    expect(serialFromIso("2024-02-29")).toBe(45_351);
  });

  it("round-trip through Unix milliseconds", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-03-01T00:00:00Z"),
          max: new Date("9999-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (d) => {
          const serial = serialFromIso(d.toISOString());
          return serial !== undefined && Math.abs(epochMsFromSerial(serial) - d.getTime()) < 0.5; // a serial near year 9999 resolves about 0.05 ms
        },
      ),
    );
  });
});

describe("sides", () => {
  it("read the trader's words in any case, and 1 / -1", () => {
    for (const word of ["long", "LONG", " Buy ", "buy", 1, "1", "+1"])
      expect(parseSide(word), String(word)).toBe(1);
    for (const word of ["short", "Short", "SELL", -1, "-1"]) expect(parseSide(word), String(word)).toBe(-1);
  });

  it("refuse anything else", () => {
    for (const word of ["", "longs", "constructor", "__proto__", "toString", 0, 2, -0.5, NaN, "0", "1e0x"]) {
      expect(parseSide(word), String(word)).toBeUndefined();
    }
  });
});
