import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The engine's test files share one module graph per worker (`isolate: false`): the engine is
 * pure, and evaluating its modules again for each of ~90 files was two thirds of the project's
 * time (99 s to 62 s alone, on each Node the suite runs on). A file that replaces a module or a
 * global (vi.mock and kin) would leak into the files after it, or find the real module already
 * loaded: such files are found here and run isolated, in "engine-isolated".
 */
const ENGINE_SRC = fileURLToPath(new URL("packages/engine/src/", import.meta.url));
const REPLACES_MODULES = /\bvi\.(mock|doMock|unmock|stubGlobal|stubEnv|useFakeTimers)\(/;
const engineIsolated = readdirSync(ENGINE_SRC, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".test.ts") && REPLACES_MODULES.test(readFileSync(join(ENGINE_SRC, f), "utf8")))
  .map((f) => `src/${f.split("\\").join("/")}`);

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
      {
        extends: true,
        test: {
          name: "engine",
          root: "packages/engine",
          include: ["src/**/*.test.ts"],
          exclude: engineIsolated,
          isolate: false,
        },
      },
      // Always declared, so that `--project "engine*"` names both; empty when no file mocks.
      { extends: true, test: { name: "engine-isolated", root: "packages/engine", include: engineIsolated } },
      {
        extends: true,
        test: {
          name: "gateway",
          root: "packages/gateway",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Transpiles the command line that the tests start as processes (test/cli-build.ts).
          globalSetup: ["test/global-setup.ts"],
        },
      },
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
          exclude: ["**/node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      // Browser tests of the web console: builds it with Vite, drives Debian's Chromium (playwright-core).
      {
        extends: true,
        test: {
          name: "console",
          root: "packages/console",
          include: ["test/**/*.test.ts", "src/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A page reached through a real gateway can take seconds to settle on a loaded 2-core
          // machine; vitest's 1 s default failed a passing flow there. A wrong page still fails.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
