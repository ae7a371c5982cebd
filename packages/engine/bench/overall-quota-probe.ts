/**
 * A sweep under a grade quota over all ranked units, against the same sweep with the quota
 * per group, on a province-shaped year of N units (default 2,000). Not a `pnpm bench` figure:
 * its walk grows with the square of N (about 20 s at 10,000). Run:
 *   node --conditions=@pingyi/source --import tsx packages/engine/bench/overall-quota-probe.ts 4000
 */
import { compileScheme, createBaseline, weightSweep } from "../src/index.js";
import { generateProvince } from "./province.js";

const n = Number(process.argv[2] ?? 2000);
const groups = Math.max(5, Math.round(n / 200));
const { scheme, dataset } = generateProvince({
  seed: 7,
  units: n,
  groups,
  forms: n * 200,
  ballots: n * 20,
  findings: n * 30,
});
for (const r of scheme.grades.rules) if (r.quota) (r.quota as { scope: string }).scope = "overall";
const b = createBaseline(compileScheme(scheme), dataset);
const cat = scheme.categories.find((c) => /public/i.test(c.id))?.id ?? scheme.categories[0]!.id;
const runs = Number(process.env.RUNS ?? 3);
/** The fastest of a few runs: the first pays for compiling the code. */
const best = (fn: () => unknown) => {
  let min = Number.POSITIVE_INFINITY;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return Math.round(min);
};
const ranked = new Set(scheme.groups.filter((g) => g.ranked).map((g) => g.id));
const rankedUnits = dataset.units.filter((u) => ranked.has(u.group)).length;
console.log(`${n} units (${rankedUnits} ranked) in ${groups} groups, best of ${runs}`);
console.log(
  `quota over all ranked units: ${best(() => weightSweep(b, { category: cat, from: "0", to: "100" }))} ms`,
);
for (const r of scheme.grades.rules) if (r.quota) (r.quota as { scope: string }).scope = "group";
const b2 = createBaseline(compileScheme(scheme), dataset);
console.log(`quota per group: ${best(() => weightSweep(b2, { category: cat, from: "0", to: "100" }))} ms`);
