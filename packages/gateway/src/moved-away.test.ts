import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { movedAway, movedAwayProblem, movedNotePath, writeMovedNote } from "./moved-away.js";
import { checkDataDir } from "./startup.js";

describe("a data directory moved to a server", () => {
  const root = mkdtempSync(join(tmpdir(), "pingyi-moved-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is refused by the gateway and the commands, saying where it went and how to go back", () => {
    const dir = join(root, "data");
    mkdirSync(dir);
    writeFileSync(join(dir, "PG_VERSION"), "17\n");
    expect(movedAwayProblem(dir)).toBeUndefined();
    expect(() => checkDataDir({ DATABASE_URL: undefined, PINGYI_DATA_DIR: dir })).not.toThrow();
    const to = "postgres://pingyi:***@db.internal:5432/pingyi";
    const note = writeMovedNote(dir, { to, at: "2026-12-05T03:00:00.000Z", by: "cli:alice" });
    expect(note).toBe(`${dir}.moved`);
    expect(movedNotePath(`${dir}/`)).toBe(note);
    const message = `PINGYI_DATA_DIR=${dir} was moved to ${to} on 2026-12-05T03:00:00.000Z by cli:alice (pingyi move-database): its data is served from there now, and writes here would never reach it. Start with DATABASE_URL=${to} (with the password in place of ***); or, to go back to this copy, delete ${note}`;
    expect(movedAwayProblem(dir)).toBe(message);
    expect(() => checkDataDir({ DATABASE_URL: undefined, PINGYI_DATA_DIR: dir })).toThrow(message);
    // Another move reads it knowingly; a gateway on the server does not read it at all.
    expect(() =>
      checkDataDir({ DATABASE_URL: undefined, PINGYI_DATA_DIR: dir }, { moved: true }),
    ).not.toThrow();
    expect(() => checkDataDir({ DATABASE_URL: "postgres://db/pingyi", PINGYI_DATA_DIR: dir })).not.toThrow();
    rmSync(note);
    expect(movedAway(dir)).toBeUndefined();
  });

  it("counts a note that cannot be read", () => {
    const dir = join(root, "garbled");
    writeFileSync(`${dir}.moved`, "not json");
    expect(movedAwayProblem(dir)).toBe(
      `PINGYI_DATA_DIR=${dir} was moved (pingyi move-database): its data is served from there now, and writes here would never reach it. Start with DATABASE_URL set to that database; or, to go back to this copy, delete ${dir}.moved`,
    );
  });
});
