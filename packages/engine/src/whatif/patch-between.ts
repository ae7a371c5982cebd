import { argumentKind } from "../argument-kind.js";
import type { Dataset } from "../dataset/dataset.js";
import { InputError, type InputIssue } from "../input-error.js";
import { type CompiledScheme, compileScheme, isCompiled } from "../scheme/compile-scheme.js";
import { DECIMAL_KEYS, type SchemeChange, sameDecimal, schemeChanges } from "../scheme/scheme-changes.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { applyScenario } from "./apply-scenario.js";
import { ROLLUP_PATCH_FIELDS, type SchemePatch } from "./scenario.js";

/** The scenario patch between two schemes' rules, and what no patch can take across. */
export interface PatchBetween {
  /** Applied to `from` (`applyScenario`), gives `to`'s rules as far as a patch can; `{}` if none differ. */
  patch: SchemePatch;
  /** What still differs after the patch: `schemeChanges(patched from, to)`. */
  kept: SchemeChange[];
}

/** The fields a patch edits of an entry of each list by id, as scenario.ts's schema has them. */
const BY_ID: { key: string[]; fields: readonly string[]; of: (s: Scheme) => readonly { id: string }[] }[] = [
  { key: ["categories"], fields: ["name", "points", "method"], of: (s) => s.categories },
  { key: ["findingTypes"], fields: ["levels", "cap"], of: (s) => s.findingTypes },
  { key: ["bonusTypes"], fields: ["levels", "count", "cap"], of: (s) => s.bonusTypes },
  {
    key: ["vetoTypes"],
    fields: ["ineligibleForExcellence", "ineligibleForAward", "forceLast", "yearsInForce", "inLaterYears"],
    of: (s) => s.vetoTypes,
  },
  {
    key: ["grades", "rules"],
    fields: ["name", "minTotal", "belowTotal", "quota", "requiresExcellenceEligibility"],
    of: (s) => s.grades.rules,
  },
  { key: ["groups"], fields: ["ranked", "name"], of: (s) => s.groups },
  { key: ["rollups"], fields: ROLLUP_PATCH_FIELDS, of: (s) => s.rollups },
];

/** One edit of a patch: where, and the value it writes there (`null` removes). */
interface Edit {
  path: string[];
  value: unknown;
}

/**
 * The scenario patch that takes `from`'s rules to `to`'s (评分方案之间的情景补丁): the patch a
 * year-on-year split applies to one year to score its records under the other year's rules.
 * Both are scheme documents or compiled schemes; an invalid one is an InputError whose paths
 * start at `from` or `to`.
 *
 * The patch edits only what differs and a patch can edit: points, names, method parameters,
 * deduction, bonus and veto types, grade rules, groups, ranking, roll-ups' counting, rounding,
 * the bonus cap. Everything else is `kept`, as `schemeChanges(patched from, to)` lists it: a
 * method's kind, entries only one side has, the order of a list, a roll-up's source or into, the
 * scheme's own id, name and description, and any edit `applyScenario` would refuse (a
 * tie-breaker on a category only `to` has), left out of the patch.
 *
 * A directly assessed category's scale (`outOf`) is never patched: it is how the year's
 * records were written (26.94 of 30), not a rule, and the patch is applied to those records.
 * Where `to`'s scale differs (its points with no `outOf`, or another `outOf`), `applyScenario`
 * keeps `from`'s, and the `outOf` line is kept. The patch is checked against the rules alone:
 * a year's records can still refuse it (ballots outside a patched range, a roll-up's parents
 * that are not units of that year).
 */
export function patchBetween(from: unknown, to: unknown): PatchBetween {
  const issues: InputIssue[] = [];
  const f = schemeArgument(from, "from", issues);
  const t = schemeArgument(to, "to", issues);
  if (!f || !t) throw new InputError("argument", issues, "scheme");
  const written = isCompiled(to) ? t.scheme : to;
  const first = accepted(f, candidates(f.scheme, t.scheme, written));
  const kept = schemeChanges(first.scheme, written);
  let edits = first.edits;
  // Edits that change nothing schemeChanges reads (a quota's `from: "top"` removed where it is
  // the default) are dropped one by one, each drop checked, so that the patch stays minimal.
  for (const edit of [...edits]) {
    const fewer = edits.filter((e) => e !== edit);
    const without = tried(f, fewer);
    if ("issues" in without) continue;
    if (JSON.stringify(schemeChanges(without.scheme, written)) !== JSON.stringify(kept)) continue;
    edits = fewer;
  }
  return { patch: patchOf(edits) as SchemePatch, kept };
}

function schemeArgument(value: unknown, parameter: string, issues: InputIssue[]): CompiledScheme | undefined {
  if (isCompiled(value)) return value;
  // A baseline or evaluation in place of a scheme: name it, rather than list every unknown key.
  if (!isObject(value) || "compiled" in value || "units" in value) {
    issues.push({
      path: [parameter],
      message: `expected a scheme document or a compiled scheme; got ${argumentKind(value)}`,
    });
    return undefined;
  }
  try {
    return compileScheme(value);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    issues.push(...e.issues.map((i) => ({ ...i, path: [parameter, ...i.path] })));
    return undefined;
  }
}

