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

/**
 * Where in the draft a gateway issue points, or null for an issue about something else. The
 * gateway names a scheme document's problems under the argument that carried it:
 * `input.document.categories[2].points` from publishSchemeVersion, `document.…` from
 * previewSchemeImpact. "" is the document as a whole.
 */
export function pathInDraft(issuePath: string): string | null {
  for (const head of ["input.document", "document"]) {
    if (issuePath === head) return "";
    if (issuePath.startsWith(`${head}.`)) return issuePath.slice(head.length + 1);
    if (issuePath.startsWith(`${head}[`)) return issuePath.slice(head.length);
  }
  return null;
}

/** An engine path's steps: `categories[0].method` → ["categories", 0, "method"]. */
const steps = (path: string): (string | number)[] =>
  [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));

/**
 * The line (from 1) of the member or element `path` names in the JSON `text`: the line of its key
 * in an object, of its value in a list. A path into something the draft lacks (a problem such as
 * a missing field) gives the nearest enclosing place that exists. Null when `text` is not JSON.
 */
export function lineOfPath(text: string, path: string): number | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  // Valid JSON from here on: the scanner need not check what it skips.
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const skipString = () => {
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
  };
  const skipValue = (): void => {
    space();
    const open = text[i];
    if (open === '"') {
      skipString();
      return;
    }
    if (open === "{" || open === "[") {
      i++;
      space();
      if (text[i] === "}" || text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        if (open === "{") {
          space();
          skipString();
          space();
          i++; // the colon
        }
        skipValue();
        space();
        if (text[i++] !== ",") return;
      }
    }
    while (i < text.length && !" \t\n\r,]}".includes(text[i]!)) i++;
  };

  space();
  let value = i; // where the value reached so far starts
  let place = i; // and where the line shown for it is
  for (const step of steps(path)) {
    i = value;
    const open = text[i];
    let found: { value: number; place: number } | null = null;
    if (open === "{" && typeof step === "string") {
      i++;
      space();
      while (text[i] === '"') {
        const keyAt = i;
        skipString();
        const key = JSON.parse(text.slice(keyAt, i)) as string;
        space();
        i++; // the colon
        space();
        if (key === step) {
          found = { value: i, place: keyAt };
          break;
        }
        skipValue();
        space();
        if (text[i] === ",") i++;
        space();
      }
    } else if (open === "[" && typeof step === "number") {
      i++;
      space();
      for (let n = 0; text[i] !== "]"; n++) {
        if (n === step) {
          found = { value: i, place: i };
          break;
        }
        skipValue();
        space();
        if (text[i] === ",") i++;
        space();
      }
    }
    if (!found) break;
    ({ value, place } = found);
  }
  return text.slice(0, place).split("\n").length;
}
