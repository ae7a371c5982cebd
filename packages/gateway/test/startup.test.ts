import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startServer } from "../src/index.js";
import { openPostgres, Store } from "../src/store/index.js";
import { openTestDatabase } from "../src/store/test-backends.js";
import { backends, testConfig } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  it("two gateways starting together on one empty database seed it once, and both serve", async () => {
    const t = await openTestDatabase(backend);
    // On a server each process has its own pool; PGlite admits one process, so share its handle.
    const second = t.url ? new Store(await openPostgres(t.url)) : t.store;
    const config = testConfig();
    const started = await Promise.allSettled(
      [t.store, second].map((store) => startServer({ config, store, seed: true })),
    );
    try {
      expect(started.map((s) => (s.status === "rejected" ? String(s.reason) : s.status))).toEqual([
        "fulfilled",
        "fulfilled",
      ]);
      expect((await t.store.schemes.versions("city-review")).map((v) => v.version)).toEqual([1, 2]);
      for (const s of started) {
        if (s.status !== "fulfilled") continue;
        const token = await s.value.gateway.services.tokens.sign!({ role: "viewer", subject: "v" });
        const res = await fetch(`${s.value.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: "{ cycles { edges { node { id } } } }" }),
        });
        expect((await res.json()).data.cycles.edges).toEqual([
          { node: { id: "2019" } },
          { node: { id: "2018" } },
        ]);
      }
    } finally {
      for (const s of started) if (s.status === "fulfilled") await s.value.close(2000);
      if (second !== t.store) await second.close();
      await t.close();
    }
  });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("pnpm start (scripts/start.mjs)", () => {
  it("stops the gateway when it is sent SIGTERM itself, freeing the data directory", async () => {
    // The repository's layout in a temporary directory: the script itself, a console that counts
    // as built (so nothing is built here), and the gateway package.
    const root = await mkdtemp(join(tmpdir(), "pingyi-start-"));
    const repo = fileURLToPath(new URL("../../../", import.meta.url));
    await mkdir(join(root, "scripts"));
    await copyFile(join(repo, "scripts/start.mjs"), join(root, "scripts/start.mjs"));
    await mkdir(join(root, "packages/console/dist"), { recursive: true });
    await writeFile(join(root, "packages/console/dist/index.html"), "<!doctype html>");
    await symlink(join(repo, "packages/gateway"), join(root, "packages/gateway"), "dir");
    const data = join(root, "data");
    const child = spawn(process.execPath, [join(root, "scripts/start.mjs")], {
      cwd: root,
      env: { ...process.env, PORT: "0", PINGYI_DATA_DIR: data, PINGYI_SEED: "false", LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let gatewayPid = 0;
    try {
      let output = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          output += d.toString();
          if (output.includes("listening on")) resolve();
        });
        child.stderr.on("data", (d: Buffer) => {
          output += d.toString();
        });
        child.on("exit", () => reject(new Error(`start.mjs ended before the gateway listened:\n${output}`)));
      });
      gatewayPid = Number(readFileSync(`${data}.lock`, "utf8"));
      expect(alive(gatewayPid)).toBe(true);
      // As a process manager stops it: the one process it started, not a terminal's whole group.
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      for (let i = 0; i < 100 && alive(gatewayPid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(gatewayPid)).toBe(false);
      expect(existsSync(`${data}.lock`)).toBe(false);
    } finally {
      child.kill("SIGKILL");
      if (gatewayPid && alive(gatewayPid)) process.kill(gatewayPid, "SIGKILL");
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
