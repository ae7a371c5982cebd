import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPostgres } from "../src/store/index.js";
import { createPostgresDatabase } from "../src/store/test-backends.js";
import { runNode, testCli } from "./helpers.js";
import { dumpTables } from "./move-source.js";

const BIN = testCli();

/** `pingyi serve` until it ends, or stopped once it listens: refused, it must not get that far. */
function serve(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const read = (d: Buffer) => {
      output += d.toString();
      if (output.includes("listening on")) child.kill("SIGKILL");
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/**
 * DATABASE_URL naming a database that does not store text as UTF-8 (a cluster made with another
 * default, or createdb -E SQL_ASCII): the gateway started on it, and then an import of Chinese
 * unit names failed halfway through its file on LATIN1, or went in as bytes never checked on
 * SQL_ASCII. Only pingyi move-database refused such a database.
 */
describe.skipIf(!process.env.PINGYI_TEST_DATABASE_URL)("a gateway started on a database not in UTF-8", () => {
  it.each(["SQL_ASCII", "LATIN1"])(
    "is refused on %s, naming the encoding and what to do, and writes nothing",
    async (encoding) => {
      const { url, drop } = await createPostgresDatabase({ encoding });
      const dir = await mkdtemp(join(tmpdir(), "pingyi-encoding-"));
      try {
        // No key: a gateway outside production signs with the development secret.
        const env = {
          ...process.env,
          DATABASE_URL: url,
          PINGYI_DATA_DIR: join(dir, "data"),
          PORT: "0",
          LOG_LEVEL: "silent",
          NODE_ENV: "development",
        };
        const refusal = `the PostgreSQL database in DATABASE_URL (${url}) stores text as ${encoding}, not UTF-8, and Pingyi's (Chinese names, answers) would not go in whole: create it in UTF-8 (createdb --encoding=UTF8 --template=template0 …), and set DATABASE_URL to that database`;
        const refused = await serve(dir, env);
        expect(refused.output).not.toContain("listening on");
        expect(refused.code).toBe(1);
        expect(refused.output).toContain(refusal);
        expect(refused.output).toContain("Nothing was written to it");
        // The commands that open the gateway's database refuse it in the same words.
        const imports = await runNode(BIN, ["imports", "2019"], { cwd: dir, env });
        expect(imports.code).toBe(1);
        expect(imports.stderr).toContain(refusal);
        const db = await openPostgres(url, { max: 1 });
        try {
          expect(await dumpTables(db)).toEqual({});
        } finally {
          await db.close();
        }
        expect(existsSync(join(dir, "data.dev-secret"))).toBe(false);
      } finally {
        await drop();
        await rm(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
