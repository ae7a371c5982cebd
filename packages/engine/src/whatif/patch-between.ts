import { argumentKind } from "../argument-kind.js";
import type { Dataset } from "../dataset/dataset.js";
import { InputError, type InputIssue } from "../input-error.js";
import { type CompiledScheme, compileScheme, isCompiled } from "../scheme/compile-scheme.js";
import { type SchemeChange, schemeChanges } from "../scheme/scheme-changes.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { applyScenario, PATCHED_LISTS } from "./apply-scenario.js";
import { comparePaths, type Edit, isObject, patchEdits, patchOf, zeroesAbsent } from "./patch-edits.js";
import type { SchemePatch } from "./scenario.js";

/** The scenario patch between two schemes' rules, and what no patch can take across. */
export interface PatchBetween {
  /** Applied to `from` (`applyScenario`), gives `to`'s rules as far as a patch can; `{}` if none differ. */
  patch: SchemePatch;
  /** What still differs after the patch: `schemeChanges(patched from, to)`. */
  kept: SchemeChange[];
}

/**
 * The scenario patch that takes `from`'s rules to `to`'s (评分方案之间的情景补丁): the patch a
 * year-on-year split applies to one year to score its records under the other year's rules.
 * Both are scheme documents or compiled schemes; an invalid one is an InputError whose paths
 * start at `from` or `to`.
 *
 * The patch edits only what differs and a patch can edit: points, names, method parameters,
 * deduction and bonus amounts and caps, veto effects, grade rules, groups, ranking, roll-ups'
 * counting, rounding, the bonus cap. Everything else is `kept`, as `schemeChanges(patched from,
 * to)` lists it: a method's kind, entries only one side has, the order of a list whose order is
 * read (a list whose order is never read, such as a survey's `satisfiedOptions`, compares as a
 * set: its order alone is no edit and no line), the names of finding, bonus and veto types, a
 * finding or bonus type's levels added or removed, the grades' fallback, a survey option's points changed to `null`, a roll-up's source or into, the scheme's
 * own id, name and description, and any edit `applyScenario` would refuse (a tie-breaker on a
 * category only `to` has, an entry whose id is `__proto__`), left out of the patch. A value `to`
 * adds is written without the defaults it repeats, so a document and its compiled form give one
 * patch; the patch shares no object with `to`, and its keys are in code-unit order.
 *
 * A category only `from` has gets 0 points (it is kept, as no patch removes it): under `to`'s
 * rules it weighs nothing, so in a year-on-year split its weight moves with the rules, and the
 * patched maximum is `to`'s, where leaving its points would score the middle out of more.
 *
 * A directly assessed category's scale (`outOf`) is never patched: it is how the year's
 * records were written (26.94 of 30), not a rule, and the patch is applied to those records.
 * Where `to`'s scale differs (its points with no `outOf`, or another `outOf`), `applyScenario`
 * keeps `from`'s, and the `outOf` line is kept. The patch is checked against the rules alone:
 * a year's records can still refuse it, naming each record (a secret vote's ballots are counted):
 * a ballot above a lowered maximum, a score ballot under a ballot type changed to grade, a ballot
 * of a role that role weights leave out, a survey form whose answer is an option dropped, a survey
 * form of a respondent group renamed or left out of a shortened `respondentGroups`, a roll-up's
 * parents that are not units of that year.
 */
export function patchBetween(from: unknown, to: unknown): PatchBetween {
  const issues: InputIssue[] = [];
  const f = schemeArgument(from, "from", issues);
  const t = schemeArgument(to, "to", issues);
  if (!f || !t) throw new InputError("argument", issues, "scheme");
  const written = isCompiled(to) ? t.scheme : to;
  const first = accepted(f, patchEdits(f.scheme, t.scheme));
  const kept = schemeChanges(first.scheme, written);
  return {
    patch: patchOf(trimmed(f, first.edits, { scheme: t.scheme, written, kept })) as SchemePatch,
    kept,
  };
}

