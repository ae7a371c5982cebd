import type { Dataset, Finding, VetoEvent } from "../dataset/dataset.js";
import { withRecordNames } from "../dataset/record-name.js";
import { declaredInputs, undeclaredInput, validateDataset } from "../dataset/validate-dataset.js";
import { documentIssues, PARSE_OPTIONS } from "../document-issues.js";
import { unknownId } from "../exact-id.js";
import { InputError, type InputIssue } from "../input-error.js";
import { methodFor } from "../methods/registry.js";
import { isSecretVote } from "../methods/vote/secret-ballots.js";
import { cmp, parseDecimal } from "../rational.js";
import { type CompiledScheme, compiledOrCompile, compileScheme } from "../scheme/compile-scheme.js";
import { type Scheme, type SchemeInput, yearsBefore } from "../scheme/scheme-schema.js";
import { rollupEdits } from "./rollup-patch.js";
import {
  misplacedField,
  ROLLUP_PATCH_FIELDS,
  type Scenario,
  type ScenarioInput,
  scenarioSchema,
} from "./scenario.js";
import {
  secretBallotsRefused,
  secretVotePatchIssues,
  withSecretBallotsCounted,
} from "./secret-vote-patch.js";

/** A scenario applied: the scheme and records it describes, and what stage 1 must redo. */
export interface AppliedScenario {
  scenario: Scenario;
  compiled: CompiledScheme;
  dataset: Dataset;
  /** Categories whose method parameters or records changed: their stage-1 outcomes are stale. */
  restage: ReadonlySet<string>;
  /** Whether deduction, bonus or veto inputs changed (tables, caps or records). */
  adjustmentsChanged: boolean;
  /** Whether records changed at all (the dataset was re-validated). */
  dataChanged: boolean;
}

type Path = (string | number)[];

/**
 * The lists a patch edits by id, where each list is in the scheme, what one entry is called, and
 * the fields of an entry a patch can edit (scenario.ts's schema). Shared with patchBetween.
 */
export const PATCHED_LISTS: readonly {
  key: readonly string[];
  label: string;
  fields: readonly string[];
  of: (s: Scheme) => readonly { id: string }[];
}[] = [
  { key: ["categories"], label: "category", fields: ["name", "points", "method"], of: (s) => s.categories },
  { key: ["findingTypes"], label: "finding type", fields: ["levels", "cap"], of: (s) => s.findingTypes },
  { key: ["bonusTypes"], label: "bonus type", fields: ["levels", "count", "cap"], of: (s) => s.bonusTypes },
  {
    key: ["vetoTypes"],
    label: "veto type",
    fields: ["ineligibleForExcellence", "ineligibleForAward", "forceLast", "yearsInForce", "inLaterYears"],
    of: (s) => s.vetoTypes,
  },
  {
    key: ["grades", "rules"],
    label: "grade rule",
    fields: ["name", "minTotal", "belowTotal", "quota", "requiresExcellenceEligibility"],
    of: (s) => s.grades.rules,
  },
  { key: ["groups"], label: "group", fields: ["ranked", "name"], of: (s) => s.groups },
  { key: ["rollups"], label: "roll-up", fields: ROLLUP_PATCH_FIELDS, of: (s) => s.rollups },
];

/**
 * The ids a patch edits that the scheme does not have. Read from the patch as given, parsed or
 * not (anything not an object of entries is the schema's to name), so that a patch with other
 * problems still has its unknown ids named with them.
 */
function unknownIds(scheme: Scheme, patch: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const { key, label, of } of PATCHED_LISTS) {
    let edits: unknown = patch;
    for (const k of key) edits = isPlainObject(edits) ? edits[k] : undefined;
    if (!isPlainObject(edits)) continue;
    const known = new Set(of(scheme).map((x) => x.id));
    for (const id of Object.keys(edits))
      if (!known.has(id))
        issues.push({ path: ["patch", ...key, id], message: unknownId(label, id, known, true) });
  }
  return issues;
}

/**
 * Validates a scenario document of any origin (JSON from a request, a file or a database) and
 * returns it typed, with defaults filled in; throws InputError (subject "scenario") listing
 * every problem. The typed way in for a scenario that is `unknown` to TypeScript.
 */
export function parseScenario(input: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(input, PARSE_OPTIONS);
  const issues = documentIssues(input, parsed.error).map(misplacedField);
  if (!parsed.success || issues.length > 0) throw new InputError("scenario", issues);
  return parsed.data;
}

