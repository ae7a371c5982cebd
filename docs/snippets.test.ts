/**
 * Docs that cannot drift: every ```ts block in README.md and docs/*.md is type-checked and
 * executed, and every ```json block that declares "categories" is compiled as a scheme. A block
 * fenced as ```ts no-run is shown but neither checked nor executed (e.g. a snippet that starts a server).
 *
 * A comment `// prints: <text>` states what a `console.log` prints, at the end of its line or on
 * the lines after it (one per call, for a log in a loop); the text up to an optional " — "
 * (commentary) must be exactly what the call printed. Other comments are the reader's.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { compileScheme } from "@pingyi/engine";
import { afterAll, describe, expect, it, vi } from "vitest";

const root = join(import.meta.dirname, "..");
const out = join(import.meta.dirname, ".snippets");
const files = [
  join(root, "README.md"),
  ...readdirSync(import.meta.dirname)
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(import.meta.dirname, f)),
];

interface Block {
  lang: string;
  info: string;
  code: string;
  line: number;
}

/** What each `console.log` line of a snippet must print, by its line in the snippet, in call order. */
function statedOutputs(code: string): Map<number, string[]> {
  const stated = new Map<number, string[]>();
  let logLine = 0;
  code.split("\n").forEach((text, i) => {
    if (text.includes("console.log(")) logLine = i + 1;
    const m = /\/\/ prints: (.*)$/.exec(text);
    if (!m) return;
    if (!logLine) throw new Error(`line ${i + 1}: "// prints:" with no console.log before it`);
    const expected = m[1]!.split(" — ")[0]!.trimEnd();
    stated.set(logLine, [...(stated.get(logLine) ?? []), expected]);
  });
  return stated;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const re = /^```(\w+)([^\n]*)\n([\s\S]*?)^```/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    found.push({
      lang: m[1]!,
      info: m[2]!.trim(),
      code: m[3]!,
      line: markdown.slice(0, m.index).split("\n").length,
    });
  }
  return found;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
afterAll(() => rmSync(out, { recursive: true, force: true }));

for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue;
  }
  const name = relative(root, file);
  const all = blocks(text);
  const runnable = all.filter(
    (b) => (b.lang === "ts" || b.lang === "typescript") && !b.info.includes("no-run"),
  );
  const schemes = all.filter(
    (b) => b.lang === "json" && /"categories"\s*:/.test(b.code) && !b.info.includes("no-run"),
  );
  if (runnable.length === 0 && schemes.length === 0) continue;
  describe(name, () => {
    for (const b of runnable) {
      // Written now, not in the test: the type check below reads every snippet at once.
      const path = join(out, `${name.replace(/[^\w]/g, "_")}_${b.line}.ts`);
      writeFileSync(path, b.code);
      const stated = statedOutputs(b.code);
      it(`runs the TypeScript snippet at line ${b.line}`, async () => {
        // Each call's line in the snippet, from its stack (vitest maps it back to the source).
        const printed = new Map<number, string[]>();
        const where = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):`);
        const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
          const line = Number(where.exec(String(new Error().stack))?.[1] ?? 0);
          printed.set(line, [...(printed.get(line) ?? []), format(...args)]);
        });
        try {
          await import(pathToFileURL(path).href);
        } finally {
          log.mockRestore();
        }
        for (const [line, expected] of stated) {
          const got = (printed.get(line) ?? []).slice(0, expected.length);
          expect(got, `${name}:${b.line + line}: what the console.log there prints`).toEqual(expected);
        }
      }, 60_000);
    }
    for (const b of schemes) {
      it(`compiles the scheme at line ${b.line}`, () => {
        expect(() => compileScheme(JSON.parse(b.code))).not.toThrow();
      });
    }
  });
}

/**
 * Running a snippet strips its types without checking them, so a snippet an embedder's `tsc`
 * refuses would still pass above. Checked with the project's own settings (strict, and
 * `noUncheckedIndexedAccess`), which are stricter than most embedders'; `@pingyi/engine` resolves
 * to its source, as the tests run it.
 */
describe("TypeScript snippets", () => {
  it("type-check under the project's strict settings", () => {
    writeFileSync(
      join(out, "tsconfig.json"),
      JSON.stringify({
        extends: "../../tsconfig.base.json",
        compilerOptions: { noEmit: true, types: ["node"], declaration: false, declarationMap: false },
        include: ["*.ts"],
      }),
    );
    const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", out], { encoding: "utf8" });
    // Paths in tsc's output name the Markdown file and the block's line (README_md_120.ts).
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 120_000);
});
