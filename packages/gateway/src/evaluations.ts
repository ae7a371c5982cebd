import { type CompiledScheme, compileScheme, type Evaluation, evaluate } from "@pingyi/engine";
import { engineCall } from "./errors.js";
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
  private readonly entries = new Map<string, Promise<Scored>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly store: Store,
    private readonly size: number,
  ) {}

  async get(cycleId: string): Promise<Scored> {
    const [cycle, [last]] = await Promise.all([
      this.store.cycles.get(cycleId),
      this.store.audit.list({ cycleId, limit: 1 }),
    ]);
    const key = `${cycle.id}\u0000${cycle.schemeId}@${cycle.schemeVersion}\u0000${last?.id ?? 0}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    this.misses++;
    const pending = this.load(key, cycleId);
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return pending;
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