/**
 * Applies a scenario to a scheme and dataset without touching either. The scheme is compiled
 * (compileScheme's own scheme, such as a baseline's) or a document, compiled and checked first
 * as `evaluate` does: an invalid one is an InputError about the scheme. Points patched on a
 * `direct` category without an explicit `outOf` keep the old points as the scale raw
 * scores are read on: a reform re-weights the same assessments (26.94 of 30 stays 89.8%),
 * it does not reinterpret them as 26.94 of 20. The scenario is typed as `runScenario`'s is, and
 * checked at run time as `parseScenario` checks it.
 */
export function applyScenario(
  scheme: CompiledScheme | SchemeInput | unknown,
  dataset: Dataset,
  input: ScenarioInput | Scenario,
): AppliedScenario {
  // A document leaves out what has a default (grades, rounding, ranking): the patch is
  // applied to the scheme as read, with every section there.
  const base = compiledOrCompile(scheme).scheme;
  let scenario: Scenario;
  try {
    scenario = parseScenario(input);
  } catch (e) {
    // A patch with a misspelt field and a misspelt id ({ publik: …, organ: { pionts: … } })
    // would otherwise name one, then the other on the next try: both are named at once.
    if (!(e instanceof InputError)) throw e;
    const named = new Set(e.issues.map((i) => JSON.stringify(i.path)));
    const ids = unknownIds(base, (input as { patch?: unknown } | null)?.patch);
    throw new InputError("scenario", [...e.issues, ...ids.filter((i) => !named.has(JSON.stringify(i.path)))]);
  }
  const issues: InputIssue[] = [];
  // A scheme is plain JSON after validation, so a JSON round trip is a faithful deep copy.
  const patched = JSON.parse(JSON.stringify(base)) as Scheme;
  const restage = new Set<string>();
  const { patch } = scenario;

  issues.push(...unknownIds(base, patch));
  for (const [id, p] of Object.entries(patch.categories ?? {})) {
    const cat = patched.categories.find((c) => c.id === id);
    if (!cat) continue;
    if (p.name !== undefined) cat.name = p.name;
    // Points patched to what they are change no rule: pinning `outOf` then would list a
    // change (in the scenario's `changes`) for a patch that changes nothing.
    if (p.points !== undefined && cmp(parseDecimal(p.points), parseDecimal(cat.points)) !== 0) {
      if (cat.method.kind === "direct" && cat.method.outOf === undefined) cat.method.outOf = cat.points;
      cat.points = p.points;
    }
    if (p.method !== undefined) {
      if ("kind" in p.method && p.method.kind !== cat.method.kind)
        issues.push({
          path: ["patch", "categories", id, "method", "kind"],
          message: `cannot change the method kind of "${id}"`,
        });
      const published = cat.method;
      cat.method = deepMerge(cat.method, p.method) as typeof cat.method;
      issues.push(...secretVotePatchIssues(id, published, cat.method));
      restage.add(id);
    }
  }
  // Entries are replaced, not assigned into, so that `null` in a patch really removes a key.
  const byId = <T extends { id: string }>(list: T[], edits: Record<string, object> | undefined) => {
    for (const [id, edit] of Object.entries(edits ?? {})) {
      const index = list.findIndex((x) => x.id === id);
      if (index >= 0) list[index] = deepMerge(list[index], edit) as T;
    }
  };
  // A level the table lacks would be added with no record at it, changing nothing: most
  // likely a misspelt one, so it is named rather than merged in.
  const knownLevels = (
    list: { id: string; levels: object }[],
    key: string,
    edits: Record<string, { levels?: object }> | undefined,
  ) => {
    for (const [id, edit] of Object.entries(edits ?? {})) {
      const known = Object.keys(list.find((x) => x.id === id)?.levels ?? {});
      for (const level of Object.keys(edit.levels ?? {}))
        if (known.length > 0 && !known.includes(level))
          issues.push({
            path: ["patch", key, id, "levels", level],
            message: `unknown level "${level}" of "${id}" (known: ${known.join(", ")})`,
          });
    }
  };
  knownLevels(patched.findingTypes, "findingTypes", patch.findingTypes);
  knownLevels(patched.bonusTypes, "bonusTypes", patch.bonusTypes);
  byId(patched.findingTypes, patch.findingTypes);
  byId(patched.bonusTypes, patch.bonusTypes);
  byId(patched.vetoTypes, patch.vetoTypes);
  byId(patched.grades.rules, oneQuotaChoice(patch.grades?.rules));
  byId(patched.groups, patch.groups);
  byId(patched.rollups, rollupEdits(patched, dataset, patch.rollups, issues));
  if (patch.ranking) Object.assign(patched.ranking, patch.ranking);
  if (patch.rounding) Object.assign(patched.rounding, patch.rounding);
  if (patch.bonusCap !== undefined) patched.bonusCap = patch.bonusCap;
  if (issues.length > 0) throw new InputError("scenario", issues);

  let compiled: CompiledScheme;
  try {
    compiled = compileScheme(patched);
  } catch (e) {
    if (e instanceof InputError)
      throw new InputError(
        "scenario",
        e.issues.map((i) => ({ ...i, path: schemePathToPatch(patched, i.path) })),
      );
    throw e;
  }
  const origins: Origins = new Map();
  const data = applyData(compiled, dataset, scenario, restage, issues, origins);
  if (issues.length > 0) throw new InputError("scenario", issues);
  if (data !== dataset) {
    try {
      validateDataset(compiled, data);
    } catch (e) {
      if (e instanceof InputError)
        throw new InputError(
          "scenario",
          withSecretBallotsCounted(compiled.scheme, data, e.issues, (i) => ({
            ...i,
            path: dataPathToScenario(origins, i.path),
          })),
        );
      throw e;
    }
  } else if (restage.size > 0) {
    // The baseline's records were checked against the old parameters only: ballots of 88
    // read on a patched 0–50 scale would score above the category's maximum.
    const stale = [
      ...inputsNoLongerDeclared(base, compiled.scheme, dataset),
      ...recordsUnderPatchedMethods(compiled, dataset, restage),
    ];
    if (stale.length > 0) throw new InputError("scenario", stale);
  }
  return {
    scenario,
    compiled,
    dataset: data,
    restage,
    adjustmentsChanged:
      data !== dataset ||
      patch.findingTypes !== undefined ||
      patch.bonusTypes !== undefined ||
      patch.vetoTypes !== undefined ||
      patch.bonusCap !== undefined ||
      patch.rounding !== undefined,
    dataChanged: data !== dataset,
  };
}

