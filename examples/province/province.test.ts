import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate } from "@pingyi/engine";
import { afterAll, describe, expect, it } from "vitest";
import { generateProvince } from "../../packages/engine/bench/province.js";
import { writeProvince } from "./write-province.js";

const sizes = { seed: 7, units: 200, groups: 8, forms: 20_000, ballots: 2_000, findings: 1_500 };
const dir = mkdtempSync(join(tmpdir(), "pingyi-province-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (...p: string[]) => readFileSync(join(dir, ...p), "utf8");
const year = generateProvince(sizes);
const written = writeProvince(year, join(dir, "forms"));
writeProvince(year, join(dir, "tallies"), { tallies: true });

describe("the province example's files", () => {
  const inMemory = evaluate(year.scheme, year.dataset);

  it("score exactly as the generated year does, from forms or from tallies", () => {
    for (const variant of ["forms", "tallies"]) {
      const fromFiles = evaluate(
        JSON.parse(read(variant, "scheme.json")),
        JSON.parse(read(variant, "dataset.json")),
      );
      expect(fromFiles).toEqual(inMemory);
    }
  });

  it("shrink the survey to one tally per unit, group and answer", () => {
    const tallies = JSON.parse(read("tallies", "dataset.json")).surveyTallies as { count: number }[];
    expect(tallies.reduce((s, t) => s + t.count, 0)).toBe(sizes.forms);
    expect(tallies.length).toBeLessThanOrEqual(sizes.units * 4 * 4);
  });

  it("write CSVs with the headers the gateway's importer documents, one line per record", () => {
    const lines = (f: string) => read("forms", f).trimEnd().split("\n");
    expect(lines("survey-forms.csv")[0]).toBe("category,unit,respondent_group,answer");
    expect(lines("ballots.csv")[0]).toBe("category,voter,role,unit,score,grade");
    expect(lines("findings.csv")[0]).toBe("id,unit,type,level,rectification,repeated,note");
    expect(lines("scores.csv")[0]).toBe("unit,category,value");
    expect(lines("survey-forms.csv")).toHaveLength(sizes.forms + 1);
    expect(lines("ballots.csv")).toHaveLength(written["ballots.csv"]! + 1);
    expect(lines("findings.csv")).toHaveLength(sizes.findings + 1);
  });

  it("are the same for the same seed", () => {
    const again = join(dir, "again");
    writeProvince(generateProvince(sizes), again);
    for (const f of ["dataset.json", "ballots.csv", "findings.csv"])
      expect(read("again", f)).toBe(read("forms", f));
  });
});
