import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Replacing a module needs a module graph of the file's own: see `sharedModules`. */
const REPLACES_MODULES = /\bvi\.(mock|doMock|unmock)\(/;

/** The test files under `root`'s `dirs` that replace a module, as paths from `root`. */
function replacingModules(root: string, dirs: readonly string[]): string[] {
  const base = fileURLToPath(new URL(`${root}/`, import.meta.url));
  return dirs.flatMap((dir) =>
    readdirSync(join(base, dir), { recursive: true, encoding: "utf8" })
      .filter(
        (f) => f.endsWith(".test.ts") && REPLACES_MODULES.test(readFileSync(join(base, dir, f), "utf8")),
      )
      .map((f) => `${dir}/${f.split(sep).join("/")}`),
  );
}

function setupFile(name: string): string {
  return fileURLToPath(new URL(`scripts/${name}`, import.meta.url));
}

/**
 * A package's tests as a project whose files share one module graph per worker
 * (`isolate: false`). Evaluating the package's modules again for every file was most of the
 * time of the engine's ~90 files and of the gateway's ~75 (the engine alone: 99 s to 59 s; eight
 * gateway files: 60 s to 39 s; the console's 80 files of unit tests: 49 s to 28 s, 67 s of CPU to
 * 23 s), and the engine and part of the gateway run on three Nodes in CI.
 * Spies, and what vi.stubEnv and vi.stubGlobal changed, are put back before each test, so that
 * one file's cannot reach the next; what a file set in `process.env` directly is put back after
 * it (scripts/vitest-restore-env.ts). A file that replaces a module (vi.mock and kin) would leak
 * the replacement into the files after it, or find the real module already loaded: such files
 * run in "<name>-isolated", a graph each (made only when there is such a file).
 * `--project 'engine*'` names both.
 */
function sharedModules(
  test: { name: string; root: string; dirs: readonly string[] } & Record<string, unknown>,
) {
  const { dirs, ...options } = test;
  const isolated = replacingModules(test.root, dirs);
  const include = dirs.map((dir) => `${dir}/**/*.test.ts`);
  return [
    {
      extends: true,
      test: {
        ...options,
        include,
        exclude: isolated,
        isolate: false,
        setupFiles: [setupFile("vitest-restore-env.ts"), setupFile("vitest-fast-check.ts")],
        restoreMocks: true,
        unstubEnvs: true,
        unstubGlobals: true,
      },
    },
    ...(isolated.length > 0
      ? [
          {
            extends: true,
            test: {
              ...options,
              name: `${test.name}-isolated`,
              include: isolated,
              setupFiles: [setupFile("vitest-fast-check.ts")],
            },
          },
        ]
      : []),
  ];
}

// One root config so `pnpm test` runs every package; each package is a project.
// The "@pingyi/source" condition makes workspace imports resolve to live TypeScript
// source, so tests never need a build step.
export default defineConfig({
  resolve: { conditions: ["@pingyi/source", "module", "node", "development|production"] },
  ssr: { resolve: { conditions: ["@pingyi/source", "module", "node", "development|production"] } },
  test: {
    // Vitest's default is one worker fewer than the cores, which on a 2-core CI machine runs every
    // file one after another. Most of the slow files wait on child processes, servers and
    // PGlite rather than compute, so two workers there roughly halve the run.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A hang guard, not a speed target (speed is for `pnpm bench`): with two workers on 2 cores
    // the engine's brute-force sweep checks take 4–6 s, past vitest's 5 s default.
    testTimeout: 60_000,
    projects: [
      ...sharedModules({ name: "engine", root: "packages/engine", dirs: ["src"] }),
      ...sharedModules({
        name: "gateway",
        root: "packages/gateway",
        dirs: ["src", "test"],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        // Transpiles the command line that the tests start as processes (test/cli-build.ts).
        globalSetup: ["test/global-setup.ts"],
      }),
      {
        extends: true,
        test: {
          name: "examples",
          root: "examples",
          include: ["**/*.test.ts"],
          exclude: ["**/node_modules/**"],
        },
      },
      { extends: true, test: { name: "docs", root: "docs", include: ["**/*.test.ts"] } },
      // Packs and installs the engine from npm's point of view; slow (~20 s), so its own project.
      {
        extends: true,
        test: {
          name: "checks",
          root: "checks",
          include: ["**/*.test.ts"],
          // Packs the engine once for both files (package-smoke/global-setup.ts).
          globalSetup: ["package-smoke/global-setup.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      // Browser tests of the web console: builds it with Vite, drives Debian's Chromium (playwright-core).
      ...sharedModules({
        name: "console",
        root: "packages/console",
        dirs: ["test", "src"],
        // The migrated database image the browser tests' gateways open (test/global-setup.ts).
        globalSetup: ["test/global-setup.ts"],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        // A page reached through a real gateway can take seconds to settle on a loaded 2-core
        // machine; vitest's 1 s default failed a passing flow there. A wrong page still fails.
        expect: { poll: { timeout: 10_000 } },
      }),
    ],
  },
});
