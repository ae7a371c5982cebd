import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { evaluate } from "../evaluation/evaluate.js";
import { formatPath, InputError } from "../input-error.js";
import { DECIMAL_TEXT, parseDecimal } from "../rational.js";
import { createBaseline } from "../whatif/baseline.js";
import { monteCarlo } from "../whatif/monte-carlo.js";
import { runScenario } from "../whatif/run-scenario.js";
import { weightSweep } from "../whatif/weight-sweep.js";
import {
  decimalSchema,
  idSchema,
  nonNegativeDecimalSchema,
  positiveDecimalSchema,
} from "./decimal-schema.js";
import { schemeJsonSchema } from "./scheme-json-schema.js";

function messages(schema: typeof decimalSchema, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe("decimalSchema", () => {
  it("accepts JSON numbers and plain decimal strings", () => {
    for (const v of [0, 26.94, -3, "26.94", "-0.5", "007", "-0"])
      expect(messages(decimalSchema, v)).toEqual([]);
  });

  it.each([
    ["NaN", Number.NaN, "must be a finite number"],
    ["Infinity", Number.POSITIVE_INFINITY, "must be a finite number"],
    ["nothing", undefined, "is required"],
    ["null", null, "must be a decimal number such as 26.94, not null"],
    ["true", true, "must be a decimal number such as 26.94, not true"],
    ["an object", {}, "must be a decimal number such as 26.94, not an object"],
    ["an array", [1], "must be a decimal number such as 26.94, not a list"],
    ['"1,5"', "1,5", 'must be a decimal number such as 26.94, not "1,5"'],
    ['"1e3"', "1e3", 'must be a decimal number such as 26.94, not "1e3" (write it as 1000)'],
    ['"5."', "5.", 'must be a decimal number such as 26.94, not "5." (write it as 5)'],
    ['".5"', ".5", 'must be a decimal number such as 26.94, not ".5" (write it as 0.5)'],
    ['"+.5"', "+.5", 'must be a decimal number such as 26.94, not "+.5" (write it as 0.5)'],
    ['" 27.1"', " 27.1", 'must be a decimal number such as 26.94, not " 27.1" (write it as 27.1)'],
  ])("says why %s is refused", (_, value, message) => {
    expect(messages(decimalSchema, value)).toEqual([message]);
  });
});

describe("one decimal grammar", () => {
  it("schemes take the text that datasets and sweep bounds take, and no other", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789.-+ e,\t"), maxLength: 8 }), (text) => {
        let read = true;
        try {
          parseDecimal(text);
        } catch {
          read = false;
        }
        expect(decimalSchema.safeParse(text).success).toBe(read);
      }),
      { numRuns: 2000 },
    );
  });

  it("is read alike in a dataset, a scenario and a sweep's or draw's bounds, each naming the field", () => {
    const said = (call: () => unknown) => {
      try {
        call();
      } catch (e) {
        if (e instanceof InputError) return e.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
        throw e;
      }
      return [];
    };
    const scheme = directScheme();
    expect(said(() => evaluate(scheme, directDataset([[" 27.1", "20", "50"]])))).toEqual([
      'scores[0].value: score for unit "U1" in category "business": not a decimal number: " 27.1" (write it as 27.1)',
    ]);
    const baseline = createBaseline(
      scheme,
      directDataset([
        ["27.1", "20", "50"],
        ["20", "20", "60"],
      ]),
    );
    expect(said(() => weightSweep(baseline, { category: "public", to: "50 " }))).toEqual([
      'to: not a decimal number: "50 " (write it as 50)',
    ]);
    expect(
      said(() =>
        monteCarlo(baseline, {
          samples: 10,
          seed: 1,
          weights: { kind: "uniform", bounds: { public: ["30.", 50] } },
        }),
      ),
    ).toEqual(['weights.bounds.public[0]: not a decimal number: "30." (write it as 30)']);
    const scenario = { name: "s", data: { scores: [{ unit: "U1", category: "public", value: ".5" }] } };
    expect(said(() => runScenario(baseline, scenario))).toEqual([
      'data.scores[0].value: must be a decimal number such as 26.94, not ".5" (write it as 0.5)',
    ]);
  });

  it("is the pattern the scheme's JSON Schema gives editors", () => {
    expect(JSON.stringify(schemeJsonSchema())).toContain(JSON.stringify(DECIMAL_TEXT.source));
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
    for (const zero of [0, -0, "0", "-0", "-0.00"])
      expect(messages(nonNegativeDecimalSchema, zero)).toEqual([]);
    expect(messages(nonNegativeDecimalSchema, -1e-7)).toEqual(["must not be negative"]);
    expect(messages(nonNegativeDecimalSchema, "-1,5")).toEqual([
      'must be a decimal number such as 26.94, not "-1,5"',
    ]);
  });
});

describe("positiveDecimalSchema", () => {
  it("judges a value above 0 by its digits, so a tiny positive is not read as 0", () => {
    const tiny = `0.${"0".repeat(330)}1`;
    for (const ok of [tiny, "1", 0.5, "100.00"]) expect(messages(positiveDecimalSchema, ok)).toEqual([]);
    for (const bad of [0, -0, "0", "-0.00", "0.000", -1, "-1", `-${tiny}`])
      expect(messages(positiveDecimalSchema, bad)).toEqual(["must be greater than 0"]);
  });

  it("says only what is wrong with text that is not a decimal", () => {
    expect(messages(positiveDecimalSchema, "abc")).toEqual([
      'must be a decimal number such as 26.94, not "abc"',
    ]);
    expect(messages(positiveDecimalSchema, "0.")).toEqual([
      'must be a decimal number such as 26.94, not "0." (write it as 0)',
    ]);
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
