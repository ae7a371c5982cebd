import { type CompiledScheme, compileScheme, type Evaluation, evaluate } from "@pingyi/engine";
import { engineCall } from "./errors.js";
import { Lru } from "./lru.js";
import type { Cycle, Dataset, SchemeVersion, Store } from "./store/index.js";

/** One cycle scored under its scheme version, with what it was scored from. */
export interface Scored {
  key: string;
  cycle: Cycle;
  scheme: SchemeVersion;
  compiled: CompiledScheme;
  dataset: Dataset;
  evaluation: Evaluation;
}

/**
 * A per-process LRU of evaluations keyed by (cycle, scheme version, data revision). The data
 * revision is the newest audit-log id of the cycle: every store write appends one in the same
 * transaction, so another process's write changes the key and this cache is never stale.
 */
export class EvaluationCache {
  private readonly entries: Lru<Scored>;

  constructor(
    private readonly store: Store,
    size: number,
  ) {
    this.entries = new Lru(size);
  }

  get hits(): number {
    return this.entries.hits;
  }
  get misses(): number {
    return this.entries.misses;
  }

  async get(cycleId: string): Promise<Scored> {
    const [cycle, [last]] = await Promise.all([
      this.store.cycles.get(cycleId),
      this.store.audit.list({ cycleId, limit: 1 }),
    ]);
    const key = `${cycle.id}\u0000${cycle.schemeId}@${cycle.schemeVersion}\u0000${last?.id ?? 0}`;
    return this.entries.get(key, () => this.load(key, cycleId));
  }

  private async load(key: string, cycleId: string): Promise<Scored> {
    const { cycle, scheme, dataset } = await this.store.loadEvaluation(cycleId);
    return engineCall(() => {
      const compiled = compileScheme(scheme.document);
      return { key, cycle, scheme, compiled, dataset, evaluation: evaluate(compiled, dataset) };
    });
  }

  clear(): void {
    this.entries.clear();
  }
}
