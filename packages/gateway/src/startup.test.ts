import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { startServer } from "./index.js";
import { databaseError, listenError, redactUrl } from "./startup.js";

describe("startup errors", () => {
  it("names the data directory for PGlite's plain-object file-system errors", () => {
    // What PGlite throws for a directory this user cannot read.
    const err = databaseError({ name: "ErrnoError", errno: 2 }, { PINGYI_DATA_DIR: "/srv/pingyi" });
    expect(err.message).toContain("PINGYI_DATA_DIR=/srv/pingyi");
    expect(err.message).toContain("ErrnoError 2");
    expect(err.message).not.toContain("[object Object]");
  });

  it("hides the password of DATABASE_URL", () => {
    expect(redactUrl("postgres://pingyi:s3cret@db:5432/pingyi")).toBe("postgres://pingyi:***@db:5432/pingyi");
    const err = databaseError(new Error("password authentication failed"), {
      DATABASE_URL: "postgres://pingyi:s3cret@db:5432/pingyi",
      PINGYI_DATA_DIR: "./.pingyi",
    });
    expect(err.message).not.toContain("s3cret");
    expect(err.message).toContain("password authentication failed");
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
  });

  it("names the port in use, and what to do", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as { port: number };
    try {
      await expect(startServer({ config: config({ PORT: String(port) }) })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      busy.close();
    }
  });
});
