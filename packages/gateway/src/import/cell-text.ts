/**
 * Spaces and invisible marks around a cell's text. Beside the spaces `trim` takes (the no-break
 * space and the ideographic space among them), text copied from a web page or a chat carries a
 * zero-width space or word joiner: an id "A01" + U+200B stored as written names no unit the
 * operator can type, and a reference to it reads as an unknown unit 'A01' that looks known.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/;

/**
 * Scanned from each end rather than matched by a pattern anchored at the end, which tries again
 * from every character of a long run of spaces inside a cell: quadratic in a hostile file's cell.
 */
export function trimCell(text: string): string {
  let start = 0;
  let end = text.length;
  const around = (c: string) => {
    const code = c.charCodeAt(0);
    // Printable ASCII, nearly every cell's first and last character, without a string made.
    if (code > 0x20 && code < 0x7f) return false;
    return c.trim() === "" || INVISIBLE.test(c);
  };
  while (start < end && around(text[start]!)) start++;
  while (end > start && around(text[end - 1]!)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Full-width digits, signs and points (１２．５, －３, as a Chinese input method in full-width mode
 * types them) as the ASCII ones they stand for: for a cell read as a number, date or yes/no, where
 * they can mean nothing else.
 */
export const halfWidth = (text: string): string =>
  text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
