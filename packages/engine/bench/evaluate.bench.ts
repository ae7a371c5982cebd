/**
 * Full evaluation from raw records at province scale (issue #3): 10,000 units, 2,000,000
 * survey forms, 200,000 ballots, 300,000 findings. Each figure is measured in its own child
 * process (the same node flags) so that peak RSS belongs to that figure alone:
 *
 *   engine     `evaluate(schemeJson, dataset)`: compile, validate, score, compose, publish
 *   lean       the same with `{ traces: false }`: identical numbers, ranks and grades, no explanations
 *   floor      `floorEvaluate`: one typed-array pass per record array, floating point
 *   dataset    generating the records alone (the memory every run starts from)
 *
 * Targets on the 2-core machine: full evaluation ≤ 2 s, peak memory ≤ 1.5 GB.
 * `PINGYI_BENCH_SCALE=0.1 pnpm bench evaluate` runs a tenth of the sizes.
 */
import { validateAndRead } from "../src/dataset/validate-dataset.js";
import { composeValidated } from "../src/evaluation/compose.js";
import { scoreRecordsRead } from "../src/evaluation/score-records.js";
import { compileScheme, evaluate, toEvaluation } from "../src/index.js";
import { floorEvaluate } from "./floor-evaluate.js";
import { gc, machine, mb, median, ms, peakRss, printTable, ratio, runChild, timeRuns } from "./harness.js";
import { generateProvince, PROVINCE_DEFAULTS, type ProvinceOptions } from "./province.js";

const SEED = 20191231;
const RUNS = Number(process.env.PINGYI_BENCH_RUNS ?? 5);
const TARGET_MS = 2000;
const TARGET_RSS = 1.5 * 1024 ** 3;

function sizes(vote: ProvinceOptions["vote"]): ProvinceOptions {
  const scale = Number(process.env.PINGYI_BENCH_SCALE ?? 1);
  const s = (n: number) => Math.max(1, Math.round(n * scale));
  return {
    seed: SEED,
    units: s(PROVINCE_DEFAULTS.units),
    groups: Math.max(2, Math.round(PROVINCE_DEFAULTS.groups * Math.min(1, scale * 2))),
    forms: s(PROVINCE_DEFAULTS.forms),
    ballots: s(PROVINCE_DEFAULTS.ballots),
    findings: s(PROVINCE_DEFAULTS.findings),
    vote,
  };
}

interface TimeReport {
  generateMs: number;
  times: number[];
  stages?: Record<string, number>;
  scored: number;
  units: number;
  /** Units whose total (±0.01) and rank the floor reproduces. */
  agree?: number;
}
interface MemReport {
  datasetRss: number;
  peakRss: number;
  heapAfter: number;
}

function child(mode: string, vote: ProvinceOptions["vote"]): TimeReport | MemReport {
  const t0 = performance.now();
  const { scheme, dataset } = generateProvince(sizes(vote));
  const generateMs = performance.now() - t0;
  gc();
  const datasetRss = peakRss();
  const engine =
    mode === "lean-time"
      ? () => evaluate(scheme, dataset, { traces: false })
      : () => evaluate(scheme, dataset);
  const floor = () => floorEvaluate(scheme, dataset);
  if (mode === "engine-mem" || mode === "floor-mem") {
    (mode === "engine-mem" ? engine : floor)();
    return { datasetRss, peakRss: peakRss(), heapAfter: process.memoryUsage().heapUsed };
  }
  if (mode === "floor-time") {
    const times = timeRuns(floor, RUNS);
    const r = floor();
    const scored = r.total.filter((t) => !Number.isNaN(t)).length;
    return { generateMs, times, scored, units: dataset.units.length };
  }
  const times = timeRuns(engine, RUNS);
  const result = engine();
  const scored = result.units.filter((u) => u.status === "scored").length;
  // The floor is a fair yardstick only if it computes the same thing: compare totals and ranks.
  const fl = floor();
  const at0 = new Map(dataset.units.map((u, i) => [u.id, i]));
  let agree = 0;
  for (const u of result.units) {
    const i = at0.get(u.unit)!;
    const same =
      u.total === null ? Number.isNaN(fl.total[i]!) : Math.abs(Number(u.total) - fl.total[i]!) < 0.015;
    if (same && (u.rank ?? 0) === fl.rank[i]) agree++;
  }
  // Where the time goes, stage by stage (medians of 3).
  const stage: Record<string, number[]> = {};
  const at = <T>(name: string, fn: () => T): T => {
    const t = performance.now();
    const out = fn();
    const list = stage[name] ?? [];
    list.push(performance.now() - t);
    stage[name] = list;
    return out;
  };
  for (let i = 0; i < 3; i++) {
    gc();
    const compiled = at("compileScheme", () => compileScheme(scheme));
    // The stages apart, as evaluate runs them: the public scoreRecords and compose each check
    // the dataset themselves.
    const read = at("validateDataset", () => validateAndRead(compiled, dataset));
    const outcomes = at("scoreRecords", () => scoreRecordsRead(compiled, dataset, read));
    const exact = at("compose", () => composeValidated(compiled, dataset, outcomes, { traces: true }));
    at("toEvaluation", () => toEvaluation(exact));
  }
  const stages = Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, median(v)]));
  return { generateMs, times, stages, scored, units: dataset.units.length, agree };
}

