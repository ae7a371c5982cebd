import { type Baseline, createBaseline, type Evaluation } from "@pingyi/engine";
import { engineCall } from "./errors.js";
import type { Scored } from "./evaluations.js";
import { Lru } from "./lru.js";

/** Baselines are larger than evaluations (exact values, stage-1 outcomes): keep only a few. */
export const BASELINE_CACHE_SIZE = 8;

/**
 * What a cache runs on a miss: `beforeRun`, then `compute`, whose result it keeps. `beforeRun`
 * charges the run to the request that missed (its budget, its subject's minute) and may refuse
 * it; what it throws is that request's answer only, and nothing is kept or evicted for it.
 */
export interface CachedRun<T> {
  beforeRun(): void;
  compute(): T;
}

/** `run` kept in `lru` under `key`: its `beforeRun` and `compute` on a miss, nothing on a hit. */
function cached<T>(lru: Lru<T>, key: string, run: CachedRun<T>): Promise<T> {
  return lru.get(key, async () => run.compute(), run.beforeRun);
}

/**
 * Per-process what-if baselines, keyed like the evaluation cache (cycle, scheme version, audit
 * count and newest id: `Scored.key`), so a write anywhere changes the key and a baseline is never stale.
 * Built from the cached evaluation's compiled scheme and dataset: no extra SQL.
 */
export class BaselineCache {
  private readonly baselines: Lru<Baseline>;
  /** Full evaluations under saved scenarios (for `ranking(scenarioId:)`), keyed by baseline and scenario revision. */
  private readonly scenarioEvaluations: Lru<Evaluation>;

  /**
   * Sweeps and Monte-Carlo runs by their arguments: a client paging through 10,000 units would
   * otherwise re-run a whole analysis (seconds at province scale) for every page of 500.
   */
  private readonly analyses: Lru<unknown>;

  /**
   * What analyses were estimated to cost, by the same keys: a page of a cached sweep is priced
   * again, and its estimate (the units' functions and an inversion count per group, ~120 ms at
   * province scale) is not made again. Small, so kept for more analyses than the analyses.
   */
  private readonly estimates: Lru<unknown>;

  constructor(size = BASELINE_CACHE_SIZE) {
    this.baselines = new Lru(size);
    this.scenarioEvaluations = new Lru(size);
    this.analyses = new Lru(size);
    this.estimates = new Lru(4 * size);
  }

  /** Analyses run by `analysis` and served again from it. */
  get analysisRuns(): number {
    return this.analyses.misses;
  }
  get analysisHits(): number {
    return this.analyses.hits;
  }
  /** Estimates made by `estimate`. */
  get estimateRuns(): number {
    return this.estimates.misses;
  }

  get hits(): number {
    return this.baselines.hits;
  }
  get misses(): number {
    return this.baselines.misses;
  }

  get(scored: Scored): Promise<Baseline> {
    return this.baselines.get(scored.key, async () =>
      engineCall(() => createBaseline(scored.compiled, scored.dataset)),
    );
  }

  /**
   * The baseline of a cycle as a saved scenario describes it (for an analysis under the
   * scenario), sharing the cycle baselines' few places: each is as large as a cycle's own.
   */
  baselineUnder(scored: Scored, revision: string, run: CachedRun<Baseline>): Promise<Baseline> {
    return cached(this.baselines, `${scored.key}\u0000${revision}`, run);
  }

  /** Caches `run` under the scored cycle's key and the given scenario revision. */
  evaluationUnder(scored: Scored, revision: string, run: CachedRun<Evaluation>): Promise<Evaluation> {
    return cached(this.scenarioEvaluations, `${scored.key}\u0000${revision}`, run);
  }

  /**
   * Caches `run` under the scored cycle's key, the analysis and its arguments. The caller
   * normalises them (defaults filled in, decimals canonical, text whose key order matters
   * passed as text), so equal requests have equal keys; object keys are sorted here. The
   * engine is deterministic and seeded, so a repeat gives the same result.
   */
  analysis<T>(scored: Pick<Scored, "key">, kind: string, args: unknown, run: CachedRun<T>): Promise<T> {
    return cached(this.analyses, analysisKey(scored, kind, args), run) as Promise<T>;
  }

  /** Caches an analysis's estimated work as `analysis` caches the analysis, `run` on a miss. */
  estimate<T>(scored: Pick<Scored, "key">, kind: string, args: unknown, run: CachedRun<T>): Promise<T> {
    return cached(this.estimates, analysisKey(scored, kind, args), run) as Promise<T>;
  }

  clear(): void {
    this.baselines.clear();
    this.scenarioEvaluations.clear();
    this.analyses.clear();
    this.estimates.clear();
  }
}

const analysisKey = (scored: Pick<Scored, "key">, kind: string, args: unknown): string =>
  `${scored.key}\u0000${kind}\u0000${sortedJson(args)}`;

/** JSON with every object's keys in order: `{ a, b }` and `{ b, a }` give one text. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
