import { cmp, DECIMAL_TEXT, parseDecimal } from "../rational.js";
import { type Scheme, schemeSchema } from "./scheme-schema.js";
import { memberChanges, memberKey, sameMembers, unorderedListAt } from "./unordered-lists.js";

/** One difference between two versions of a scheme's rules. */
export interface SchemeChange {
  /**
   * e.g. `categories[id=public].points`; arrays of objects with an `id` are matched by id, others by
   * index but for a list whose order is never read, whose members are named (`parents["U07"]`,
   * `inputs[name=b]`). `grades.rules[ids]` is the id order of such an array, listed when it changed
   * other than by removals and additions at the end (order decides, e.g., which grade rule applies
   * first). A list whose order the engine never reads has no order to change: see
   * {@link schemeChanges}.
   */
  path: string;
  kind: "added" | "removed" | "changed";
  /** As the earlier document says it; a value it leaves out is shown as the default the engine reads. */
  before: unknown;
  after: unknown;
}

/**
 * Keys that are not rules: `$schema` points an editor at the JSON Schema, and `version` is
 * numbered by whoever stores the document, so it differs between any two versions.
 */
const NOT_RULES = new Set(["$schema", "version"]);

/**
 * Keys whose whole subtree holds decimals (points, maxima, deduction amounts, weights), as
 * scheme-schema.ts declares them: only there do "30.0" and 30 mean one value. Elsewhere a text
 * that looks like a number is an id ("01" and "1" are two categories) or a name.
 */
export const DECIMAL_KEYS: ReadonlySet<string> = new Set([
  "points",
  "outOf",
  "min",
  "max",
  "threshold",
  "roles",
  "options",
  "weights",
  "byUnitKind",
  "levels",
  "share",
  "perFinding",
  "late",
  "notRectified",
  "repeated",
  "cap",
  "minTotal",
  "belowTotal",
  "percent",
  "bonusCap",
]);

/**
 * What changed in the rules between two scheme documents (评分方案变更), compared as the engine
 * reads them: a value left out equals its default (`ranked` omitted is `ranked: true`) and
 * decimals compare by value (`"30.0"` is `30`), and a list whose order is never read compares as
 * a set (a survey's `satisfiedOptions`, a formula's `inputs`, a roll-up's `parents`, the finding,
 * bonus and veto types, the rounded `stages`), so two documents that score alike have no changes.
 * Such a list with other members lists the members removed, then those changed, then those
 * added, each named by what it is rather than by a place (as an entry of a list by id is):
 * `parents["U07"]` added, `satisfiedOptions["satisfied"]` removed, `inputs[name=b].description`
 * changed; types are matched by id as ever, and the stages are one line. Values are reported as
 * written; a document that does not compile is compared as written.
 */
export function schemeChanges(before: unknown, after: unknown): SchemeChange[] {
  const b = schemeSchema.safeParse(before);
  const a = schemeSchema.safeParse(after);
  const read = b.success && a.success;
  const [bRead, aRead] = read ? derivedAlike(scoredAlike(b.data), scoredAlike(a.data)) : [before, after];
  return diff({ read: bRead, written: before }, { read: aRead, written: after }, ROOT);
}

/**
 * The scheme as it scores: `inLaterYears` effects equal to the incident year's, or none at all,
 * say nothing, so adding or dropping them is no change; nor does writing out a default the engine
 * derives (a direct scale equal to the category's points, a ballot's or survey's `max` equal to
 * its highest points, a quota filled from the top of the ranked units, its percent rounded down,
 * its ties sharing).
 */
function scoredAlike(s: Scheme): Scheme {
  return {
    ...s,
    grades: {
      ...s.grades,
      rules: s.grades.rules.map((r) => {
        if (!r.quota) return r;
        const { from, of, rounding, ties, ...quota } = r.quota;
        return {
          ...r,
          quota: {
            ...quota,
            ...(from === "bottom" ? { from } : {}),
            ...(of === "admitted" ? { of } : {}),
            ...(rounding !== undefined && rounding !== "down" ? { rounding } : {}),
            ...(ties === "exclude" ? { ties } : {}),
          },
        };
      }),
    },
    vetoTypes: s.vetoTypes.map(({ inLaterYears, ...type }) => {
      const differing = Object.entries(inLaterYears ?? {}).filter(
        ([k, v]) => v !== undefined && v !== type[k as keyof typeof type],
      );
      return differing.length > 0 ? { ...type, inLaterYears: Object.fromEntries(differing) } : type;
    }),
  };
}

