#!/usr/bin/env node
// Runs the whole test suite: every package, against both storage backends.
//
// The PostgreSQL variant of the store and gateway tests needs a server. Unless
// PINGYI_TEST_DATABASE_URL is already set, this script starts a throwaway one
// (initdb + pg_ctl in a temp dir, on a free loopback port) and removes it afterwards,
// so `pnpm test` on a fresh clone tests everything with nothing installed by hand.
// Ends with the plain line "N passed, N failed" so a run that executed nothing shows.
//
// --nodes=22,24 also runs, under those Node majors (fetched from the npm registry by npx, so
// CI needs no version manager), the engine project and the gateway tests that lean on what
// changes between Node releases (HTTP limits, child processes and signals, streams, zip and
// text decoding, PGlite's WebAssembly), on the embedded database; the final line sums every run.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { stripVTControlCharacters } from "node:util";

/**
 * The whole gateway suite takes ~10 minutes; on the other Node majors its end-to-end flow and
 * the parts that use Node's own HTTP server, processes, streams and decoders run (~1.5 minutes).
 */
const GATEWAY_ON_OTHER_NODES = [
  "packages/gateway/test/admin-flow.test.ts",
  "packages/gateway/test/startup.test.ts",
  "packages/gateway/test/security.test.ts",
  "packages/gateway/test/subscription.test.ts",
  "packages/gateway/src/import/",
];

const nodesArg = process.argv.slice(2).find((a) => a.startsWith("--nodes="));
const extraNodes = nodesArg ? nodesArg.slice("--nodes=".length).split(",").filter(Boolean) : [];
const extraArgs = process.argv.slice(2).filter((a) => a !== nodesArg);

function findPgBin() {
  const candidates = [
    process.env.PG_BIN,
    "/usr/lib/postgresql/15/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/17/bin",
  ];
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
    console.warn(
      "[test] PostgreSQL binaries not found: the PostgreSQL variant of the store tests will be skipped",
    );
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
    "-D",
    data,
    "-l",
    join(dir, "log"),
    "-w",
    "-t",
    "60",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
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
// The Chromium the console's browser tests drive, found as they find it (CHROMIUM in
// packages/console/test/harness.ts): without it they are skipped (in CI, CI=true, they fail).
const chromium = process.env.PINGYI_CHROMIUM ?? "/usr/bin/chromium";
const runsConsole = extraArgs.length === 0 || extraArgs.some((a) => a.includes("console"));
if (runsConsole && !existsSync(chromium))
  console.warn(
    `[test] Chromium not found at ${chromium} (set PINGYI_CHROMIUM, or apt-get install chromium): the console's browser tests will be skipped`,
  );
const env = { ...process.env };
if (pg) env.PINGYI_TEST_DATABASE_URL = pg.url;
const reportDir = mkdtempSync(join(tmpdir(), "pingyi-report-"));

/**
 * A failure's first `count` lines, without colours, each cut to 300 characters: enough for a
 * property's seed, counterexample and the assertion it broke ("Property failed after 17 tests"
 * alone, at the end of a log CI keeps only the end of, left a failure nobody could replay).
 */
function headLines(message, count) {
  const all = stripVTControlCharacters(message ?? "")
    .trim()
    .split("\n");
  // The stack is in the log above; the summary is for what failed and with what.
  const stack = all.findIndex((line, i) => i > 0 && /^\s+at /.test(line));
  const lines = all
    .slice(0, Math.min(count, stack < 0 ? all.length : stack))
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line));
  return lines.join("\n    ");
}

/** How many failures the summary gives more than a line of, and how many lines. */
const DETAILED_FAILURES = 5;
const DETAIL_LINES = 16;

/** Runs vitest with `node` (a command and its leading args); returns the run's counts. */
function vitest(label, node, args, runEnv) {
  const report = join(reportDir, `${label.replace(/\W+/g, "-")}.json`);
  const [cmd, ...pre] = node;
  const result = spawnSync(
    cmd,
    [
      ...pre,
      "node_modules/vitest/vitest.mjs",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...args,
    ],
    { stdio: "inherit", env: runEnv },
  );
  const counts = { label, status: result.status ?? 1, passed: 0, failed: 0, skipped: 0, failures: [] };
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8"));
    counts.passed = r.numPassedTests ?? 0;
    counts.failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
    counts.skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    for (const s of r.testResults ?? []) {
      const file = relative(process.cwd(), s.name ?? "?");
      const tests = s.assertionResults ?? [];
      // A suite that failed to load counts as a failure even though no test in it ran.
      if (s.status === "failed" && tests.length === 0) counts.failed++;
      // One that failed with no failed test in it failed in a hook (beforeAll, afterAll) or
      // while loading: named too, or the summary could only say that something crashed.
      if (s.status === "failed" && !tests.some((a) => a.status === "failed"))
        counts.failures.push(
          `${file}: failed outside its tests (loading it, or a beforeAll/afterAll hook): ${headLines(s.message, 1) || "see above"}`,
        );
      for (const a of tests)
        if (a.status === "failed") {
          const lines = counts.failures.length < DETAILED_FAILURES ? DETAIL_LINES : 1;
          counts.failures.push(
            `${file} > ${a.fullName ?? a.title}: ${headLines(a.failureMessages?.[0], lines)}`,
          );
        }
    }
  } else if (counts.status !== 0) {
    counts.failed = 1;
  }
  // Vitest fails a run on an unhandled error (an 'error' event nobody heard, a rejection) that no
  // test owns, and its report still says success: counted as one failure, so the last line says so.
  if (counts.status !== 0 && counts.failed === 0) {
    counts.failed = 1;
    if (counts.failures.length === 0)
      counts.failures.push(
        `vitest exited ${counts.status}: an unhandled error or a crash, see its output above`,
      );
    console.log(
      `\n[test] ${label}: vitest exited ${counts.status} with no failed test (an unhandled error: see above)`,
    );
  }
  return counts;
}

