import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode, testCli } from "../../test/helpers.js";
import { openDatabase } from "../store/index.js";
import { defaultMigrationsDir, migrate, readMigrations } from "../store/migrate.js";

const BIN = testCli();

/** A command run on a database an earlier release made says that it upgraded it, and to what. */
describe("pingyi CLI on a database of an earlier release", () => {
  let dir: string;
  let newest: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-cli-mig-"));
    // The migrations of the release before this one: every one but the newest.
    const all = await readMigrations(defaultMigrationsDir);
    newest = all.at(-1)!.name;
    const earlier = join(dir, "migrations");
    await cp(defaultMigrationsDir, earlier, {
      recursive: true,
      filter: (src) => !src.endsWith(`${newest}.sql`),
    });
    const db = await openDatabase({ dataDir: join(dir, "data") });
    await migrate(db, earlier);
    await db.close();
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = () =>
    runNode(BIN, ["imports", "2019"], {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: "development",
        LOG_LEVEL: "silent",
        PINGYI_DATA_DIR: join(dir, "data"),
      },
    });

  it("names the migrations it applied, once", async () => {
    const first = await run();
    expect(first.stderr).toContain(
      `note: the database was brought up to this release: applied migration ${newest}`,
    );
    const second = await run();
    expect(second.stderr).not.toContain("brought up to this release");
  }, 60_000);
});
