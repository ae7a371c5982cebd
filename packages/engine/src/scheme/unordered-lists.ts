/**
 * A list of a scheme whose order the engine never reads: two schemes that list the same members
 * in another order score alike, so schemeChanges and patchBetween compare it as a set.
 */
export interface UnorderedList {
  /** Keys from the scheme's root; `*` stands for any entry of a list (a category, a roll-up). */
  shape: readonly string[];
  /** Whether a member listed twice is a change from once: where the engine refuses a repeat, it is. */
  repeatsCount: boolean;
  /** The field that names a member, so that one named alike but otherwise changed is that member changed. */
  key?: string;
}

/**
 * Every unordered list, each with why its order is not read. The rest are read in order:
 * `grades.rules` are tried in order, `ranking.tieBreakers` break ties in order, `rollups` blend
 * one after another (a second into a category blends what the first left), `categories` and
 * `groups` are the order of a result's columns and sections (a standing's points are in category
 * order), and a survey's `respondentGroups` are the order of its groups in a unit's trace (the
 * `group "…"` steps, the terms a group-weighted score and rate sum), in its `details` keys and in
 * the reason a group short of forms gives. A survey's `options` and a grade ballot's `points` are
 * records, whose keys schemeChanges matches by name already; their order is the options' order in
 * traces and forms.
 */
export const UNORDERED_LISTS: readonly UnorderedList[] = [
  // Each stage is rounded or not: the engine asks only whether it is listed.
  { shape: ["rounding", "stages"], repeatsCount: false },
  // Each option listed counts in the satisfaction rate (a flag per option), listed once or twice.
  { shape: ["categories", "*", "method", "satisfiedOptions"], repeatsCount: false },
  // Inputs are looked up by name; the order only lists the names a message says are allowed. An
  // input declared twice is refused.
  { shape: ["categories", "*", "method", "inputs"], repeatsCount: true, key: "name" },
  // A parent is blended into if it is listed (listed twice, once).
  { shape: ["rollups", "*", "parents"], repeatsCount: false },
  // Deductions and bonuses are summed and capped type by type in id order, and vetoes are read by
  // type id: the types' order in the scheme is read nowhere. Ids are unique (a repeat is refused).
  { shape: ["findingTypes"], repeatsCount: true },
  { shape: ["bonusTypes"], repeatsCount: true },
  { shape: ["vetoTypes"], repeatsCount: true },
];

/** The unordered list at a place of the scheme (its keys from the root, `*` for an entry), if any. */
export function unorderedListAt(shape: readonly string[]): UnorderedList | undefined {
  return UNORDERED_LISTS.find(
    (l) => l.shape.length === shape.length && l.shape.every((k, i) => k === shape[i]),
  );
}

/** How two versions of an unordered list differ, as places in the list that holds each member. */
export interface MemberChanges {
  removed: number[];
  added: number[];
  changed: [before: number, after: number][];
}

/**
 * How two versions of an unordered list differ, member by member, whatever their order: the
 * places in `before` of the members `after` lacks (the first place of a member listed twice where
 * repeats do not count), the places in `after` of the members `before` lacks, and, paired as one
 * member changed, a member removed and one added of the same key (a formula's input of one name
 * described anew). Each in its own list's order.
 */
export function memberChanges(
  list: UnorderedList,
  before: readonly unknown[],
  after: readonly unknown[],
): MemberChanges {
  const [bKeys, aKeys] = [before.map(canonical), after.map(canonical)];
  const removed = unmatched(list, bKeys, aKeys);
  const added = unmatched(list, aKeys, bKeys);
  const changed: [number, number][] = [];
  for (const i of removed) {
    const name = memberKey(list, before[i]);
    const j = added.find((k) => name !== undefined && memberKey(list, after[k]) === name);
    if (j !== undefined && !changed.some(([, k]) => k === j)) changed.push([i, j]);
  }
  return {
    removed: removed.filter((i) => !changed.some(([k]) => k === i)),
    added: added.filter((j) => !changed.some(([, k]) => k === j)),
    changed,
  };
}

/** Whether two lists hold the same members, in any order (and, where repeats count, as often). */
export function sameMembers(
  list: UnorderedList,
  before: readonly unknown[],
  after: readonly unknown[],
): boolean {
  const { removed, added, changed } = memberChanges(list, before, after);
  return removed.length === 0 && added.length === 0 && changed.length === 0;
}

/** The places of `keys` that `others` does not match: as often as listed where repeats count, else once. */
function unmatched(list: UnorderedList, keys: readonly string[], others: readonly string[]): number[] {
  const left = new Map<string, number>();
  for (const k of others) left.set(k, (left.get(k) ?? 0) + 1);
  const seen = new Set<string>();
  return keys.flatMap((k, i) => {
    if (!list.repeatsCount) {
      if (seen.has(k)) return [];
      seen.add(k);
      return left.has(k) ? [] : [i];
    }
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    return n > 0 ? [] : [i];
  });
}

/** A member's key (its `name`, for an input), if the list has one and the member says it. */
export function memberKey(list: UnorderedList, member: unknown): string | undefined {
  const k = list.key === undefined || typeof member !== "object" || member === null ? undefined : list.key;
  const v = k === undefined ? undefined : (member as Record<string, unknown>)[k];
  return typeof v === "string" ? v : undefined;
}

/** A member as text that does not depend on its keys' order (an input's name and description). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) =>
    typeof x === "object" && x !== null && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([k], [l]) => (k < l ? -1 : k > l ? 1 : 0)))
      : x,
  );
}
