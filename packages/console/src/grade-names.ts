import type { SchemeDocument } from "./whatif-api";

/**
 * A grade's name by id, as the schemes given name it (the first that does): the id itself for a
 * grade none names, "—" for no grade. Two cycles compared may grade under schemes of their own.
 */
export function gradeNamer(...schemes: SchemeDocument[]): (id: string | null) => string {
  const names = new Map<string, string>();
  for (const scheme of [...schemes].reverse()) {
    for (const r of scheme.grades?.rules ?? []) names.set(r.id, r.name);
    if (scheme.grades?.fallback) names.set(scheme.grades.fallback.id, scheme.grades.fallback.name);
  }
  return (id) => (id ? (names.get(id) ?? id) : "—");
}

/** The side of a comparison a grade was given on. */
export type GradeSide = "baseline" | "scenario";

/** A grade's name on one side of a comparison (a what-if's one scheme names both alike). */
export type SideGradeName = (id: string | null, side: GradeSide) => string;

/**
 * A comparison's grade names: each side's grade as the scheme it was given under names it (a
 * grade renamed between two years reads as each year published it), the other's where that one
 * names none.
 */
export function sideGradeNamer(baseline: SchemeDocument, scenario: SchemeDocument): SideGradeName {
  const names = { baseline: gradeNamer(baseline, scenario), scenario: gradeNamer(scenario, baseline) };
  return (id, side) => names[side](id);
}
