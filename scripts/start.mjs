#!/usr/bin/env node
// `pnpm start`: builds the web console when its build is missing or older than its sources, and
// starts the gateway on the embedded database. It takes no arguments: the gateway's settings are
// environment variables (`PORT=4001 pnpm start`; docs/configuration.md lists them).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pnpm = ["-y", "pnpm@10"];
const consoleRoot = `${root}packages/console`;
const built = `${consoleRoot}/dist/index.html`;

/**
 * The newest modification time among the files a console build reads, or 0 without sources (a
 * copy of the repository that ships a built console only). A `git pull` that changes a view
 * leaves the old build in place: served as is, the page would not be the code's.
 */
function newestSource() {
  const newest = (path) => {
    if (!existsSync(path)) return 0;
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
  };
  return Math.max(
    ...["src", "index.html", "vite.config.ts", "package.json"].map((f) => newest(join(consoleRoot, f))),
  );
}

/**
 * The pnpm that runs this script, when it does: npx started inside pnpm's environment reads the
 * npm_config_* settings pnpm sets and warns of each it does not know ("Unknown env config
 * verify-deps-before-run"), three lines on a newcomer's first start.
 */
const runningPnpm = /pnpm\.c?js$/.test(process.env.npm_execpath ?? "") ? process.env.npm_execpath : undefined;

// Refused before the console's build (a minute on a first start), as `pingyi serve` refuses them:
// `pnpm start --port 4001` passed them on, and the gateway answered only "unknown option --port".
if (process.argv.length > 2) {
  console.error(
    `[start] pnpm start takes no arguments (${process.argv.slice(2).join(" ")}): the gateway's settings are environment variables, as PORT=4001 pnpm start; docs/configuration.md lists them`,
  );
  process.exit(2);
}

const stale = !existsSync(built) || newestSource() > statSync(built).mtimeMs;
if (stale) {
  const [command, prefix] = runningPnpm ? [process.execPath, [runningPnpm]] : ["npx", pnpm];
  const build = spawnSync(command, [...prefix, "--filter", "@pingyi/console", "build"], {
    stdio: "inherit",
    cwd: root,
  });
  if (build.status !== 0)
    console.warn(
      existsSync(built)
        ? "[start] the console could not be rebuilt from its changed sources; serving the build made before them"
        : "[start] the console could not be built; the GraphQL API starts without it",
    );
}
// The gateway as this process's own child, not through npx and pnpm: npm exec dies on SIGTERM
// without passing it on, which left the gateway running and holding the data directory. The
// working directory is the gateway's, so the data is in packages/gateway/.pingyi as documented.
const gateway = spawn(
  process.execPath,
  ["--conditions=@pingyi/source", "--import", "tsx", "src/cli/main.ts", "serve"],
  { stdio: "inherit", cwd: `${root}packages/gateway` },
);
// Pass stop signals on, so the gateway's graceful shutdown runs.
const passedOn = new Set();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(signal, () => {
    passedOn.add(signal);
    gateway.kill(signal);
  });
gateway.on("exit", (code, signal) => process.exit(exitStatus(code, signal)));

/**
 * A gateway that died of a signal this script passed on was asked to stop: 0. Any other signal
 * (SIGKILL, the kernel's OOM killer) is a failure a supervisor must see, as a shell reports it
 * (128 + the signal's number), or Restart=on-failure would leave the gateway down.
 */
function exitStatus(code, signal) {
  if (code !== null) return code;
  if (signal === null) return 1;
  if (passedOn.has(signal)) return 0;
  console.error(`[start] the gateway was killed by ${signal}`);
  return 128 + (constants.signals[signal] ?? 0);
}
