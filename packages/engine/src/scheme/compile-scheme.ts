import { documentIssues, PARSE_OPTIONS } from "../document-issues.js";
import { unknownId } from "../exact-id.js";
import { InputError, type InputIssue } from "../input-error.js";
import { methodFor } from "../methods/registry.js";
import { add, cmp, ONE, parseDecimal, type Rational } from "../rational.js";
import { offGridIssues } from "./published-grid.js";
import { type Category, categorySchema, type Scheme, schemeSchema } from "./scheme-schema.js";

/**
 * A scheme checked once and prepared for scoring: cross-references resolved, formulas
 * compiled, categories ordered so that a category is scored after those it reads.
 * Compile once, evaluate many datasets and scenarios with it.
 */
export interface CompiledScheme {
  readonly scheme: Scheme;
  /** Categories in scoring order (dependencies first). */
  readonly order: readonly Category[];
  /** Exact category maxima by id. */
  readonly points: ReadonlyMap<string, Rational>;
  /** Whatever each category's method prepared at compile time (e.g. a compiled formula). */
  readonly prepared: ReadonlyMap<string, unknown>;
  /** Other categories each category reads (formulas); empty for record-based methods. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Σ category points + bonus cap: no unit's total can exceed it. */
  readonly maxTotal: Rational;
}

/** Validates a scheme document (JSON) and compiles it; throws InputError listing every problem. */
export function compileScheme(document: unknown): CompiledScheme {
  const parsed = schemeSchema.safeParse(document, PARSE_OPTIONS);
  const issues = documentIssues(document, parsed.error);
  if (!parsed.success) {
    orderCategories(salvagedCategories(document), issues);
    throw new InputError("scheme", issues);
  }
  const scheme = parsed.data;
  const categoryIds = uniqueIds(scheme.categories, ["categories"], issues);
  uniqueIds(scheme.groups, ["groups"], issues);
  uniqueIds(scheme.findingTypes, ["findingTypes"], issues);
  uniqueIds(scheme.bonusTypes, ["bonusTypes"], issues);
  uniqueIds(scheme.vetoTypes, ["vetoTypes"], issues);
  uniqueIds(scheme.rollups, ["rollups"], issues);
  uniqueIds(scheme.grades.rules, ["grades", "rules"], issues);

  const needCategory = (id: string, path: (string | number)[]) => {
    if (!categoryIds.has(id)) issues.push({ path, message: unknownId("category", id, categoryIds, true) });
  };
  scheme.findingTypes.forEach((t, i) => {
    if (t.category !== undefined) needCategory(t.category, ["findingTypes", i, "category"]);
    if (Object.keys(t.levels).length === 0)
      issues.push({ path: ["findingTypes", i, "levels"], message: "must name at least one level" });
  });
  scheme.ranking.tieBreakers.forEach((t, i) => {
    needCategory(t.category, ["ranking", "tieBreakers", i, "category"]);
  });
  scheme.rollups.forEach((r, i) => {
    if ("category" in r.source) needCategory(r.source.category, ["rollups", i, "source", "category"]);
    if ("category" in r.into) needCategory(r.into.category, ["rollups", i, "into", "category"]);
    if (cmp(parseDecimal(r.share), ONE) > 0)
      issues.push({ path: ["rollups", i, "share"], message: "must be at most 1" });
  });
  scheme.grades.rules.forEach((r, i) => {
    // Totals are floored at 0: a line at or below it admits no one (0 typed for 60?).
    if (r.belowTotal !== undefined && parseDecimal(r.belowTotal).n <= 0n)
      issues.push({
        path: ["grades", "rules", i, "belowTotal"],
        message: `must be greater than 0: totals are floored at 0, so no total is below ${r.belowTotal}`,
      });
    else if (r.minTotal !== undefined && r.belowTotal !== undefined)
      if (cmp(parseDecimal(r.belowTotal), parseDecimal(r.minTotal)) <= 0)
        issues.push({
          path: ["grades", "rules", i, "belowTotal"],
          message: `must be greater than minTotal ${r.minTotal}: no total could get this grade`,
        });
  });
  if (scheme.grades.fallback && scheme.grades.rules.some((r) => r.id === scheme.grades.fallback?.id))
    issues.push({ path: ["grades", "fallback", "id"], message: "must differ from every rule's id" });

  const prepared = new Map<string, unknown>();
  const nodes = scheme.categories.map((category, index) => {
    const result = compileCategory(category, index, scheme);
    issues.push(...result.issues);
    prepared.set(category.id, result.compiled);
    for (const dep of result.dependsOn) needCategory(dep, ["categories", index, "method"]);
    return { category, index, dependsOn: result.dependsOn };
  });
  const dependsOn = new Map(nodes.map((n) => [n.category.id, n.dependsOn]));

  // Ordered whatever else is wrong: a cycle is its own problem, listed with the others.
  const order = orderCategories(nodes, issues);
  // Every unit would total 0 and share first place, each "excellent" where a grade admits the
  // first: a scheme that ranks no one, not a ranking.
  if (scheme.categories.every((c) => parseDecimal(c.points).n === 0n))
    issues.push({ path: ["categories"], message: "the categories' points add up to 0: no unit could score" });
  if (scheme.bonusTypes.length > 0 && parseDecimal(scheme.bonusCap).n === 0n)
    issues.push({ path: ["bonusCap"], message: "must be greater than 0 when bonus types are defined" });
  issues.push(...offGridIssues(scheme));
  if (issues.length > 0) throw new InputError("scheme", issues);

  const points = new Map(scheme.categories.map((c) => [c.id, parseDecimal(c.points)]));
  let maxTotal = parseDecimal(scheme.bonusCap);
  for (const p of points.values()) maxTotal = add(maxTotal, p);
  return { scheme, order, points, prepared, dependsOn, maxTotal };
}