async function main(): Promise<void> {
  const script = process.argv[1]!;
  const [mode, vote] = process.argv.slice(2) as [string | undefined, ProvinceOptions["vote"] | undefined];
  if (mode) {
    console.log(JSON.stringify(child(mode, vote)));
    return;
  }
  const size = sizes("trimmed-mean");
  console.log(`\n## evaluate: full evaluation from raw records\n`);
  console.log(`machine: ${await machine()}`);
  console.log(
    `data: ${size.units} units in ${size.groups} groups, ${size.forms} survey forms, ${size.ballots} ballots, ${size.findings} findings (seed ${SEED}); median of ${RUNS} runs after 1 warm-up\n`,
  );
  const engine = runChild<TimeReport>(script, ["engine-time", "trimmed-mean"]);
  const floor = runChild<TimeReport>(script, ["floor-time", "trimmed-mean"]);
  const roleWeighted = runChild<TimeReport>(script, ["engine-time", "role-weighted"]);
  const lean = runChild<TimeReport>(script, ["lean-time", "trimmed-mean"]);
  const engineMem = runChild<MemReport>(script, ["engine-mem", "trimmed-mean"]);
  const floorMem = runChild<MemReport>(script, ["floor-mem", "trimmed-mean"]);

  const e = median(engine.times);
  const f = median(floor.times);
  const rw = median(roleWeighted.times);
  const ln = median(lean.times);
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  // On a shared VM the floor's own runs vary by up to 2×: the ratio of the fastest runs
  // (each side's least disturbed) is printed beside the ratio of the medians.
  const best = (times: readonly number[]) => Math.min(...times);
  const bestRatio = (ours: TimeReport) => ratio(best(ours.times), best(floor.times));
  printTable(
    ["figure", "ours (median)", "floor (baseline)", "ratio", "ours best / floor best", "target", ""],
    [
      [
        "full evaluation, trimmed-mean vote",
        ms(e),
        ms(f),
        ratio(e, f),
        bestRatio(engine),
        "≤ 2000 ms",
        verdict(e <= TARGET_MS),
      ],
      [
        "same, without explanation traces",
        ms(ln),
        ms(f),
        ratio(ln, f),
        bestRatio(lean),
        "≤ 2000 ms",
        verdict(ln <= TARGET_MS),
      ],
      [
        "full evaluation, role-weighted vote",
        ms(rw),
        ms(f),
        ratio(rw, f),
        bestRatio(roleWeighted),
        "≤ 2000 ms",
        verdict(rw <= TARGET_MS),
      ],
      [
        "peak RSS (dataset + one evaluation)",
        mb(engineMem.peakRss),
        mb(floorMem.peakRss),
        ratio(engineMem.peakRss, floorMem.peakRss),
        "",
        "≤ 1536 MB",
        verdict(engineMem.peakRss <= TARGET_RSS),
      ],
      [
        "RSS added by the evaluation",
        mb(engineMem.peakRss - engineMem.datasetRss),
        mb(floorMem.peakRss - floorMem.datasetRss),
        ratio(engineMem.peakRss - engineMem.datasetRss, floorMem.peakRss - floorMem.datasetRss),
        "",
        "",
        "",
      ],
    ],
  );
  console.log(
    `\nall runs (ms): ours ${engine.times.map((t) => t.toFixed(0)).join(", ")}; role-weighted ${roleWeighted.times
      .map((t) => t.toFixed(0))
      .join(", ")}; floor ${floor.times.map((t) => t.toFixed(0)).join(", ")}`,
  );
  console.log(
    `dataset: generated in ${ms(engine.generateMs)}, peak RSS ${mb(engineMem.datasetRss)} before evaluating; ` +
      `units scored: ours ${engine.scored} of ${engine.units}, floor ${floor.scored}; ` +
      `the floor reproduces the total (±0.01) and rank of ${engine.agree} of ${engine.units} units`,
  );
  console.log(
    `load average after the runs: ${(await import("node:os"))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`\nstages of one evaluation (median of 3):\n`);
  const stages = Object.entries(engine.stages ?? {});
  const sum = stages.reduce((s, [, v]) => s + v, 0);
  printTable(
    ["stage", "time", "share"],
    stages.map(([k, v]) => [k, ms(v), ((100 * v) / sum).toFixed(0) + "%"]),
  );
}

await main();