/** Every edit that takes `from` towards `to`, in path order (so the documents' order cannot matter). */
function candidates(from: Scheme, to: Scheme, written: unknown): Edit[] {
  const out: Edit[] = [];
  for (const { key, fields, of } of BY_ID) {
    const mine = new Map(of(from).map((x) => [x.id, x as unknown as Record<string, unknown>]));
    for (const theirs of of(to) as readonly Record<string, unknown>[]) {
      const own = mine.get(theirs.id as string);
      if (!own) continue;
      for (const field of fields) {
        let [a, b] = [own[field], theirs[field]];
        if (field === "method") {
          // A method's kind cannot change: its parameters are another method's.
          if ((a as { kind: string }).kind !== (b as { kind: string }).kind) continue;
          [a, b] = [withoutScale(a), withoutScale(b)];
        }
        differences(a, b, [...key, theirs.id as string, field], DECIMAL_KEYS.has(field), out);
      }
    }
  }
  for (const k of ["tieBreakers", "lastLosesAward", "lastLosesExcellence"] as const)
    differences(from.ranking[k], to.ranking[k], ["ranking", k], false, out);
  for (const k of ["decimals", "mode"] as const)
    differences(from.rounding[k], to.rounding[k], ["rounding", k], false, out);
  // The stages rounded are a set, as schemeChanges reads them.
  const [bs, as] = [new Set(from.rounding.stages), new Set(to.rounding.stages)];
  if (bs.size !== as.size || [...bs].some((s) => !as.has(s)))
    out.push({ path: ["rounding", "stages"], value: to.rounding.stages });
  differences(from.bonusCap, to.bonusCap, ["bonusCap"], true, out);
  // A value replaced whole is taken as `to` wrote it (without the defaults parsing adds).
  return out
    .map((e) => ({ ...e, value: e.value === null ? null : (writtenAt(written, e.path) ?? e.value) }))
    .sort((x, y) => key(x).localeCompare(key(y)));
}

const key = (e: Edit) => e.path.join("\u0000");

/** A direct method without its scale: see patchBetween on `outOf`. */
function withoutScale(method: unknown): unknown {
  if (!isObject(method) || method.kind !== "direct") return method;
  const { outOf: _, ...rest } = method;
  return rest;
}

/**
 * The edits that make `a` into `b`, merged as applyScenario merges a patch: objects key by key,
 * arrays and scalars replaced, an object whose `type` changes replaced whole, `null` removing.
 */
function differences(a: unknown, b: unknown, path: string[], decimal: boolean, out: Edit[]): void {
  if (b === undefined || b === null) {
    // `null` in a patch removes a key, so a null `to` has (a survey option not scored) cannot be
    // written by one where `from` has a value: that difference is kept.
    if (b === undefined && a !== undefined) out.push({ path, value: null });
    return;
  }
  if (a === undefined || a === null) return void out.push({ path, value: b });
  if (isObject(a) && isObject(b)) {
    if ("type" in b && b.type !== a.type) return void out.push({ path, value: b });
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) differences(a[k], b[k], [...path, k], decimal || DECIMAL_KEYS.has(k), out);
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b) || (decimal && sameDecimal(a, b))) return;
  out.push({ path, value: b });
}

/** The value at a patch path in a scheme document, entries of lists found by id. */
function writtenAt(document: unknown, path: readonly string[]): unknown {
  let at: unknown = document;
  for (const k of path)
    at = Array.isArray(at) ? at.find((x) => isObject(x) && x.id === k) : isObject(at) ? at[k] : undefined;
  return at;
}

/**
 * The edits applyScenario accepts: those a refusal names are dropped until none is refused. A
 * refusal that names none of them (a category's points off the grid of a patched rounding) is
 * settled edit by edit, in path order, each kept if the patch still applies with it.
 */
function accepted(from: CompiledScheme, edits: Edit[]): { edits: Edit[]; scheme: Scheme } {
  let current = edits;
  for (;;) {
    const result = tried(from, current);
    if ("scheme" in result) return { edits: current, scheme: result.scheme };
    const blamed = current.filter((e) => result.issues.some((i) => blames(i.path, e.path)));
    if (blamed.length === 0) break;
    current = current.filter((e) => !blamed.includes(e));
  }
  const kept: Edit[] = [];
  let scheme = from.scheme;
  for (const edit of current) {
    const result = tried(from, [...kept, edit]);
    if ("issues" in result) continue;
    kept.push(edit);
    scheme = result.scheme;
  }
  return { edits: kept, scheme };
}

/** Whether an issue at `issue` (a scenario path) is about the edit at `edit`: one path leads to the other. */
function blames(issue: readonly (string | number)[], edit: readonly string[]): boolean {
  if (issue[0] !== "patch") return false;
  const rest = issue.slice(1).map(String);
  const n = Math.min(rest.length, edit.length);
  return rest.slice(0, n).every((k, i) => k === edit[i]);
}

/** The scheme the edits make of `from`, or the issues applyScenario refuses them with. */
function tried(
  from: CompiledScheme,
  edits: readonly Edit[],
): { scheme: Scheme } | { issues: readonly InputIssue[] } {
  try {
    const patch = patchOf(edits);
    return {
      scheme: applyScenario(from, unitsFor(from, edits), { name: "patchBetween", patch }).compiled.scheme,
    };
  } catch (e) {
    if (e instanceof InputError) return { issues: e.issues };
    throw e;
  }
}

/**
 * applyScenario checks a roll-up's parents against the year's units. Without a year at hand, the
 * parents the patch lists stand in for them: whether they are units of the year it is applied to
 * is that year's to say.
 */
function unitsFor(from: CompiledScheme, edits: readonly Edit[]): Dataset {
  const parents = edits.flatMap((e) =>
    e.path[0] === "rollups" && e.path[2] === "parents" && Array.isArray(e.value) ? (e.value as string[]) : [],
  );
  const group = from.scheme.groups[0]!.id;
  return { units: [...new Set(parents)].map((id) => ({ id, name: id, group })) };
}

function patchOf(edits: readonly Edit[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const { path, value } of edits) {
    let at = patch;
    for (const k of path.slice(0, -1)) {
      at[k] ??= {};
      at = at[k] as Record<string, unknown>;
    }
    at[path.at(-1)!] = value;
  }
  return patch;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
