import { describe, expect, it } from "vitest";
import {
  decimalSchema,
  idSchema,
  nonNegativeDecimalSchema,
  positiveDecimalSchema,
} from "./decimal-schema.js";

function messages(schema: typeof decimalSchema, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe("decimalSchema", () => {
  it("accepts JSON numbers and plain decimal strings", () => {
    for (const v of [0, 26.94, -3, "26.94", "-0.5", "+5", "007"])
      expect(messages(decimalSchema, v)).toEqual([]);
  });

  it.each([
    ["NaN", Number.NaN, "must be a finite number"],
    ["Infinity", Number.POSITIVE_INFINITY, "must be a finite number"],
    ["null", null, "must be a decimal number such as 26.94"],
    ["true", true, "must be a decimal number such as 26.94"],
    ["an object", {}, "must be a decimal number such as 26.94"],
    ["an array", [1], "must be a decimal number such as 26.94"],
    ['"1,5"', "1,5", "must be a decimal number such as 26.94"],
    ['"1e3"', "1e3", "must be a decimal number such as 26.94"],
    ['"5."', "5.", "must be a decimal number such as 26.94"],
    ['".5"', ".5", "must be a decimal number such as 26.94"],
  ])("says why %s is refused", (_, value, message) => {
    expect(messages(decimalSchema, value)).toEqual([message]);
  });
});

describe("decimalSchema's length limit", () => {
  it("names a decimal longer than parseDecimal reads, as a field of the scheme", () => {
    expect(messages(decimalSchema, `1${"0".repeat(999)}`)).toEqual([]);
    expect(messages(decimalSchema, `1${"0".repeat(1000)}.5`)).toEqual([
      "has 1002 digits, more than the 1000 a decimal may have",
    ]);
  });
});

describe("nonNegativeDecimalSchema", () => {
  it("refuses negative values, and takes zero however it is written", () => {
    expect(messages(nonNegativeDecimalSchema, -0.5)).toEqual(["must not be negative"]);
    expect(messages(nonNegativeDecimalSchema, "-0.01")).toEqual(["must not be negative"]);
    for (const zero of [0, -0, "0", "-0", "-0.00", "+0"])
      expect(messages(nonNegativeDecimalSchema, zero)).toEqual([]);
  });
});

describe("positiveDecimalSchema", () => {
  it("judges a value above 0 by its digits, so a tiny positive is not read as 0", () => {
    const tiny = `0.${"0".repeat(330)}1`;
    for (const ok of [tiny, `+${tiny}`, "1", 0.5, "100.00"])
      expect(messages(positiveDecimalSchema, ok)).toEqual([]);
    for (const bad of [0, -0, "0", "+0", "-0.00", "0.000", -1, "-1", `-${tiny}`])
      expect(messages(positiveDecimalSchema, bad)).toEqual(["must be greater than 0"]);
  });

  it("says only what is wrong with text that is not a decimal", () => {
    expect(messages(positiveDecimalSchema, "abc")).toEqual(["must be a decimal number such as 26.94"]);
  });
});

describe("idSchema", () => {
  it("takes ids of 1 to 120 characters", () => {
    for (const id of ["a", "x".repeat(120)]) expect(idSchema.safeParse(id).success).toBe(true);
    expect(idSchema.safeParse("").error?.issues.map((i) => i.message)).toEqual(["must not be empty"]);
    expect(idSchema.safeParse("x".repeat(121)).error?.issues.map((i) => i.message)).toEqual([
      "must be at most 120 characters",
    ]);
  });
});
