import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { InputError } from "../input-error.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { sweepDefaults, type WeightSweepOptions } from "./sweep-options.js";
import { weightSweep } from "./weight-sweep.js";

// The weight sweep's options that it refuses, each named with what would be right.

const { scheme, dataset } = await loadSeed2018();

describe("weightSweep", () => {
  const seed = createBaseline(scheme, dataset);

  it("names each unknown group, and an empty list, instead of sweeping nothing", () => {
    expect(() => weightSweep(seed, { category: "public", groups: [] })).toThrow(
      /groups: must name at least one group/,
    );
    const error = (() => {
      try {
        weightSweep(seed, {
          category: "public",
          groups: ["nope", seed.compiled.scheme.groups[0]!.id, "gone"],
        });
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error?.issues).toEqual([
      { path: ["groups", 0], message: 'unknown group "nope" (known: law-enforcement)' },
      { path: ["groups", 2], message: 'unknown group "gone" (known: law-enforcement)' },
    ]);
  });

  it("names a group that is no id instead of failing to quote it", () => {
    const groups = [seed.compiled.scheme.groups[0]!.id, JSON.parse('{ "toString": 0 }'), 5];
    expect(() => weightSweep(seed, { category: "public", groups })).toThrow(
      /^invalid weight sweep options \(2 problems\):\n {2}groups\[1\]: must be a group id\n {2}groups\[2\]: must be a group id$/,
    );
  });

  it("names a bad option instead of guessing", () => {
    expect(() => weightSweep(seed, { category: "public", others: "Fixed" as never })).toThrow(
      /others: must be "fixed", "rescale" or "transfer"/,
    );
    expect(() => weightSweep(seed, { category: "public", to: "lots" })).toThrow(/to: not a decimal number/);
  });

  it("names an option it does not read, and options that are no object", () => {
    // A misspelt "from" would otherwise sweep the default range without a word.
    expect(() => weightSweep(seed, { category: "public", form: 30 } as never)).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}form: unknown option \(misspelt\?\); known: category, from, to, others, donor, groups$/,
    );
    expect(() => weightSweep(seed, null as never)).toThrow(/\(root\): must be an object of options/);
  });

  it("names a category that is no id instead of failing to quote it", () => {
    // JSON can give an object whose toString is no function: quoting it threw a TypeError.
    expect(() => weightSweep(seed, { category: JSON.parse('{ "toString": 0 }') })).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}category: must be a category id$/,
    );
  });

  it("says a category left out is required, in the sweep's options", () => {
    expect(() => weightSweep(seed, {} as never)).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}category: is required and must be a category id$/,
    );
  });

  it("names an end past the other, left-out end at the end given, saying where the other defaults to", () => {
    const issues = (options: WeightSweepOptions) => {
      try {
        weightSweep(seed, options);
      } catch (e) {
        return (e as InputError).issues;
      }
      return null;
    };
    expect(issues({ category: "public", from: 200 })).toEqual([
      {
        path: ["from"],
        message: "must be below the scheme's total of 100, where the sweep ends when to is left out",
      },
    ]);
    expect(issues({ category: "public", others: "transfer", donor: "organ", from: 80 })).toEqual([
      {
        path: ["from"],
        message:
          'must be below 70, the points of "public" and "organ" together, since "organ" gives the points',
      },
    ]);
    expect(issues({ category: "public", others: "rescale", from: 100 })).toEqual([
      { path: ["from"], message: "must be below the scheme's total of 100 when the others are rescaled" },
    ]);
    expect(issues({ category: "public", to: 0 })).toEqual([
      { path: ["to"], message: "must be greater than 0, where the sweep starts when from is left out" },
    ]);
    // Neither end given, nor a start that could help: the donor is the one to change.
    const none = createBaseline(
      directScheme({
        categories: directScheme().categories.map((c) => ({ ...c, points: c.id === "public" ? 100 : 0 })),
      }),
      directDataset([
        ["20", "20", "60"],
        ["25", "15", "80"],
      ]),
    );
    for (const from of [undefined, 0])
      expect(() =>
        weightSweep(none, {
          category: "business",
          others: "transfer",
          donor: "organ",
          ...(from === undefined ? {} : { from }),
        }),
      ).toThrow(
        /^invalid weight sweep options \(1 problem\):\n {2}donor: has no points to give: "business" and "organ" have 0 points together$/,
      );
    // Both ends given: the end is the one out of place.
    expect(issues({ category: "public", from: 60, to: 30 })).toEqual([
      { path: ["to"], message: "must be greater than from" },
    ]);
  });

  it("names others, not to, when no other category has points to rescale", () => {
    const alone = createBaseline(
      {
        id: "s",
        version: 1,
        name: "s",
        categories: [
          { id: "a", name: "A", points: 100, method: { kind: "direct" } },
          { id: "b", name: "B", points: 0, method: { kind: "direct", outOf: 100 } },
        ],
        groups: [{ id: "g", name: "g" }],
      },
      {
        units: ["u1", "u2"].map((id) => ({ id, name: id, group: "g" })),
        scores: ["u1", "u2"].flatMap((unit, i) => [
          { unit, category: "a", value: 50 + i },
          { unit, category: "b", value: 60 - i },
        ]),
      },
    );
    expect(() => weightSweep(alone, { category: "a", from: 0, to: 80, others: "rescale" })).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}others: .*"a" holds all of the scheme's 100 points/,
    );
    expect(() => weightSweep(seed, { category: "public", to: 120, others: "rescale" })).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}to: must be at most the scheme's total of 100/,
    );
  });

  it("names a donor that is missing, unknown, the category itself, or given without a transfer", () => {
    const problem = (options: WeightSweepOptions) => {
      try {
        weightSweep(seed, options);
      } catch (e) {
        return (e as InputError).issues;
      }
      return null;
    };
    expect(problem({ category: "public", others: "transfer" })).toEqual([
      {
        path: ["donor"],
        message: 'is required when others is "transfer": the category that gives the points',
      },
    ]);
    expect(problem({ category: "public", others: "transfer", donor: "orgn" })).toEqual([
      { path: ["donor"], message: 'unknown category "orgn"; did you mean "organ"?' },
    ]);
    expect(problem({ category: "public", others: "transfer", donor: "public" })).toEqual([
      { path: ["donor"], message: 'must be another category than the one swept ("public")' },
    ]);
    expect(problem({ category: "public", donor: "organ" })).toEqual([
      { path: ["donor"], message: 'gives points only when others is "transfer" (others is "fixed")' },
    ]);
    expect(
      problem({ category: "public", others: "transfer", donor: JSON.parse('{ "toString": 0 }') }),
    ).toEqual([{ path: ["donor"], message: "must be a category id" }]);
    // Organ construction's 30 points are all it can give.
    expect(problem({ category: "public", others: "transfer", donor: "organ", to: "70.01" })).toEqual([
      {
        path: ["to"],
        message:
          'must be at most 70, the points of "public" and "organ" together, since "organ" gives the points',
      },
    ]);
    expect(sweepDefaults(seed, { category: "public", others: "transfer", donor: "organ" })).toEqual({
      from: "0",
      to: "70",
    });
    expect(sweepDefaults(seed, { category: "public", others: "transfer", donor: "nope" })).toEqual(
      sweepDefaults(seed),
    );
  });
});
