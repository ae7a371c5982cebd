import { hasSpacesAround, spacedId, unknownId, withoutSpacesAround } from "../exact-id.js";
import { formatPath, InputError, type InputIssue, received } from "../input-error.js";
import { methodFor, recordsOfMethod } from "../methods/registry.js";
import type { RecordsRead } from "../methods/scoring-method.js";
import { type CompiledScheme, compiledOrCompile } from "../scheme/compile-scheme.js";
import { MAX_VETO_YEARS_IN_FORCE, type Scheme, yearsBefore } from "../scheme/scheme-schema.js";
import { unknownField } from "../unknown-field.js";
import { type Dataset, RECORD_LISTS } from "./dataset.js";
import { withRecordNames } from "./record-name.js";

/** What a dataset or row misses: a field left out, or null (how a JSON export writes an empty column). */
function missing(field: string): string {
  return `${field} is missing (required)`;
}

/**
 * `unknown level "National" for "award"; did you mean "national"?`, or with the type's levels
 * listed when none is the one meant: a finding's and a bonus event's told alike, as a scheme's
 * categories are (a type's levels are words, and few).
 */
function unknownLevel(level: string, type: { id: string; levels: object }): string {
  const told = unknownId("level", level, new Set(Object.keys(type.levels)), true);
  // unknownId starts with this; the type goes right after the level it does not have.
  const head = `unknown level "${level}"`;
  return `${head} for "${type.id}"${told.slice(head.length)}`;
}

const RECTIFICATION = new Set(["on-time", "late", "not-rectified", "pending"]);

/**
 * Checks a dataset against a scheme (compiled, or a document, which is compiled and checked
 * first, as `evaluate` does) and throws an InputError listing every problem with its path.
 * Nothing is scored from a dataset that fails here: a half-valid year would publish a ranking
 * nobody can defend. Takes data of any origin (a request, a database, an upload, a JSON file
 * whose enums TypeScript types as text) and, once it returns, TypeScript knows it is a `Dataset`.
 */
export function validateDataset(
  scheme: CompiledScheme | unknown,
  dataset: unknown,
): asserts dataset is Dataset {
  // Read as a Dataset only after its lists' shape is checked: anything else is named, not read.
  validateAndRead(compiledOrCompile(scheme), dataset as Dataset);
}

/**
 * `validateDataset` that also returns what the methods read from the records, for scoring
 * the same dataset in the same call (`RecordsRead`). Not part of the package's API: kept
 * across calls, it would serve a dataset changed in between.
 */
export function validateAndRead(compiled: CompiledScheme, dataset: Dataset): RecordsRead {
  const read: RecordsRead = new Map();
  const issues = issuesOf(compiled, dataset, read);
  if (issues.length > 0) throw new InputError("dataset", issues);
  return read;
}

/**
 * The dataset's problems as a list, empty when there are none (for a form that shows them all).
 * A scheme document that is itself wrong still throws, as an InputError about the scheme.
 */
export function datasetIssues(scheme: CompiledScheme | unknown, dataset: unknown): InputIssue[] {
  return issuesOf(compiledOrCompile(scheme), dataset as Dataset, undefined);
}

function issuesOf(compiled: CompiledScheme, dataset: Dataset, read: RecordsRead | undefined): InputIssue[] {
  // The lists first (a few checks): a list given as an object would otherwise be skipped.
  const lists = listIssues(dataset);
  if (lists.length > 0) return lists;
  // Rows that are not objects are looked for only when something went wrong: a pass over
  // 2,500,000 valid rows to find none would cost a province year ~15 ms for nothing.
  let issues: InputIssue[];
  try {
    issues = recordIssues(compiled, dataset, read);
  } catch (e) {
    // A TypeError from reading a field of null or quoting { "toString": 0 }, a RangeError
    // (stack overflow) from quoting a list nested 100,000 deep: the shape names either.
    const rows = e instanceof TypeError || e instanceof RangeError ? rowShapeIssues(dataset) : [];
    if (rows.length > 0) return withRecordNames(dataset, rows);
    throw e;
  }
  if (issues.length === 0) return issues;
  const rows = rowShapeIssues(dataset);
  return withRecordNames(
    dataset,
    inRowOrder(rows.length > 0 ? rows : distinct(withStrayFields(dataset, issues))),
  );
}

