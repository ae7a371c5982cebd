import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { pack } from "./pack.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The engine packed as it is published (`pnpm pack`, its prepack build included). */
    engineTarball: string;
  }
}

/**
 * Packs the engine once for both files: each packed it on its own, a TypeScript build of the
 * engine apiece (~12 s on a loaded 2-core machine), in a part of CI that runs one file at a time.
 * The tarball is read, never written, by the files that install it.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "pingyi-packed-engine-"));
  project.provide("engineTarball", pack("packages/engine", dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