type Category = Scheme["categories"][number];
type Method = Category["method"];

/**
 * A default the engine derives from other values (a direct scale from the category's points, a
 * ballot's or survey's `max` from its highest points), written out on one side and left out on
 * the other, compared by the value it has on each side: the same value is no change (the written
 * one is dropped); a different one is a change from or to the derived value (filled in where it
 * was left out). Written on both sides or on neither, it is compared as written, so new points
 * do not also list a scale nobody wrote.
 */
function derivedAlike(before: Scheme, after: Scheme): [Scheme, Scheme] {
  const byId = (s: Scheme) => new Map(s.categories.map((c) => [c.id, c]));
  const [bCats, aCats] = [byId(before), byId(after)];
  const settle = (c: Category, other: Category | undefined): Category => {
    const mine = derivedSlot(c);
    const theirs = other && other.method.kind === c.method.kind ? derivedSlot(other) : undefined;
    if (!mine || !theirs || (mine.written === undefined) === (theirs.written === undefined)) return c;
    const same = sameDecimal(mine.written ?? mine.derived, theirs.written ?? theirs.derived);
    if (same) return mine.written === undefined ? c : { ...c, method: mine.with(undefined) };
    return mine.written === undefined ? { ...c, method: mine.with(mine.derived) } : c;
  };
  return [
    { ...before, categories: before.categories.map((c) => settle(c, aCats.get(c.id))) },
    { ...after, categories: after.categories.map((c) => settle(c, bCats.get(c.id))) },
  ];
}

type DecimalValue = number | string;

/** A method's value that defaults to one derived from elsewhere: as written, as derived, and a setter. */
function derivedSlot(c: Category):
  | {
      written: DecimalValue | undefined;
      derived: DecimalValue | undefined;
      with(v: DecimalValue | undefined): Method;
    }
  | undefined {
  const m = c.method;
  if (m.kind === "direct") {
    const { outOf, ...rest } = m;
    return {
      written: outOf,
      derived: c.points,
      with: (v) => (v === undefined ? rest : { ...rest, outOf: v }),
    };
  }
  if (m.kind === "vote" && m.ballot.type === "grade") {
    const { max, ...ballot } = m.ballot;
    return {
      written: max,
      derived: highest(Object.values(ballot.points)),
      with: (v) => ({ ...m, ballot: v === undefined ? ballot : { ...ballot, max: v } }),
    };
  }
  if (m.kind === "survey") {
    const { max, ...rest } = m;
    const scored = Object.values(m.options).filter((v): v is DecimalValue => v !== null);
    return {
      written: max,
      derived: highest(scored),
      with: (v) => (v === undefined ? rest : { ...rest, max: v }),
    };
  }
  return undefined;
}

/** The largest of some decimals (as written), or undefined for none. */
function highest(values: readonly (number | string)[]): number | string | undefined {
  let top: number | string | undefined;
  for (const v of values) if (top === undefined || cmp(parseDecimal(v), parseDecimal(top)) > 0) top = v;
  return top;
}

/** A value as the engine reads it, beside what the document wrote there (undefined if nothing). */
interface Side {
  read: unknown;
  written: unknown;
}

/**
 * Where two values are compared: the change's path, the keys from the root with `*` for any
 * entry of a list (which lists are unordered; an id can hold any character, so the path cannot
 * tell), and whether decimals there compare by value.
 */
interface Place {
  path: string;
  shape: readonly string[];
  decimal: boolean;
}

