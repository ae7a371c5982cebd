import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testCli } from "./helpers.js";

const BIN = testCli();

/**
 * Runs `pingyi serve`; once it is listening, makes one request and stops it. Every line it
 * printed, on either stream.
 */
function serve(env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string[]; stderr: string[] }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], {
      env: {
        ...process.env,
        NODE_ENV: "development",
        PORT: "0",
        PINGYI_DATA_DIR: "memory://",
        PINGYI_SEED: "false",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let asked = false;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const url = /(http:\/\/[^\s"]+?)\/graphql/.exec(stdout)?.[1];
      if (url && !asked) {
        asked = true;
        // A load balancer's probe, then a client's request.
        void fetch(`${url}/health`)
          .then(() => fetch(`${url}/graphql?query=%7B__typename%7D`))
          .finally(() => child.kill("SIGTERM"));
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const lines = (s: string) => s.split("\n").filter((l) => l !== "");
      resolve({ code, stdout: lines(stdout), stderr: lines(stderr) });
    });
  });
}

const parsed = (lines: string[]) =>
  lines.map((line) => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new Error(`not a JSON line: ${line}`);
    }
    expect(record, line).toBeTypeOf("object");
    return record as Record<string, unknown>;
  });

describe("LOG_FORMAT=json", () => {
  it("pingyi serve prints one JSON object per line, the startup lines as a record with their fields", async () => {
    const r = await serve({ LOG_FORMAT: "json" });
    expect(r.code).toBe(0);
    const records = [...parsed(r.stdout), ...parsed(r.stderr)];
    const started = records.find((l) => l.msg === "listening");
    expect(started).toMatchObject({
      level: "info",
      graphql: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/),
      graphiql: expect.stringMatching(/\/graphql$/),
      developmentAdminToken: expect.stringMatching(/^ey/),
    });
    expect(records.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["listening", "request", "shutting down"]),
    );
    // A clean stop ends the log, after the database is closed.
    expect(parsed(r.stdout).at(-1)).toMatchObject({ level: "info", msg: "stopped", signal: "SIGTERM" });
    // The probe that succeeded is a debug line, below LOG_LEVEL=info; the client's request is not.
    expect(records.filter((l) => l.msg === "request").map((l) => l.path)).toEqual(["/graphql"]);
  }, 60_000);

  it("says which database it uses, and warns of a DATABASE_URL misspelt, which left it on the embedded one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pingyi-json-logs-"));
    try {
      const r = await serve({
        LOG_FORMAT: "json",
        PINGYI_DATA_DIR: join(dir, "data"),
        DATABASE_URI: "postgres://pingyi:s3cret@db.example.gov:5432/pingyi",
      });
      expect(r.code).toBe(0);
      const records = [...parsed(r.stdout), ...parsed(r.stderr)];
      expect(records.find((l) => l.msg === "listening")).toMatchObject({
        database: `embedded PGlite at ${join(dir, "data")}`,
      });
      const warned = records.findIndex(
        (l) =>
          l.level === "warn" &&
          l.msg ===
            "DATABASE_URI is not a setting of the gateway: did you mean DATABASE_URL? Without DATABASE_URL the gateway uses the embedded database in PINGYI_DATA_DIR",
      );
      expect(warned, "the warning").toBeGreaterThanOrEqual(0);
      // Said before the new embedded database was made, not after it.
      const made = records.findIndex((l) => l.msg === "migrations applied");
      expect(made, "the new database's migrations").toBeGreaterThan(warned);
      expect(JSON.stringify(records)).not.toContain("s3cret");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("never prints an admin token signed with an operator's own secret, and warns that NODE_ENV is not production", async () => {
    // A production gateway that forgot NODE_ENV=production: the token would be a real credential.
    const r = await serve({
      LOG_FORMAT: "json",
      PINGYI_JWT_SECRET: "an-operators-own-secret-0123456789abcdef",
    });
    expect(r.code).toBe(0);
    const records = [...parsed(r.stdout), ...parsed(r.stderr)];
    const started = records.find((l) => l.msg === "listening");
    expect(started).toBeDefined();
    expect(started).not.toHaveProperty("developmentAdminToken");
    expect(JSON.stringify(records)).not.toMatch(/eyJ/);
    expect(records).toContainEqual(
      expect.objectContaining({ level: "warn", msg: expect.stringMatching(/^NODE_ENV is not production/) }),
    );
  }, 60_000);

  it("a start that fails says why in one JSON object on stderr", async () => {
    const r = await serve({ LOG_FORMAT: "json", PORT: "0x10" });
    expect(r.code).toBe(1);
    expect(r.stdout).toEqual([]);
    const [record, ...more] = parsed(r.stderr);
    expect(more).toEqual([]);
    expect(record).toMatchObject({ level: "error", msg: "the gateway did not start" });
    expect(record!.error).toMatch(/PORT: must be a port number in decimal digits/);
  }, 60_000);

  it("LOG_FORMAT=text (the default) keeps the startup lines for a person", async () => {
    const r = await serve({});
    expect(r.code).toBe(0);
    expect(r.stdout).toContainEqual(
      expect.stringMatching(/^Pingyi gateway listening on http:\/\/\S+\/graphql$/),
    );
    expect(r.stdout).toContainEqual("Database: embedded PGlite in memory (lost on exit)");
    expect(r.stdout).toContainEqual(expect.stringMatching(/^Development admin token \(12 h\): ey/));
  }, 60_000);
});