function uniqueIds(
  items: readonly { id: string }[],
  path: (string | number)[],
  issues: InputIssue[],
): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) issues.push({ path: [...path, i, "id"], message: `duplicate id "${item.id}"` });
    seen.add(item.id);
  });
  return seen;
}

/** A category in the dependency graph: where it stands in the scheme and what its method reads. */
interface CategoryNode {
  category: Category;
  index: number;
  dependsOn: readonly string[];
}

function compileCategory(category: Category, index: number, scheme: Scheme) {
  const method = methodFor(category.method.kind);
  return method.compile(category.method as never, {
    category,
    scheme,
    path: ["categories", index, "method"],
  });
}

/**
 * The graph of a document that failed the schema, from the categories that pass it on their
 * own, so that a cycle among them is listed with the schema's problems, not after they are
 * fixed. A formula naming a category that failed does not compile and so adds no edge: no
 * cycle is reported through a category that could not be read.
 */
function salvagedCategories(document: unknown): CategoryNode[] {
  const raw =
    typeof document === "object" && document !== null
      ? (document as { categories?: unknown }).categories
      : undefined;
  if (!Array.isArray(raw)) return [];
  const parsed = raw.flatMap((c: unknown, index) => {
    const p = categorySchema.safeParse(c);
    return p.success ? [{ category: p.data, index }] : [];
  });
  const scheme = categoriesOnly(parsed.map((p) => p.category));
  // The compile issues are not reported: the other categories' names, and so the
  // messages, are not known yet; they come once the schema's problems are fixed.
  return parsed.map(({ category, index }) => ({
    category,
    index,
    dependsOn: compileCategory(category, index, scheme).dependsOn,
  }));
}

/** The scheme salvaged categories compile against: methods read only its categories (a formula, the ids it may name). */
function categoriesOnly(categories: Category[]): Scheme {
  return {
    id: "",
    version: 1,
    name: "",
    categories,
    findingTypes: [],
    bonusTypes: [],
    bonusCap: 0,
    vetoTypes: [],
    rollups: [],
    groups: [],
    ranking: { tieBreakers: [], lastLosesAward: true, lastLosesExcellence: false },
    grades: { rules: [] },
    rounding: { decimals: 2, mode: "half-up", stages: [] },
  };
}

/**
 * Depth-first topological order; a cycle (a formula reading itself through others) is an issue.
 * A duplicated id is taken at its first category, the one its "duplicate id" issue does not
 * name; an unknown id (an issue of its own) has no edges. Walked with a stack of its own, not by
 * recursion: a chain of 10,000 formulas, each reading the one before, is as deep as it is long.
 */
function orderCategories(nodes: readonly CategoryNode[], issues: InputIssue[]): Category[] {
  const byId = new Map<string, CategoryNode>();
  for (const node of nodes) if (!byId.has(node.category.id)) byId.set(node.category.id, node);
  const state = new Map<string, "visiting" | "done">();
  const order: Category[] = [];
  // The path being walked, each with the index of the next dependency to follow.
  const path: { node: CategoryNode; next: number }[] = [];
  for (const root of byId.values()) {
    if (state.has(root.category.id)) continue;
    state.set(root.category.id, "visiting");
    path.push({ node: root, next: 0 });
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next === top.node.dependsOn.length) {
        path.pop();
        state.set(top.node.category.id, "done");
        order.push(top.node.category);
        continue;
      }
      const dep = byId.get(top.node.dependsOn[top.next++]!);
      if (!dep) continue;
      const s = state.get(dep.category.id);
      if (s === "done") continue;
      if (s === "visiting") {
        const chain = [...path.map((p) => p.node.category.id), dep.category.id];
        issues.push({
          path: ["categories", dep.index, "method"],
          message: `circular reference: ${chain.join(" → ")}`,
        });
        continue;
      }
      state.set(dep.category.id, "visiting");
      path.push({ node: dep, next: 0 });
    }
  }
  return order;
}

export function isCompiled(scheme: unknown): scheme is CompiledScheme {
  // Maps cannot come from JSON: a scheme document that happens to have "order" or "prepared"
  // keys is compiled (and checked) like any other.
  if (typeof scheme !== "object" || scheme === null) return false;
  const s = scheme as Partial<Record<keyof CompiledScheme, unknown>>;
  return s.prepared instanceof Map && s.points instanceof Map && Array.isArray(s.order);
}

/** The scheme as given when already compiled; otherwise the document compiled (and checked). */
export function compiledOrCompile(scheme: unknown): CompiledScheme {
  return isCompiled(scheme) ? scheme : compileScheme(scheme);
}
