/**
 * Sorts `order` (positions) by `keys[position]` in place, unless that takes more than
 * `budget` exchanges; false then, with `order` a permutation still.
 */
export function insertionSorted(order: Int32Array, keys: Float64Array, n: number, budget: number): boolean {
  let moves = 0;
  for (let i = 1; i < n; i++) {
    const p = order[i]!;
    const key = keys[p]!;
    let j = i - 1;
    while (j >= 0 && keys[order[j]!]! > key) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = p;
    moves += i - 1 - j;
    if (moves > budget) return false;
  }
  return true;
}
