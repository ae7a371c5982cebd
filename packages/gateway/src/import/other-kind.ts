import { type KindSpec, normaliseHeader } from "./columns.js";

/** The kind's columns a file's headers give (by name or alias), with the headers that give them. */
function columnsGiven(
  spec: KindSpec,
  headers: readonly string[],
): { columns: Set<string>; headers: string[] } {
  const columns = new Set<string>();
  const given: string[] = [];
  for (const header of headers) {
    const key = normaliseHeader(header);
    const column = spec.columns.find((c) => [c.name, ...c.aliases].some((n) => normaliseHeader(n) === key));
    if (!column) continue;
    columns.add(column.name);
    if (!given.includes(header)) given.push(header);
  }
  return { columns, headers: given };
}

const missingOf = (spec: KindSpec, given: Set<string>, defaults: Readonly<Record<string, string>>) =>
  spec.columns.filter((c) => c.required && !given.has(c.name) && defaults[c.name] === undefined);

const listed = (words: readonly string[]) =>
  words.length < 2 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;

/**
 * Why a file that lacks a column of the kind it was sent as is most likely a file of another kind,
 * or undefined: another kind has every column it requires among the headers, and more of them
 * than the kind chosen. A scores file sent as units was told "the header has 'unit': did you mean
 * 'unit_id'?", which sent the clerk renaming the columns of the right file. Two kinds that fit
 * alike (findings and bonuses share id, unit, type and level) are both named.
 */
export function otherKindText(
  headers: readonly string[],
  chosen: KindSpec,
  kinds: readonly KindSpec[],
  defaults: Readonly<Record<string, string>> = {},
): string | undefined {
  const own = columnsGiven(chosen, headers);
  const lacking = missingOf(chosen, own.columns, defaults);
  if (lacking.length === 0) return undefined;
  let best: { spec: KindSpec; headers: string[] }[] = [];
  let most = own.columns.size + 1;
  for (const spec of kinds) {
    if (spec === chosen) continue;
    const given = columnsGiven(spec, headers);
    if (given.columns.size < most || missingOf(spec, given.columns, {}).length > 0) continue;
    if (given.columns.size > most) best = [];
    most = given.columns.size;
    best.push({ spec, headers: given.headers });
  }
  if (best.length === 0) return undefined;
  const names = best.map((b) => b.spec.kind);
  const theirs = headers.filter(
    (h, i) => headers.indexOf(h) === i && best.some((b) => b.headers.includes(h)),
  );
  const kind = `${names.slice(0, -1).join(", ")}${names.length > 1 ? " or " : ""}${names.at(-1)}`;
  return `this looks like a ${kind} file, not a ${chosen.kind} file: its headers ${listed(theirs.map((h) => `'${h}'`))} are ${kind} columns, while ${chosen.kind} needs ${listed(lacking.map((c) => c.name))}. Import it as kind ${kind}`;
}
