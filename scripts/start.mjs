#!/usr/bin/env node
// `pnpm start`: builds the web console once (if it has not been built) and starts the
// gateway on the embedded database. Extra arguments go to `pingyi serve`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pnpm = ["-y", "pnpm@10"];
if (!existsSync(`${root}packages/console/dist/index.html`)) {
  const built = spawnSync("npx", [...pnpm, "--filter", "@pingyi/console", "build"], {
    stdio: "inherit",
    cwd: root,
  });
  if (built.status !== 0)
    console.warn("[start] the console could not be built; the GraphQL API starts without it");
}
// The gateway as this process's own child, not through npx and pnpm: npm exec dies on SIGTERM
// without passing it on, which left the gateway running and holding the data directory. The
// working directory is the gateway's, so the data is in packages/gateway/.pingyi as documented.
const gateway = spawn(
  process.execPath,
  ["--conditions=@pingyi/source", "--import", "tsx", "src/cli/main.ts", "serve", ...process.argv.slice(2)],
  { stdio: "inherit", cwd: `${root}packages/gateway` },
);
// Pass stop signals on, so the gateway's graceful shutdown runs.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => gateway.kill(signal));
gateway.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
