import { describe, expect, it } from "vitest";
import { InputError, quoted, received, shownBigint } from "./input-error.js";

describe("quoted", () => {
  it("quotes text as JSON does, cut at 40 characters", () => {
    expect(quoted('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoted("x".repeat(41))).toBe(`"${"x".repeat(40)}…"`);
  });
});

describe("received", () => {
  it.each([
    ["text, quoted and called text", "12", 'text "12"'],
    ["empty text", "", 'text ""'],
    ["long text, cut", "y".repeat(50), `text "${"y".repeat(40)}…"`],
    ["a number", 12, "12"],
    ["a fraction", 1.5, "1.5"],
    ["NaN", Number.NaN, "NaN"],
    ["true", true, "true"],
    ["null", null, "null"],
    ["nothing", undefined, "nothing"],
    ["a bigint", -12n, "-12"],
    ["a bigint of 20 digits", 10n ** 19n, "10000000000000000000"],
    ["a longer bigint, by its length", -(10n ** 200000n), "a 200,001-digit negative number"],
    ["a list", [1], "a list"],
    ["an object", { toString: 0 }, "an object"],
  ])("shows %s", (_, value, shown) => {
    expect(received(value)).toBe(shown);
  });
});

describe("shownBigint", () => {
  it("shows a bigint in full up to 20 digits, with its suffix, else by its length and sign", () => {
    expect(shownBigint(-(10n ** 20n - 1n), "n")).toBe("-99999999999999999999n");
    expect(shownBigint(10n ** 20n, "n")).toBe("a 21-digit number");
    expect(shownBigint(0n, "n")).toBe("0n");
  });
});

describe("InputError", () => {
  it("leads its message with the subject, or with what the input is where the subject would mislead", () => {
    const issues = [{ path: ["seed"], message: "is required" }];
    expect(new InputError("scenario", issues).message).toBe(
      "invalid scenario (1 problem):\n  seed: is required",
    );
    const options = new InputError("scenario", issues, "Monte-Carlo options");
    expect(options.message).toBe("invalid Monte-Carlo options (1 problem):\n  seed: is required");
    expect(options.subject).toBe("scenario");
  });
});
