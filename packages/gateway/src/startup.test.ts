import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { createGateway, startServer } from "./index.js";
import {
  databaseError,
  databaseInUse,
  dataDirProblem,
  listenError,
  migrationError,
  openConfiguredStore,
  redactUrl,
} from "./startup.js";
import { migrate, openPglite, openPostgres } from "./store/index.js";

describe("startup errors", () => {
  it("names the data directory for PGlite's plain-object file-system errors", () => {
    // What PGlite throws for a directory this user cannot read.
    const err = databaseError({ name: "ErrnoError", errno: 2 }, { PINGYI_DATA_DIR: "/srv/pingyi" });
    expect(err.message).toContain("PINGYI_DATA_DIR=/srv/pingyi");
    expect(err.message).toContain("ErrnoError 2");
    expect(err.message).not.toContain("[object Object]");
  });

  it("names the database a started gateway uses, without its password", () => {
    expect(
      databaseInUse({ DATABASE_URL: "postgres://pingyi:s3cret@db:5432/evaluations", PINGYI_DATA_DIR: "x" }),
    ).toBe("postgres://pingyi:***@db:5432/evaluations");
    // Relative to the directory it was started from, which the operator may not have in mind.
    expect(databaseInUse({ PINGYI_DATA_DIR: "./.pingyi" })).toBe(`embedded PGlite at ${resolve(".pingyi")}`);
    expect(databaseInUse({ PINGYI_DATA_DIR: "memory://" })).toBe("embedded PGlite in memory (lost on exit)");
  });

  it("hides the password of DATABASE_URL", () => {
    expect(redactUrl("postgres://pingyi:s3cret@db:5432/pingyi")).toBe("postgres://pingyi:***@db:5432/pingyi");
    // A password with "@" or "#" not percent-encoded: nothing of it shows as a host or fragment.
    expect(redactUrl("postgres://pingyi:p@ss#word@127.0.0.1:5432/db")).toBe(
      "postgres://***@127.0.0.1:5432/db",
    );
    expect(redactUrl("postgres://pingyi:p@ss@127.0.0.1:5432/db")).toBe(
      "postgres://pingyi:***@127.0.0.1:5432/db",
    );
    expect(redactUrl("postgres://pingyi@db/x?password=p@ss&sslmode=disable")).toBe(
      "postgres://pingyi@db/x?password=***&sslmode=disable",
    );
    // libpq's query-parameter form, which an operator's review saw printed in clear.
    expect(redactUrl("postgres://pingyi@db/x?password=TOPSECRET1&sslmode=require")).toBe(
      "postgres://pingyi@db/x?password=***&sslmode=require",
    );
    const err = databaseError(new Error("password authentication failed"), {
      DATABASE_URL: "postgres://pingyi:s3cret@db:5432/pingyi",
      PINGYI_DATA_DIR: "./.pingyi",
    });
    expect(err.message).not.toContain("s3cret");
    expect(err.message).toContain("password authentication failed");
  });

  it("advises another database only when the server cannot be reached, not when a migration is refused", () => {
    const refused = new Error(
      "migration 002_units.sql was changed after it was applied; add a new migration instead",
    );
    const err = migrationError(refused, {
      DATABASE_URL: "postgres://pingyi:s3cret@db:5432/pingyi",
      PINGYI_DATA_DIR: "./.pingyi",
    });
    expect(err.message).toBe(
      "the PostgreSQL database in DATABASE_URL (postgres://pingyi:***@db:5432/pingyi) opened, but its tables could not be " +
        "migrated to this release: migration 002_units.sql was changed after it was applied; add a new migration instead. " +
        "Its data was not touched: the migrations run in one transaction, which was rolled back.",
    );
  });

  it("refuses a changed migration of a PGlite database as that, not as a directory it cannot use", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pingyi-migration-"));
    try {
      const dataDir = join(dir, "data");
      const db = await openPglite(dataDir);
      await migrate(db);
      await db.query("UPDATE schema_migrations SET checksum = 'changed' WHERE version = 2");
      await db.close();
      const opened = openConfiguredStore({ PINGYI_DATA_DIR: dataDir });
      await expect(opened).rejects.toThrow(
        new RegExp(
          `^the PGlite database in PINGYI_DATA_DIR=${dataDir} opened, but its tables could not be migrated to this release: ` +
            "migration 002_\\S+ was changed after it was applied; add a new migration instead\\. Its data was not touched",
        ),
      );
      // And the directory's lock went with it: the next start is refused for the same reason only.
      await expect(openConfiguredStore({ PINGYI_DATA_DIR: dataDir })).rejects.toThrow(
        "was changed after it was applied",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a file:// URL or another URL as PINGYI_DATA_DIR instead of skipping its checks", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pingyi-url-"));
    try {
      // A directory of someone's files: as a path it is refused; as a URL it must not be filled either.
      await writeFile(join(dir, "notes.txt"), "mine");
      const url = pathToFileURL(dir).href;
      expect(dataDirProblem(url)).toBe(
        `PINGYI_DATA_DIR=${url} is a file:// URL: write it as the path it names, PINGYI_DATA_DIR=${dir}`,
      );
      await expect(openConfiguredStore({ PINGYI_DATA_DIR: url })).rejects.toThrow("is a file:// URL");
      expect(existsSync(join(dir, "PG_VERSION"))).toBe(false);
      // Refused before the development secret is written beside it (as ./file:/….dev-secret).
      const config = loadConfig({ NODE_ENV: "development", PINGYI_DATA_DIR: url, LOG_LEVEL: "silent" });
      await expect(createGateway({ config })).rejects.toThrow("is a file:// URL");
      expect(existsSync(resolve(`${url}.dev-secret`))).toBe(false);
      expect(dataDirProblem("postgres://pingyi:s3cret@db/pingyi")).toBe(
        "PINGYI_DATA_DIR=postgres://pingyi:***@db/pingyi is a URL, not a directory: set it to a directory path, or to memory:// " +
          "for a database that is lost on exit; a PostgreSQL server's URL goes in DATABASE_URL",
      );
      expect(dataDirProblem("memory://")).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("opens a data directory through a symbolic link, and names a link to nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pingyi-link-"));
    try {
      await symlink(join(dir, "nowhere"), join(dir, "broken"), "dir");
      expect(dataDirProblem(join(dir, "broken"))).toBe(
        `PINGYI_DATA_DIR=${join(dir, "broken")} is a symbolic link to ${join(dir, "nowhere")}, which does not exist: ` +
          "create that directory, or point PINGYI_DATA_DIR at another",
      );
      await mkdir(join(dir, "real"));
      await symlink(join(dir, "real"), join(dir, "link"), "dir");
      const store = await openConfiguredStore({ PINGYI_DATA_DIR: join(dir, "link") });
      await store.close();
      expect(existsSync(join(dir, "real", "PG_VERSION"))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("speaks of PORT only for errors of listening", () => {
    const config = { PORT: 4000, HOST: "127.0.0.1" };
    const inUse = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE", syscall: "listen" });
    expect(listenError(inUse, config).message).toContain("port 4000 on 127.0.0.1 is already in use");
    const seeding = Object.assign(new Error("EACCES: permission denied, open 'x.json'"), {
      code: "EACCES",
      syscall: "open",
    });
    expect(listenError(seeding, config)).toBe(seeding);
  });
});

describe("a PostgreSQL server that accepts connections but never answers", () => {
  it("is given up after the connect timeout, not waited for for ever", async () => {
    const silent = createServer(() => {}); // accepts, says nothing
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const { port } = silent.address() as { port: number };
    const url = `postgres://pingyi:s3cret@127.0.0.1:${port}/pingyi`;
    try {
      const started = Date.now();
      const refused = await openPostgres(url, { connectTimeoutMs: 300 }).then(
        async (db) => {
          await db.close();
          return new Error("connected");
        },
        (err: Error) => err,
      );
      expect(Date.now() - started).toBeLessThan(20_000);
      // The driver's "Connection terminated unexpectedly" read as if the server had dropped it:
      // nothing answered, as behind a firewall that drops packets, or at the wrong host or port.
      expect(refused.message).toBe(
        `no answer from 127.0.0.1:${port} within 0.3 s (a firewall, or the wrong host or port?)`,
      );
      const said = databaseError(refused, { DATABASE_URL: url, PINGYI_DATA_DIR: "unused" }).message;
      expect(said).toContain(
        `(postgres://pingyi:***@127.0.0.1:${port}/pingyi): no answer from 127.0.0.1:${port}`,
      );
      expect(said).not.toMatch(/terminated/i);
    } finally {
      silent.close();
    }
  });
});

describe("startServer, for code that embeds the gateway", () => {
  const config = (env: Record<string, string>) =>
    loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      PINGYI_JWT_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
      PINGYI_DATA_DIR: "memory://",
      PINGYI_SEED: "false",
      HOST: "127.0.0.1",
      ...env,
    });

  it("names DATABASE_URL, without its password, when the server cannot be reached", async () => {
    const started = startServer({
      config: config({ DATABASE_URL: "postgres://pingyi:s3cret@127.0.0.1:1/none" }),
    });
    await expect(started).rejects.toThrow(/DATABASE_URL \(postgres:\/\/pingyi:\*\*\*@127\.0\.0\.1:1\/none\)/);
    await expect(started).rejects.not.toThrow(/s3cret/);
    // A server that answered, if only to refuse, gave no timeout: the driver's words are kept.
    await expect(started).rejects.toThrow(/ECONNREFUSED/);
  });

  it("names the port in use, and what to do, before it makes and seeds a data directory", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as { port: number };
    const dir = await mkdtemp(join(tmpdir(), "pingyi-port-"));
    const data = join(dir, "data");
    try {
      await expect(
        startServer({ config: config({ PORT: String(port), PINGYI_DATA_DIR: data, PINGYI_SEED: "true" }) }),
      ).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
      expect(existsSync(data)).toBe(false);
    } finally {
      busy.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
