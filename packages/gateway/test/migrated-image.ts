import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "../src/store/migrate.js";
import { writePgliteImage } from "../src/store/test-pglite-image.js";

/** Shared by every project's global setup in this process: one image a run, not one a project. */
const KEY = Symbol.for("pingyi.migratedPgliteImage");
type Shared = { [KEY]?: Promise<string> };

/**
 * Provides `migratedPglite` (helpers.ts) to `project`'s files: the image of a new embedded
 * database with every migration applied, written once for the whole run, which
 * openMigratedPglite opens in place of making one per worker or per file. Returns the global
 * setup's teardown.
 */
export async function provideMigratedPglite(project: TestProject): Promise<() => Promise<void>> {
  const shared = globalThis as Shared;
  shared[KEY] ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "pingyi-image-"));
    const path = join(dir, "migrated.tar");
    await writePgliteImage(path, migrate);
    return path;
  })();
  const path = await shared[KEY];
  project.provide("migratedPglite", path);
  return () => rm(join(path, ".."), { recursive: true, force: true });
}