const ROOT: Place = { path: "", shape: [], decimal: false };
const entryOf = (place: Place, path: string): Place => ({ ...place, path, shape: [...place.shape, "*"] });
const keyOf = (place: Place, k: string): Place => ({
  path: place.path ? `${place.path}.${k}` : k,
  shape: [...place.shape, k],
  decimal: place.decimal || DECIMAL_KEYS.has(k),
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const byId = (a: unknown[]): a is { id: string }[] =>
  a.every((x) => isObject(x) && typeof x.id === "string") &&
  new Set(a.map((x) => (x as { id: string }).id)).size === a.length;
const shown = (side: Side) => (side.written === undefined ? side.read : side.written);
const at = (side: Side, key: string | number): Side => ({
  read: (side.read as Record<string | number, unknown>)[key],
  written: isObject(side.written) || Array.isArray(side.written) ? side.written[key as never] : undefined,
});

/** Two values that are both decimals and equal by value (`"30.0"` and `30`), as the rules read them. */
export function sameDecimal(b: unknown, a: unknown): boolean {
  const decimal = (v: unknown): v is number | string =>
    typeof v === "number" || (typeof v === "string" && DECIMAL_TEXT.test(v));
  if (!decimal(b) || !decimal(a)) return false;
  try {
    return cmp(parseDecimal(b), parseDecimal(a)) === 0;
  } catch {
    // Beyond what a decimal may hold (a document that does not compile): compared as written.
    return false;
  }
}

function diff(before: Side, after: Side, place: Place): SchemeChange[] {
  const b = before.read;
  const a = after.read;
  const { path } = place;
  const unordered = unorderedListAt(place.shape);
  if (unordered && Array.isArray(b) && Array.isArray(a)) {
    if (sameMembers(unordered, b, a)) return [];
    // The stages are few and named: the list before and after says it best.
    if (path === "rounding.stages")
      return [{ path, kind: "changed", before: shown(before), after: shown(after) }];
    // By index, a member added in front or dropped would read as every later place changed.
    if (!(byId(b) && byId(a))) {
      const { removed, added, changed } = memberChanges(unordered, b, a);
      // Named by what it is, as an entry by id: a place would be no place in the other list.
      const placed = (member: unknown) => {
        const key = memberKey(unordered, member);
        return entryOf(
          place,
          `${path}[${key === undefined ? JSON.stringify(member) : `${unordered.key}=${key}`}]`,
        );
      };
      return [
        ...removed.flatMap((i) => entry(at(before, i), undefined, placed(b[i]))),
        ...changed.flatMap(([i, j]) => diff(at(before, i), at(after, j), placed(a[j]))),
        ...added.flatMap((j) => entry(undefined, at(after, j), placed(a[j]))),
      ];
    }
  }
  if (Array.isArray(b) && Array.isArray(a)) {
    if (byId(b) && byId(a)) {
      // Parsing keeps an array's order, so an entry's index is the same read and written.
      const bIndex = new Map(b.map((x, i) => [x.id, i]));
      const aIndex = new Map(a.map((x, i) => [x.id, i]));
      const ids = [...bIndex.keys(), ...[...aIndex.keys()].filter((k) => !bIndex.has(k))];
      const entries = ids.flatMap((id) => {
        const i = bIndex.get(id);
        const j = aIndex.get(id);
        return entry(
          i === undefined ? undefined : at(before, i),
          j === undefined ? undefined : at(after, j),
          entryOf(place, `${path}[id=${id}]`),
        );
      });
      // Matching by id alone hides a reordering: compare the order with what removals and
      // additions at the end would give (of a list whose order is read).
      const expected = ids.filter((id) => aIndex.has(id));
      const actual = a.map((x) => x.id);
      if (!unordered && expected.some((id, i) => id !== actual[i]))
        entries.unshift({ path: `${path}[ids]`, kind: "changed", before: b.map((x) => x.id), after: actual });
      return entries;
    }
    return Array.from({ length: Math.max(b.length, a.length) }, (_, i) =>
      entry(
        i < b.length ? at(before, i) : undefined,
        i < a.length ? at(after, i) : undefined,
        entryOf(place, `${path}[${i}]`),
      ),
    ).flat();
  }
  if (isObject(b) && isObject(a)) {
    // Own keys only: a key named like what objects inherit (a level "constructor") is a key.
    const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !Object.hasOwn(b, k))].filter(
      (k) => path !== "" || !NOT_RULES.has(k),
    );
    return keys.flatMap((k) =>
      entry(
        Object.hasOwn(b, k) ? at(before, k) : undefined,
        Object.hasOwn(a, k) ? at(after, k) : undefined,
        keyOf(place, k),
      ),
    );
  }
  if (Object.is(b, a) || JSON.stringify(b) === JSON.stringify(a)) return [];
  if (place.decimal && sameDecimal(b, a)) return [];
  return [{ path: path || "(root)", kind: "changed", before: shown(before), after: shown(after) }];
}

function entry(before: Side | undefined, after: Side | undefined, place: Place): SchemeChange[] {
  const { path } = place;
  // An optional value the engine reads as absent is undefined, not missing.
  const gone = (s: Side | undefined) => s === undefined || s.read === undefined;
  if (gone(before) && gone(after)) return [];
  if (gone(before)) return [{ path, kind: "added", before: null, after: shown(after!) }];
  if (gone(after)) return [{ path, kind: "removed", before: shown(before!), after: null }];
  return diff(before!, after!, place);
}
