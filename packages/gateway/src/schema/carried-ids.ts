import type { Dataset } from "@pingyi/engine";

/**
 * A scenario's veto removals with the gateway's ids for carried events. The gateway hands the
 * engine an earlier cycle's veto as "<cycle>/<id>" (store/dataset.ts), so the engine, which
 * knows no cycles, does not find "V2018-001" in 2019's data; an analyst reads that id in last
 * year's register and should not have to learn the prefix. A removal that names none of this
 * dataset's events but one carried event by its own id is sent under that event's shown id;
 * every other removal goes as written, for the engine to judge (unknown, or ambiguous).
 * The document itself is not changed: a saved scenario stays as its author wrote it.
 */
export function withCarriedVetoIds<T>(document: T, dataset: Dataset): T {
  const data = (document as { data?: { vetoEvents?: { remove?: unknown } } } | null)?.data;
  const remove = data?.vetoEvents?.remove;
  if (!Array.isArray(remove) || remove.length === 0) return document;
  const events = dataset.vetoEvents ?? [];
  const yearOf = (e: { yearsAgo?: number }) => e.yearsAgo ?? 0;
  let changed = false;
  const translated = remove.map((entry: unknown) => {
    const id = typeof entry === "string" ? entry : (entry as { id?: unknown } | null)?.id;
    const years = typeof entry === "string" ? undefined : (entry as { yearsAgo?: unknown }).yearsAgo;
    if (typeof id !== "string" || id.length === 0) return entry;
    const matches = (e: { id: string; yearsAgo?: number }) => years === undefined || yearOf(e) === years;
    if (events.some((e) => e.id === id && matches(e))) return entry;
    const carried = events.filter((e) => yearOf(e) > 0 && e.id.endsWith(`/${id}`) && matches(e));
    if (carried.length !== 1) return entry;
    changed = true;
    return typeof entry === "string" ? carried[0]!.id : { ...(entry as object), id: carried[0]!.id };
  });
  if (!changed) return document;
  const d = document as { data: { vetoEvents: object } };
  return { ...d, data: { ...d.data, vetoEvents: { ...d.data.vetoEvents, remove: translated } } } as T;
}
