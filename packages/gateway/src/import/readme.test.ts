import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { IMPORT_KINDS } from "../store/types.js";
import { KIND_SPECS } from "./index.js";

// The README's column tables are the user-facing contract; they must list exactly what the code accepts.
it("README lists every kind's columns and header aliases as the code accepts them", async () => {
  const readme = await readFile(new URL("./README.md", import.meta.url), "utf8");
  const documented: Record<string, string[][]> = {};
  let kind = "";
  for (const line of readme.split("\n")) {
    const heading = /^### (.+)$/.exec(line);
    if (heading) kind = heading[1]!;
    else if (kind && line.startsWith("|") && !/^\|[\s|-]+\|$/.test(line)) {
      const cells = line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells[0] === "column") continue;
      const list = documented[kind] ?? [];
      list.push(cells);
      documented[kind] = list;
    }
  }
  const expected: Record<string, string[][]> = {};
  for (const spec of Object.values(KIND_SPECS)) {
    expected[spec.kind] = spec.columns.map((c) => [
      `\`${c.name}\``,
      c.required ? "yes" : "no",
      c.type,
      c.aliases.join(", "),
    ]);
  }
  expect(documented).toEqual(expected);
});

/** Splits a documented "also accepted" cell into header names (code-formatted or not). */
const headerList = (cell: string) =>
  cell
    .split(",")
    .map((h) => h.trim().replace(/^`|`$/g, ""))
    .filter(Boolean);

// The administrator's guide repeats the column tables in its own words; its header lists and
// required marks must still be exactly what the code accepts.
it("docs/administrators.md lists every kind's columns and header aliases as the code accepts them", async () => {
  const doc = await readFile(new URL("../../../../docs/administrators.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("### Columns"), doc.indexOf("\n## ", doc.indexOf("### Columns")));
  const documented: Record<string, { column: string; aliases: string[]; required: boolean }[]> = {};
  const seen = new Map<string, string[]>();
  let kind = "";
  for (const line of section.split("\n")) {
    const heading = /^\*\*`([a-z-]+)`\*\*/.exec(line);
    if (heading) kind = heading[1]!;
    else if (kind && line.startsWith("|") && !/^\|[\s|-]+\|$/.test(line)) {
      const [column, accepted, required] = line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
      if (column === "column") continue;
      const name = column!.replace(/^`|`$/g, "");
      const aliases =
        accepted === "as above" ? (seen.get(name) ?? ["(nothing above)"]) : headerList(accepted!);
      seen.set(name, aliases);
      const rows = documented[kind] ?? [];
      rows.push({ column: name, aliases, required: /^yes\b/.test(required!) });
      documented[kind] = rows;
    }
  }
  const expected: Record<string, { column: string; aliases: string[]; required: boolean }[]> = {};
  for (const spec of Object.values(KIND_SPECS)) {
    expected[spec.kind] = spec.columns.map((c) => ({
      column: c.name,
      aliases: [...c.aliases],
      required: c.required ?? false,
    }));
  }
  expect(documented).toEqual(expected);
});

// The command line's help and its check of a kind use the list, which loads no importer.
it("IMPORT_KINDS names every importer, in the order of KIND_SPECS", () => {
  expect([...IMPORT_KINDS]).toEqual(Object.keys(KIND_SPECS));
});
