// Test fixtures for what-if analysis; excluded from the build by the `_test-` prefix.
import type { Dataset } from "../dataset/dataset.js";
import { exactFrac } from "./format-frac.js";
import type { Standing } from "./standing.js";

const SEED = "../../../../examples/city-review/";
// The engine is typed without DOM or Node libraries; tests run in Node, which has both.
declare const URL: new (url: string, base: string) => { href: string };
const here = (import.meta as unknown as { url: string }).url;

/** The reform year (2019): organ construction by a vote of the mayor and government members. */
export async function loadSeed2019(): Promise<{ scheme: unknown; dataset: Dataset }> {
  const [scheme, dataset] = await Promise.all([
    import(/* @vite-ignore */ new URL(`${SEED}scheme-2019.json`, here).href, { with: { type: "json" } }),
    import(/* @vite-ignore */ new URL(`${SEED}dataset-2019.json`, here).href, { with: { type: "json" } }),
  ]);
  return { scheme: scheme.default, dataset: dataset.default as Dataset };
}

/** The seed year's 2018 scheme and dataset, read from the example files (no node: imports in the engine). */
export async function loadSeed2018(): Promise<{ scheme: unknown; dataset: Dataset }> {
  const [scheme, dataset] = await Promise.all([
    import(/* @vite-ignore */ new URL(`${SEED}scheme-2018.json`, here).href, { with: { type: "json" } }),
    import(/* @vite-ignore */ new URL(`${SEED}dataset-2018.json`, here).href, { with: { type: "json" } }),
  ]);
  return { scheme: scheme.default, dataset: dataset.default as Dataset };
}

/** Deterministic Fisher–Yates shuffle driven by a fast-check seed. */
export function shuffled<T>(rows: readonly T[] | undefined, seed: number): T[] | undefined {
  if (!rows) return rows;
  const out = [...rows];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every record array of a dataset in another order. */
export function shuffleDataset(d: Dataset, seed: number): Dataset {
  return {
    units: shuffled(d.units, seed)!,
    scores: shuffled(d.scores, seed + 1),
    ballots: shuffled(d.ballots, seed + 2),
    surveyForms: shuffled(d.surveyForms, seed + 3),
    surveyTallies: shuffled(d.surveyTallies, seed + 4),
    inputs: shuffled(d.inputs, seed + 5),
    findings: shuffled(d.findings, seed + 6),
    bonusEvents: shuffled(d.bonusEvents, seed + 7),
    vetoEvents: shuffled(d.vetoEvents, seed + 8),
  };
}

/** A standing with exact texts in place of fractions, whichever representation it came in. */
export function standingView(s: Standing) {
  return {
    ...s,
    points: s.points.map((x) => (x ? exactFrac(x) : null)),
    bonus: exactFrac(s.bonus),
    totalDeducted: exactFrac(s.totalDeducted),
    total: s.total ? exactFrac(s.total) : null,
  };
}
