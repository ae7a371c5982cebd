/** "line 3, column 7" for a JSON.parse error message that gives a character position. */
export function jsonErrorWithLine(text: string, error: Error): string {
  if (/line \d+/.test(error.message)) return error.message;
  const m = /position (\d+)/.exec(error.message);
  // A draft cut short gives no position (V8: "Unexpected end of JSON input"): the problem is its end.
  const at = m ? Number(m[1]) : /end of JSON input/i.test(error.message) ? text.length : null;
  if (at === null) return error.message;
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${error.message} (line ${line}, column ${column})`;
}
