/** "line 3, column 7" for a JSON.parse error message that gives a character position. */
export function jsonErrorWithLine(text: string, error: Error): string {
  const m = /position (\d+)/.exec(error.message);
  if (!m || /line \d+/.test(error.message)) return error.message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${error.message} (line ${line}, column ${column})`;
}
