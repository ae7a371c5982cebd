#!/usr/bin/env node
// `pnpm start`: builds the web console once (if it has not been built) and starts the
// gateway on the embedded database. Extra arguments go to `pingyi serve`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const pnpm = ["-y", "pnpm@10"];
if (!existsSync("packages/console/dist/index.html")) {
  const built = spawnSync("npx", [...pnpm, "--filter", "@pingyi/console", "build"], { stdio: "inherit" });
  if (built.status !== 0)
    console.warn("[start] the console could not be built; the GraphQL API starts without it");
}
const gateway = spawn("npx", [...pnpm, "--filter", "@pingyi/gateway", "start", ...process.argv.slice(2)], {
  stdio: "inherit",
});
// Pass stop signals on, so the gateway's graceful shutdown runs.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => gateway.kill(signal));
gateway.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