/**
 * Where each row of a list the scenario changed came from, by its index in the merged list:
 * the scenario entry (`["data", "scores", 0]`) or the baseline's row (`["baseline", "scores", 15]`).
 * Problems found in the merged dataset are reported at these paths, not at merged positions.
 */
type Origins = Map<string, Path[]>;

function dataPathToScenario(origins: Origins, path: readonly (string | number)[]): Path {
  const [list, index, ...rest] = path;
  if (typeof list !== "string" || typeof index !== "number") return ["data", ...path];
  // A list the scenario left alone is the baseline's, row for row.
  const from = origins.has(list) ? origins.get(list)?.[index] : ["baseline", list, index];
  return from ? [...from, ...rest] : ["data", ...path];
}

/**
 * The baseline's records of each category whose method parameters the patch changed,
 * checked against the new parameters (the other records cannot have become invalid);
 * each problem at the baseline's row, saying which patch it no longer fits.
 */
function recordsUnderPatchedMethods(
  compiled: CompiledScheme,
  dataset: Dataset,
  restage: ReadonlySet<string>,
): InputIssue[] {
  const unitIds = new Set(dataset.units.map((u) => u.id));
  const issues: InputIssue[] = [];
  for (const category of compiled.scheme.categories) {
    if (!restage.has(category.id)) continue;
    const found = methodFor(category.method.kind).validateData({
      category,
      params: category.method as never,
      dataset,
      unitIds,
    });
    if (isSecretVote(category.method)) {
      issues.push(...secretBallotsRefused(category.id, new Set(found.map((i) => i.path[1])).size));
      continue;
    }
    for (const i of withRecordNames(dataset, found))
      issues.push({
        path: ["baseline", ...i.path],
        message: `${i.message} (under patch.categories.${category.id}.method)`,
      });
  }
  return issues;
}

/**
 * The baseline's input rows whose name a formula patch took away from every formula: a
 * fresh evaluation refuses a row nothing reads (a misspelt or forgotten input), so the
 * scenario does too. The rows are looked at only when a name was dropped.
 */
