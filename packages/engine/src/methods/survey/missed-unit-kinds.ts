import { closestField } from "../../unknown-field.js";

/**
 * Each unit kind that has no `byUnitKind` weights of its own, mapped to the `byUnitKind` key it
 * most likely is: a key no unit's kind matches, a misspelling away from it (`closestField`).
 * A scheme is written before the data, so a key no unit has is no error; but one a letter away
 * from a kind the units do have is almost certainly a typo in one or the other, and those
 * units take the default weights. Their explanations say so. Empty when every key is used.
 */
export function missedUnitKinds(
  byUnitKind: ReadonlyMap<string, unknown>,
  units: readonly { kind?: string | undefined }[],
): ReadonlyMap<string, string> {
  const missed = new Map<string, string>();
  if (byUnitKind.size === 0) return missed;
  const kinds = new Set<string>();
  for (const u of units) if (typeof u.kind === "string") kinds.add(u.kind);
  const unused = [...byUnitKind.keys()].filter((key) => !kinds.has(key));
  if (unused.length === 0) return missed;
  for (const kind of kinds) {
    if (byUnitKind.has(kind)) continue;
    const meant = closestField(kind, unused);
    if (meant !== undefined) missed.set(kind, meant);
  }
  return missed;
}
