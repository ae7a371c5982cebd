/**
 * The columns of a file an import read nothing from: a CSV or XLSX header's cells, a JSON
 * record's keys, that are no column of the kind (a unit's name beside its id in an export from
 * another system). They are not refused, but said, in the order first met: a column silently
 * ignored hides a mistake (`rectifcation` for `rectification` stored every row as unknown).
 */
export class UnreadColumns {
  /** Names kept to be listed; a JSON file with a new key on every line only counts the rest. */
  static readonly LISTED = 20;
  private readonly names: string[] = [];
  private readonly met = new Set<string>();
  /** Every column not read, listed or not. */
  count = 0;

  add(name: string): void {
    if (name.trim() === "" || this.met.has(name)) return;
    this.count++;
    if (this.names.length < UnreadColumns.LISTED) {
      this.names.push(name);
      this.met.add(name);
    }
  }

  get listed(): readonly string[] {
    return this.names;
  }
}

/** The columns quoted and listed, with how many more there were: `'name', '备注' and 3 more`. */
export function quotedColumns(names: readonly string[], count = names.length): string {
  const quoted = names.map((n) => `'${n}'`);
  if (count > names.length) return `${quoted.join(", ")} and ${count - names.length} more`;
  return quoted.length < 2 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
}