function inputsNoLongerDeclared(base: Scheme, patched: Scheme, dataset: Dataset): InputIssue[] {
  const now = declaredInputs(patched);
  const dropped = new Map([...declaredInputs(base)].filter(([name]) => !now.has(name)));
  if (dropped.size === 0) return [];
  const issues: InputIssue[] = [];
  (dataset.inputs ?? []).forEach((row, i) => {
    const from = dropped.get(row.name);
    if (from)
      issues.push({
        path: ["inputs", i, "name"],
        message: `${undeclaredInput(row.name)} (under ${from.map((id) => `patch.categories.${id}.method`).join(", ")})`,
      });
  });
  return withRecordNames(dataset, issues).map((i) => ({ ...i, path: ["baseline", ...i.path] }));
}

function applyData(
  compiled: CompiledScheme,
  dataset: Dataset,
  scenario: Scenario,
  restage: Set<string>,
  issues: InputIssue[],
  origins: Origins,
): Dataset {
  const d = scenario.data;
  if (!d) return dataset;
  const out: Dataset = { ...dataset };
  if (d.findings) {
    const edits = new Map(Object.entries(d.findings));
    const seen = new Set<string>();
    const rows: Finding[] = [];
    const from: Path[] = [];
    (dataset.findings ?? []).forEach((f, j) => {
      if (!edits.has(f.id)) {
        rows.push(f);
        from.push(["baseline", "findings", j]);
        return;
      }
      seen.add(f.id);
      const edit = edits.get(f.id);
      if (edit) {
        rows.push({ ...f, ...edit });
        from.push(["data", "findings", f.id]);
      }
    });
    origins.set("findings", from);
    for (const id of edits.keys())
      if (!seen.has(id)) issues.push({ path: ["data", "findings", id], message: `unknown finding "${id}"` });
    out.findings = rows;
  }
  if (d.vetoEvents) {
    const existing = dataset.vetoEvents ?? [];
    const removed = new Set<number>();
    d.vetoEvents.remove.forEach((entry, i) => {
      const id = typeof entry === "string" ? entry : entry.id;
      const matches: number[] = [];
      existing.forEach((v, j) => {
        if (v.id === id && (typeof entry === "string" || (v.yearsAgo ?? 0) === entry.yearsAgo))
          matches.push(j);
      });
      const years = new Set(matches.map((j) => existing[j]!.yearsAgo ?? 0));
      const path: Path = ["data", "vetoEvents", "remove", i];
      if (matches.length === 0)
        issues.push({
          path,
          message: `unknown veto event "${id}"${typeof entry === "string" || entry.yearsAgo === 0 ? "" : ` of ${yearsBefore(entry.yearsAgo)}`}`,
        });
      else if (years.size > 1)
        issues.push({
          path,
          message: `"${id}" names veto events of more than one year (yearsAgo ${[...years].sort().join(", ")}); write { id, yearsAgo } to say which`,
        });
      else for (const j of matches) removed.add(j);
    });
    // A year's own records may name a unit or type this year no longer has; what an analyst
    // adds is typed now, and a misspelling would change nothing without a word.
    const units = new Set(dataset.units.map((u) => u.id));
    const types = new Set(compiled.scheme.vetoTypes.map((t) => t.id));
    d.vetoEvents.add.forEach((v, k) => {
      if (!v.yearsAgo) return;
      if (!units.has(v.unit))
        issues.push({
          path: ["data", "vetoEvents", "add", k, "unit"],
          message: unknownId("unit", v.unit, units),
        });
      if (!types.has(v.type))
        issues.push({
          path: ["data", "vetoEvents", "add", k, "type"],
          message: `unknown veto type "${v.type}"`,
        });
    });
    const kept = existing.flatMap((v, j) => (removed.has(j) ? [] : [{ v, j }]));
    out.vetoEvents = [...kept.map((k) => k.v), ...(d.vetoEvents.add as VetoEvent[])];
    origins.set("vetoEvents", [
      ...kept.map((k): Path => ["baseline", "vetoEvents", k.j]),
      ...d.vetoEvents.add.map((_, k): Path => ["data", "vetoEvents", "add", k]),
    ]);
  }
  if (d.units) {
    const moves = new Map(Object.entries(d.units));
    const ids = new Set(dataset.units.map((u) => u.id));
    for (const id of moves.keys())
      if (!ids.has(id)) issues.push({ path: ["data", "units", id], message: unknownId("unit", id, ids) });
    out.units = dataset.units.map((u) => (moves.has(u.id) ? { ...u, group: moves.get(u.id)!.group } : u));
    origins.set(
      "units",
      dataset.units.map(
        (u, j): Path => (moves.has(u.id) ? ["data", "units", u.id] : ["baseline", "units", j]),
      ),
    );
  }
  if (d.scores) {
    const set = new Map<string, { s: (typeof d.scores)[number]; i: number }>();
    d.scores.forEach((s, i) => {
      const cat = compiled.scheme.categories.find((c) => c.id === s.category);
      if (cat?.method.kind !== "direct")
        issues.push({
          path: ["data", "scores", i, "category"],
          message: `"${s.category}" is not a directly assessed category`,
        });
      const key = `${s.unit}\u0000${s.category}`;
      // Two values for one score: which one the analyst meant is not ours to guess.
      if (set.has(key))
        issues.push({
          path: ["data", "scores", i],
          message: `a second score for unit "${s.unit}" in "${s.category}" (first at data.scores[${set.get(key)!.i}])`,
        });
      else set.set(key, { s, i });
      restage.add(s.category);
    });
    const kept = (dataset.scores ?? []).flatMap((s, j) =>
      set.has(`${s.unit}\u0000${s.category}`) ? [] : [{ s, j }],
    );
    out.scores = [...kept.map((k) => k.s), ...[...set.values()].map((x) => x.s)];
    origins.set("scores", [
      ...kept.map((k): Path => ["baseline", "scores", k.j]),
      ...[...set.values()].map((x): Path => ["data", "scores", x.i]),
    ]);
  }
  return out;
}

