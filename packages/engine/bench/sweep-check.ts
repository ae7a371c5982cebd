/**
 * The exact weight sweep at province scale: a hash of its full result for a few options (to
 * show that a speed-up changes nothing), then its time, each run after a collection and a
 * pause, median of PINGYI_BENCH_RUNS (default 7).
 *
 *   node --conditions=@pingyi/source --import tsx --expose-gc bench/sweep-check.ts [hash|time|both]
 *
 * PINGYI_BENCH_SCALE scales the province as whatif.bench.ts does (0.1: 1,000 units in 10 groups).
 */
import { createHash } from "node:crypto";
import { compileScheme, createBaseline, weightSweep } from "../src/index.js";
import { median, timeRuns } from "./harness.js";
import { generateProvince, PROVINCE_DEFAULTS } from "./province.js";

const scale = Number(process.env.PINGYI_BENCH_SCALE ?? 1);
const runs = Number(process.env.PINGYI_BENCH_RUNS ?? 7);
const mode = process.argv[2] ?? "both";
const s = (n: number) => Math.max(1, Math.round(n * scale));
const { scheme, dataset } = generateProvince({
  seed: 20191231,
  units: s(PROVINCE_DEFAULTS.units),
  groups: Math.max(2, Math.round(PROVINCE_DEFAULTS.groups * Math.min(1, scale * 2))),
  forms: s(PROVINCE_DEFAULTS.forms),
  ballots: s(PROVINCE_DEFAULTS.ballots),
  findings: s(PROVINCE_DEFAULTS.findings),
});
const baseline = createBaseline(compileScheme(scheme), dataset);

if (mode !== "time") {
  const cases = [
    { category: "public", from: 0, to: 100 },
    { category: "public", others: "rescale" as const },
    { category: "business" },
    { category: "business", others: "rescale" as const, from: 10, to: 60 },
    { category: "public", from: 55, to: 90 },
  ];
  for (const options of cases) {
    const r = weightSweep(baseline, options);
    const hash = createHash("sha256").update(JSON.stringify(r)).digest("hex").slice(0, 16);
    const bp = r.units.reduce((n, u) => n + u.breakpoints.length, 0);
    console.log(`${hash}  ${JSON.stringify(options)} (${bp} unit breakpoints)`);
  }
}
if (mode !== "hash") {
  const times = timeRuns(() => weightSweep(baseline, { category: "public", from: 0, to: 100 }), runs);
  console.log(
    `weightSweep public 0–100: median ${median(times).toFixed(1)} ms (${times.map((t) => t.toFixed(0)).join(" ")})`,
  );
}