/**
 * Issues by list (in the dataset's field order) and row, as a reader mends a file top to bottom;
 * the checks find them kind by kind. Stable, so a row's own issues keep the order they were
 * found in (a missing field before the misspelling that explains it). Issues about a whole list
 * come before its rows'.
 */
function inRowOrder(issues: readonly InputIssue[]): InputIssue[] {
  const list = (issue: InputIssue) => {
    const at = TABLES.indexOf(issue.path[0] as Table);
    return at < 0 ? -1 : at;
  };
  const row = (issue: InputIssue) => (typeof issue.path[1] === "number" ? issue.path[1] : -1);
  return [...issues].sort((a, b) => list(a) - list(b) || row(a) - row(b));
}

/**
 * Issues listed once each: input rows are shared by every formula that declares their name,
 * and each formula's check reports a bad row it reads.
 */
function distinct(issues: readonly InputIssue[]): InputIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.path, issue.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function recordIssues(
  compiled: CompiledScheme,
  dataset: Dataset,
  read: RecordsRead | undefined,
): InputIssue[] {
  const { scheme } = compiled;
  const issues: InputIssue[] = [];

  // A misspelt list ("surveyform") would leave every unit without those records.
  for (const key of Object.keys(dataset))
    if (!Object.hasOwn(FIELDS, key)) issues.push({ path: [key], message: unknownField(key, TABLES) });

  const groups = new Set(scheme.groups.map((g) => g.id));
  const unitIds = new Set<string>();
  dataset.units.forEach((u, i) => {
    if (typeof u?.id !== "string" || u.id === "")
      issues.push({
        path: ["units", i, "id"],
        message: u?.id == null ? missing("id") : "must be a non-empty string",
      });
    else if (hasSpacesAround(u.id)) {
      issues.push({ path: ["units", i, "id"], message: spacedId("unit", u.id) });
      // Known by the id it will have once mended: the records naming "U09" are not each
      // refused as naming an unknown unit, and those naming "U09 " are told which it is.
      unitIds.add(withoutSpacesAround(u.id));
    } else if (unitIds.has(u.id))
      issues.push({ path: ["units", i, "id"], message: `duplicate unit "${u.id}"` });
    else unitIds.add(u.id);
    if (typeof u?.name !== "string" || u.name === "")
      issues.push({
        path: ["units", i, "name"],
        message: u?.name == null ? missing("name") : "must be a non-empty string",
      });
    if (u?.group == null) issues.push({ path: ["units", i, "group"], message: missing("group") });
    else if (!groups.has(u.group))
      issues.push({ path: ["units", i, "group"], message: unknownId("group", u.group, groups, true) });
    // A kind is looked up in survey weights by kind: 5 or true, or "enforcement " for
    // "enforcement", would match none and take the default weights without a word.
    if (u?.kind !== undefined && u?.kind !== null && typeof u.kind !== "string")
      issues.push({ path: ["units", i, "kind"], message: "must be text (the unit's kind) or left out" });
    else if (typeof u?.kind === "string" && hasSpacesAround(u.kind))
      issues.push({
        path: ["units", i, "kind"],
        message: `kind ${JSON.stringify(u.kind)} has spaces around it: a kind is one exact id`,
      });
    strayFields(issues, "units", i, u);
  });
  const parentOf = new Map<string, string>();
  dataset.units.forEach((u, i) => {
    if (u.parent === undefined || u.parent === null) return;
    if (!unitIds.has(u.parent))
      issues.push({ path: ["units", i, "parent"], message: unknownId("unit", u.parent, unitIds) });
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

  // A parent the year does not have (a typo, a unit merged away) would blend its sub-units into
  // nobody, and the bureau's total would silently lose its share. Only the dataset can tell.
  scheme.rollups.forEach((r, i) => {
    r.parents?.forEach((parent, j) => {
      if (!unitIds.has(parent))
        issues.push({
          path: ["units"],
          message: `the scheme's roll-up "${r.id}" (${formatPath(["rollups", i, "parents", j])}) names unit "${parent}", which is not among the units`,
        });
    });
  });

  // Rows aimed at a category that does not exist, or at one scored by another method.
  const kindOf = new Map(scheme.categories.map((c) => [c.id, c.method.kind]));
  const categoryIds = new Set(kindOf.keys());
  for (const [kind, arrays] of Object.entries(recordsOfMethod)) {
    for (const array of arrays) {
      const rows =
        (dataset as unknown as Record<string, readonly { category?: unknown }[] | undefined>)[array] ?? [];
      // Rows come in runs of one category: a repeat of the last good one needs no look-up.
      let good: string | undefined;
      for (let i = 0; i < rows.length; i++) {
        const category = rows[i]?.category as string;
        if (category === good && good !== undefined) continue;
        const actual = kindOf.get(category);
        if (category == null) issues.push({ path: [array, i, "category"], message: missing("category") });
        else if (actual === undefined)
          issues.push({
            path: [array, i, "category"],
            message: unknownId("category", category, categoryIds, true),
          });
        else if (actual !== kind)
          issues.push({
            path: [array, i, "category"],
            message: `category "${category}" is scored by "${actual}", not "${kind}"`,
          });
        else {
          good = category;
          continue;
        }
        // No method reads this row, so none checks its unit: said now, or a second pass would
        // find it once the category is mended. Its values depend on the category's method.
        const unit = (rows[i] as { unit?: unknown } | undefined)?.unit;
        if (unit == null) issues.push({ path: [array, i, "unit"], message: missing("unit") });
        else if (!unitIds.has(unit as string))
          issues.push({ path: [array, i, "unit"], message: unknownId("unit", unit, unitIds) });
      }
    }
  }

  const declared = declaredInputs(scheme);
  (dataset.inputs ?? []).forEach((row, i) => {
    if (!declared.has(row.name))
      issues.push({
        path: ["inputs", i, "name"],
        message: row?.name == null ? missing("name") : undeclaredInput(row.name),
      });
  });

  for (const category of scheme.categories) {
    const method = methodFor(category.method.kind);
    // A loop, not push(...): a category with 130,000 bad rows would overflow the call stack.
    for (const issue of method.validateData({
      category,
      params: category.method as never,
      dataset,
      unitIds,
      read,
    }))
      issues.push(issue);
  }

  const findingTypes = new Map(scheme.findingTypes.map((t) => [t.id, t]));
  checkEvents(issues, "findings", dataset.findings, unitIds, (row, i) => {
    const type = findingTypes.get(row.type);
    if (!type)
      issues.push({
        path: ["findings", i, "type"],
        message: row.type == null ? missing("type") : `unknown finding type "${row.type}"`,
      });
    else if (row.level == null) issues.push({ path: ["findings", i, "level"], message: missing("level") });
    else if (!Object.hasOwn(type.levels, row.level))
      issues.push({
        path: ["findings", i, "level"],
        message: unknownLevel(row.level, type),
      });
    if (row.rectification !== undefined && !RECTIFICATION.has(row.rectification))
      issues.push({
        path: ["findings", i, "rectification"],
        message: `must be one of ${[...RECTIFICATION].join(", ")}`,
      });
    // "false" or 0 from a careless export must not read as a repeat and cost the escalated amount.
    if (row.repeated !== undefined && typeof row.repeated !== "boolean")
      issues.push({
        path: ["findings", i, "repeated"],
        message: `must be true or false (got ${received(row.repeated)})`,
      });
    if (row.rectification == null || row.repeated == null || row.note == null)
      strayFields(issues, "findings", i, row);
  });
  const bonusTypes = new Map(scheme.bonusTypes.map((t) => [t.id, t]));
  checkEvents(issues, "bonusEvents", dataset.bonusEvents, unitIds, (row, i) => {
    const type = bonusTypes.get(row.type);
    if (!type)
      issues.push({
        path: ["bonusEvents", i, "type"],
        message: row.type == null ? missing("type") : `unknown bonus type "${row.type}"`,
      });
    else if (row.level == null) issues.push({ path: ["bonusEvents", i, "level"], message: missing("level") });
    else if (!Object.hasOwn(type.levels, row.level))
      issues.push({
        path: ["bonusEvents", i, "level"],
        message: unknownLevel(row.level, type),
      });
  });
  const vetoTypes = new Set(scheme.vetoTypes.map((t) => t.id));
  checkEvents(
    issues,
    "vetoEvents",
    dataset.vetoEvents,
    unitIds,
    (row, i) => {
      const yearsAgo = row.yearsAgo;
      // A year such as 2018 written where the count of years is asked would otherwise be
      // "long out of force" and vanish without a word.
      if (
        yearsAgo !== undefined &&
        !(Number.isInteger(yearsAgo) && yearsAgo >= 0 && yearsAgo < MAX_VETO_YEARS_IN_FORCE)
      )
        issues.push({
          path: ["vetoEvents", i, "yearsAgo"],
          message: `must be a whole number of years from 0 to ${MAX_VETO_YEARS_IN_FORCE - 1} (how long before the evaluated year), got ${received(yearsAgo)}`,
        });
      // An earlier year's type that this year's rules no longer list is out of force, not wrong;
      // a missing one is a broken row in any year.
      else if (
        !vetoTypes.has(row.type) &&
        !(typeof row.type === "string" && yearsAgo !== undefined && yearsAgo > 0)
      )
        issues.push({
          path: ["vetoEvents", i, "type"],
          message: row.type == null ? missing("type") : `unknown veto type "${row.type}"`,
        });
      // The reason is what the ranking prints beside the barred unit: without one it would read "undefined".
      if (typeof row.reason !== "string" || row.reason.trim() === "")
        issues.push({
          path: ["vetoEvents", i, "reason"],
          message: "must say why (a veto is published with its reason)",
        });
    },
    // Each year's register numbers its own events: "X2" of last year is not this year's "X2".
    (row) => (typeof row.yearsAgo === "number" && row.yearsAgo > 0 ? row.yearsAgo : 0),
  );
  // Last, so that a row's missing field comes before the misspelling that explains it.
  for (const table of SCANNED_IN_FULL) {
    const rows = dataset[table] ?? [];
    for (let i = 0; i < rows.length; i++) strayFields(issues, table, i, rows[i]);
  }
  const ballots = dataset.ballots ?? [];
  for (let i = 0; i < ballots.length; i++)
    if (ballots[i]?.role == null) strayFields(issues, "ballots", i, ballots[i]);
  return issues;
}

/**
 * The dataset is an object and `units` and each record list present is an array. A JSON
 * file or a store can deliver anything; a list given as an object would otherwise be
 * skipped silently (no deductions applied). Rows are checked by `rowShapeIssues`.
 */
function listIssues(dataset: unknown): InputIssue[] {
  if (typeof dataset !== "object" || dataset === null || Array.isArray(dataset))
    return [{ path: [], message: "must be an object with a units array" }];
  const lists = dataset as Record<string, unknown>;
  const issues: InputIssue[] = [];
  if (!Array.isArray(lists.units)) issues.push({ path: ["units"], message: "must be an array of units" });
  for (const name of RECORD_LISTS) {
    const rows = lists[name];
    if (rows !== undefined && rows !== null && !Array.isArray(rows))
      issues.push({ path: [name], message: "must be an array" });
  }
  return issues;
}

const TEXT = "text";
const DECIMAL = "a decimal number";
/** What each field the engine reads from a row holds: one value each, never an object or a list. */
const ROW_FIELDS: Readonly<
  Record<"units" | (typeof RECORD_LISTS)[number], Readonly<Record<string, string>>>
> = {
  units: { id: TEXT, name: TEXT, group: TEXT, parent: TEXT, kind: TEXT },
  scores: { unit: TEXT, category: TEXT, value: DECIMAL },
  ballots: { category: TEXT, voter: TEXT, role: TEXT, unit: TEXT, score: DECIMAL, grade: TEXT },
  surveyForms: { category: TEXT, unit: TEXT, respondentGroup: TEXT, answer: TEXT },
  surveyTallies: { category: TEXT, unit: TEXT, respondentGroup: TEXT, answer: TEXT, count: "a whole number" },
  inputs: { unit: TEXT, name: TEXT, value: DECIMAL },
  findings: { id: TEXT, unit: TEXT, type: TEXT, level: TEXT, rectification: TEXT, repeated: "true or false" },
  bonusEvents: { id: TEXT, unit: TEXT, type: TEXT, level: TEXT },
  vetoEvents: { id: TEXT, unit: TEXT, type: TEXT, reason: TEXT, yearsAgo: "a whole number" },
};

/**
 * Rows that are not objects (null, a number, a string, a list), in every list, and fields of a row that
 * hold an object or a list: named, row by row. Messages quote field values, and quoting an
 * object whose toString is no function (`{"toString": 0}`, which JSON can hold) throws a
 * TypeError that would otherwise be all the caller learns.
 */
function rowShapeIssues(dataset: Dataset): InputIssue[] {
  const issues: InputIssue[] = [];
  const lists = dataset as unknown as Record<string, readonly unknown[] | undefined>;
  for (const [name, fields] of Object.entries(ROW_FIELDS)) {
    const rows = lists[name] ?? [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (typeof row !== "object" || row === null || Array.isArray(row)) {
        issues.push({ path: [name, i], message: "must be an object" });
        continue;
      }
      for (const [field, what] of Object.entries(fields)) {
        const value = Object.hasOwn(row, field) ? (row as Record<string, unknown>)[field] : undefined;
        if (typeof value === "object" && value !== null)
          issues.push({
            path: [name, i, field],
            message: `must be ${what}, not ${Array.isArray(value) ? "a list" : "an object"}`,
          });
      }
    }
  }
  return issues;
}

/** A table's rows, as dataset.ts declares them. */
type RowOf<T extends keyof Dataset> = NonNullable<Dataset[T]>[number];

/**
 * Every field of every table, in the order dataset.ts declares them (the order messages list
 * them in). Refusing what is not here is what keeps a misspelt field from being ignored.
 */
const FIELDS = {
  units: ["id", "name", "group", "parent", "kind"],
  scores: ["unit", "category", "value"],
  ballots: ["category", "voter", "role", "unit", "score", "grade"],
  surveyForms: ["category", "unit", "respondentGroup", "answer"],
  surveyTallies: ["category", "unit", "respondentGroup", "answer", "count"],
  inputs: ["unit", "name", "value"],
  findings: ["id", "unit", "type", "level", "rectification", "repeated", "note"],
  bonusEvents: ["id", "unit", "type", "level", "note"],
  vetoEvents: ["id", "unit", "type", "reason", "yearsAgo"],
} as const satisfies { readonly [T in keyof Dataset]-?: readonly (keyof RowOf<T>)[] };

/** A field dataset.ts declares and FIELDS leaves out fails to compile here: it would be refused. */
type Unlisted = {
  [T in keyof typeof FIELDS]: Exclude<keyof RowOf<T>, (typeof FIELDS)[T][number]>;
}[keyof typeof FIELDS];
const everyFieldListed: [Unlisted] extends [never] ? true : never = true;
void everyFieldListed;

type Table = keyof typeof FIELDS;
const TABLES = Object.keys(FIELDS) as Table[];
const KNOWN = Object.fromEntries(TABLES.map((t) => [t, new Set<string>(FIELDS[t])])) as Readonly<
  Record<string, ReadonlySet<string>>
>;

/*
 * Which rows have their keys checked, and why. A key check costs ~25 ns a row; over a province's
 * 2,000,000 survey forms that would be ~50–100 ms of a ~750 ms evaluation, for rows that cannot
 * hide a misspelling. A misspelt field leaves the field it meant absent, so:
 *
 * - Tables of about one row per unit or fewer (units, scores, inputs, bonus events, vetoes):
 *   every row, always. At province scale they are ~25,000 rows, well under a millisecond, and a
 *   unit's `parent` or `kind` and a bonus's `note` are optional.
 * - Survey forms and tallies: no row. Every field is required, so a misspelt one is a missing
 *   one, refused as such.
 * - Ballots: rows without a role. `score` and `grade`: the category's ballot type requires one
 *   (missing, refused) and refuses the other, so a misspelling of either is refused already; a
 *   role is optional outside role-weighted categories, and only a ballot without one can carry a
 *   misspelt role.
 * - Findings: rows without `rectification` or without `repeated`, the optional fields that
 *   move the deduction. `note` is read by nothing: a misspelt note changes no figure.
 * - Any row that has another issue (`withStrayFields`): a missing required field is most often
 *   a misspelt one, named beside it.
 */
const SCANNED_IN_FULL = ["scores", "inputs", "bonusEvents", "vetoEvents"] as const;

/** An issue for each own key of `row` that its table has no field of. */
function strayFields(issues: InputIssue[], table: Table, i: number, row: unknown): void {
  // Rows that are not objects are `rowShapeIssues`' to name; a string's characters are no fields.
  if (typeof row !== "object" || row === null || Array.isArray(row)) return;
  const known = KNOWN[table]!;
  for (const key in row)
    if (!known.has(key) && Object.hasOwn(row, key))
      issues.push({ path: [table, i, key], message: unknownField(key, FIELDS[table]) });
}

/** The rows named by `issues`, each followed by its stray fields (the misspelling of a missing one, most often). */
function withStrayFields(dataset: Dataset, issues: readonly InputIssue[]): InputIssue[] {
  const out: InputIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    out.push(issue);
    const [table, i] = issue.path;
    if (typeof i !== "number" || typeof table !== "string" || !Object.hasOwn(FIELDS, table)) continue;
    const key = `${table}[${i}]`;
    if (seen.has(key)) continue;
    seen.add(key);
    strayFields(out, table as Table, i, dataset[table as Table]?.[i]);
  }
  return out;
}

/** What one row of an event list is, as its messages call it. */
const EVENT = { findings: "finding", bonusEvents: "bonus event", vetoEvents: "veto event" } as const;

function checkEvents<T extends { id: string; unit: string }>(
  issues: InputIssue[],
  array: keyof typeof EVENT,
  rows: readonly T[] | undefined,
  unitIds: ReadonlySet<string>,
  /** Pushes the row's own problems; `i` is its index in `array`. */
  check: (row: T, i: number) => void,
  /**
   * How many years before the evaluated year the row's register is: ids are unique within one,
   * and an earlier year's row may name a unit this year no longer has.
   */
  yearOf?: (row: T) => number,
): void {
  const list = rows ?? [];
  // Ids in strictly ascending order (how stores deliver them) are all present and distinct:
  // one comparison per row instead of a set of 300,000 ids.
  const ids = idsAscending(list) ? undefined : new Map<number, Set<string>>();
  // A plain loop with no allocation for a valid row.
  for (let i = 0; i < list.length; i++) {
    const row = list[i]!;
    // "F1 " beside "F1" would be a second finding, deducted again past the duplicate check.
    if (typeof row.id === "string" && hasSpacesAround(row.id))
      issues.push({ path: [array, i, "id"], message: spacedId(EVENT[array], row.id) });
    else if (ids !== undefined) {
      if (typeof row.id !== "string" || row.id === "")
        issues.push({
          path: [array, i, "id"],
          message: row.id == null ? missing("id") : "must be a non-empty string",
        });
      else {
        const year = yearOf?.(row) ?? 0;
        let seen = ids.get(year);
        if (seen === undefined) {
          seen = new Set();
          ids.set(year, seen);
        }
        if (seen.has(row.id))
          issues.push({
            path: [array, i, "id"],
            message:
              year === 0
                ? `duplicate id "${row.id}"`
                : `duplicate id "${row.id}" among the events of ${yearsBefore(year)}`,
          });
        seen.add(row.id);
      }
    }
    // Only a named unit can be one that this year no longer has; a missing one is a broken row.
    if (!unitIds.has(row.unit) && !(typeof row.unit === "string" && (yearOf?.(row) ?? 0) > 0))
      issues.push({
        path: [array, i, "unit"],
        message: row.unit == null ? missing("unit") : unknownId("unit", row.unit, unitIds),
      });
    check(row, i);
  }
}

function idsAscending(rows: readonly { id: string }[]): boolean {
  let previous = "";
  for (let i = 0; i < rows.length; i++) {
    const id = rows[i]!.id;
    // The empty string sorts first, so the first id must be a non-empty string above it.
    if (typeof id !== "string" || id <= previous) return false;
    previous = id;
  }
  return true;
}

/**
 * Input names the scheme's formulas declare, each with the categories declaring it. Shared with
 * scenarios, which refuse the rows of a name their patch took away: not part of the package's API.
 */
export function declaredInputs(scheme: Scheme): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of scheme.categories)
    if (c.method.kind === "formula")
      for (const { name } of c.method.inputs) out.set(name, [...(out.get(name) ?? []), c.id]);
  return out;
}

/** Why an input row is refused when no formula reads its name (a misspelt or forgotten input). */
export function undeclaredInput(name: string): string {
  return `no formula declares an input named "${name}"`;
}
