import { describe, expect, it } from "vitest";
import { argumentIssues } from "../../_test-argument-issues.js";
import type { Dataset } from "../../dataset/dataset.js";
import { compileScheme } from "../../scheme/compile-scheme.js";
import { schemeSchema } from "../../scheme/scheme-schema.js";
import { countRefusedBallots, countSecretBallots, isSecretVote } from "./secret-ballots.js";

const vote = (secret?: boolean) => ({
  kind: "vote" as const,
  ballot: { type: "score" as const },
  ...(secret === undefined ? {} : { secret }),
});
const scheme = schemeSchema.parse({
  id: "s",
  version: 1,
  name: "s",
  categories: [
    { id: "open", name: "open", points: 50, method: vote() },
    { id: "secret", name: "secret", points: 50, method: vote(true) },
  ],
  groups: [{ id: "g", name: "g" }],
});
const dataset: Dataset = {
  units: [{ id: "u1", name: "u1", group: "g" }],
  ballots: [
    { category: "open", voter: "a", unit: "u1", score: 101 },
    { category: "secret", voter: "a", unit: "u1", score: 101 },
    { category: "secret", voter: "b", unit: "u1", score: 102 },
  ],
};
const at = (row: number, field = "score") => ({
  path: ["ballots", row, field],
  message: `row ${row} ${field}`,
});

describe("secret ballots among issues", () => {
  it("tells a secret vote from a named one", () => {
    expect(scheme.categories.map((c) => isSecretVote(c.method))).toEqual([false, true]);
    expect(
      isSecretVote({
        ...scheme.categories[1]!.method,
        secret: false,
      } as (typeof scheme.categories)[1]["method"]),
    ).toBe(false);
  });

  it("counts a secret vote's ballots where its first stood, each ballot once, and keeps the rest", () => {
    const unit = { path: ["units", 0, "id"], message: "unit" };
    expect(countSecretBallots(scheme, dataset, [unit, at(1), at(0), at(2), at(1, "role")])).toEqual([
      unit,
      { secretVote: "secret", ballots: 2 },
      at(0),
    ]);
  });

  it("is null when no issue is about a secret vote's ballot", () => {
    expect(countSecretBallots(scheme, dataset, [at(0)])).toBeNull();
    expect(
      countSecretBallots(scheme, dataset, [{ path: ["ballots", 9, "score"], message: "no row" }]),
    ).toBeNull();
    const named = schemeSchema.parse({
      ...scheme,
      categories: scheme.categories.map((c) => ({ ...c, method: vote() })),
    });
    expect(countSecretBallots(named, dataset, [at(1)])).toBeNull();
  });

  it("counts the ballots of whichever categories a caller picks, a category no scheme declares too", () => {
    const unit = { path: ["units", 0, "id"], message: "unit" };
    const dropped: Dataset = {
      ...dataset,
      ballots: [...dataset.ballots!, { category: "gone", voter: "c", unit: "u1", score: 1 }],
    };
    const issues = [at(3, "category"), unit, at(1), at(0), at(2)];
    expect(countRefusedBallots(dropped, issues, (c) => c !== "open")).toEqual([
      { category: "gone", ballots: 1 },
      unit,
      { category: "secret", ballots: 2 },
      at(0),
    ]);
    expect(countRefusedBallots(dropped, issues, () => false)).toBeNull();
    expect(countRefusedBallots(dropped, [unit], () => true)).toBeNull();
  });
});

describe("the counts' arguments", () => {
  // Wrong on purpose: what plain JavaScript can pass and TypeScript would refuse.
  const wrong = (value: unknown) => value as never;
  const compiled = compileScheme(scheme);
  it.each([
    [
      "no scheme",
      () => countSecretBallots(wrong(null), dataset, []),
      [
        "scheme: expected a scheme document, with its categories (a compiled scheme's is compiled.scheme); got null",
      ],
    ],
    [
      "a compiled scheme",
      () => countSecretBallots(wrong(compiled), dataset, []),
      [
        "scheme: expected a scheme document, with its categories (a compiled scheme's is compiled.scheme); got a compiled scheme from compileScheme()",
      ],
    ],
    [
      "no dataset and one issue, not a list",
      () => countSecretBallots(scheme, wrong(undefined), wrong(at(1))),
      [
        "dataset: expected the dataset the issues are about; got nothing",
        "issues: expected a list of issues, a check's { path, message } (InputError's issues); got an object",
      ],
    ],
    [
      "a category list where the function is due",
      () => countRefusedBallots(dataset, [at(1)], wrong(["secret"])),
      ["counted: expected a function of a category id, true where its ballots are counted; got a list"],
    ],
    [
      "the dataset's ballots where the dataset is due",
      () => countRefusedBallots(wrong(dataset.ballots), [], () => true),
      ["dataset: expected the dataset the issues are about; got a list"],
    ],
  ])("refuses %s, naming the argument", (_, call, issues) => {
    expect(argumentIssues(call)).toEqual(issues);
  });
});
