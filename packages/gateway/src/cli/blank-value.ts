/** What a shell gives for a variable that is not set, the usual cause of an empty argument. */
const UNSET = "a shell variable that is not set gives an empty one";

/**
 * Why an argument or an option's value names nothing, or undefined: empty, or only spaces (`"$FIRST
 * $LAST"` with both unset), which no cycle, kind, file, import id, role, subject, group, format or
 * URL is. Refused by name rather than run: `score --group=` scored every group, and a token was
 * minted for a subject of "  " until `pingyi token` looked at it. `name` is the argument as the
 * usage writes it (`<cycle>`, `--group`); `advice` follows the reason, for an option that can be
 * left out.
 */
export function blankProblem(name: string, value: string | undefined, advice = ""): string | undefined {
  if (value === undefined) return undefined;
  if (value === "") return `${name} is empty${advice} (${UNSET})`;
  if (value.trim() === "") return `${name} is blank (only spaces)${advice}`;
  return undefined;
}
