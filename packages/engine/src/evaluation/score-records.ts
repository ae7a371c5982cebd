import type { Dataset } from "../dataset/dataset.js";
import { validateAndRead } from "../dataset/validate-dataset.js";
import { InputError } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import { methodFor } from "../methods/registry.js";
import type { MethodOutcome, RecordsRead } from "../methods/scoring-method.js";
import type { Rational } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { checkCompiledArgument } from "../scheme/compiled-argument.js";
import type { Category } from "../scheme/scheme-schema.js";

/** Method outcomes by category, then unit. */
export type MethodOutcomes = Map<string, Map<string, MethodOutcome>>;

/**
 * Stage 1 of an evaluation: the expensive part that reads ballots, forms and scores.
 * Only categories that read no other category are scored here; their outcomes depend on
 * the records and the method's parameters alone, never on category points, so a
 * weight-only what-if reuses them untouched. The dataset is checked first, as `evaluate`
 * checks it (an InputError lists every problem): nothing is scored from invalid records.
 */
export function scoreRecords(
  compiled: CompiledScheme,
  dataset: Dataset,
  only?: ReadonlySet<string>,
  options: { traces?: boolean } = {},
): MethodOutcomes {
  checkCompiledArgument(compiled);
  const traces = readTraces(options);
  return scoreRecordsRead(compiled, dataset, validateAndRead(compiled, dataset), only, { traces });
}

/**
 * The `traces` of the options of `evaluate`, `evaluateExact`, `compose` or `scoreRecords`, as
 * another system passes them: "false" (truthy) would build every explanation it asked to skip,
 * and a misspelt `trace` would be left at the default without a word.
 */
export function readTraces(options: unknown): boolean {
  knownOptions(options, ["traces"], [], "argument");
  const { traces } = options as { traces?: unknown };
  if (traces !== undefined && typeof traces !== "boolean")
    throw new InputError("argument", [{ path: ["traces"], message: "must be true or false (default true)" }]);
  return traces ?? true;
}

/**
 * `scoreRecords` of a dataset already checked: `read` is what validation read from it in the
 * same call (`validateAndRead`), or undefined where the records were checked otherwise (a
 * scenario's, by applyScenario). Not part of the package's API.
 */
export function scoreRecordsRead(
  compiled: CompiledScheme,
  dataset: Dataset,
  read: RecordsRead | undefined,
  only?: ReadonlySet<string>,
  options: { traces?: boolean } = {},
): MethodOutcomes {
  const out: MethodOutcomes = new Map();
  const unitIds = new Set(dataset.units.map((u) => u.id));
  for (const category of compiled.order) {
    if (only && !only.has(category.id)) continue;
    if (readsOtherCategories(compiled, category.id)) continue;
    out.set(
      category.id,
      scoreCategory(compiled, category, dataset, {
        unitIds,
        traces: options.traces ?? true,
        read,
      }),
    );
  }
  return out;
}

/** One category's method over every unit, with the context the method contract promises. */
export function scoreCategory(
  compiled: CompiledScheme,
  category: Category,
  dataset: Dataset,
  context: {
    unitIds: ReadonlySet<string>;
    traces: boolean;
    categoryPoints?: ReadonlyMap<string, ReadonlyMap<string, Rational>>;
    read?: RecordsRead | undefined;
  },
): Map<string, MethodOutcome> {
  return methodFor(category.method.kind).score({
    category,
    params: category.method as never,
    dataset,
    unitIds: context.unitIds,
    units: dataset.units,
    compiled: compiled.prepared.get(category.id),
    categoryPoints: context.categoryPoints ?? new Map(),
    traces: context.traces,
    read: context.read,
  });
}

export function readsOtherCategories(compiled: CompiledScheme, categoryId: string): boolean {
  return (compiled.dependsOn.get(categoryId) ?? []).length > 0;
}
