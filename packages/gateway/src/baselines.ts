import { type Baseline, createBaseline, type Evaluation } from "@pingyi/engine";
import { engineCall } from "./errors.js";
import type { Scored } from "./evaluations.js";
import { Lru } from "./lru.js";

/** Baselines are larger than evaluations (exact values, stage-1 outcomes): keep only a few. */
export const BASELINE_CACHE_SIZE = 8;

/**
 * Per-process what-if baselines, keyed like the evaluation cache (cycle, scheme version, audit
 * count and newest id: `Scored.key`), so a write anywhere changes the key and a baseline is never stale.
 * Built from the cached evaluation's compiled scheme and dataset: no extra SQL.
 */
export class BaselineCache {
  private readonly baselines: Lru<Baseline>;
  /** Full evaluations under saved scenarios (for `ranking(scenarioId:)`), keyed by baseline and scenario revision. */
  private readonly scenarioEvaluations: Lru<Evaluation>;

  constructor(size = BASELINE_CACHE_SIZE) {
    this.baselines = new Lru(size);
    this.scenarioEvaluations = new Lru(size);
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

  /** Caches `compute` under the scored cycle's key and the given scenario revision. */
  evaluationUnder(scored: Scored, revision: string, compute: () => Evaluation): Promise<Evaluation> {
    return this.scenarioEvaluations.get(`${scored.key}\u0000${revision}`, async () => compute());
  }

  clear(): void {
    this.baselines.clear();
    this.scenarioEvaluations.clear();
  }
}
