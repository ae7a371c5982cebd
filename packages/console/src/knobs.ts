import { isObject } from "./json-object";
import {
  nominalRollups,
  ROLLUP_KNOB_FIELDS,
  type RollupKnob,
  rollupFromPatch,
  rollupPath,
} from "./rollup-knobs";
import type { ScenarioDocument, SchemeDocument } from "./whatif-api";

/** The what-if controls: category points and the common scheme settings. */
export interface Knobs {
  points: Record<string, number>;
  /**
   * The first quota-limited grade rule's quota (percent or count, as the scheme gives it); null
   * when the scheme has none, or a saved scenario changes it in a way one number cannot show
   * (removes it, or turns a count into a percent): the scenario's own quota is then run as it is.
   */
  quota: number | null;
  /**
   * How the quota's percent becomes whole places (down, half-up, up; absent for a count), and
   * what units tied at its line get (share, exclude): absent where the scheme has no quota.
   */
  quotaRounding?: string;
  quotaTies?: string;
  decimals: number;
  mode: string;
  /**
   * Each of the scheme's roll-ups by id: its share, aggregation and missingSubUnit; null for one a
   * saved scenario changes in a way the knob cannot show (a share above 1, say), which is then run
   * as it is. Absent where the scheme has no roll-ups.
   */
  rollups?: Record<string, RollupKnob | null>;
}

export interface QuotaRule {
  id: string;
  name: string;
  unit: "percent" | "count";
  scope: string;
}

/** The quota's `rounding` and `ties`, as the engine takes them; the first of each is its default. */
export const QUOTA_ROUNDINGS = ["down", "half-up", "up"] as const;
export const QUOTA_TIES = ["share", "exclude"] as const;

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
  const rollups = nominalRollups(scheme);
  return {
    points: Object.fromEntries(scheme.categories.map((c) => [c.id, Number(c.points)])),
    quota: rule?.quota ? Number(rule.quota.percent ?? rule.quota.count) : null,
    ...(rule?.quota
      ? {
          // A count has no part place to round: the engine refuses `rounding` beside it.
          ...(rule.quota.count === undefined
            ? { quotaRounding: rule.quota.rounding ?? QUOTA_ROUNDINGS[0] }
            : {}),
          quotaTies: rule.quota.ties ?? QUOTA_TIES[0],
        }
      : {}),
    decimals: scheme.rounding?.decimals ?? 2,
    mode: scheme.rounding?.mode ?? "half-up",
    ...(rollups ? { rollups } : {}),
  };
}

