#!/usr/bin/env node
// Runs the whole test suite: every package, against both storage backends.
//
// The PostgreSQL variant of the store and gateway tests needs a server. Unless
// PINGYI_TEST_DATABASE_URL is already set, this script starts a throwaway one
// (initdb + pg_ctl in a temp dir, on a free loopback port) and removes it afterwards,
// so `pnpm test` on a fresh clone tests everything with nothing installed by hand.
// Ends with the plain line "N passed, N failed" so a run that executed nothing shows.
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const extraArgs = process.argv.slice(2);

function findPgBin() {
  const candidates = [process.env.PG_BIN, "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"];
  for (const dir of candidates) if (dir && existsSync(join(dir, "initdb"))) return dir;
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  const path = which.stdout.trim();
  return path ? path.replace(/\/initdb$/, "") : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startPostgres() {
  const bin = findPgBin();
  if (!bin) {
    console.warn("[test] PostgreSQL binaries not found: the PostgreSQL variant of the store tests will be skipped");
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "pingyi-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root; run it as the postgres user then.
  const run = (cmd, args) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  if (asRoot) {
    chmodSync(dir, 0o777);
  }
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  run("pg_ctl", [
    "-D", data, "-l", join(dir, "log"), "-w", "-t", "60",
    "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ]);
  const stop = () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

const pg = process.env.PINGYI_TEST_DATABASE_URL ? null : await startPostgres();
const env = { ...process.env };
if (pg) env.PINGYI_TEST_DATABASE_URL = pg.url;
const reportDir = mkdtempSync(join(tmpdir(), "pingyi-report-"));
const report = join(reportDir, "vitest.json");

let status = 1;
try {
  const result = spawnSync(
    process.execPath,
    [
      "node_modules/vitest/vitest.mjs", "run",
      "--reporter=default", "--reporter=json", `--outputFile.json=${report}`,
      ...extraArgs,
    ],
    { stdio: "inherit", env },
  );
  status = result.status ?? 1;
} finally {
  pg?.stop();
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A suite that failed to load counts as a failure even though no test in it ran.
  for (const s of r.testResults ?? []) if (s.status === "failed" && (s.assertionResults ?? []).length === 0) failed++;
} else if (status !== 0) {
  failed = 1;
}
rmSync(reportDir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 ? 1 : passed === 0 ? 1 : 0);
