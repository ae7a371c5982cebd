import { cmp, DECIMAL_TEXT, parseDecimal } from "../rational.js";
import { type Scheme, schemeSchema } from "./scheme-schema.js";

/** One difference between two versions of a scheme's rules. */
export interface SchemeChange {
  /**
   * e.g. `categories[id=public].points`; arrays of objects with an `id` are matched by id, others by
   * index. `grades.rules[ids]` is the id order of such an array, listed when it changed other than by
   * removals and additions at the end (order decides, e.g., which grade rule applies first).
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
/** The one list whose order and repeats mean nothing (`["total", "category"]` is the default). */
const SET_PATH = "rounding.stages";

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
 * decimals compare by value (`"30.0"` is `30`), so two documents that score alike have no
 * changes. Values are reported as written; a document that does not compile is compared as
 * written.
 */
export function schemeChanges(before: unknown, after: unknown): SchemeChange[] {
  const b = schemeSchema.safeParse(before);
  const a = schemeSchema.safeParse(after);
  const read = b.success && a.success;
  const [bRead, aRead] = read ? derivedAlike(scoredAlike(b.data), scoredAlike(a.data)) : [before, after];
  return diff({ read: bRead, written: before }, { read: aRead, written: after }, "", false);
}

/**
 * The scheme as it scores: `inLaterYears` effects equal to the incident year's, or none at all,
 * say nothing, so adding or dropping them is no change; nor does writing out a default the engine
 * derives (a direct scale equal to the category's points, a ballot's or survey's `max` equal to
 * its highest points, a quota filled from the top of the ranked units).
 */
function scoredAlike(s: Scheme): Scheme {
  return {
    ...s,
    grades: {
      ...s.grades,
      rules: s.grades.rules.map((r) => {
        if (!r.quota) return r;
        const { from, of, ...quota } = r.quota;
        return {
          ...r,
          quota: { ...quota, ...(from === "bottom" ? { from } : {}), ...(of === "admitted" ? { of } : {}) },
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
 * ballot's or survey's `max` from its highest points) written out on one side and left out on the
 * other is no change. Only then is it dropped: written on both sides, it is compared as written,
 * so changing the points of a category whose scale is written down is not also a new scale.
 */
function derivedAlike(before: Scheme, after: Scheme): [Scheme, Scheme] {
  const methodOf = (s: Scheme) => new Map(s.categories.map((c) => [c.id, c.method]));
  const [bMethods, aMethods] = [methodOf(before), methodOf(after)];
  const alike = (s: Scheme, other: Map<string, Method>): Scheme => ({
    ...s,
    categories: s.categories.map((c) => {
      const o = other.get(c.id);
      return o && o.kind === c.method.kind && !derivedWritten(o)
        ? { ...c, method: withoutDerivedDefaults(c) }
        : c;
    }),
  });
  return [alike(before, aMethods), alike(after, bMethods)];
}

/** Whether a method writes the value `withoutDerivedDefaults` may drop. */
function derivedWritten(m: Method): boolean {
  if (m.kind === "direct") return m.outOf !== undefined;
  if (m.kind === "vote") return m.ballot.type === "grade" && m.ballot.max !== undefined;
  if (m.kind === "survey") return m.max !== undefined;
  return false;
}

function withoutDerivedDefaults({ method, points }: Category): Method {
  if (method.kind === "direct" && method.outOf !== undefined && sameDecimal(method.outOf, points)) {
    const { outOf, ...rest } = method;
    return rest;
  }
  if (method.kind === "vote" && method.ballot.type === "grade" && method.ballot.max !== undefined) {
    const { max, ...ballot } = method.ballot;
    if (sameDecimal(max, highest(Object.values(ballot.points)))) return { ...method, ballot };
  }
  if (method.kind === "survey" && method.max !== undefined) {
    const { max, ...rest } = method;
    const scored = Object.values(method.options).filter((v): v is number | string => v !== null);
    if (sameDecimal(max, highest(scored))) return rest;
  }
  return method;
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

function sameDecimal(b: unknown, a: unknown): boolean {
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

function diff(before: Side, after: Side, path: string, decimal: boolean): SchemeChange[] {
  const b = before.read;
  const a = after.read;
  // The stages rounded are a set: the engine asks only whether each is listed.
  if (path === SET_PATH && Array.isArray(b) && Array.isArray(a)) {
    const [bs, as] = [new Set(b), new Set(a)];
    return bs.size === as.size && [...bs].every((x) => as.has(x))
      ? []
      : [{ path, kind: "changed", before: shown(before), after: shown(after) }];
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
          `${path}[id=${id}]`,
          decimal,
        );
      });
      // Matching by id alone hides a reordering: compare the order with what removals and
      // additions at the end would give.
      const expected = ids.filter((id) => aIndex.has(id));
      const actual = a.map((x) => x.id);
      if (expected.some((id, i) => id !== actual[i]))
        entries.unshift({ path: `${path}[ids]`, kind: "changed", before: b.map((x) => x.id), after: actual });
      return entries;
    }
    return Array.from({ length: Math.max(b.length, a.length) }, (_, i) =>
      entry(
        i < b.length ? at(before, i) : undefined,
        i < a.length ? at(after, i) : undefined,
        `${path}[${i}]`,
        decimal,
      ),
    ).flat();
  }
  if (isObject(b) && isObject(a)) {
    const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))].filter(
      (k) => path !== "" || !NOT_RULES.has(k),
    );
    return keys.flatMap((k) =>
      entry(
        k in b ? at(before, k) : undefined,
        k in a ? at(after, k) : undefined,
        path ? `${path}.${k}` : k,
        decimal || DECIMAL_KEYS.has(k),
      ),
    );
  }
  if (Object.is(b, a) || JSON.stringify(b) === JSON.stringify(a)) return [];
  if (decimal && sameDecimal(b, a)) return [];
  return [{ path: path || "(root)", kind: "changed", before: shown(before), after: shown(after) }];
}

function entry(
  before: Side | undefined,
  after: Side | undefined,
  path: string,
  decimal: boolean,
): SchemeChange[] {
  // An optional value the engine reads as absent is undefined, not missing.
  const gone = (s: Side | undefined) => s === undefined || s.read === undefined;
  if (gone(before) && gone(after)) return [];
  if (gone(before)) return [{ path, kind: "added", before: null, after: shown(after!) }];
  if (gone(after)) return [{ path, kind: "removed", before: shown(before!), after: null }];
  return diff(before!, after!, path, decimal);
}
