import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCli } from "./helpers.js";

const BIN = testCli();

/** Runs the command line; a gateway that starts after all is stopped, not left behind. */
function run(env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("listening on")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), 40_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * An operator who moves to an identity provider and leaves the old secret in the environment
 * must be told at start, not find out which key the gateway chose when tokens are refused or,
 * worse, accepted.
 */
describe("pingyi serve with two JWT key settings", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-jwt-keys-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuses to start, naming both, before the data directory is created", async () => {
    const data = join(dir, "data");
    const r = await run(
      {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: "silent",
        PORT: "0",
        PINGYI_DATA_DIR: data,
        PINGYI_JWT_SECRET: "an-old-secret-that-is-long-enough-for-hs256",
        PINGYI_JWT_JWKS: "https://id.example/.well-known/jwks.json",
        PINGYI_JWT_AUDIENCE: "pingyi",
      },
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PINGYI_JWT_SECRET, PINGYI_JWT_JWKS: both are set.*keep one/);
    expect(r.stdout).not.toMatch(/listening on/);
    expect(existsSync(data)).toBe(false);
  }, 60_000);
});
