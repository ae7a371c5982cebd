// Runs inside the throwaway consumer project, against the installed tarball: plain Node,
// no source condition, no TypeScript. Reports what it saw as JSON for the test to judge.
import { readFileSync } from "node:fs";
import { compareUnits, evaluate, InputError, VERSION } from "@pingyi/engine";

const read = (f) => JSON.parse(readFileSync(new URL(f, import.meta.url), "utf8"));
const result = evaluate(read("./scheme-2018.json"), read("./dataset-2018.json"));
const unit = result.units.find((u) => u.name === "市市场监督管理局");
const above = result.units.find((u) => u.rank === unit.rank - 1);

let issues = null;
try {
  evaluate(read("./scheme-2018.json"), { units: [{ id: "A", name: "A", group: "no-such-group" }] });
} catch (e) {
  issues = e instanceof InputError ? e.issues.length : `not an InputError: ${e}`;
}

process.stdout.write(
  JSON.stringify({
    version: VERSION,
    total: unit.total,
    rank: unit.rank,
    rankedInGroup: unit.rankedInGroup,
    categories: unit.categories.map((c) => c.points),
    summary: compareUnits(result, above.unit, unit.unit).summary,
    issues,
  }),
);
