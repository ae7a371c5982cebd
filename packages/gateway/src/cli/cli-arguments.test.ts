import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode, testCli } from "../../test/helpers.js";

const BIN = testCli();

/**
 * What the command line refuses from its words alone, before the configuration, a key or a
 * database is looked at. The wording of each refusal is tested on its function (blank-value,
 * token-request); here, that `pingyi` asks them first.
 */
describe("pingyi's arguments, checked first", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-cli-args-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Run where no gateway ever started: no database, no development secret. */
  const run = (args: string[], env: Record<string, string> = {}) =>
    runNode(BIN, args, {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: "development",
        LOG_LEVEL: "silent",
        PINGYI_DATA_DIR: join(dir, "data"),
        ...env,
      },
    });
  const usage = (line: string) => `usage: pingyi ${line} (see pingyi --help)\n`;

  it("says a bad --expires before that the secret is missing", async () => {
    const refusal = `pingyi token: --expires: 'soon' is not a duration such as 30m, 12h or 7d`;
    // No development secret beside the data directory: that was said first, and --expires after.
    const noSecret = await run(["token", "admin", "bob", "--expires", "soon"]);
    // In production without PINGYI_JWT_SECRET: the configuration was refused first.
    const production = await run(["token", "admin", "bob", "--expires", "soon"], { NODE_ENV: "production" });
    for (const r of [noSecret, production]) {
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr.startsWith(refusal), r.stderr).toBe(true);
      expect(r.stderr).toMatch(/; nothing was done\nusage: pingyi token /);
    }
    expect(existsSync(`${join(dir, "data")}.dev-secret`)).toBe(false);
  });

  it("refuses an argument or an option's value of spaces only, by name, for every command", async () => {
    const cases: [string[], string][] = [
      [
        ["token", "admin", "  "],
        `pingyi token: <subject> is blank (only spaces)\n${usage("token <role> <subject> [--expires 12h]")}`,
      ],
      [
        ["token", "\t", "bob"],
        `pingyi token: <role> is blank (only spaces)\n${usage("token <role> <subject> [--expires 12h]")}`,
      ],
      [
        ["token", "admin", "bob", "--expires", " "],
        `pingyi token: --expires is blank (only spaces): give it a value, or leave it out\n${usage("token <role> <subject> [--expires 12h]")}`,
      ],
      [
        ["score", "  "],
        `pingyi score: <cycle> is blank (only spaces)\n${usage("score <cycle> [--group <id>]")}`,
      ],
      [
        ["score", "2019", "--group", " "],
        `pingyi score: --group is blank (only spaces): give it a value, or leave it out\n${usage("score <cycle> [--group <id>]")}`,
      ],
      [["imports", " "], `pingyi imports: <cycle> is blank (only spaces)\n${usage("imports <cycle>")}`],
      [
        ["remove-import", " "],
        `pingyi remove-import: <importId> is blank (only spaces)\n${usage("remove-import <importId>")}`,
      ],
      [
        ["import", "2019", "findings", "  "],
        `pingyi import: <file> is blank (only spaces)\n${usage("import <cycle> <kind> <file> [--id <importId>] [--format csv|xlsx|json] [--encoding utf-8|gb18030] [--other-forms-than <importId>]")}`,
      ],
      [
        ["move-database", "--to", "\u3000"],
        `pingyi move-database: --to is blank (only spaces): give it a value\n${usage("move-database --to <postgres url> [--dry-run]")}`,
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => run(args)));
    cases.forEach(([args, said], i) => {
      expect([args, runs[i]!.code, runs[i]!.stdout, runs[i]!.stderr]).toEqual([args, 2, "", said]);
    });
    // Nothing was opened, nor a secret made.
    expect(existsSync(join(dir, "data"))).toBe(false);
    expect(existsSync(`${join(dir, "data")}.dev-secret`)).toBe(false);
  });
});
