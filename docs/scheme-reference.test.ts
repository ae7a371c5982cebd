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
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const obj = node as Record<string, unknown>;
    if (obj.properties && typeof obj.properties === "object")
      for (const [name, prop] of Object.entries(obj.properties as Record<string, { default?: unknown }>)) {
        if (prop === null || typeof prop !== "object" || !("default" in prop)) continue;
        // Lists and objects (`[]`, `{ "tieBreakers": [] … }`) are the top-level table's, or their
        // fields' defaults stated one by one.
        if (typeof prop.default === "object" && prop.default !== null) continue;
        const value = JSON.stringify(prop.default);
        if (!stated.get(name)?.has(value)) missing.push(`${name}: ${value}`);
      }
    for (const v of Object.values(obj)) walk(v);
  };
  walk(schemeJsonSchema());
  expect([...new Set(missing)]).toEqual([]);
});
