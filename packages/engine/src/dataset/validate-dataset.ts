import { InputError, type InputIssue } from "../input-error.js";
import { methodFor, recordsOfMethod } from "../methods/registry.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import type { Dataset } from "./dataset.js";

const RECTIFICATION = new Set(["on-time", "late", "not-rectified", "pending"]);

/**
 * Checks a dataset against a compiled scheme and throws an InputError listing every
 * problem with its path. Nothing is scored from a dataset that fails here: a half-valid
 * year would publish a ranking nobody can defend.
 */
export function validateDataset(compiled: CompiledScheme, dataset: Dataset): void {
  const issues = datasetIssues(compiled, dataset);
  if (issues.length > 0) throw new InputError("dataset", issues);
}

export function datasetIssues(compiled: CompiledScheme, dataset: Dataset): InputIssue[] {
  const { scheme } = compiled;
  const issues: InputIssue[] = [];
  if (!Array.isArray(dataset.units)) return [{ path: ["units"], message: "must be an array of units" }];

  const groups = new Set(scheme.groups.map((g) => g.id));
  const unitIds = new Set<string>();
  dataset.units.forEach((u, i) => {
    if (typeof u?.id !== "string" || u.id === "")
      issues.push({ path: ["units", i, "id"], message: "must be a non-empty string" });
    else if (unitIds.has(u.id))
      issues.push({ path: ["units", i, "id"], message: `duplicate unit "${u.id}"` });
    else unitIds.add(u.id);
    if (typeof u?.name !== "string" || u.name === "")
      issues.push({ path: ["units", i, "name"], message: "must be a non-empty string" });
    if (!groups.has(u?.group))
      issues.push({ path: ["units", i, "group"], message: `unknown group "${u?.group}"` });
  });
  const parentOf = new Map<string, string>();
  dataset.units.forEach((u, i) => {
    if (u.parent === undefined || u.parent === null) return;
    if (!unitIds.has(u.parent))
      issues.push({ path: ["units", i, "parent"], message: `unknown unit "${u.parent}"` });
    else if (u.parent === u.id)
      issues.push({ path: ["units", i, "parent"], message: "a unit cannot be its own parent" });
    else parentOf.set(u.id, u.parent);
  });
  dataset.units.forEach((u, i) => {
    const seen = new Set([u.id]);
    for (let p = parentOf.get(u.id); p !== undefined; p = parentOf.get(p)) {
      if (seen.has(p)) {
        issues.push({ path: ["units", i, "parent"], message: `circular parent chain through "${p}"` });
        break;
      }
      seen.add(p);
    }
  });

  // Rows aimed at a category that does not exist, or at one scored by another method.
  const kindOf = new Map(scheme.categories.map((c) => [c.id, c.method.kind]));
  for (const [kind, arrays] of Object.entries(recordsOfMethod)) {
    for (const array of arrays) {
      const rows =
        (dataset as unknown as Record<string, readonly { category?: unknown }[] | undefined>)[array] ?? [];
      for (let i = 0; i < rows.length; i++) {
        const category = rows[i]?.category as string;
        const actual = kindOf.get(category);
        if (actual === undefined)
          issues.push({ path: [array, i, "category"], message: `unknown category "${category}"` });
        else if (actual !== kind)
          issues.push({
            path: [array, i, "category"],
            message: `category "${category}" is scored by "${actual}", not "${kind}"`,
          });
      }
    }
  }

  const declaredInputs = new Set<string>();
  for (const c of scheme.categories)
    if (c.method.kind === "formula") for (const i of c.method.inputs) declaredInputs.add(i.name);
  (dataset.inputs ?? []).forEach((row, i) => {
    if (!declaredInputs.has(row.name))
      issues.push({
        path: ["inputs", i, "name"],
        message: `no formula declares an input named "${row.name}"`,
      });
  });

  for (const category of scheme.categories) {
    const method = methodFor(category.method.kind);
    issues.push(...method.validateData({ category, params: category.method as never, dataset, unitIds }));
  }

  const findingTypes = new Map(scheme.findingTypes.map((t) => [t.id, t]));
  checkEvents(issues, "findings", dataset.findings, unitIds, (row, path) => {
    const type = findingTypes.get(row.type);
    if (!type) return [{ path: [...path, "type"], message: `unknown finding type "${row.type}"` }];
    const out: InputIssue[] = [];
    if (!(row.level in type.levels))
      out.push({
        path: [...path, "level"],
        message: `unknown level "${row.level}" for "${row.type}" (known: ${Object.keys(type.levels).join(", ")})`,
      });
    if (row.rectification !== undefined && !RECTIFICATION.has(row.rectification))
      out.push({
        path: [...path, "rectification"],
        message: `must be one of ${[...RECTIFICATION].join(", ")}`,
      });
    return out;
  });
  const bonusTypes = new Map(scheme.bonusTypes.map((t) => [t.id, t]));
  checkEvents(issues, "bonusEvents", dataset.bonusEvents, unitIds, (row, path) => {
    const type = bonusTypes.get(row.type);
    if (!type) return [{ path: [...path, "type"], message: `unknown bonus type "${row.type}"` }];
    return row.level in type.levels
      ? []
      : [{ path: [...path, "level"], message: `unknown level "${row.level}" for "${row.type}"` }];
  });
  const vetoTypes = new Set(scheme.vetoTypes.map((t) => t.id));
  checkEvents(issues, "vetoEvents", dataset.vetoEvents, unitIds, (row, path) =>
    vetoTypes.has(row.type) ? [] : [{ path: [...path, "type"], message: `unknown veto type "${row.type}"` }],
  );
  return issues;
}

function checkEvents<T extends { id: string; unit: string }>(
  issues: InputIssue[],
  array: string,
  rows: readonly T[] | undefined,
  unitIds: ReadonlySet<string>,
  check: (row: T, path: (string | number)[]) => InputIssue[],
): void {
  const ids = new Set<string>();
  const list = rows ?? [];
  // A plain loop with no per-row allocation: a year has hundreds of thousands of findings.
  for (let i = 0; i < list.length; i++) {
    const row = list[i]!;
    if (typeof row.id !== "string" || row.id === "")
      issues.push({ path: [array, i, "id"], message: "must be a non-empty string" });
    else if (ids.has(row.id)) issues.push({ path: [array, i, "id"], message: `duplicate id "${row.id}"` });
    ids.add(row.id);
    if (!unitIds.has(row.unit))
      issues.push({ path: [array, i, "unit"], message: `unknown unit "${row.unit}"` });
    for (const issue of check(row, [array, i])) issues.push(issue);
  }
}
