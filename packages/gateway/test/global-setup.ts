import type { TestProject } from "vitest/node";
import { buildTestCli } from "./cli-build.js";

/** Once per test run of the gateway project, before any of its files. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide("testCli", await buildTestCli());
}
