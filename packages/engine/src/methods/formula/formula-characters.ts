/**
 * What a Chinese input method types where a formula needs ASCII, and what a copy brings in
 * unseen. mathjs reads none of these as the sign they look like (and "×", "÷" as letters), so its own message misleads; naming the
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

/**
 * Characters a copy from a web page, a word processor or a chat carries in unseen: mathjs takes
 * none of them for a space, and its "Syntax error in part "​+1"" quotes the character invisibly.
 * Named by code point and name, so that it can be found; spaces are retyped, the rest deleted.
 */
const INVISIBLE: ReadonlyMap<string, string> = new Map([
  ["\u00AD", "soft hyphen"],
  ["\u180E", "Mongolian vowel separator"],
  ["\u200B", "zero-width space"],
  ["\u200C", "zero-width non-joiner"],
  ["\u200D", "zero-width joiner"],
  ["\u200E", "left-to-right mark"],
  ["\u200F", "right-to-left mark"],
  ["\u202A", "left-to-right embedding"],
  ["\u202B", "right-to-left embedding"],
  ["\u202C", "pop directional formatting"],
  ["\u202D", "left-to-right override"],
  ["\u202E", "right-to-left override"],
  ["\u2060", "word joiner"],
  ["\u2066", "left-to-right isolate"],
  ["\u2067", "right-to-left isolate"],
  ["\u2068", "first strong isolate"],
  ["\u2069", "pop directional isolate"],
  ["\uFEFF", "byte-order mark"],
]);
const SPACES: ReadonlyMap<string, string> = new Map([
  ["\u1680", "Ogham space mark"],
  ["\u2000", "en quad"],
  ["\u2001", "em quad"],
  ["\u2002", "en space"],
  ["\u2003", "em space"],
  ["\u2004", "three-per-em space"],
  ["\u2005", "four-per-em space"],
  ["\u2006", "six-per-em space"],
  ["\u2007", "figure space"],
  ["\u2008", "punctuation space"],
  ["\u2009", "thin space"],
  ["\u200A", "hair space"],
  ["\u2028", "line separator"],
  ["\u2029", "paragraph separator"],
  ["\u202F", "narrow no-break space"],
  ["\u205F", "medium mathematical space"],
  // Tab and line feed are whitespace to mathjs; carriage returns are made spaces before parsing.
  ["\u000B", "vertical tab"],
  ["\u000C", "form feed"],
  ["\u0085", "next line"],
]);

// A comment runs to the end of its line and may hold any text; it is skipped as a whole.
const SCAN = new RegExp(
  `#[^\\n]*|……|——|[\\uFF01-\\uFF5E\\u3000×÷。《》−–≤≥≠${[...INVISIBLE.keys(), ...SPACES.keys()].join("")}]`,
  "g",
);

/** "U+200B zero-width space". */
function codePoint(c: string, name: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} ${name}`;
}

/** One problem per distinct character, at its first place, outside comments. */
export function mistypedCharacters(expression: string): { message: string; position: number }[] {
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
    const invisible = INVISIBLE.get(typed);
    if (invisible !== undefined)
      return { message: `${codePoint(typed, invisible)}${times}: delete it`, position };
    const space = SPACES.get(typed);
    if (space !== undefined)
      return { message: `${codePoint(typed, space)}${times}: type a plain space instead`, position };
    const sign = SIGNS.get(typed);
    const message =
      sign === undefined
        ? `full-width "${typed}"${times}: type "${String.fromCharCode(typed.charCodeAt(0) - 0xfee0)}" instead`
        : `"${typed}"${times}: type "${sign}" instead`;
    return { message, position };
  });
}
