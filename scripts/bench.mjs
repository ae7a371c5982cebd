#!/usr/bin/env node
// Runs every benchmark: each packages/*/bench/*.bench.ts file (and packages/gateway/bench/
// import-bench.ts when present), one after another so that they do not compete for the
// two cores, with live TypeScript source (`--conditions=@pingyi/source --import tsx`) and
// `--expose-gc` so that a bench can collect garbage between timed runs.
//
//   pnpm bench                 every bench
//   pnpm bench evaluate        only benches whose path contains "evaluate"
//   PINGYI_BENCH_SCALE=0.1     smaller data sets (benches that support it)
//
// A bench that needs a server which is not configured says so and exits with code 78
// (EX_CONFIG); it is reported as skipped, not failed. A bench that fails with a connection
// error (ECONNREFUSED, missing DATABASE_URL, …) is treated the same way. Ends with the line
// "N ran, N skipped, N failed"; the exit code is 1 when any bench failed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const filters = process.argv.slice(2);
const EX_CONFIG = 78;
const NEEDS_SERVER = /ECONNREFUSED|DATABASE_URL|not configured|connect ENOENT|no server/i;

function findBenches() {
  const out = [];
  const packages = join(root, "packages");
  for (const pkg of readdirSync(packages).sort()) {
    const dir = join(packages, pkg, "bench");
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith(".bench.ts")) out.push(join(dir, f));
    const gatewayImport = join(dir, "import-bench.ts");
    if (pkg === "gateway" && existsSync(gatewayImport) && !out.includes(gatewayImport))
      out.push(gatewayImport);
  }
  return out;
}

const benches = findBenches().filter((b) => filters.length === 0 || filters.some((f) => b.includes(f)));
if (benches.length === 0) {
  console.error(`no bench matches ${filters.join(", ") || "(none found)"}`);
  process.exit(1);
}

let ran = 0;
let skipped = 0;
let failed = 0;
for (const bench of benches) {
  const name = relative(root, bench);
  const pkgDir = join(bench, "..", "..");
  console.log(`\n# ${name}`);
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    ["--conditions=@pingyi/source", "--import", "tsx", "--expose-gc", bench],
    { cwd: pkgDir, stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (r.status === 0) {
    if (r.stderr) process.stderr.write(r.stderr);
    ran++;
    console.log(`\n(${name}: ${seconds} s)`);
  } else if (r.status === EX_CONFIG || NEEDS_SERVER.test(r.stderr ?? "")) {
    skipped++;
    const why =
      (r.stderr ?? "")
        .trim()
        .split("\n")
        .find((l) => l.trim() !== "") ?? "needs a server";
    console.log(`skipped: ${why}`);
  } else {
    failed++;
    process.stderr.write(r.stderr ?? "");
    console.log(`FAILED: ${name} (exit ${r.status ?? r.signal})`);
  }
}
console.log(`\n${ran} ran, ${skipped} skipped, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
