import type { Dataset } from "../dataset/dataset.js";
import { methodFor } from "../methods/registry.js";
import type { MethodOutcome } from "../methods/scoring-method.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";

/** Method outcomes by category, then unit. */
export type MethodOutcomes = Map<string, Map<string, MethodOutcome>>;

/**
 * Stage 1 of an evaluation: the expensive part that reads ballots, forms and scores.
 * Only categories that read no other category are scored here; their outcomes depend on
 * the records and the method's parameters alone, never on category points, so a
 * weight-only what-if reuses them untouched.
 */
export function scoreRecords(
  compiled: CompiledScheme,
  dataset: Dataset,
  only?: ReadonlySet<string>,
  options: { traces?: boolean } = {},
): MethodOutcomes {
  const out: MethodOutcomes = new Map();
  const unitIds = new Set(dataset.units.map((u) => u.id));
  for (const category of compiled.order) {
    if (only && !only.has(category.id)) continue;
    if (readsOtherCategories(compiled, category.id)) continue;
    const method = methodFor(category.method.kind);
    out.set(
      category.id,
      method.score({
        category,
        params: category.method as never,
        dataset,
        unitIds,
        units: dataset.units,
        compiled: compiled.prepared.get(category.id),
        categoryPoints: new Map(),
        traces: options.traces ?? true,
      }),
    );
  }
  return out;
}

export function readsOtherCategories(compiled: CompiledScheme, categoryId: string): boolean {
  return (compiled.dependsOn.get(categoryId) ?? []).length > 0;
}
