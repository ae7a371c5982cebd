import type { Translate } from "../i18n";
import type { Entry, Ranking } from "../queries";

/** One published table: header row then one row per unit, values as the gateway gave them. */
export interface Table {
  header: string[];
  /** Column indexes holding numbers (exported as numbers in XLSX). */
  numeric: number[];
  /** XLSX display formats by column index ("0" for a rank); others show the table's decimals. */
  formats?: Record<number, string>;
  /** Columns given a wide XLSX column: unit names. */
  wide?: number[];
  rows: (string | number | null)[][];
}

/** Category columns in scheme order, taken from the first unit that has them. */
export function categoryColumns(entries: Entry[]): { category: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const e of entries)
    for (const c of e.categories) if (!seen.has(c.category)) seen.set(c.category, c.name);
  return [...seen].map(([category, name]) => ({ category, name }));
}

export function rankingTable(ranking: Ranking, t: Translate): Table {
  const cats = categoryColumns(ranking.entries);
  const groups = new Map(ranking.groups.map((g) => [g.id, g.name]));
  const header = [
    t("group"),
    t("rank"),
    t("unit"),
    ...cats.map((c) => c.name),
    t("total"),
    t("grade"),
    t("flags"),
  ];
  const numeric = [1, ...cats.map((_, i) => 3 + i), 3 + cats.length];
  const rows = ranking.entries.map((e) => [
    groups.get(e.group) ?? e.group,
    e.rank,
    e.name,
    ...cats.map((c) => e.categories.find((x) => x.category === c.category)?.points ?? null),
    e.total,
    e.grade?.name ?? null,
    e.flags.map((f) => t(`flag.${f}` as Parameters<Translate>[0])).join("、"),
  ]);
  return { header, numeric, formats: { 1: "0" }, wide: [2], rows };
}
