import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, version as esbuildVersion } from "esbuild";

/**
 * The command line as the tests run it: the gateway's and the engine's sources transpiled to
 * JavaScript once per test run, as tsx would transpile them module by module.
 *
 * Why: the tests start ~100 CLI and gateway processes. Through bin/pingyi.mjs each one loads
 * ~900 modules through tsx's loader, whose hooks run on another thread (a round trip per
 * module): 2–4 s a process on a loaded 2-core machine, against about half that from plain
 * JavaScript. The tests that are about bin/pingyi.mjs itself (signals, the workspace start)
 * still run it.
 *
 * The output sits beside each package's src/ (`.test-cli-<hash>/`), at src/'s depth, because
 * the gateway finds the example year and its migrations relative to its own files. The hash is
 * of every source file, this file, the Node release and esbuild's version: a run reuses an
 * output only when nothing it was built from changed, and two runs at once never write one
 * another's files.
 */
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const PACKAGES = ["engine", "gateway"] as const;
/** Outputs of earlier sources are removed after this long (a run still using one is done by then). */
const STALE_MS = 6 * 60 * 60 * 1000;

/** A package's modules (its TypeScript under src/ but tests and declarations), in one order for the hash. */
function sources(pkg: string): string[] {
  const src = join(REPO, "packages", pkg, "src");
  return readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => join(src, f));
}

/** Builds (or finds) the transpiled CLI and returns the path of its entry, cli/main.js. */
export async function buildTestCli(): Promise<string> {
  const files = Object.fromEntries(PACKAGES.map((pkg) => [pkg, sources(pkg)]));
  // This file too: a change to how the output is made makes another output.
  const hash = createHash("sha256")
    .update(`${process.version}\0${esbuildVersion}\0`)
    .update(readFileSync(fileURLToPath(import.meta.url)));
  for (const pkg of PACKAGES)
    for (const file of files[pkg]!) hash.update(`${relative(REPO, file)}\0`).update(readFileSync(file));
  const id = `.test-cli-${hash.digest("hex").slice(0, 16)}`;
  const outDir = (pkg: string) => join(REPO, "packages", pkg, id);
  const entry = join(outDir("gateway"), "cli", "main.js");
  removeStale(id);
  // The gateway's output is renamed into place last: when it is there, the engine's is too.
  if (existsSync(entry)) return entry;
  const engineIndex = pathToFileURL(join(outDir("engine"), "index.js")).href;
  for (const pkg of PACKAGES) {
    const src = join(REPO, "packages", pkg, "src");
    const result = await build({
      entryPoints: files[pkg]!,
      outbase: src,
      outdir: outDir(pkg),
      write: false,
      format: "esm",
      platform: "node",
      // As tsx transpiles: for the running Node, and with functions keeping their names.
      target: `node${process.versions.node}`,
      keepNames: true,
      // None: the processes run without --enable-source-maps, and a stack frame in
      // .test-cli-…/store/db.js names its source (src/store/db.ts) as it is.
      sourcemap: false,
      logLevel: "silent",
    });
    const tmp = `${outDir(pkg)}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    for (const file of result.outputFiles) {
      const target = join(tmp, relative(outDir(pkg), file.path));
      mkdirSync(dirname(target), { recursive: true });
      // The gateway's only workspace import resolves to the engine's transpiled files, not its
      // src/ (which needs tsx) nor its dist/ (which may not be built, or be stale).
      const text =
        pkg === "gateway" ? file.text.replaceAll('"@pingyi/engine"', JSON.stringify(engineIndex)) : file.text;
      writeFileSync(target, text);
    }
    try {
      renameSync(tmp, outDir(pkg));
    } catch (e) {
      // Another run built the same sources first: its output is the same as ours.
      if (!existsSync(outDir(pkg))) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return entry;
}

/** Removes outputs of other sources once they are old, and leftovers of interrupted builds. */
function removeStale(current: string): void {
  const now = Date.now();
  for (const pkg of PACKAGES) {
    const root = join(REPO, "packages", pkg);
    for (const name of readdirSync(root)) {
      if (!name.startsWith(".test-cli-") || name === current) continue;
      const path = join(root, name);
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    }
  }
}
