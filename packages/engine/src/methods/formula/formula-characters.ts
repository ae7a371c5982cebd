/**
 * What a Chinese input method types where a formula needs ASCII. mathjs reads none of these as
 * the sign they look like (and "×", "÷" as letters), so its own message misleads; naming the
 * character and its half-width form is what lets an administrator fix the rule. They are never
 * converted: the stored expression must read as what is evaluated.
 */
// Signs outside the full-width block that the input method's punctuation keys give:
// Shift+6 types "……", Shift+- "——", Shift+, and Shift+. "《" and "》", "." "。".
const SIGNS: ReadonlyMap<string, string> = new Map([
  ["×", "*"],
  ["÷", "/"],
  ["。", "."],
  ["《", "<"],
  ["》", ">"],
  ["……", "^"],
  ["——", "_"],
  // Typographic signs: Pingyi's own explanations print "−" and "×", and a word processor turns
  // "-" into "–" and "<=" into "≤". Copied into a rule, they would read as unknown letters.
  ["−", "-"],
  ["–", "-"],
  ["≤", "<="],
  ["≥", ">="],
  ["≠", "!="],
]);

// A comment runs to the end of its line and may hold any text; it is skipped as a whole.
const SCAN = /#[^\n]*|……|——|[\uFF01-\uFF5E\u3000×÷。《》−–≤≥≠]/g;

/** One problem per distinct character, at its first place, outside comments. */
export function inputMethodCharacters(expression: string): { message: string; position: number }[] {
  const seen = new Map<string, { position: number; count: number }>();
  for (const m of expression.matchAll(SCAN)) {
    if (m[0].startsWith("#")) continue;
    const entry = seen.get(m[0]);
    if (entry) entry.count++;
    else seen.set(m[0], { position: m.index + 1, count: 1 });
  }
  return [...seen].map(([typed, { position, count }]) => {
    const times = count > 1 ? ` (${count} times)` : "";
    if (typed === "\u3000")
      return { message: `full-width space (U+3000)${times}: type an ordinary space instead`, position };
    const sign = SIGNS.get(typed);
    const message =
      sign === undefined
        ? `full-width "${typed}"${times}: type "${String.fromCharCode(typed.charCodeAt(0) - 0xfee0)}" instead`
        : `"${typed}"${times}: type "${sign}" instead`;
    return { message, position };
  });
}
