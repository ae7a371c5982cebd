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
