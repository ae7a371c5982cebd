import { readFileSync } from "node:fs";
import { join } from "node:path";
import { schemeJsonSchema } from "@pingyi/engine";
import { expect, it } from "vitest";

// The scheme reference must mention every field the engine accepts, so a new field cannot
// ship undocumented.
it("docs/scheme.md names every field of the scheme's JSON Schema", () => {
  const doc = readFileSync(join(import.meta.dirname, "scheme.md"), "utf8");
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const obj = node as Record<string, unknown>;
    if (obj.properties && typeof obj.properties === "object")
      for (const k of Object.keys(obj.properties)) names.add(k);
    for (const v of Object.values(obj)) walk(v);
  };
  walk(schemeJsonSchema());
  const missing = [...names].filter((n) => !doc.includes(`\`${n}\``) && !doc.includes(`"${n}"`));
  expect(missing).toEqual([]);
});