/**
 * A quota is a count or a percent, never both: a patch quota that gives one of them replaces the
 * other (`{ count: 10 }` on a `percent: 30` rule is "10 units", not a quota with two sizes that
 * the scheme refuses), and a count drops the base's `of` and `rounding`, which only a percent
 * has. One that gives both, or neither, merges as written.
 */
function oneQuotaChoice<
  T extends { quota?: { count?: unknown; percent?: unknown; of?: unknown; rounding?: unknown } | null },
>(rules: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!rules) return rules;
  const given = (v: unknown) => v !== undefined && v !== null;
  return Object.fromEntries(
    Object.entries(rules).map(([id, rule]) => {
      const q = rule.quota;
      if (!q || given(q.count) === given(q.percent)) return [id, rule];
      if (given(q.count))
        // `of` (a percent of the units admitted) says what a percent is of, and `rounding` how it
        // becomes places: a count has neither.
        return [
          id,
          {
            ...rule,
            quota: { ...q, percent: q.percent ?? null, of: q.of ?? null, rounding: q.rounding ?? null },
          },
        ];
      return [id, { ...rule, quota: { ...q, count: q.count ?? null } }];
    }),
  );
}

/** Maps a path in the patched scheme back to the patch entry that produced it. */
function schemePathToPatch(scheme: Scheme, path: readonly (string | number)[]): Path {
  const [head, index, ...rest] = path;
  const lists: Record<string, { id: string }[]> = {
    categories: scheme.categories,
    findingTypes: scheme.findingTypes,
    bonusTypes: scheme.bonusTypes,
    vetoTypes: scheme.vetoTypes,
    groups: scheme.groups,
    rollups: scheme.rollups,
  };
  if (typeof head === "string" && typeof index === "number" && lists[head]?.[index])
    return ["patch", head, lists[head][index].id, ...rest];
  const rule =
    head === "grades" && index === "rules" && typeof rest[0] === "number"
      ? scheme.grades.rules[rest[0]]
      : undefined;
  if (rule) return ["patch", "grades", "rules", rule.id, ...rest.slice(1)];
  return ["patch", ...path];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Objects merge key by key; arrays and scalars replace; `null` removes a key. An object whose
 * `type` changes is replaced whole: a vote switched from a trimmed mean to a mean keeps no
 * `trim` of the rule it left.
 */
function deepMerge(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(target) || !isPlainObject(patch)) return withoutNulls(patch);
  if ("type" in patch && patch.type !== target.type) return withoutNulls(patch);
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(out[k], v);
  }
  return out;
}

/** A patch value that replaces rather than merges: a `null` in it has nothing left to remove. */
function withoutNulls(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}
