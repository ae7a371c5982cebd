import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/pingyi.mjs", import.meta.url));

/** The pids of `pid`'s children, from /proc (Linux, as CI). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * In the workspace, `pingyi` runs the command as its child (through tsx). A command stopped by a
 * signal must end the `pingyi` process by that signal, so a script's `pingyi import … && next`
 * stops there; it used to exit 0 without a word.
 */
describe.runIf(process.platform === "linux")("pingyi stopped by a signal", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("ends by %s, not with status 0", async (signal) => {
    const cli = spawn(process.execPath, [bin, "schema"], { stdio: "ignore" });
    // Wait for the command's own process, so the signal is the one forwarded to it.
    const deadline = Date.now() + 20_000;
    while (childrenOf(cli.pid!).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(childrenOf(cli.pid!)).toHaveLength(1);
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      cli.on("exit", (code, s) => resolve({ code, signal: s })),
    );
    cli.kill(signal);
    expect(await ended).toEqual({ code: null, signal });
  });
});
