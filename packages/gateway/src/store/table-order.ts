/** A foreign key between two tables of one schema, as the catalog names it. */
export interface ForeignKey {
  table: string;
  name: string;
  references: string;
  /** pg_get_constraintdef: what `ALTER TABLE … ADD CONSTRAINT name` takes to make it again. */
  definition: string;
}

/**
 * The order to fill `tables` in so that every row's foreign keys find the rows they name: a
 * table after those it refers to, ties by name (the same order on every run). The keys no
 * order can satisfy are `deferred`, to be dropped for the copy and added again after it: a
 * table's keys to itself (a sub-unit stored before its parent, a cycle before the one it
 * follows), and a key that closes a loop between tables.
 */
export function tableOrder(
  tables: readonly string[],
  keys: readonly ForeignKey[],
): { order: string[]; deferred: ForeignKey[] } {
  const deferred = keys.filter((k) => k.table === k.references);
  let waiting = keys.filter((k) => k.table !== k.references && tables.includes(k.references));
  const left = [...tables].sort();
  const order: string[] = [];
  while (left.length > 0) {
    let next = left.findIndex((t) => !waiting.some((k) => k.table === t && left.includes(k.references)));
    // A loop between tables: the first by name goes now, and its keys into the loop wait.
    if (next < 0) {
      next = 0;
      const loop = waiting.filter((k) => k.table === left[0] && left.includes(k.references));
      deferred.push(...loop);
      waiting = waiting.filter((k) => !loop.includes(k));
    }
    order.push(...left.splice(next, 1));
  }
  return { order, deferred };
}
