import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { schemeJsonSchema } from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runNode, testCli } from "../../test/helpers.js";
import { createTokenVerifier } from "../auth/tokens.js";
import { loadConfig } from "../config.js";
import { startServer } from "../index.js";
import { openPostgres } from "../store/index.js";
import { createPostgresDatabase } from "../store/test-backends.js";

const BIN = testCli();

/** What follows a usage refusal on stderr, in place of the whole help on stdout. */
const USAGE = {
  token: "usage: pingyi token <role> <subject> [--expires 12h] (see pingyi --help)\n",
  import:
    "usage: pingyi import <cycle> <kind> <file> [--id <importId>] [--format csv|xlsx|json] [--encoding utf-8|gb18030] [--other-forms-than <importId>] (see pingyi --help)\n",
  score: "usage: pingyi score <cycle> [--group <id>] (see pingyi --help)\n",
};

/** Like runNode, but a command that does not end by itself (a gateway) is killed after `ms`. */
function runFor(args: string[], env: NodeJS.ProcessEnv, cwd: string, ms = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let killed = false;
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => {
        killed = true;
        child.kill("SIGTERM");
      }, ms);
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, killed });
      });
    },
  );
}

const listening = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );

/** The real CLI, as a person runs it, over an embedded database of its own. */
describe("pingyi CLI", () => {
  let dir: string;
  let env: Record<string, string>;

  const run = (args: string[], cwd = dir, more: Record<string, string> = {}) =>
    runNode(BIN, args, { cwd, env: { ...process.env, ...env, ...more } });
  /** What a command that writes says on stderr of the database it opened. */
  const database = () => `database: embedded PGlite at ${env.PINGYI_DATA_DIR}\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-cli-"));
    env = {
      NODE_ENV: "development",
      LOG_LEVEL: "silent",
      PINGYI_DATA_DIR: join(dir, "data"),
      PINGYI_SEED: "true",
    };
    await mkdir(join(dir, "sub"));
    // The database the gateway's first start would make (initdb, seconds of CPU, and every
    // migration), from the run's image of one (test/global-setup.ts): these tests are of the
    // command line, which only ever opens one; test/startup.test.ts and json-logs.test.ts
    // start on new ones.
    const image = inject("migratedPglite");
    if (image)
      await (
        await PGlite.create({ dataDir: env.PINGYI_DATA_DIR, loadDataDir: new Blob([await readFile(image)]) })
      ).close();
    // The gateway's start loads the example year into it.
    // Without PINGYI_JWT_SECRET, as `pingyi serve` in development: it makes the development
    // secret beside its data directory, which `pingyi token` signs with.
    const first = await startServer({
      config: loadConfig({ ...env, PORT: "0", PINGYI_RATE_LIMIT: "0" }),
    });
    await first.close();
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("fails on an unknown group with the API's message", async () => {
    const r = await run(["score", "2019", "--group", "nope"]);
    expect(r.code).not.toBe(0);
    // A command that only reads says nothing of what it did not write.
    expect(r.stderr).toBe('group: unknown group "nope" (known: law-enforcement)\n');
    expect(r.stdout).toBe("");
  }, 60_000);

  it("names a default import by its cycle, file name and size, whatever the path, and says to use --id for another such file", async () => {
    const text = "id,unit,type,level\ncli-1,U01,unannounced-visit,city\n";
    await writeFile(join(dir, "sub", "findings.csv"), text);
    const first = await run(["import", "2019", "findings", "sub/findings.csv"]);
    expect(first.stderr).toBe(database());
    expect(first.stdout).toBe("imported 1 row\n");
    const again = await run(["import", "2019", "findings", join(dir, "sub", "findings.csv")], "/");
    expect(again.stdout).toMatch(/^already imported \(1 row on \d{4}-\d\d-\d\dT[\d:.]+Z\); nothing added\n$/);
    // Another file of the same name and size is not taken for the one imported.
    await mkdir(join(dir, "batch2"));
    await writeFile(
      join(dir, "batch2", "findings.csv"),
      "id,unit,type,level\ncli-2,U01,unannounced-visit,city\n",
    );
    const second = await run(["import", "2019", "findings", "batch2/findings.csv"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^import id '2019:findings\\.csv:${Buffer.byteLength(text)}' was already used for a different file \\(findings into cycle '2019', 1 row\\), imported by cli:\\S+ on \\d{4}-[\\d-]+T[\\d:.]+Z: an import id names one import, whatever its cycle, so nothing was imported\\. Give this file an import id of its own with --id; to replace that import, remove it first \\(pingyi remove-import '2019:findings\\.csv:${Buffer.byteLength(text)}'\\)\n$`,
      ),
    );
  }, 120_000); // three runs of the CLI, each opening the embedded database

  it("refuses survey forms saved again as the import they tally as, and imports them with --other-forms-than", async () => {
    await writeFile(
      join(dir, "forms.csv"),
      "category,unit,respondent_group,answer\npublic,U01,residents,satisfied\npublic,U02,residents,dissatisfied\n",
    );
    const first = await run(["import", "2019", "survey-forms", "forms.csv", "--id", "cli-forms"]);
    expect(first.stderr).toBe(database());
    expect(first.stdout).toBe("imported 2 rows\n");
    // Saved again by Excel: a byte order mark, CRLF, the rows sorted the other way.
    await writeFile(
      join(dir, "forms-saved.csv"),
      "\ufeffcategory,unit,respondent_group,answer\r\npublic,U02,residents,dissatisfied\r\npublic,U01,residents,satisfied\r\n",
    );
    const again = await run(["import", "2019", "survey-forms", "forms-saved.csv"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^these 2 forms tally exactly as import 'cli-forms' \(2 forms imported by cli:\S+ on \S+\) does: the same forms again, saved differently\? Nothing was imported\. To replace that import, remove it first \(pingyi remove-import 'cli-forms'\); if these are truly other forms, import them with --other-forms-than 'cli-forms'\n$/,
    );
    const other = await run([
      "import",
      "2019",
      "survey-forms",
      "forms-saved.csv",
      "--other-forms-than",
      "cli-forms",
    ]);
    expect(other.stderr).toBe(database());
    expect(other.stdout).toBe("imported 2 rows\n");
    // Keyed records are refused twice by their keys: the option is refused before anything is read.
    const keyed = await run(["import", "2019", "scores", "forms.csv", "--other-forms-than", "cli-forms"]);
    expect(keyed.code).toBe(2);
    expect(keyed.stderr).toBe(
      `pingyi import: --other-forms-than is for survey forms, which have no key: scores have one, and a record imported twice is refused by it\n${USAGE.import}`,
    );

    // Answers in words the survey does not have: each said once, with its rows.
    await writeFile(
      join(dir, "forms-words.csv"),
      "类别,单位,受访群体,答案\npublic,U01,residents,满意\npublic,U02,residents,满意\npublic,U03,residents,不满意\n",
    );
    const words = await run(["import", "2019", "survey-forms", "forms-words.csv"]);
    expect(words.code).toBe(1);
    const options = "its options are satisfied, basically-satisfied, dissatisfied, dont-know";
    expect(words.stderr).toBe(
      "import rejected: 3 bad rows (2 problems); nothing was written\n" +
        `  line 2, column 答案 (answer): answer "满意" (2 rows, at lines 2, 3): not an option of category "public"; ${options}\n` +
        `  line 4, column 答案 (answer): answer "不满意": not an option of category "public"; ${options}\n`,
    );
  }, 300_000); // four runs of the CLI, each opening the embedded database

  it("prints every bad row of a rejected import and the count", async () => {
    // Rows the scheme rejects, refused as through the API, and rows of units the cycle does not
    // have: each at its line of the file.
    await writeFile(
      join(dir, "bad.csv"),
      "id,unit,type,level\ncli-3,U01,no-such-type,city\ncli-4,U01,another-type,city\nb1,NOPE1,unannounced-visit,city\nb2,NOPE2,unannounced-visit,city\n",
    );
    const r = await run(["import", "2019", "findings", "bad.csv"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^import rejected: 4 bad rows; nothing was written\n {2}line 2, column type: finding "cli-3".*no-such-type.*\n {2}line 3, column type: finding "cli-4".*another-type/,
    );
    expect(r.stderr).toMatch(/line 4, column unit: .*NOPE1/);
    expect(r.stderr).toMatch(/line 5, column unit: .*NOPE2/);

    // A JSON array on one line, as exporters write it: each bad record by its number.
    const findings = ["NOPE1", "U01", "NOPE3"].map((unit, i) => ({
      id: `j${i}`,
      unit,
      type: "unannounced-visit",
      level: "city",
    }));
    await writeFile(join(dir, "bad.json"), JSON.stringify(findings));
    const json = await run(["import", "2019", "findings", "bad.json"]);
    expect(json.code).toBe(1);
    expect(json.stderr).toContain("import rejected: 2 bad rows; nothing was written");
    expect(json.stderr).toMatch(
      /\n {2}record 1 \(line 1\), column unit: .*NOPE1.*\n {2}record 3 \(line 1\), column unit: .*NOPE3/,
    );

    // A file no row of which can be read is the file's problem: no "line 0", no bad row counted.
    await writeFile(join(dir, "damaged.xlsx"), "not a zip archive");
    const damaged = await run(["import", "2019", "findings", "damaged.xlsx"]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(
      /^import rejected: a problem with the file as a whole; nothing was written\n {2}not a readable XLSX workbook \(the file is damaged or is not an Excel \.xlsx file\): [^\n]+\n$/,
    );
  }, 90_000);

  it("answers --help with the help, whatever the command, and starts nothing", async () => {
    const env = { ...process.env, PORT: "0", PINGYI_DATA_DIR: "memory://", PINGYI_SEED: "false" };
    const r = await runFor(["serve", "--help"], env, dir);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("pingyi import <cycle> <kind> <file>");
    expect(r.stdout).not.toContain("listening");
    const schema = await run(["schema", "--help"]);
    expect(schema.stdout).toContain("pingyi serve");
    expect(schema.stdout).not.toContain("type Query");
    // Asked for, the help is the output: exit code 0 and nothing on stderr.
    for (const args of [[], ["help"]]) {
      const r = await run(args);
      expect([args, r.code, r.stderr]).toEqual([args, 0, ""]);
      expect(r.stdout).toContain("pingyi token <role> <subject>");
    }
  }, 60_000);

  it("prints the scheme documents' JSON Schema, the engine's, for an editor's \"$schema\"", async () => {
    const r = await run(["scheme-schema"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toEqual(schemeJsonSchema());
  }, 60_000);

  it("refuses a busy port with what to do", async () => {
    const busy = createServer();
    const port = await listening(busy);
    try {
      const env = { ...process.env, PORT: String(port), PINGYI_DATA_DIR: "memory://", PINGYI_SEED: "false" };
      const r = await runFor(["serve"], env, dir);
      expect(r.killed).toBe(false);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(r.stderr).toContain("set PORT to another port");
    } finally {
      busy.close();
    }
  }, 60_000);

  it("refuses a HOST that is not this machine's before it makes a data directory, with PORT=0 too", async () => {
    const data = join(dir, "never-made");
    const env = { ...process.env, PORT: "0", HOST: "192.0.2.55", PINGYI_DATA_DIR: data };
    const r = await runFor(["serve"], env, dir);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HOST=192.0.2.55 is not an address of this machine");
    expect(existsSync(data)).toBe(false);
  }, 60_000);

  it("names DATABASE_URL when its server cannot be reached, without the password", async () => {
    const probe = createServer();
    const port = await listening(probe);
    await new Promise((r) => probe.close(r));
    const r = await runNode(BIN, ["score", "2019"], {
      cwd: dir,
      env: { ...process.env, ...env, DATABASE_URL: `postgres://pingyi:s3cret@127.0.0.1:${port}/pingyi` },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("could not open the PostgreSQL database in DATABASE_URL");
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
    expect(r.stderr).not.toContain("s3cret");
  }, 60_000);

  it("refuses a data directory that is a file, or a non-empty directory that is no database", async () => {
    await writeFile(join(dir, "a-file"), "x");
    const file = await runNode(BIN, ["score", "2019"], {
      cwd: dir,
      env: { ...process.env, ...env, PINGYI_DATA_DIR: join(dir, "a-file") },
    });
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`PINGYI_DATA_DIR=${join(dir, "a-file")} is a file`);

    const docs = join(dir, "documents");
    await mkdir(docs);
    await writeFile(join(docs, "report.txt"), "x");
    const foreign = await runNode(BIN, ["score", "2019"], {
      cwd: dir,
      env: { ...process.env, ...env, PINGYI_DATA_DIR: docs },
    });
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain(`PINGYI_DATA_DIR=${docs} is not empty`);
    expect(readdirSync(docs)).toEqual(["report.txt"]);
  }, 60_000);

  it("refuses a data directory that holds no database, and creates none", async () => {
    const missing = join(dir, "nowhere");
    const empty = join(dir, "empty");
    await mkdir(empty);
    await writeFile(join(dir, "f.csv"), "id,unit,type,level\nnone-1,U01,unannounced-visit,city\n");
    // Every command opens the database through one check: each command and each kind of
    // directory is refused once. A relative directory is shown as the directory it is from here.
    const cases = [
      ["nowhere", ["score", "2019"], `PINGYI_DATA_DIR=nowhere (${missing})`],
      [empty, ["imports", "2019"], `PINGYI_DATA_DIR=${empty}`],
    ] as const;
    for (const [data, args, shown] of cases) {
      const r = await runNode(BIN, [...args], {
        cwd: dir,
        env: { ...process.env, ...env, PINGYI_DATA_DIR: data },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${shown} holds no Pingyi database`);
      expect(r.stderr).toContain("the gateway creates it on its first start (pingyi serve)");
      expect(r.stdout).toBe("");
    }
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(empty)).toEqual([]);
    const memory = await runNode(BIN, ["import", "2019", "findings", "f.csv"], {
      cwd: dir,
      env: { ...process.env, ...env, PINGYI_DATA_DIR: "memory://" },
    });
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain(
      "PINGYI_DATA_DIR=memory:// is a database that lives inside the one process",
    );
    expect(memory.stdout).toBe("");
  }, 120_000); // three runs of the CLI, none opening a database

  it("tells the command line to stop the gateway that holds the data directory", async () => {
    const data = join(dir, "held");
    // A gateway's data directory (the lock is checked before the database is read).
    await mkdir(data);
    await writeFile(join(data, "PG_VERSION"), "17\n");
    // A live process (this one) owns the lock, as a running gateway would.
    await writeFile(`${data}.lock`, String(process.pid));
    const r = await runNode(BIN, ["score", "2019"], {
      cwd: dir,
      env: { ...process.env, ...env, PINGYI_DATA_DIR: data },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is in use by process");
    expect(r.stderr).toContain("stop the gateway first");
  }, 60_000);

  it("checks the file before opening the database, and says how to give the format", async () => {
    const data = join(dir, "untouched");
    const e = { ...process.env, ...env, PINGYI_DATA_DIR: data };
    const missing = await runNode(BIN, ["import", "2019", "findings", "nope.csv"], { cwd: dir, env: e });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.csv: no such file");
    await writeFile(join(dir, "findings.txt"), "id,unit,type,level\n");
    // What the command line itself says wrong is a usage mistake (exit code 2), as a missing
    // argument is; a file that is not there is not (exit code 1).
    const txt = await runNode(BIN, ["import", "2019", "findings", "findings.txt"], { cwd: dir, env: e });
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain("add --format csv, xlsx or json");
    await writeFile(join(dir, "findings.xls"), "");
    const xls = await runNode(BIN, ["import", "2019", "findings", "findings.xls"], { cwd: dir, env: e });
    expect(xls.stderr).toContain("save it as .xlsx or .csv");
    const kind = await runNode(BIN, ["import", "2019", "vetos", "findings.txt"], { cwd: dir, env: e });
    expect(kind.code).toBe(2);
    expect(kind.stdout).toBe("");
    expect(kind.stderr).toBe(
      `pingyi import: unknown import kind 'vetos': did you mean 'vetoes'? The kinds are units, survey-forms, ballots, findings, scores, vetoes, bonuses\n${USAGE.import}`,
    );
    const singular = await runNode(BIN, ["import", "2019", "ballot", "findings.txt"], { cwd: dir, env: e });
    expect(singular.code).toBe(2);
    expect(singular.stderr).toContain("unknown import kind 'ballot': did you mean 'ballots'?");
    const far = await runNode(BIN, ["import", "2019", "marks", "findings.txt"], { cwd: dir, env: e });
    expect(far.stderr).toContain(
      "unknown import kind 'marks': use units, survey-forms, ballots, findings, scores, vetoes, bonuses",
    );
    // A format or an import id given wrong, refused as an encoding is, before the database is
    // opened: on a bad PINGYI_DATA_DIR, the database's refusal hid the format's.
    const xml = await runNode(BIN, ["import", "2019", "findings", "findings.txt", "--format", "xml"], {
      cwd: dir,
      env: e,
    });
    expect([xml.code, xml.stdout]).toEqual([2, ""]);
    expect(xml.stderr).toBe(
      `pingyi import: --format: 'xml' is not a format the import reads: use csv, xlsx or json\n${USAGE.import}`,
    );
    const id = await runNode(BIN, ["import", "2019", "findings", "nope.csv", "--id", " "], {
      cwd: dir,
      env: e,
    });
    expect([id.code, id.stderr]).toEqual([
      2,
      `pingyi import: --id is blank (only spaces): give it a value, or leave it out\n${USAGE.import}`,
    ]);
    expect(existsSync(data)).toBe(false);
  }, 60_000);

  it("reads a file in the encoding --encoding gives, without detecting it", async () => {
    // An unknown unit, so that the refusal shows how its name was read: 某某局 in GB18030, whose
    // first two characters happen to be valid UTF-8 (ĳĳ).
    const gb = Buffer.concat([
      Buffer.from("id,unit,type,level\nenc-1,"),
      Buffer.from("c4b3c4b3bed6", "hex"),
      Buffer.from(",unannounced-visit,city\n"),
    ]);
    await writeFile(join(dir, "gb.csv"), gb);
    const asUtf8 = await run(["import", "2019", "findings", "gb.csv", "--encoding", "UTF-8"]);
    expect(asUtf8.code).toBe(1);
    expect(asUtf8.stderr).toContain("line 2: the file is not valid UTF-8 at byte 29");
    const asGbk = await run(["import", "2019", "findings", "gb.csv", "--encoding", "gbk"]);
    expect(asGbk.code).toBe(1);
    expect(asGbk.stderr).toContain("line 2, column unit: unknown unit '某某局' in this cycle");

    // Refused before the database is opened.
    const e = { ...process.env, ...env, PINGYI_DATA_DIR: join(dir, "not-opened") };
    const latin = await runNode(BIN, ["import", "2019", "findings", "gb.csv", "--encoding", "latin1"], {
      cwd: dir,
      env: e,
    });
    expect(latin.code).toBe(2);
    expect(latin.stderr).toContain(
      "--encoding: 'latin1' is not an encoding the import reads: use utf-8 or gb18030 (GBK and GB2312 files are read as GB18030)",
    );
    await writeFile(join(dir, "book.xlsx"), "");
    const xlsx = await runNode(BIN, ["import", "2019", "findings", "book.xlsx", "--encoding", "gb18030"], {
      cwd: dir,
      env: e,
    });
    expect(xlsx.code).toBe(2);
    expect(xlsx.stderr).toContain("--encoding is for CSV and JSON files");
    expect(existsSync(join(dir, "not-opened"))).toBe(false);
  }, 120_000); // four runs of the CLI, two opening the embedded database

  // The ranking table's flag for it is checked on the table the units test below prints.
  it("imports veto events, saying which column it did not read", async () => {
    expect((await run(["--help"])).stdout).toContain("| scores | vetoes | bonuses");
    // With a column of the exporting system's own, which no veto column reads: said, not dropped unseen.
    await writeFile(
      join(dir, "vetoes.csv"),
      "否决编号,单位编号,否决类型,否决事由,录入人\ncli-v1,U09,major-incident,重大责任事故,张三\n",
    );
    // A misspelt data directory or DATABASE_URL would send the rows to another database than
    // meant: said on stderr, as `serve` logs it, with the database the rows went to.
    const r = await run(["import", "2019", "vetoes", "vetoes.csv"], dir, {
      PINGYI_DATADIR: join(dir, "other"),
      DATABASE_URI: "postgres://pingyi:hush@db.internal/pingyi",
    });
    expect(r.stderr).toBe(
      "warning: DATABASE_URI is not a setting of the gateway: did you mean DATABASE_URL? Without DATABASE_URL the gateway uses the embedded database in PINGYI_DATA_DIR\n" +
        "warning: PINGYI_DATADIR is not a setting of the gateway: did you mean PINGYI_DATA_DIR?\n" +
        database(),
    );
    expect(r.stdout).toBe("imported 1 row; column not read (not vetoes columns): '录入人'\n");
  }, 60_000);

  it("names the token's bad role or duration", async () => {
    // A usage mistake, as a missing argument is: exit code 2 and the usage.
    const role = await run(["token", "boss", "bob"]);
    expect(role.code).toBe(2);
    expect(role.stderr).toBe(
      `pingyi token: unknown role 'boss': use viewer, analyst, admin; nothing was done\n${USAGE.token}`,
    );
    // Nothing on stdout, which `pingyi token … > ci.token` or TOKEN=$(pingyi token …) keeps.
    expect(role.stdout).toBe("");
    // What the command mints, the gateway that made the secret accepts.
    const minted = await run(["token", "analyst", "alice"], dir, { PINGYI_JWT_SECRT: "misspelt" });
    // The misspelt setting said on stderr; stdout is the token alone.
    expect(minted.stderr).toBe(
      "warning: PINGYI_JWT_SECRT is not a setting of the gateway: did you mean PINGYI_JWT_SECRET?\n",
    );
    const verifier = await createTokenVerifier(loadConfig(env));
    expect(await verifier.verify(minted.stdout.trim())).toMatchObject({ role: "analyst", subject: "alice" });
    const expires = await run(["token", "admin", "bob", "--expires", "soon"]);
    expect(expires.code).toBe(2);
    expect(expires.stderr).toMatch(
      /^pingyi token: --expires: 'soon' is not a duration .*; nothing was done\n/,
    );
    expect(expires.stderr.split("\n").slice(1).join("\n")).toBe(USAGE.token);
    expect(expires.stdout).toBe("");
    // No token list to revoke from: a century-long token would be a credential for good.
    const century = await run(["token", "admin", "bob", "--expires", "100y"]);
    expect(century.code).toBe(2);
    expect(century.stdout).toBe("");
    expect(century.stderr).toContain("--expires: '100y' is longer than a year");
    // Where the gateway accepts less than a year, the command mints no token it would refuse.
    const shorter = { ...process.env, ...env, PINGYI_JWT_MAX_AGE_SECONDS: "172800" };
    const week = await runNode(BIN, ["token", "admin", "bob", "--expires", "7d"], { cwd: dir, env: shorter });
    expect(week.code).toBe(2);
    expect(week.stdout).toBe("");
    expect(week.stderr).toContain(
      "--expires: '7d' is longer than PINGYI_JWT_MAX_AGE_SECONDS=172800 (2 days), the longest a token the gateway accepts may last",
    );
    // Without --expires, the 12 hours it was not given are named as the default, not as its '12h'.
    const hour = { ...process.env, ...env, PINGYI_JWT_MAX_AGE_SECONDS: "3600" };
    const unsaid = await runNode(BIN, ["token", "admin", "bob"], { cwd: dir, env: hour });
    expect([unsaid.code, unsaid.stdout]).toEqual([2, ""]);
    expect(unsaid.stderr).toBe(
      `pingyi token: without --expires a token lasts 12 hours, longer than PINGYI_JWT_MAX_AGE_SECONDS=3600 (1 hour), the longest a token the gateway accepts may last: give a shorter --expires; nothing was done\n${USAGE.token}`,
    );
    const day = await runNode(BIN, ["token", "admin", "bob", "--expires", "1d"], { cwd: dir, env: shorter });
    expect(day.code).toBe(0);
    expect(day.stdout).toMatch(/^ey/);

    // A data directory no gateway has started on has no development secret: a token signed with
    // a new one would be refused by the gateway, so none is made, nor a stray secret file.
    const stray = join(dir, "no-gateway-here");
    const elsewhere = await runNode(BIN, ["token", "analyst", "alice"], {
      cwd: dir,
      env: { ...process.env, ...env, PINGYI_DATA_DIR: stray },
    });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toBe("");
    expect(elsewhere.stderr).toContain(`no development secret beside PINGYI_DATA_DIR=${stray}`);
    expect(elsewhere.stderr).toContain("Set PINGYI_DATA_DIR to the data directory your gateway uses");
    expect(existsSync(`${stray}.dev-secret`)).toBe(false);
    const memory = await runNode(BIN, ["token", "analyst", "alice"], {
      cwd: dir,
      env: { ...process.env, ...env, PINGYI_DATA_DIR: "memory://" },
    });
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain("signs with a secret of its own process");
  }, 60_000);

  it("says which argument is missing, or that a command is unknown, and the usage, on stderr", async () => {
    const subject = await run(["token", "analyst"]);
    expect(subject.code).toBe(2);
    expect(subject.stderr).toBe(`pingyi token: <subject> missing\n${USAGE.token}`);
    expect(subject.stdout).toBe("");
    const file = await run(["import", "2019"]);
    expect(file.stderr).toBe(`pingyi import: <kind> <file> missing\n${USAGE.import}`);
    // The gateway refuses a token whose subject names no one: none is minted.
    const blank = await run(["token", "admin", " "]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toBe(`pingyi token: <subject> is blank (only spaces)\n${USAGE.token}`);
    expect(blank.stdout).toBe("");
    // Nor one whose subject has spaces around it, which the audit log would name with them.
    for (const spaced of [" alice ", "alice\u3000"]) {
      const padded = await run(["token", "analyst", spaced]);
      expect(padded.code, spaced).toBe(2);
      expect(padded.stderr, spaced).toBe(
        `pingyi token: <subject> ${JSON.stringify(spaced)} has spaces around it: a subject is one exact name, which the audit log records as given; write it without them; nothing was done\n${USAGE.token}`,
      );
      expect(padded.stdout, spaced).toBe("");
    }
    const unknown = await run(["scores", "2019"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("unknown command 'scores'\nsee pingyi --help for the commands\n");
    expect(unknown.stdout).toBe("");
    // Another command's option is refused before anything runs: this import once imported.
    const dry = await run(["import", "2019", "findings", "nowhere.csv", "--dry-run"]);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toBe(
      `pingyi import: --dry-run is not an option of this command (it takes --id, --format, --encoding, --other-forms-than); nothing was done\n${USAGE.import}`,
    );
    // `pingyi schema --markdown > schema.out` wrote the help into schema.out.
    const markdown = await run(["schema", "--markdown"]);
    expect([markdown.code, markdown.stdout]).toEqual([2, ""]);
    // A mistyped option in the command's words, with the one meant (Node's spoke of positionals).
    const typo = await run(["move-database", "--to", "postgres://db/x", "--dryrun"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      "pingyi move-database: unknown option --dryrun; did you mean --dry-run? (it takes --to, --dry-run)\nusage: pingyi move-database --to <postgres url> [--dry-run] (see pingyi --help)\n",
    );
    const bare = await run(["import", "2019", "findings", "f.csv", "--id"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe(`pingyi import: --id needs a value after it\n${USAGE.import}`);
    const valued = await run(["move-database", "--to", "postgres://db/x", "--dry-run=yes"]);
    expect(valued.code).toBe(2);
    expect(valued.stderr).toMatch(
      /^pingyi move-database: --dry-run takes no value \(give it alone, as --dry-run\)\nusage: /,
    );
    // An option's value is not taken for the command.
    const late = await run(["--group", "g1", "score", "2019", "--bogus"]);
    expect(late.stderr).toBe(`pingyi score: unknown option --bogus (it takes --group)\n${USAGE.score}`);
    const none = await run(["imports", "2019", "--group", "G1"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      "pingyi imports: --group is not an option of this command (it takes none); nothing was done\nusage: pingyi imports <cycle> (see pingyi --help)\n",
    );
  }, 60_000);

  it("refuses an empty argument or option value, naming it, before anything runs", async () => {
    // As `pingyi score "$CYCLE"` runs with CYCLE unset: said to be missing, unnamed; and
    // `score --group=` printed every group.
    const e = { ...process.env, ...env, PINGYI_DATA_DIR: join(dir, "never-opened") };
    const said = (args: string[]) => runNode(BIN, args, { cwd: dir, env: e });
    const cycle = await said(["score", ""]);
    expect([cycle.code, cycle.stdout]).toEqual([2, ""]);
    expect(cycle.stderr).toBe(
      `pingyi score: <cycle> is empty (a shell variable that is not set gives an empty one)\n${USAGE.score}`,
    );
    const group = await said(["score", "2019", "--group="]);
    expect([group.code, group.stdout]).toEqual([2, ""]);
    expect(group.stderr).toBe(
      `pingyi score: --group is empty: give it a value, or leave it out (a shell variable that is not set gives an empty one)\n${USAGE.score}`,
    );
    for (const [args, named] of [
      [["token", "", "bob"], "pingyi token: <role> is empty"],
      [["token", "admin", ""], "pingyi token: <subject> is empty"],
      [["remove-import", ""], "pingyi remove-import: <importId> is empty"],
      [
        ["import", "2019", "findings", "f.csv", "--encoding="],
        "pingyi import: --encoding is empty: give it a value,",
      ],
      [["move-database", "--to="], "pingyi move-database: --to is empty: give it a value ("],
    ] as const) {
      const r = await said([...args]);
      expect([args, r.code, r.stdout, r.stderr.startsWith(named)]).toEqual([args, 2, "", true]);
    }
  }, 60_000);

  it("refuses an argument too many, naming it and the usage, before anything runs", async () => {
    await writeFile(join(dir, "extra-1.csv"), "id,unit,type,level\ncli-x1,U01,unannounced-visit,city\n");
    await writeFile(join(dir, "extra-2.csv"), "id,unit,type,level\ncli-x2,U02,unannounced-visit,city\n");
    // This imported extra-1.csv alone, said "imported 1 row" and exited 0.
    const files = await run(["import", "2019", "findings", "extra-1.csv", "extra-2.csv"]);
    expect(files.code).toBe(2);
    expect(files.stderr).toBe(
      `pingyi import: 'extra-2.csv' is an argument too many (one file per import: run it again for each other file); nothing was done\n${USAGE.import}`,
    );
    expect(files.stdout).toBe("");
    // That nothing was imported is checked on the list of imports the last test prints.
    const years = await run(["score", "2019", "2018"]);
    expect(years.code).toBe(2);
    expect(years.stderr).toBe(
      `pingyi score: '2018' is an argument too many; nothing was done\n${USAGE.score}`,
    );
    const ids = await run(["remove-import", "a", "b", "c"]);
    expect(ids.code).toBe(2);
    expect(ids.stderr).toBe(
      "pingyi remove-import: 'b' 'c' are 2 arguments too many; nothing was done\nusage: pingyi remove-import <importId> (see pingyi --help)\n",
    );
    for (const [command, ...args] of [
      ["token", "admin", "alice", "bob"],
      ["imports", "2019", "2018"],
      ["move-database", "postgres://db/x", "--to", "postgres://db/y"],
      ["schema", "out.graphql"],
      ["reference", "x"],
      ["scheme-schema", "scheme.schema.json"],
      ["config", "--markdown", "x"],
    ]) {
      const r = await run([command!, ...args]);
      expect([command, r.code, r.stderr]).toEqual([command, 2, expect.stringContaining("too many")]);
    }
    expect((await run(["schema", "out.graphql"])).stderr).toBe(
      "pingyi schema: 'out.graphql' is an argument too many (it takes none); nothing was done\nusage: pingyi schema (see pingyi --help)\n",
    );
    // A gateway is not started on a port given as an argument (PORT says it).
    const served = await runFor(["serve", "8080"], { ...process.env, ...env, PORT: "0" }, dir, 20_000);
    expect([served.killed, served.code]).toEqual([false, 2]);
    expect(served.stderr).toBe(
      "pingyi serve: '8080' is an argument too many (it takes none: the gateway's settings are environment variables, as PORT=4001 pingyi serve; docs/configuration.md lists them); nothing was done\nusage: pingyi serve (see pingyi --help)\n",
    );
    // Nor on one given as an option: the variable it meant is named, with its value.
    const port = await runFor(
      ["serve", "--port", "4001"],
      { ...process.env, ...env, PORT: "0" },
      dir,
      20_000,
    );
    expect([port.killed, port.code]).toEqual([false, 2]);
    expect(port.stderr).toBe(
      "pingyi serve: unknown option --port: the gateway's settings are environment variables, as PORT=4001 pingyi serve; docs/configuration.md lists them\nusage: pingyi serve (see pingyi --help)\n",
    );
    const dataDir = await run(["serve", "--data-dir=/srv/pingyi"]);
    expect(dataDir.stderr).toContain("as PINGYI_DATA_DIR=/srv/pingyi pingyi serve;");
    // The help names the columns `pingyi imports` prints, as its header does.
    expect((await run(["--help"])).stdout).toContain("(tab-separated: id kind format rows actor created)");
  }, 120_000);

  // Last: it adds units to 2019, which the tests above score and import into, and removes them.
  it("imports a year's units, lists a cycle's imports and removes one, with the API's refusals", async () => {
    expect((await run(["--help"])).stdout).toContain("kind: units | survey-forms");
    await writeFile(join(dir, "self.csv"), "id,name,group,parent\ncli-u3,自己,law-enforcement,cli-u3\n");
    const bad = await run(["import", "2019", "units", "self.csv"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^import rejected: 1 bad row; nothing was written\n {2}line 2, column parent: a unit cannot be its own parent/,
    );

    // Sub-units before their parents. The id is stored as the API stores it, trimmed, so either
    // can remove it.
    await writeFile(
      join(dir, "units.csv"),
      "id,name,group,parent\ncli-u2,新分局,law-enforcement,cli-u1\ncli-u1,新局,law-enforcement,\n",
    );
    const units = await run(["import", "2019", "units", "units.csv", "--id", " cli-units "]);
    expect(units.stderr).toBe(database());
    expect(units.stdout).toBe("imported 2 rows\n");
    expect((await run(["import", "2019", "units", "units.csv", "--id", " cli-units "])).stdout).toContain(
      "already imported",
    );
    await writeFile(
      join(dir, "r-findings.csv"),
      "id,unit,type,level\ncli-r-f1,cli-u1,unannounced-visit,city\n",
    );
    // As a cron job or a container runs it: no USER or LOGNAME, and the audit still says who.
    const { USER: _user, LOGNAME: _logname, SUDO_USER: _sudo, ...noUser } = { ...process.env, ...env };
    const findingsImport = await runNode(
      BIN,
      ["import", "2019", "findings", "r-findings.csv", "--id", "cli-findings"],
      { cwd: dir, env: noUser },
    );
    expect(findingsImport.stderr).toBe(database());

    const table = await run(["score", "2019"]);
    expect(table.stdout).toContain("\tcli-u1\t新局\t");
    expect(table.stdout).toContain("\tcli-u2\t新分局\t");
    expect(table.stdout).not.toContain("cli-u3");
    // The veto event imported above flags its unit.
    const u09 = table.stdout.split("\n").find((l) => l.split("\t")[2] === "U09");
    expect(u09?.split("\t").at(-1)).toBe("veto");

    // A command that only reads warns of a misspelt setting on stderr too; its table is as ever.
    const list = await run(["imports", "2019"], dir, { PINGYI_DATADIR: join(dir, "other") });
    expect(list.stderr).toBe(
      "warning: PINGYI_DATADIR is not a setting of the gateway: did you mean PINGYI_DATA_DIR?\n",
    );
    const rows = list.stdout.trim().split("\n");
    expect(rows[0]).toBe("id\tkind\tformat\trows\tactor\tcreated");
    expect(rows[1]).toMatch(/^cli-findings\tfindings\tcsv\t1\tcli:\S+\t\d{4}-\d\d-\d\dT/);
    expect(rows[1]!.split("\t")[4]).toBe(`cli:${userInfo().username}`);
    expect(rows).toContainEqual(expect.stringMatching(/^cli-units\tunits\tcsv\t2\t/));
    // The import refused for an argument too many imported nothing.
    expect(list.stdout).not.toContain("extra-1.csv");
    const unknown = await run(["imports", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("cycle 'nope' not found");

    const refused = await run(["remove-import", "cli-units"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "import 'cli-units' cannot be removed: records still refer to its units cli-u1 (findings); remove those first",
    );
    const findings = await run(["remove-import", "cli-findings"]);
    expect(findings.stderr).toBe(database());
    expect(findings.stdout).toContain("removed import 'cli-findings' from cycle '2019': 1 row\n");
    expect((await run(["remove-import", " cli-units "])).stdout).toContain(
      "removed import 'cli-units' from cycle '2019': 2 rows\n",
    );
    expect((await run(["--help"])).stdout).toContain("pingyi remove-import <importId>");
  }, 300_000); // ten runs of the CLI, each opening the embedded database
});

describe.skipIf(!process.env.PINGYI_TEST_DATABASE_URL)("pingyi CLI on a PostgreSQL server", () => {
  it("refuses a database without the gateway's tables, and creates none", async () => {
    const { url, drop } = await createPostgresDatabase();
    try {
      const r = await runNode(BIN, ["score", "2019"], {
        cwd: tmpdir(),
        env: { ...process.env, LOG_LEVEL: "silent", PINGYI_SEED: "true", DATABASE_URL: url },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("has no Pingyi tables: the gateway creates them on its first start");
      const db = await openPostgres(url);
      try {
        expect(await db.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      await drop();
    }
  }, 60_000);
});