type Json = Record<string, unknown>;
/** A value a knob can hold: a number, or a decimal written as text ("37.5"). */
const knobValue = (v: unknown): number | undefined =>
  (typeof v === "number" || typeof v === "string") && Number.isFinite(Number(v)) && String(v).trim() !== ""
    ? Number(v)
    : undefined;

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let at = root;
  for (const key of path) {
    if (!isObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/**
 * Sets `path` inside `root` to `value`, making the objects on the way; undefined removes it, and
 * then every object on the way that it leaves empty.
 */
function setAt(root: Json, path: readonly string[], value: unknown): void {
  const [key, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    if (value === undefined) delete root[key];
    else root[key] = value;
    return;
  }
  const next = root[key];
  if (!isObject(next)) {
    if (value === undefined) return;
    root[key] = {};
  }
  const child = root[key] as Json;
  setAt(child, rest, value);
  if (Object.keys(child).length === 0) delete root[key];
}

/**
 * One knob's part of the scenario: the saved value stays, as it was written, while the knob
 * shows it; a knob moved back to the scheme's value takes the part out; any other value is set.
 */
function setKnob(patch: Json, path: readonly string[], knob: number | string, nominal: number | string) {
  const saved = valueAt(patch, path);
  if (saved !== undefined && (saved === knob || knobValue(saved) === knob)) return;
  setAt(patch, path, knob === nominal ? undefined : knob);
}

/** The quota's path in a patch, under the scheme's quota rule. */
const quotaPath = (rule: QuotaRule) => ["grades", "rules", rule.id, "quota"];

/**
 * Whether the knob can show a saved quota: one number in the scheme's own unit (or none, the
 * scheme's kept), and a rounding and ties the engine takes.
 */
function quotaShown(saved: unknown, rule: QuotaRule): boolean {
  if (saved === undefined) return true;
  if (!isObject(saved)) return false;
  const other = rule.unit === "percent" ? "count" : "percent";
  const known = (v: unknown, list: readonly string[]) => v === undefined || list.includes(v as string);
  return (
    (saved[rule.unit] === undefined || knobValue(saved[rule.unit]) !== undefined) &&
    (saved[other] === undefined || saved[other] === null) &&
    known(saved.rounding, QUOTA_ROUNDINGS) &&
    known(saved.ties, QUOTA_TIES)
  );
}

/**
 * The scenario to run: `base` (a saved scenario, or none) with the knobs' parts set from the
 * knobs. Everything else in it — data overrides, methods, vetoes, other patch keys, its
 * description — is kept and sent as it is. A part the knobs leave at the saved value is not
 * rewritten, so the knobs of a saved scenario give that scenario back, key for key.
 */
export function toScenario(
  knobs: Knobs,
  scheme: SchemeDocument,
  base: ScenarioDocument = { patch: {} },
): ScenarioDocument {
  const doc = structuredClone(base);
  const patch: Json = isObject(doc.patch) ? doc.patch : {};
  const nominal = nominalKnobs(scheme);
  for (const [id, v] of Object.entries(knobs.points))
    if (id in nominal.points) setKnob(patch, ["categories", id, "points"], v, nominal.points[id]!);
  const rule = quotaRule(scheme);
  if (rule && knobs.quota !== null && nominal.quota !== null) {
    const saved = valueAt(patch, quotaPath(rule));
    // A quota the knob cannot show is replaced whole once the knob is set (by Reset, say).
    const shown = quotaShown(saved, rule);
    const kept = shown && isObject(saved) ? saved : {};
    if (!shown || knobValue(kept[rule.unit]) !== knobs.quota) {
      // What else the saved quota says (its scope) stays; the scheme's scope is said for a new one.
      const quota =
        knobs.quota === nominal.quota
          ? Object.fromEntries(Object.entries(kept).filter(([k]) => k !== rule.unit))
          : Object.keys(kept).length > 0
            ? { ...kept, [rule.unit]: knobs.quota }
            : { [rule.unit]: knobs.quota, scope: rule.scope };
      setAt(patch, quotaPath(rule), Object.keys(quota).length ? quota : undefined);
    }
    if (knobs.quotaRounding !== undefined && nominal.quotaRounding !== undefined)
      setKnob(patch, [...quotaPath(rule), "rounding"], knobs.quotaRounding, nominal.quotaRounding);
    if (knobs.quotaTies !== undefined && nominal.quotaTies !== undefined)
      setKnob(patch, [...quotaPath(rule), "ties"], knobs.quotaTies, nominal.quotaTies);
  }
  setKnob(patch, ["rounding", "decimals"], knobs.decimals, nominal.decimals);
  setKnob(patch, ["rounding", "mode"], knobs.mode, nominal.mode);
  for (const [id, knob] of Object.entries(knobs.rollups ?? {})) {
    const own = nominal.rollups?.[id];
    if (!knob || !own) continue;
    // A patch that is no object of changes (the knob could not show it) is replaced once the knob
    // is set; in one, each field is the knob's, and `parents` stays.
    const saved = valueAt(patch, rollupPath(id));
    if (saved !== undefined && !isObject(saved)) setAt(patch, rollupPath(id), undefined);
    for (const field of ROLLUP_KNOB_FIELDS)
      setKnob(patch, [...rollupPath(id), field], knob[field], own[field]);
  }
  if (Object.keys(patch).length > 0 || doc.patch !== undefined) doc.patch = patch;
  return doc;
}

/**
 * Knobs for a saved scenario: its points, quota, rounding and roll-ups where it changes them, else the
 * scheme's. What the knobs cannot show is not lost: `toScenario(knobs, scheme, doc)` keeps it,
 * and `hiddenParts` names it for the page.
 */
export function fromScenario(doc: ScenarioDocument, scheme: SchemeDocument): Knobs {
  const knobs = nominalKnobs(scheme);
  const patch = doc.patch ?? {};
  for (const id of Object.keys(knobs.points)) {
    const v = knobValue(valueAt(patch, ["categories", id, "points"]));
    if (v !== undefined) knobs.points[id] = v;
  }
  const rule = quotaRule(scheme);
  if (rule) {
    const saved = valueAt(patch, quotaPath(rule));
    if (!quotaShown(saved, rule)) knobs.quota = null;
    else if (isObject(saved)) {
      knobs.quota = knobValue(saved[rule.unit]) ?? knobs.quota;
      if (typeof saved.rounding === "string") knobs.quotaRounding = saved.rounding;
      if (typeof saved.ties === "string") knobs.quotaTies = saved.ties;
    }
  }
  const decimals = knobValue(valueAt(patch, ["rounding", "decimals"]));
  if (decimals !== undefined) knobs.decimals = decimals;
  const mode = valueAt(patch, ["rounding", "mode"]);
  if (typeof mode === "string") knobs.mode = mode;
  if (knobs.rollups)
    knobs.rollups = Object.fromEntries(
      Object.entries(knobs.rollups).map(([id, nominal]) => [
        id,
        nominal && rollupFromPatch(valueAt(patch, rollupPath(id)), nominal),
      ]),
    );
  return knobs;
}
