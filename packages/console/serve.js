// Node-side entry for the gateway: where the built console is. Plain JS so the gateway can import
// it from source and from npm alike without a build step.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built console's directory (with index.html), or null when it has not been built. */
export function consoleDir() {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "dist");
  return existsSync(join(dir, "index.html")) ? dir : null;
}
