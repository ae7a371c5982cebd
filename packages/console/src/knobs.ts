import type { ScenarioDocument, SchemeDocument } from "./whatif-api";

/** The what-if controls: category points and the common scheme settings. */
export interface Knobs {
  points: Record<string, number>;
  /** The first quota-limited grade rule's quota (percent or count, as the scheme gives it). */
  quota: number | null;
  decimals: number;
  mode: string;
}

export interface QuotaRule {
  id: string;
  name: string;
  unit: "percent" | "count";
  scope: string;
}

export function quotaRule(scheme: SchemeDocument): QuotaRule | null {
  const rule = scheme.grades?.rules.find((r) => r.quota);
  if (!rule?.quota) return null;
  return {
    id: rule.id,
    name: rule.name,
    unit: rule.quota.percent !== undefined ? "percent" : "count",
    scope: rule.quota.scope ?? "group",
  };
}

export function nominalKnobs(scheme: SchemeDocument): Knobs {
  const rule = scheme.grades?.rules.find((r) => r.quota);
  return {
    points: Object.fromEntries(scheme.categories.map((c) => [c.id, Number(c.points)])),
    quota: rule?.quota ? Number(rule.quota.percent ?? rule.quota.count) : null,
    decimals: scheme.rounding?.decimals ?? 2,
    mode: scheme.rounding?.mode ?? "half-up",
  };
}

/** A scenario naming only what differs from the scheme (an empty patch is the baseline). */
export function toScenario(knobs: Knobs, scheme: SchemeDocument): ScenarioDocument {
  const nominal = nominalKnobs(scheme);
  const patch: Record<string, unknown> = {};
  const categories: Record<string, { points: number }> = {};
  for (const [id, v] of Object.entries(knobs.points))
    if (v !== nominal.points[id]) categories[id] = { points: v };
  if (Object.keys(categories).length) patch.categories = categories;
  const rule = quotaRule(scheme);
  if (rule && knobs.quota !== null && knobs.quota !== nominal.quota) {
    patch.grades = { rules: { [rule.id]: { quota: { [rule.unit]: knobs.quota, scope: rule.scope } } } };
  }
  const rounding: Record<string, unknown> = {};
  if (knobs.decimals !== nominal.decimals) rounding.decimals = knobs.decimals;
  if (knobs.mode !== nominal.mode) rounding.mode = knobs.mode;
  if (Object.keys(rounding).length) patch.rounding = rounding;
  return { patch };
}

/** Knobs for a saved scenario; what the knobs cannot show is kept as it is in the scenario. */
export function fromScenario(doc: ScenarioDocument, scheme: SchemeDocument): Knobs {
  const knobs = nominalKnobs(scheme);
  const patch = (doc.patch ?? {}) as {
    categories?: Record<string, { points?: number | string }>;
    grades?: { rules?: Record<string, { quota?: { percent?: number | string; count?: number } | null }> };
    rounding?: { decimals?: number; mode?: string };
  };
  for (const [id, c] of Object.entries(patch.categories ?? {}))
    if (c.points !== undefined && id in knobs.points) knobs.points[id] = Number(c.points);
  const rule = quotaRule(scheme);
  const q = rule ? patch.grades?.rules?.[rule.id]?.quota : undefined;
  if (q) knobs.quota = Number(q.percent ?? q.count);
  if (patch.rounding?.decimals !== undefined) knobs.decimals = patch.rounding.decimals;
  if (patch.rounding?.mode) knobs.mode = patch.rounding.mode;
  return knobs;
}
