import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
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
