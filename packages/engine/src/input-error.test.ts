import { describe, expect, it } from "vitest";
import { InputError, quoted, received } from "./input-error.js";

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
    ["a list", [1], "a list"],
    ["an object", { toString: 0 }, "an object"],
  ])("shows %s", (_, value, shown) => {
    expect(received(value)).toBe(shown);
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
