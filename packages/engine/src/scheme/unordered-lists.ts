/**
 * A list of a scheme whose order the engine never reads: two schemes that list the same members
 * in another order score alike, so schemeChanges and patchBetween compare it as a set.
 */
export interface UnorderedList {
  /** Keys from the scheme's root; `*` stands for any entry of a list (a category, a roll-up). */
  shape: readonly string[];
  /** Whether a member listed twice is a change from once: where the engine refuses a repeat, it is. */
  repeatsCount: boolean;
}

/**
 * Every unordered list, each with why its order is not read. The rest are read in order:
 * `grades.rules` are tried in order, `ranking.tieBreakers` break ties in order, `rollups` blend
 * one after another (a second into a category blends what the first left), `categories` and
 * `groups` are the order of a result's columns and sections (a standing's points are in category
 * order). A survey's `options` and a grade ballot's `points` are records, whose keys schemeChanges
 * matches by name already; their order is the options' order in traces and forms.
 */
export const UNORDERED_LISTS: readonly UnorderedList[] = [
  // Each stage is rounded or not: the engine asks only whether it is listed.
  { shape: ["rounding", "stages"], repeatsCount: false },
  // Each option listed counts in the satisfaction rate (a flag per option), listed once or twice.
  { shape: ["categories", "*", "method", "satisfiedOptions"], repeatsCount: false },
  // Forms are checked and weighted by group name; the order only lists the groups in a trace or
  // a message. A group listed twice is refused.
  { shape: ["categories", "*", "method", "respondentGroups"], repeatsCount: true },
  // Inputs are looked up by name; the order only lists the names a message says are allowed. An
  // input declared twice is refused.
  { shape: ["categories", "*", "method", "inputs"], repeatsCount: true },
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

/** Whether two lists hold the same members, in any order (and, where repeats count, as often). */
export function sameMembers(
  list: UnorderedList,
  before: readonly unknown[],
  after: readonly unknown[],
): boolean {
  const keys = (xs: readonly unknown[]) => xs.map(canonical);
  if (list.repeatsCount) {
    if (before.length !== after.length) return false;
    const [b, a] = [keys(before).sort(), keys(after).sort()];
    return b.every((k, i) => k === a[i]);
  }
  const [b, a] = [new Set(keys(before)), new Set(keys(after))];
  return b.size === a.size && [...b].every((k) => a.has(k));
}

/** A member as text that does not depend on its keys' order (an input's name and description). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) =>
    typeof x === "object" && x !== null && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([k], [l]) => (k < l ? -1 : k > l ? 1 : 0)))
      : x,
  );
}
