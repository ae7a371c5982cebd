import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode } from "../../test/helpers.js";

const BIN = fileURLToPath(new URL("../../bin/pingyi.mjs", import.meta.url));

/** The real CLI, as a person runs it, over an embedded database of its own. */
describe("pingyi CLI", () => {
  let dir: string;
  let env: Record<string, string>;

  const run = (args: string[], cwd = dir) => runNode(BIN, args, { cwd, env: { ...process.env, ...env } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-cli-"));
    env = {
      NODE_ENV: "development",
      LOG_LEVEL: "silent",
      PINGYI_DATA_DIR: join(dir, "data"),
      PINGYI_SEED: "true",
    };
    await mkdir(join(dir, "sub"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("fails on an unknown group with the API's message", async () => {
    const r = await run(["score", "2019", "--group", "nope"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("group: no group 'nope' in this cycle's scheme");
    expect(r.stdout).toBe("");
  }, 60_000);

  it("names a default import by file name and size, whatever the path", async () => {
    const units = await run(["score", "2019"]);
    expect(units.code).toBe(0);
    const unit = units.stdout.split("\n")[1]!.split("\t")[2]!;
    await writeFile(
      join(dir, "sub", "findings.csv"),
      `id,unit,type,level\ncli-1,${unit},unannounced-visit,city\n`,
    );
    const first = await run(["import", "2019", "findings", "sub/findings.csv"]);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("imported 1 rows");
    const again = await run(["import", "2019", "findings", join(dir, "sub", "findings.csv")], "/");
    expect(again.stdout).toContain("already imported");

    // Rows the scheme rejects are refused as through the API.
    await writeFile(join(dir, "type.csv"), `id,unit,type,level\ncli-2,${unit},no-such-type,city\n`);
    const bad = await run(["import", "2019", "findings", "type.csv"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("no-such-type");
  }, 60_000);

  it("prints every bad row of a rejected import and the count", async () => {
    await writeFile(
      join(dir, "bad.csv"),
      "id,unit,type,level\nb1,NOPE1,unannounced-visit,city\nb2,NOPE2,unannounced-visit,city\n",
    );
    const r = await run(["import", "2019", "findings", "bad.csv"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("import rejected: 2 bad rows; nothing was written");
    expect(r.stderr).toMatch(/line 2, column unit: .*NOPE1/);
    expect(r.stderr).toMatch(/line 3, column unit: .*NOPE2/);
  }, 60_000);
});
