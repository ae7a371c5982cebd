import type { TestProject } from "vitest/node";
import { buildTestCli } from "./cli-build.js";
import { provideMigratedPglite } from "./migrated-image.js";

/** Once per test run of the gateway project, before any of its files. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [cli, removeImage] = await Promise.all([buildTestCli(), provideMigratedPglite(project)]);
  project.provide("testCli", cli);
  return removeImage;
}
