import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirInUseError, openPglite } from "./db.js";

describe("PGlite data directory lock", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-lock-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a second open of the same directory until the first closes", async () => {
    const dataDir = join(dir, "a");
    const first = await openPglite(dataDir);
    await expect(openPglite(dataDir)).rejects.toBeInstanceOf(DataDirInUseError);
    await first.close();
    const again = await openPglite(dataDir);
    expect(await again.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await again.close();
  });

  it("takes over the lock of a process that is gone", async () => {
    const dataDir = join(dir, "b");
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    await writeFile(`${dataDir}.lock`, gone.stdout);
    const db = await openPglite(dataDir);
    await db.close();
  });

  it("takes over a lock left under its own pid by an earlier process (a container's pid 1)", async () => {
    const dataDir = join(dir, "c");
    await writeFile(`${dataDir}.lock`, String(process.pid));
    const db = await openPglite(dataDir);
    // Taken over, it is held: a second store in this process is still refused.
    await expect(openPglite(`${dataDir}/`)).rejects.toBeInstanceOf(DataDirInUseError);
    await db.close();
  });
});
