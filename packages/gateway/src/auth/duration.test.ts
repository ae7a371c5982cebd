import { describe, expect, it } from "vitest";
import { durationSeconds } from "./duration.js";

describe("durationSeconds", () => {
  it("reads a duration as jose does, in whole seconds", () => {
    expect(durationSeconds("30m")).toBe(1800);
    expect(durationSeconds("12h")).toBe(43_200);
    expect(durationSeconds("1.5h")).toBe(5400);
    expect(durationSeconds("7d")).toBe(604_800);
    expect(durationSeconds("52 weeks")).toBe(52 * 604_800);
    expect(durationSeconds("-1m")).toBe(-60);
  });

  it("refuses what is no duration with jose's TypeError", () => {
    for (const text of ["soon", "12", "12h ", "1e3s", ""])
      expect(() => durationSeconds(text), text).toThrow(TypeError);
  });
});
