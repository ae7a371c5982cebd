import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startServer } from "../src/index.js";
import { createLogger } from "../src/logger.js";
import { readMigrations } from "../src/store/migrate.js";
import { createPostgresDatabase } from "../src/store/test-backends.js";
import { backends, testConfig } from "./helpers.js";

type Line = { level: string; msg: string; [field: string]: unknown };

/** Starts a gateway on the database `env` names, stops it, and returns every line it logged. */
async function start(env: Record<string, string>): Promise<Line[]> {
  const lines: Line[] = [];
  const logger = createLogger("debug", (l) => lines.push(JSON.parse(l)));
  const running = await startServer({ config: testConfig(env), logger, seed: false });
  await running.close(2000);
  return lines;
}

describe.each(backends)("%s", (backend) => {
  it("a start that migrates the database says which migrations it applied; a start that needs none, only at debug", async () => {
    let env: Record<string, string>;
    let cleanUp: () => Promise<void>;
    if (backend === "pglite") {
      const dir = await mkdtemp(join(tmpdir(), "pingyi-migration-log-"));
      env = { PINGYI_DATA_DIR: join(dir, "data") };
      cleanUp = () => rm(dir, { recursive: true, force: true });
    } else {
      const created = await createPostgresDatabase();
      env = { DATABASE_URL: created.url };
      cleanUp = created.drop;
    }
    try {
      const names = (await readMigrations()).map((m) => m.name);
      const first = await start(env);
      const applied = first.filter((l) => l.msg === "migrations applied");
      expect(applied).toEqual([
        expect.objectContaining({
          level: "info",
          count: names.length,
          migrations: names,
          ms: expect.any(Number),
        }),
      ]);
      expect(first.map((l) => l.msg)).not.toContain("no migrations to apply");

      const second = await start(env);
      expect(second.filter((l) => l.level !== "debug").map((l) => l.msg)).not.toContain("migrations applied");
      expect(second.filter((l) => l.msg === "no migrations to apply")).toEqual([
        expect.objectContaining({ level: "debug", ms: expect.any(Number) }),
      ]);
    } finally {
      await cleanUp();
    }
  }, 120_000);
});
