/**
 * Prints the seed year's ranking table under the 2018 scheme and under the 2019 reform,
 * then the anchor unit's explanation. Run: pnpm --filter @pingyi/example-city-review start
 */
import { type Evaluation, evaluate } from "@pingyi/engine";
import { loadSeedYear } from "./seed-year.js";

const { scheme2018, scheme2019, dataset2018, dataset2019 } = loadSeedYear();

function table(title: string, ev: Evaluation): string {
  const cats = ev.units[0]?.categories.map((c) => `${c.category}/${c.maxPoints}`) ?? [];
  const lines = [`\n${title}`, ["rank", "unit", ...cats, "total", "grade", "flags"].join("\t")];
  for (const u of ev.units) {
    const flags = u.eligibility.reasons.map((r) => r.text).join("; ");
    lines.push(
      [
        u.rank ?? "-",
        u.name,
        ...u.categories.map((c) => c.points ?? "n/a"),
        u.total ?? "n/a",
        u.grade?.name ?? "",
        flags,
      ].join("\t"),
    );
  }
  return lines.join("\n");
}

const before = evaluate(scheme2018, dataset2018);
const after = evaluate(scheme2019, dataset2019);
console.log(table(`${before.scheme.name} — max ${before.maxTotal}`, before));
console.log(table(`${after.scheme.name} — max ${after.maxTotal}`, after));

const anchor = after.units.find((u) => u.name === "市市场监督管理局")!;
console.log(`\n${anchor.name} under the reform:`);
for (const c of anchor.categories)
  for (const t of c.trace) console.log(`  [${c.category}] ${t.step}: ${t.text}`);
for (const t of anchor.trace) console.log(`  ${t.step}: ${t.text}`);
