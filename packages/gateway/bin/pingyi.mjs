#!/usr/bin/env node
// Runs the built CLI when there is one (npm install); in the workspace, runs the TypeScript
// source through tsx with the @pingyi/source condition, so no build step is needed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const built = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const source = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

if (existsSync(source)) {
  const tsx = import.meta.resolve("tsx");
  const child = spawn(
    process.execPath,
    ["--conditions=@pingyi/source", "--import", tsx, source, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  // The child gets terminal signals itself; forward the ones sent to this process only.
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    // Dying of the child's signal tells the shell the command was stopped (`pingyi import … &&
    // next` must not go on). Our own forwarding listener would catch it and exit 0 instead.
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  await import(pathToFileURL(built).href);
}
