import type { TestProject } from "vitest/node";
import { provideMigratedPglite } from "../../gateway/test/migrated-image.js";

/**
 * Once per test run of the console project, before any of its files. Its files do not share
 * modules, so each browser test file's gateway made its own migrated database image: initdb
 * and every migration, 5–10 s of CPU a file.
 */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideMigratedPglite(project);
}