/**
 * Static checks count like tests, so a lint or type error fails the run the same way: the
 * formatter/linter over the repository and the TypeScript compiler over each package.
 * Only on a full run (a filtered run is someone iterating on a few tests).
 *
 * Two at a time: each is one busy process (the compilers ~20–45 s of CPU apiece), and CI has two
 * cores; one after another they left one idle for a minute and a half.
 */
async function staticChecks() {
  const checks = [
    ["types: gateway", "node_modules/typescript/bin/tsc", ["-p", "packages/gateway"]],
    ["types: console", "node_modules/typescript/bin/tsc", ["-p", "packages/console", "--noEmit"]],
    ["types: engine", "node_modules/typescript/bin/tsc", ["-p", "packages/engine"]],
    ["lint and format (biome)", "node_modules/@biomejs/biome/bin/biome", ["check", "."]],
  ];
  const counts = { label: "static checks", status: 0, passed: 0, failed: 0, skipped: 0, failures: [] };
  const check = ([label, script, args]) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [script, ...args],
        { maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (!err) counts.passed++;
          else {
            counts.failed++;
            counts.status = 1;
            counts.failures.push(`${label}: see its output above`);
            console.log(`\n[test] ${label} FAILED:\n${stdout}${stderr}`);
          }
          console.log(`[test] ${label}: ${err ? "failed" : "ok"}`);
          resolve();
        },
      );
    });
  const queue = [...checks];
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await check(next);
  };
  await Promise.all([lane(), lane()]);
  return counts;
}

const runs = extraArgs.length === 0 ? [await staticChecks()] : [];
try {
  if (extraArgs.length === 0) {
    // The packaging checks build packages/*/dist (engine, gateway, console) in the workspace as
    // `pnpm pack` does: beside each other, or beside the console's browser tests (which serve
    // packages/console/dist), one build deletes what another is reading. So they run after
    // everything else, one file at a time.
    runs.push(vitest(`node ${process.version}`, [process.execPath], ["--project", "!checks"], env));
    runs.push(
      vitest(
        `node ${process.version} packaging checks`,
        [process.execPath],
        ["--project", "checks", "--no-file-parallelism"],
        env,
      ),
    );
  } else {
    runs.push(vitest(`node ${process.version}`, [process.execPath], extraArgs, env));
  }
} finally {
  pg?.stop();
}
// pnpm hands its own settings to the scripts it runs as npm_config_* variables. npm, which npx
// runs, does not know these three and warned of each, twice a CI run; the settings npm does know
// (its registry, proxy, cache) are left for it.
const npxEnv = { ...process.env };
for (const name of ["verify_deps_before_run", "npm_globalconfig", "_jsr_registry"]) {
  delete npxEnv[`npm_config_${name}`];
  delete npxEnv[`NPM_CONFIG_${name.toUpperCase()}`];
}
for (const major of extraNodes) {
  const node = ["npx", "-y", "-p", `node@${major}`, "node"];
  const version =
    spawnSync(node[0], [...node.slice(1), "--version"], { encoding: "utf8", env: npxEnv }).stdout?.trim() ||
    `${major} (not installed)`;
  // One run of both, not one after the other: each alone ended on one long file with the other
  // core idle (the engine's ~85 s run was mostly its slowest file).
  console.log(`\n[test] the engine project and the gateway (embedded database) on Node ${version}`);
  runs.push(
    vitest(
      `node ${version} engine and gateway`,
      node,
      ["--project", "engine*", "--project", "gateway*", "packages/engine/", ...GATEWAY_ON_OTHER_NODES],
      npxEnv,
    ),
  );
}
rmSync(reportDir, { recursive: true, force: true });

const total = { passed: 0, failed: 0, skipped: 0 };
for (const r of runs) for (const k of Object.keys(total)) total[k] += r[k];
// Named again here, beside the totals, because CI keeps only the end of a long log: which test
// failed must not sit thousands of lines above the line that says one did.
const failures = runs.flatMap((r) => (r.failures ?? []).map((f) => `[test] FAILED (${r.label}) ${f}`));
if (failures.length > 0) console.log(`\n${failures.join("\n")}\n`);
if (runs.length > 1)
  for (const r of runs)
    console.log(`[test] ${r.label}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(runs.some((r) => r.status !== 0) || total.failed > 0 ? 1 : total.passed === 0 ? 1 : 0);
