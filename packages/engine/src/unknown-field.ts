/**
 * Why a key is refused, with the field it most likely meant when one is close
 * (`did you mean "points"?`), or else the fields there are. One wording for a dataset's rows
 * and a scheme's or scenario's objects. Shared by the engine's modules, not part of the
 * package's API (`closestField` below is, checked, from wording-public.ts: a system that reads
 * its own files, such as the gateway's imports, suggests the same names the engine would).
 */
export function unknownField(key: string, fields: readonly string[]): string {
  const meant = closestField(key, fields);
  return meant === undefined
    ? `unknown field (misspelt?); the fields are ${fields.join(", ")}`
    : `unknown field (misspelt?); did you mean "${meant}"?`;
}

/**
 * The field `key` most likely misspells: the nearest by edit distance (a swap of two letters
 * counts one; case is ignored) within a quarter of its length, or one that contains the other
 * ("unit_id" for "unit", "group" for "respondentGroup").
 */
export function closestField(key: string, fields: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const field of fields) {
    const f = field.toLowerCase();
    const d = distance(k, f);
    const near = d <= Math.max(1, Math.floor(Math.max(k.length, f.length) / 4));
    const contains = Math.min(k.length, f.length) >= 3 && (k.includes(f) || f.includes(k));
    if ((near || contains) && d < bestDistance) {
      best = field;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function distance(a: string, b: string): number {
  // Keys are short; a hostile megabyte key is compared by its length alone.
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}