function schemeArgument(value: unknown, parameter: string, issues: InputIssue[]): CompiledScheme | undefined {
  if (isCompiled(value)) return value;
  // A baseline, an evaluation, a dataset or an applied scenario in place of a scheme: name it,
  // rather than list every unknown key.
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

/**
 * The edits applyScenario accepts. Those a refusal names are set aside until none is refused (a
 * refusal that names none of them, such as a category's points off the grid of a patched
 * rounding, sets all aside); then each set aside is tried again with those accepted, pass after
 * pass while one more is taken: a refusal on the whole `categories` list sets aside a rename that
 * applies alone, and two edits that apply only together (a band's `minTotal` and `belowTotal`
 * both lowered) are each taken once the other is.
 */
function accepted(from: CompiledScheme, edits: readonly Edit[]): { edits: Edit[]; scheme: Scheme } {
  let current = [...edits];
  const aside: Edit[] = [];
  let scheme = from.scheme;
  for (;;) {
    const result = tried(from, current);
    if ("scheme" in result) {
      scheme = result.scheme;
      break;
    }
    const blamed = current.filter((e) => result.issues.some((i) => blames(i.path, e.path)));
    const set = blamed.length > 0 ? blamed : current;
    aside.push(...set);
    current = current.filter((e) => !set.includes(e));
    if (blamed.length === 0) break;
  }
  // Each pass takes at least one edit or ends the loop: at most `aside.length` passes.
  for (let taken = true; taken; ) {
    taken = false;
    for (const edit of aside.sort((x, y) => comparePaths(x.path, y.path))) {
      const result = tried(from, [...current, edit]);
      if ("issues" in result) continue;
      current.push(edit);
      scheme = result.scheme;
      taken = true;
    }
    aside.splice(0, aside.length, ...aside.filter((e) => !current.includes(e)));
  }
  return { edits: current.sort((x, y) => comparePaths(x.path, y.path)), scheme };
}

/** Whether an issue at `issue` (a scenario path) is about the edit at `edit`: one path leads to the other. */
function blames(issue: readonly (string | number)[], edit: readonly string[]): boolean {
  if (issue[0] !== "patch") return false;
  const rest = issue.slice(1).map(String);
  const n = Math.min(rest.length, edit.length);
  return rest.slice(0, n).every((k, i) => k === edit[i]);
}

/**
 * The edits without those that change nothing schemeChanges reads (a quota's `from: "top"`
 * where it is the default, a `percent: null` that a patched `count` implies), each dropped only
 * if the patch without it still applies and leaves `kept` alone, so that the patch is minimal.
 */
function trimmed(
  from: CompiledScheme,
  edits: readonly Edit[],
  to: { scheme: Scheme; written: unknown; kept: SchemeChange[] },
): Edit[] {
  const before = schemeChanges(from.scheme, to.written).map((c) => c.path);
  const after = to.kept.map((c) => c.path);
  const kept = JSON.stringify(to.kept);
  let left = [...edits];
  for (const edit of edits) {
    if (surelyNeeded(edit, before, after) || zeroesAbsent(edit, to.scheme)) continue;
    const fewer = left.filter((e) => e !== edit);
    const without = tried(from, fewer);
    if ("issues" in without || JSON.stringify(schemeChanges(without.scheme, to.written)) !== kept) continue;
    left = fewer;
  }
  return left;
}

/**
 * Whether an edit cannot be idle, without trying the patch without it: it writes a value that
 * applyScenario sets from that edit alone and schemeChanges compares as written (not a method's,
 * a quota's, an `inLaterYears` or a roll-up's, which defaults and derived values stand in for),
 * `from` differs there from `to` and the patch leaves no difference there. Without the edit,
 * `from`'s value comes back, and with it a line the patched scheme does not have.
 */
function surelyNeeded(edit: Edit, before: readonly string[], after: readonly string[]): boolean {
  const { path } = edit;
  if (path[0] === "rollups" || path.some((k) => k === "method" || k === "quota" || k === "inLaterYears"))
    return false;
  // A line's path is text: an id with the characters that separate its parts could be misread.
  if (path.some((k) => /[.[\]]/.test(k))) return false;
  const list = PATCHED_LISTS.find(({ key }) => key.every((k, i) => path[i] === k));
  const line = list
    ? [`${list.key.join(".")}[id=${path[list.key.length]}]`, ...path.slice(list.key.length + 1)].join(".")
    : path.join(".");
  const at = (p: string) => p === line || p.startsWith(`${line}.`) || p.startsWith(`${line}[`);
  return before.some(at) && !after.some(at);
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
 * applyScenario checks a roll-up's parents against the year's units, and patchBetween has no
 * year: the parents the patch lists stand in for that year's units (placed in any group, which
 * the check does not read), so that only the rules are checked. Whether they are units of the
 * year the patch is applied to is that year's to say.
 */
function unitsFor(from: CompiledScheme, edits: readonly Edit[]): Dataset {
  const parents = edits.flatMap((e) =>
    e.path[0] === "rollups" && e.path[2] === "parents" && Array.isArray(e.value) ? (e.value as string[]) : [],
  );
  const group = from.scheme.groups[0]!.id;
  return { units: [...new Set(parents)].map((id) => ({ id, name: id, group })) };
}
