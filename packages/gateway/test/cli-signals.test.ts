import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { testCli } from "./helpers.js";

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

/**
 * A terminal that closes sends its gateway SIGHUP (and bin/pingyi.mjs forwards it): a request to
 * stop, which used to end the process on the spot, with no "stopped" line and the data
 * directory's lock left behind.
 */
describe.runIf(process.platform !== "win32")("pingyi serve sent SIGHUP", () => {
  it("shuts down as for SIGTERM", async () => {
    // The transpiled command line: this is about what serve does with the signal, not bin's
    // forwarding. A database in memory, the cheapest to start: "stopped" is logged once the store
    // is closed, which is what gives a data directory's lock back.
    const gateway = spawn(process.execPath, [testCli(), "serve"], {
      env: {
        ...process.env,
        NODE_ENV: "development",
        PORT: "0",
        PINGYI_DATA_DIR: "memory://",
        PINGYI_SEED: "false",
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        gateway.on("exit", (code, signal) => resolve({ code, signal })),
      );
      await new Promise<void>((resolve, reject) => {
        const read = (d: Buffer) => {
          output += d.toString();
          if (output.includes('"msg":"listening"')) resolve();
        };
        gateway.stdout.on("data", read);
        gateway.stderr.on("data", read);
        void ended.then(() => reject(new Error(`serve ended before it listened:\n${output}`)));
      });
      gateway.kill("SIGHUP");
      expect(await ended).toEqual({ code: 0, signal: null });
      const messages = output
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { msg: string; signal?: string });
      expect(messages.filter((m) => m.signal).map((m) => [m.msg, m.signal])).toEqual([
        ["shutting down", "SIGHUP"],
        ["stopped", "SIGHUP"],
      ]);
    } finally {
      gateway.kill("SIGKILL");
    }
  }, 60_000);
});
