import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkPackedPackage, importSpecifiers, type PackedPackage } from "./manifest-checks.js";
import { consumerProject, nodeRun, npm, remove, typecheck, unpack, workspaceRoot } from "./pack.js";

const seed = (f: string) => join(workspaceRoot, "examples", "city-review", f);
const fixture = (f: string) => join(import.meta.dirname, "consumer", f);

describe("@pingyi/engine as npm consumers get it", () => {
  let work: string;
  let tarball: string;
  let packed: PackedPackage;
  let consumer: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "pingyi-pack-"));
    tarball = inject("engineTarball");
    packed = unpack(tarball, work);
    consumer = consumerProject(tarball, {
      "import.mjs": fixture("import.mjs"),
      "check.ts": fixture("check.ts"),
      "tsconfig.json": fixture("tsconfig.json"),
      "scheme-2018.json": seed("scheme-2018.json"),
      "dataset-2018.json": seed("dataset-2018.json"),
    });
  }, 120_000);
  afterAll(() => remove(work, consumer));

  it("passes the publint/are-the-types-wrong style checks", () => {
    expect(checkPackedPackage(packed, { pure: true })).toEqual([]);
  });

  it("ships dist, README and LICENSE only, without the workspace's source condition", () => {
    expect(packed.files.filter((f) => !f.startsWith("dist/"))).toEqual([
      "LICENSE",
      "README.md",
      "package.json",
    ]);
    expect(packed.read("LICENSE")).toBe(readFileSync(join(workspaceRoot, "LICENSE"), "utf8"));
    expect(packed.manifest.license).toBe("MIT");
    expect(JSON.stringify(packed.manifest.exports)).not.toContain("@pingyi/source");
    expect(packed.manifest).not.toHaveProperty("publishConfig");
    expect(packed.manifest.version).toBe(
      JSON.parse(readFileSync(join(workspaceRoot, "packages/engine/package.json"), "utf8")).version,
    );
  });

  it("imports in plain Node and scores the seed year's unit 84.20, 9th of 29", () => {
    const seen = JSON.parse(nodeRun(consumer, "import.mjs"));
    expect(seen).toMatchObject({
      version: packed.manifest.version,
      total: "84.20",
      rank: 9,
      rankedInGroup: 29,
      categories: ["26.40", "26.94", "30.86"],
    });
    expect(seen.summary).toContain("above");
    expect(seen.issues).toBeGreaterThan(0);
  });

  it("runs each of the README's examples as npm readers would paste it", () => {
    const examples = [...packed.read("README.md").matchAll(/^```js\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
    // The first evaluation, then what-if.
    expect(examples).toHaveLength(2);
    examples.forEach((example, k) => {
      expect(example).toContain("@pingyi/engine");
      writeFileSync(join(consumer, `readme-example-${k}.mjs`), example);
      expect({ k, out: nodeRun(consumer, `readme-example-${k}.mjs`) }).toEqual({ k, out: "" });
    });
  });

  it("type-checks a consumer with moduleResolution nodenext", () => {
    expect(typecheck(consumer)).toBe("");
  });
});

// npm ignores publishConfig and keeps workspace: ranges, so its tarball would not install:
// prepack refuses it, loudly, before building anything.
describe("packing with npm", () => {
  it("is refused with a message pointing at pnpm", () => {
    let failure = "";
    try {
      npm(join(workspaceRoot, "packages/engine"), ["pack", "--dry-run"]);
    } catch (e) {
      failure = String((e as { stderr?: string }).stderr ?? e);
    }
    expect(failure).toContain("@pingyi/engine: pack and publish it with pnpm");
  });
});

// The checks themselves must catch what they claim to, or a green run means nothing.
describe("the manifest checks", () => {
  const good = {
    name: "x",
    type: "module",
    sideEffects: false,
    engines: { node: ">=20" },
    dependencies: { zod: "^4" },
    exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
  };
  const files = ["package.json", "dist/index.js", "dist/index.d.ts", "dist/a.js"];
  const sources: Record<string, string> = {
    "dist/index.js": 'import { z } from "zod";\nexport { a } from "./a.js";\n',
    "dist/index.d.ts": 'export { a } from "./a.js";\n',
    "dist/a.js": "export const a = 1;\n",
  };
  const pkg = (manifest: object, extra: string[] = [], more: Record<string, string> = {}): PackedPackage => ({
    manifest: manifest as Record<string, unknown>,
    files: [...files, ...extra],
    read: (p) => more[p] ?? sources[p] ?? "",
  });

  it("accept a well-formed package", () => {
    expect(checkPackedPackage(pkg(good), { pure: true })).toEqual([]);
  });

  it("reject a source condition pointing at files left out of the tarball", () => {
    const exports = { ".": { "@pingyi/source": "./src/index.ts", ...good.exports["."] } };
    expect(checkPackedPackage(pkg({ ...good, exports }))).toEqual([
      "exports . > @pingyi/source points at ./src/index.ts, which is not in the tarball",
    ]);
  });

  it("reject types after default, CommonJS, side effects and workspace ranges", () => {
    const problems = checkPackedPackage(
      pkg({
        ...good,
        type: "commonjs",
        sideEffects: true,
        dependencies: { zod: "workspace:*" },
        exports: { ".": { default: "./dist/index.js", types: "./dist/index.d.ts" } },
      }),
    );
    expect(problems).toEqual([
      '"type" is "commonjs", not "module"',
      '"sideEffects" is true, not false',
      'exports .: "types" is not the first condition',
      'exports .: "default" is not the last condition',
      'dependencies.zod is "workspace:*", unusable outside the workspace',
    ]);
  });

  it("reject shipped tests, unresolvable imports, undeclared and unused dependencies, node: in a pure package", () => {
    const problems = checkPackedPackage(
      pkg({ ...good, dependencies: { zod: "^4", lodash: "^4" } }, ["dist/x.test.js", "dist/b.js"], {
        "dist/b.js":
          'import "./missing";\nimport { readFileSync } from "node:fs";\nconst m = await import("mathjs");\n',
      }),
      { pure: true },
    );
    expect(problems).toEqual([
      "test or bench file shipped: dist/x.test.js",
      "dist/b.js imports ./missing, which is not in the tarball",
      "dist/b.js imports node:fs, but the package must not depend on Node",
      "dist/b.js imports mathjs, which is not a dependency",
      "dependency lodash is never imported",
    ]);
  });

  it("find static, side-effect, re-export and dynamic imports", () => {
    const code =
      'import a from "a";\nimport { b } from \'b\';\nexport * from "./c.js";\nimport "d";\nexport { e } from "e/sub";\nawait import("f");\n';
    expect(importSpecifiers(code)).toEqual(["a", "b", "./c.js", "d", "e/sub", "f"]);
    const prose =
      '/**\n * Throwing rolls the whole import back,\n * so "nothing" is half-written.\n */\n// the import\'s transaction, "then"\nimport g from "g";\n';
    expect(importSpecifiers(prose)).toEqual(["g"]);
    // A message that names an import is text, not a side-effect import.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compiled code's template literal, as text
    const message = "console.log(`removed import '${importId}' from cycle '${cycleId}'`);\nimport 'h';\n";
    expect(importSpecifiers(message)).toEqual(["h"]);
  });
});
