import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "./ranking-table.js";

const here = import.meta.dirname;
const seed = (f: string) => join(here, "..", "city-review", f);
const tsx = createRequire(import.meta.url).resolve("tsx");

// Runs the program as a user would, in its own process, through the live engine source.
function rank(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--conditions=@pingyi/source", "--import", tsx, join(here, "rank.ts"), ...args],
    {
      encoding: "utf8",
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the embed-engine example", () => {
  it("prints the seed year's ranking with the reported unit at 84.20, ninth", () => {
    const r = rank(seed("scheme-2018.json"), seed("dataset-2018.json"));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("84.20");
    const row = r.stdout.split("\n").find((l) => l.includes("市市场监督管理局"))!;
    expect(row.trim().split(/\s+/).slice(0, 6)).toEqual([
      "9",
      "市市场监督管理局",
      "26.40",
      "26.94",
      "30.86",
      "84.20",
    ]);
    expect(r.stdout).toContain("29 of 29 units ranked");
  }, 30_000);

  it("refuses a group the scheme does not have, naming its groups", () => {
    const r = rank(seed("scheme-2019.json"), seed("dataset-2019.json"), "--group", "nope");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^--group: no group 'nope' in .*scheme-2019\.json; its groups are law-enforcement/,
    );
  }, 30_000);

  it("lines columns up under CJK names", () => {
    const r = rank(seed("scheme-2019.json"), seed("dataset-2019.json"));
    const rows = r.stdout.split("\n").filter((l) => /^ +\d+ {2}/.test(l));
    // Where the fourth number (the total) starts, in terminal columns.
    const totalColumn = (l: string) => displayWidth(l.slice(0, [...l.matchAll(/\d+\.\d\d/g)][3]!.index));
    expect(rows).toHaveLength(29);
    expect(new Set(rows.map(totalColumn)).size).toBe(1);
  }, 30_000);

  it("lists every problem of an invalid dataset and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "pingyi-embed-"));
    try {
      const bad = join(dir, "dataset.json");
      writeFileSync(
        bad,
        JSON.stringify({
          units: [{ id: "X", name: "X", group: "nope" }],
          scores: [{ unit: "Y", category: "business", value: 1 }],
        }),
      );
      const r = rank(seed("scheme-2018.json"), bad);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain('units[0].group: unit "X": unknown group "nope"');
      expect(r.stderr).toContain('scores[0].unit: score in category "business": unknown unit "Y"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("counts CJK characters as two columns", () => {
    expect(displayWidth("市局 A")).toBe(6);
  });
});
