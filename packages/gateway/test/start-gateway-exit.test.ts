import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * How `pnpm start` ends when its gateway does. The repository's layout in a temporary directory:
 * the script itself, a console build newer than its sources (so nothing is built) and a gateway
 * that says it started, then kills itself as FAKE_GATEWAY says or waits to be stopped.
 */
describe.runIf(process.platform === "linux")("pnpm start's exit status (scripts/start.mjs)", () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "pingyi-start-exit-"));
    await mkdir(join(root, "scripts"));
    await copyFile(join(repo, "scripts/start.mjs"), join(root, "scripts/start.mjs"));
    await mkdir(join(root, "packages/gateway/src/cli"), { recursive: true });
    await symlink(join(repo, "node_modules"), join(root, "node_modules"), "dir");
    await writeFile(
      join(root, "packages/gateway/src/cli/main.ts"),
      [
        'console.log("gateway started");',
        "const signal = process.env.FAKE_GATEWAY;",
        "if (signal) process.kill(process.pid, signal);",
        "else setInterval(() => {}, 1000);",
      ].join("\n"),
    );
    const consoleDir = join(root, "packages/console");
    await mkdir(join(consoleDir, "src"), { recursive: true });
    await mkdir(join(consoleDir, "dist"), { recursive: true });
    await writeFile(join(consoleDir, "src/page.tsx"), "export {};\n");
    const past = new Date(Date.now() - 60_000);
    await utimes(join(consoleDir, "src/page.tsx"), past, past);
    await writeFile(join(consoleDir, "dist/index.html"), "<!doctype html>");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** Starts the script; `whenStarted` runs once the gateway has said it started. */
  const start = (env: Record<string, string>, whenStarted: (pid: number) => void = () => {}) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      const script = spawn(process.execPath, [join(root, "scripts/start.mjs")], {
        cwd: root,
        env: { ...process.env, npm_execpath: "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      script.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      script.stdout.on("data", (d: Buffer) => {
        if (d.toString().includes("gateway started")) whenStarted(script.pid!);
      });
      const guard = setTimeout(() => script.kill("SIGKILL"), 30_000);
      script.on("exit", (code, signal) => {
        clearTimeout(guard);
        resolve({ code, signal, stderr });
      });
    });

  it("fails, naming the signal, when the gateway is killed (kill -KILL, the OOM killer)", async () => {
    const r = await start({ FAKE_GATEWAY: "SIGKILL" });
    // 128 + 9, as a shell reports it: a supervisor's Restart=on-failure restarts it.
    expect(r).toEqual({ code: 137, signal: null, stderr: "[start] the gateway was killed by SIGKILL\n" });
  });

  it("fails when the gateway dies of a SIGTERM that did not come through the script", async () => {
    const r = await start({ FAKE_GATEWAY: "SIGTERM" });
    expect(r.code).toBe(143);
    expect(r.stderr).toContain("the gateway was killed by SIGTERM");
  });

  it("ends with 0 when the gateway stops on the SIGTERM the script passed on", async () => {
    const r = await start({}, (pid) => process.kill(pid, "SIGTERM"));
    expect(r).toEqual({ code: 0, signal: null, stderr: "" });
  });
});
