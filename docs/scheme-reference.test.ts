import { readFileSync } from "node:fs";
import { join } from "node:path";
import { schemeJsonSchema } from "@pingyi/engine";
import { expect, it } from "vitest";

/** Every property the scheme's JSON Schema declares, at any depth, by name with its schema. */
function schemeProperties(): [string, unknown][] {
  const found: [string, unknown][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const obj = node as Record<string, unknown>;
    if (obj.properties && typeof obj.properties === "object") found.push(...Object.entries(obj.properties));
    for (const v of Object.values(obj)) walk(v);
  };
  walk(schemeJsonSchema());
  return found;
}

// The scheme reference must mention every field the engine accepts, so a new field cannot
// ship undocumented.
it("docs/scheme.md names every field of the scheme's JSON Schema", () => {
  const doc = readFileSync(join(import.meta.dirname, "scheme.md"), "utf8");
  const names = new Set(schemeProperties().map(([name]) => name));
  const missing = [...names].filter((n) => !doc.includes(`\`${n}\``) && !doc.includes(`"${n}"`));
  expect(missing).toEqual([]);
});

// Where practice varies the engine chooses a default, and the reference must say which: each
// field's default in the engine's schema is stated in the Defaults table beside its name.
it("docs/scheme.md's Defaults table states the default of every field that has one", () => {
  const doc = readFileSync(join(import.meta.dirname, "scheme.md"), "utf8");
  const section = doc.slice(doc.indexOf("### Defaults"), doc.indexOf("### How a unit's total is made"));
  const stated = new Map<string, Set<string>>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").slice(1, -1);
    if (cells.length !== 2) continue;
    const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const names = ticked(cells[0]!).map((n) => n.split(".").at(-1)!);
    const values = ticked(cells[1]!);
    names.forEach((name, i) => {
      const value = values[i];
      if (value === undefined) return;
      const set = stated.get(name) ?? new Set<string>();
      set.add(value.replace(/\s+/g, ""));
      stated.set(name, set);
    });
  }
  const missing: string[] = [];
  for (const [name, prop] of schemeProperties()) {
    if (prop === null || typeof prop !== "object" || !("default" in prop)) continue;
    // Lists and objects (`[]`, `{ "tieBreakers": [] … }`) are the top-level table's, or their
    // fields' defaults stated one by one.
    const { default: value } = prop as { default: unknown };
    if (typeof value === "object" && value !== null) continue;
    if (!stated.get(name)?.has(JSON.stringify(value))) missing.push(`${name}: ${JSON.stringify(value)}`);
  }
  expect([...new Set(missing)]).toEqual([]);
});
