import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, statSync, utimesSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirInUseError, openPglite, PgliteDb } from "./db.js";
import { mapDbError, StorageError, UnavailableError } from "./errors.js";

const dbModule = fileURLToPath(new URL("./db.ts", import.meta.url));
const tsx = fileURLToPath(import.meta.resolve("tsx"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock file as another gateway writes it, refreshed `ageMs` ago. */
async function writeLock(path: string, lock: Record<string, unknown>, ageMs = 0) {
  await writeFile(path, JSON.stringify(lock));
  const at = new Date(Date.now() - ageMs);
  utimesSync(path, at, at);
}

/** Another node process that opens `dataDir` with openPglite, says "open" and then runs `then`. */
function holder(dataDir: string, then = "setInterval(() => {}, 1000);"): Promise<ChildProcess> {
  const script = `const { openPglite } = await import(${JSON.stringify(pathToFileURL(dbModule).href)});
const db = await openPglite(${JSON.stringify(dataDir)}, { lockRefreshMs: 100 });
process.stdout.write("open\\n");
${then}`;
  const child = spawn(process.execPath, ["--import", tsx, "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("open")) resolve(child);
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("exit", () => reject(new Error(`the holder ended before it opened the database:\n${out}`)));
  });
}

describe("PGlite data directory lock", () => {
  let dir: string;
  /**
   * A data directory PGlite made and closed, copied for the tests whose subject is the lock, not
   * making a database: PGlite's initdb costs seconds of CPU on every new directory, opening an
   * existing one a fifth of that. Those that check where a new database is made make their own.
   */
  let made: string;
  const copyOfMade = (name: string) => {
    const dataDir = join(dir, name);
    cpSync(made, dataDir, { recursive: true });
    return dataDir;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-lock-"));
    made = join(dir, "made");
    await (await openPglite(made)).close();
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a second open of the same directory until the first closes", async () => {
    const dataDir = copyOfMade("a");
    const first = await openPglite(dataDir);
    await expect(openPglite(dataDir)).rejects.toBeInstanceOf(DataDirInUseError);
    await first.close();
    const again = await openPglite(dataDir);
    expect(await again.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await again.close();
  });

  it("takes over the lock of a process that is gone (a lock file of an earlier release: its pid alone)", async () => {
    const dataDir = copyOfMade("b");
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    await writeFile(`${dataDir}.lock`, gone.stdout);
    const db = await openPglite(dataDir);
    await db.close();
  });

  it("refuses a lock of an earlier release naming its own pid: that may be pid 1 of another container", async () => {
    const dataDir = join(dir, "c");
    await writeFile(`${dataDir}.lock`, String(process.pid));
    await expect(openPglite(dataDir)).rejects.toThrow(
      new RegExp(`in use by process ${process.pid} .*remove ${dataDir}\\.lock`),
    );
  });

  it("refuses a fresh lock naming its own pid under another token: a gateway in another PID namespace", async () => {
    // Two containers sharing a volume: each gateway is pid 1 (here: our pid) in its own namespace,
    // and with the host's name when the container does not have its own.
    const dataDir = join(dir, "d");
    await writeLock(
      `${dataDir}.lock`,
      { token: "another", host: hostname(), pid: process.pid, scope: "another-namespace" },
      3_000,
    );
    const refused = openPglite(dataDir);
    await expect(refused).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(refused).rejects.toThrow(
      `in use by process ${process.pid} on ${hostname()} (lock file ${dataDir}.lock, refreshed 3 s ago; ` +
        `if that process is gone, start again in 27 s or remove ${dataDir}.lock)`,
    );
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(false);
  });

  it("takes over a lock of another namespace or host that has not been refreshed for 30 s", async () => {
    const dataDir = copyOfMade("e");
    await writeLock(
      `${dataDir}.lock`,
      { token: "another", host: "elsewhere", pid: process.pid, scope: "another-namespace" },
      31_000,
    );
    const db = await openPglite(dataDir);
    expect(JSON.parse(await readFile(`${dataDir}.lock`, "utf8"))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    await db.close();
  });

  it("refreshes its lock while open, and stops and removes it on close", async () => {
    const dataDir = copyOfMade("f");
    const lock = `${dataDir}.lock`;
    const db = await openPglite(dataDir, { lockRefreshMs: 50 });
    const past = new Date(Date.now() - 20_000);
    utimesSync(lock, past, past);
    await sleep(300);
    expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(5_000);
    await db.close();
    await sleep(300);
    expect(existsSync(lock)).toBe(false);
  });

  it("refuses another process's lock, naming it, and takes it over at once when that process is killed", async () => {
    const dataDir = copyOfMade("g");
    const child = await holder(dataDir);
    try {
      await expect(openPglite(dataDir)).rejects.toThrow(`in use by process ${child.pid} on ${hostname()}`);
    } finally {
      const exited = new Promise((r) => child.on("exit", r));
      child.kill("SIGKILL");
      await exited;
    }
    // Same host, same PID namespace: its pid tells that it is gone, no need to wait for staleness.
    const db = await openPglite(dataDir);
    await db.close();
  }, 60_000);

  it("does not keep a process alive that leaves its database open", async () => {
    const child = await holder(copyOfMade("h"), "");
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
  }, 60_000);

  it("opens a data directory through a symbolic link, and locks the directory it points to", async () => {
    const real = join(dir, "real");
    await mkdir(real);
    await symlink(real, join(dir, "link"), "dir");
    const db = await openPglite(join(dir, "link"));
    try {
      expect(await db.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
      expect(existsSync(join(real, "PG_VERSION"))).toBe(true);
      await expect(openPglite(real)).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await db.close();
    }
  });

  it("reads a file:// URL as the directory it names, and locks it", async () => {
    const dataDir = join(dir, "i");
    const db = await openPglite(pathToFileURL(dataDir).href);
    try {
      expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
      await expect(openPglite(dataDir)).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await db.close();
    }
  });

  it("refuses a URL that is neither memory:// nor file://: PGlite would take it for a relative path", async () => {
    await expect(openPglite("postgres://pingyi@db/pingyi")).rejects.toThrow(
      "the PGlite data directory postgres://pingyi@db/pingyi is a URL, not a directory: use a path, file:// or memory://",
    );
  });
});

describe("a database server that cannot be reached", () => {
  it("is UNAVAILABLE to clients, not an unexpected error, whichever way the driver says it", () => {
    for (const driver of [
      { code: "ECONNREFUSED", message: "connect ECONNREFUSED 10.0.0.5:5432" },
      { code: "57P01", message: "terminating connection due to administrator command" },
      { code: "57P03", message: "the database system is starting up" },
      { code: "08006", message: "connection failure" },
      { message: "Connection terminated unexpectedly" },
      { message: "timeout exceeded when trying to connect" },
    ]) {
      const err = mapDbError(driver);
      expect(err, driver.message).toBeInstanceOf(UnavailableError);
      expect((err as UnavailableError).code).toBe("UNAVAILABLE");
      // The driver's text names hosts: it is kept as the cause, not shown.
      expect((err as Error).message).not.toContain("10.0.0.5");
    }
    expect(mapDbError({ code: "42601", message: "syntax error" })).not.toBeInstanceOf(UnavailableError);
    // A protocol violation is class 08 too, but it is our bug: logged as unexpected, never "retry".
    expect(mapDbError({ code: "08P01", message: "bind message supplies 2 parameters" })).not.toBeInstanceOf(
      UnavailableError,
    );
  });
});

describe("a database that cannot store a change", () => {
  it("says a full disk is a full disk, on either backend", () => {
    const err = mapDbError({
      code: "53100",
      message: 'could not extend file "base/5/16385": No space left on device',
    });
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe("STORAGE");
    expect((err as Error).message).toMatch(/disk is full, so this change was rolled back/);
  });

  it("refuses every later call once PGlite's connection is broken, rather than reaching it again", async () => {
    // What PGlite answers after a write ran out of disk space mid-import: every query fails
    // this way, and one more import spun at full CPU, holding the process.
    let calls = 0;
    const broken = {
      closed: false,
      query: async () => {
        calls++;
        throw new Error('cannot drop active portal ""');
      },
      exec: async () => {
        calls++;
        throw new Error("unreachable");
      },
      transaction: async () => {
        calls++;
        throw new Error("unreachable");
      },
      close: async () => {},
    };
    const db = new PgliteDb(broken as never);
    const first = await db.query("SELECT 1").catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StorageError);
    expect((first as Error).message).toMatch(/stopped working after a write failed .*restart the gateway/);
    for (const call of [
      () => db.query("SELECT 1"),
      () => db.exec("SELECT 1"),
      () => db.transaction(async () => 1),
    ])
      await expect(call()).rejects.toBe(first);
    expect(calls).toBe(1);
  });
});
