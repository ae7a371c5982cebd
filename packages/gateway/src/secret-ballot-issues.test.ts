import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileScheme } from "@pingyi/engine";
import { describe, expect, it } from "vitest";
import { secretBallotsUnnamed } from "./secret-ballot-issues.js";
import { EXAMPLE_DIR } from "./seed.js";

const read = (name: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, name), "utf8"));

describe("secretBallotsUnnamed", () => {
  const document = read("scheme-2019.json");
  const dataset = read("dataset-2019.json");
  const named = compileScheme(document);
  const organ = document.categories.find((c: { id: string }) => c.id === "organ");
  const secret = compileScheme({
    ...document,
    categories: document.categories.map((c: { id: string }) =>
      c === organ ? { ...organ, method: { ...organ.method, secret: true } } : c,
    ),
  });
  const unit = { path: ["units", 0, "id"], message: "a unit twice" };
  const ballot = (row: number, field: string) => ({
    path: ["ballots", row, field],
    message: `ballot of voter "${dataset.ballots[row].voter}": ${field} is wrong`,
  });

  it("counts a secret vote's refused ballots where the first stood, one per ballot however many issues it has", () => {
    const issues = [
      unit,
      ballot(3, "score"),
      ballot(3, "role"),
      ballot(9, "score"),
      { ...unit, path: ["units", 1] },
    ];
    expect(secretBallotsUnnamed(secret, dataset, issues)).toEqual([
      unit,
      {
        path: ["ballots"],
        message: `2 ballots of the secret vote "organ" cannot be scored as they stand: an admin sees which`,
      },
      { ...unit, path: ["units", 1] },
    ]);
  });

  it("says one ballot as one", () => {
    expect(secretBallotsUnnamed(secret, dataset, [ballot(0, "score")])).toEqual([
      {
        path: ["ballots"],
        message: `1 ballot of the secret vote "organ" cannot be scored as it stands: an admin sees which`,
      },
    ]);
  });

  it("leaves the issues of a named vote, or of no ballot, as they are", () => {
    expect(secretBallotsUnnamed(named, dataset, [ballot(0, "score")])).toBeNull();
    expect(secretBallotsUnnamed(secret, dataset, [unit])).toBeNull();
  });

  it("counts the ballots of a vote the version drops, renames or scores by another method, as a secret vote's", () => {
    const dropped = compileScheme({
      ...document,
      categories: document.categories.filter((c: { id: string }) => c !== organ),
    });
    expect(
      secretBallotsUnnamed(dropped, dataset, [ballot(3, "category"), unit, ballot(9, "category")]),
    ).toEqual([
      {
        path: ["ballots"],
        message: `2 ballots of "organ", which is not in scheme city-review v2, cannot be scored as they stand: an admin sees which`,
      },
      unit,
    ]);
    const direct = compileScheme({
      ...document,
      categories: document.categories.map((c: { id: string }) =>
        c === organ ? { ...organ, method: { kind: "direct", outOf: 30 } } : c,
      ),
    });
    expect(secretBallotsUnnamed(direct, dataset, [ballot(0, "category")])).toEqual([
      {
        path: ["ballots"],
        message: `1 ballot of "organ", a direct category in scheme city-review v2, cannot be scored as it stands: an admin sees which`,
      },
    ]);
  });
});
