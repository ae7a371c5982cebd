import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Store } from "../store/index.js";
import { backends, createPostgresDatabase, seedCycle } from "../store/test-backends.js";

const ROWS = 200_000;
const CHILD = fileURLToPath(new URL("./crash-child.ts", import.meta.url));
const GATEWAY_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** Runs the child until it reports being mid-import, then SIGKILLs it. Resolves with its stdout. */
function importAndKill(
  env: Record<string, string>,
): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@pingyi/source", "--import", "tsx", CHILD], {
      cwd: GATEWAY_DIR,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("READY")) child.kill("SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL" && code !== 0) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ stdout, signal });
    });
  });
}

async function outcome(store: Store, cycleId: string, importId: string) {
  const forms = await store.records.countSurveyForms(cycleId);
  const recorded = await store.imports.list(cycleId);
  return { forms, recorded: recorded.some((r) => r.id === importId) };
}

describe.each(backends)("an import killed with SIGKILL on %s", (backend) => {
  it("leaves all of it or none of it, and the database usable", async () => {
    let store: Store;
    let reopen: () => Promise<Store>;
    let cleanup: () => Promise<void>;
    const env: Record<string, string> = {};
    if (backend === "pglite") {
      const dir = await mkdtemp(join(tmpdir(), "pingyi-crash-"));
      const dataDir = join(dir, "db");
      env.CRASH_DATA_DIR = dataDir;
      reopen = () => Store.open({ dataDir });
      cleanup = () => rm(dir, { recursive: true, force: true });
    } else {
      const db = await createPostgresDatabase();
      env.CRASH_DATABASE_URL = db.url;
      reopen = () => Store.open({ databaseUrl: db.url, dataDir: "" });
      cleanup = db.drop;
    }
    try {
      store = await reopen();
      const cycleId = await seedCycle(store, 3);
      // PGlite: one process per data directory, so the parent lets go while the child runs.
      if (backend === "pglite") await store.close();
      const importId = "crash-import";
      const { stdout, signal } = await importAndKill({
        ...env,
        CRASH_CYCLE: cycleId,
        CRASH_IMPORT_ID: importId,
        CRASH_ROWS: String(ROWS),
        CRASH_READY_AT: String(ROWS / 4),
      });
      expect(stdout).toContain("READY");
      if (backend === "pglite") store = await reopen();
      const after = await outcome(store, cycleId, importId);
      if (signal === "SIGKILL" && !stdout.includes("DONE"))
        expect(after).toEqual({ forms: 0, recorded: false });
      else expect(after).toEqual({ forms: ROWS, recorded: true });

      // The database recovered: the same import can run to completion now.
      await store.close();
      const { stdout: second } = await importAndKill({
        ...env,
        CRASH_CYCLE: cycleId,
        CRASH_IMPORT_ID: importId,
        CRASH_ROWS: String(ROWS),
        CRASH_READY_AT: String(ROWS * 10),
      });
      expect(second).toContain("DONE");
      store = await reopen();
      expect(await outcome(store, cycleId, importId)).toEqual({ forms: ROWS, recorded: true });
      await store.close();
    } finally {
      await cleanup();
    }
  }, 180_000);
});
