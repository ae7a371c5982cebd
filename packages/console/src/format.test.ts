import { describe, expect, it } from "vitest";
import { padDecimals, placesOf } from "./format";

describe("padDecimals", () => {
  it("pads exact decimals to the published places, never rounds, leaves fractions", () => {
    expect(padDecimals("-1.3", 2)).toBe("-1.30");
    expect(padDecimals("-3", 2)).toBe("-3.00");
    expect(padDecimals("7.72", 2)).toBe("7.72");
    expect(padDecimals("0.125", 2)).toBe("0.125");
    expect(padDecimals("1/3", 2)).toBe("1/3");
  });

  it("reads the places a published value shows", () => {
    expect(placesOf("82.94")).toBe(2);
    expect(placesOf("83")).toBe(0);
    expect(placesOf(null)).toBe(2);
  });
});
