/**
 * embedders.md's table of exports names every runtime export of @pingyi/engine, and nothing the
 * package does not export: an embedder reads it to learn what the package offers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as engine from "@pingyi/engine";
import { expect, it } from "vitest";

it("embedders.md's table of exports lists exactly the engine's runtime exports", () => {
  const guide = readFileSync(join(import.meta.dirname, "embedders.md"), "utf8");
  const start = guide.indexOf("## Everything the package exports");
  expect(start).toBeGreaterThan(0);
  const end = guide.indexOf("\n## ", start + 1);
  const table = guide
    .slice(start, end)
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| area"));
  // The table's second column: its names, each in backticks.
  const listed = table.flatMap((row) =>
    [...(row.split(" | ")[1] ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]!),
  );
  expect(listed.length).toBeGreaterThan(0);
  expect([...listed].sort()).toEqual(Object.keys(engine).sort());
});
