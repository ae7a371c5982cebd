import { describe, expect, it } from "vitest";
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
