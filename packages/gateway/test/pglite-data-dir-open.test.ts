import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConfiguredStore } from "../src/startup.js";
import { openPglite } from "../src/store/db.js";
import { testCli } from "./helpers.js";

const BIN = testCli();
const asRoot = process.getuid?.() === 0;
/** As in startup.test.ts: as root, the gateway runs as nobody, who must be able to read the checkout. */
const nobodyCanRun =
  !asRoot ||
  spawnSync(process.execPath, [BIN, "--help"], { uid: 65534, gid: 65534, stdio: "ignore" }).status === 0;

/**
 * A data directory PGlite cannot open says why, not "PGlite failed to initialize properly" or
 * "Aborted()" with advice that does not fit.
 */
describe("a PGlite data directory that cannot be opened", () => {
  let root: string;
  /** A data directory as a gateway leaves it: made and closed, once; PGlite's initdb costs seconds of CPU. */
  let template: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "pingyi-open-"));
    template = join(root, "template");
    await (await openPglite(template)).close();
  }, 120_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** A data directory as a gateway leaves it: a copy of the one made. */
  const made = async (name: string) => {
    const dir = join(root, name);
    cpSync(template, dir, { recursive: true });
    return dir;
  };

  it("names the PostgreSQL version of one another PGlite release made, and changes nothing", async () => {
    const dir = await made("older");
    const ours = (await readFile(join(dir, "PG_VERSION"), "utf8")).trim();
    const theirs = String(Number(ours) - 2);
    await writeFile(join(dir, "PG_VERSION"), `${theirs}\n`);
    const config = { PINGYI_DATA_DIR: dir, DATABASE_URL: undefined };
    const refused = await openConfiguredStore(config).then(
      () => "opened",
      (err: Error) => err.message,
    );
    expect(refused).toContain(`could not open PINGYI_DATA_DIR=${dir}: `);
    expect(refused).toContain(
      `holds a database of PostgreSQL ${theirs} (its PG_VERSION), and this release's embedded database (PGlite) is PostgreSQL ${ours}`,
    );
    expect(refused).toContain("pingyi move-database");
    expect(refused).not.toContain("failed to initialize");
    expect(await readFile(join(dir, "PG_VERSION"), "utf8")).toBe(`${theirs}\n`);
    // Its lock is given back: the same directory, put right, opens.
    await writeFile(join(dir, "PG_VERSION"), `${ours}\n`);
    await (await openConfiguredStore(config)).close();
  }, 120_000);

  // PINGYI_DATA_DIR=/var/lib/postgresql/18/main: PGlite of the same major version opened the
  // server's cluster, and its migrations wrote to it under the running server.
  it("refuses a PostgreSQL server's own data directory, without touching it", async () => {
    const dir = join(root, "server");
    await mkdir(dir);
    const files = {
      PG_VERSION: "18\n",
      "postmaster.opts": "/usr/lib/postgresql/18/bin/postgres\n",
      "postmaster.pid": "4242\n",
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const refused = await openConfiguredStore({ PINGYI_DATA_DIR: dir, DATABASE_URL: undefined }).then(
      () => "opened",
      (err: Error) => err.message,
    );
    expect(refused).toBe(
      `PINGYI_DATA_DIR=${dir} is a PostgreSQL server's own data directory (it holds postmaster.opts), not an embedded database: the gateway would write to it under the server and corrupt it. To use that server, set DATABASE_URL to a database of it (postgres://…); for the embedded database, point PINGYI_DATA_DIR at a new directory`,
    );
    for (const [name, text] of Object.entries(files))
      expect(await readFile(join(dir, name), "utf8")).toBe(text);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    // PGlite's own postmaster.pid, as a gateway killed while it ran leaves it, is no server's.
    const crashed = await made("crashed");
    await writeFile(join(crashed, "postmaster.pid"), "-42\n/pglite/data\n1796500464\n5432\n");
    await (await openConfiguredStore({ PINGYI_DATA_DIR: crashed, DATABASE_URL: undefined })).close();
  }, 120_000);

  it("keeps other users out of it: PGlite makes its files readable and writable by anyone", async () => {
    const mode = async (dir: string) => (await stat(dir)).mode & 0o777;
    // The one beforeAll made new: a copy would have the mode of the one it was copied from.
    expect(await mode(template)).toBe(0o700);
    // One an earlier release made, or one made for the gateway by hand, as umask 022 leaves it.
    const earlier = join(root, "earlier");
    await mkdir(earlier, { mode: 0o755 });
    await chmod(earlier, 0o755);
    await (await openPglite(earlier)).close();
    expect(await mode(earlier)).toBe(0o700);
  }, 120_000);

  it.skipIf(!nobodyCanRun)(
    "names a file in it that this user cannot write, as after a restore by another user",
    async () => {
      const dir = await made("restored");
      // The gateway's user's, but for one file: as a restore by root leaves a file of the backup.
      const user = asRoot ? { uid: 65534, gid: 65534 } : undefined;
      if (user) spawnSync("chown", ["-R", `${user.uid}:${user.gid}`, root]);
      const control = join(dir, "global", "pg_control");
      if (user) await chown(control, 0, 0);
      // PGlite makes its files writable by anyone; a restore (tar) leaves them as umask allows.
      await chmod(control, user ? 0o644 : 0o444);
      try {
        const r = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
          const child = spawn(process.execPath, [BIN, "score", "2019"], {
            cwd: root,
            env: { ...process.env, PINGYI_DATA_DIR: dir, HOME: root, LOG_LEVEL: "silent" },
            stdio: ["ignore", "pipe", "pipe"],
            ...user,
          });
          let output = "";
          child.stdout.on("data", (d: Buffer) => {
            output += d.toString();
          });
          child.stderr.on("data", (d: Buffer) => {
            output += d.toString();
          });
          child.on("error", reject);
          child.on("exit", (code: number | null) => resolve({ code, output }));
        });
        expect(r.code).toBe(1);
        expect(r.output).toContain(`could not open PINGYI_DATA_DIR=${dir}: `);
        expect(r.output).toContain(`${control} cannot be read and written by this user`);
        expect(r.output).not.toContain("Aborted()");
      } finally {
        if (user) spawnSync("chown", ["-R", "0:0", root]);
      }
    },
    120_000,
  );
});
