/**
 * Import throughput: 2,000,000 survey forms as CSV, imported into PGlite and (when
 * PINGYI_BENCH_DATABASE_URL or PINGYI_TEST_DATABASE_URL is set) PostgreSQL, side by side with the
 * SQL tally time.
 *
 *   node --conditions=@pingyi/source --import tsx packages/gateway/bench/import-bench.ts [rows] [batchSize]
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importFile } from "../src/import/index.js";
import { Store } from "../src/store/index.js";

const ROWS = Number(process.argv[2] ?? 2_000_000);
const BATCH = Number(process.argv[3] ?? 5000);
const UNITS = 100;
const GROUPS = ["企业", "居民", "服务对象", "人大代表", "政协委员"];
const ANSWERS = ["满意", "基本满意", "不满意", "不了解"];

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write("category,unit,respondent_group,answer\n");
  let seed = 42;
  const next = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed;
  };
  for (let i = 0; i < ROWS; i += 10_000) {
    let chunk = "";
    for (let j = i; j < Math.min(ROWS, i + 10_000); j++) {
      const r = next();
      chunk += `public,u${1 + (r % UNITS)},${GROUPS[(r >>> 8) % GROUPS.length]},${ANSWERS[(r >>> 16) % ANSWERS.length]}\n`;
    }
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function setUp(store: Store): Promise<string> {
  const schemeId = `bench-${Date.now()}`;
  await store.schemes.publish("bench", { schemeId, document: {}, reason: "bench", basedOn: null });
  const cycleId = schemeId;
  await store.cycles.create("bench", { id: cycleId, year: 2024, name: "bench", schemeId, schemeVersion: 1 });
  await store.transaction(async (tx) => {
    for (let u = 1; u <= UNITS; u++)
      await tx.units.upsert("bench", cycleId, { id: `u${u}`, name: `单位${u}`, group: "g1" });
  });
  return cycleId;
}

interface Result {
  backend: string;
  seconds: number;
  rowsPerSecond: number;
  tallyMs: number;
  tallies: number;
  rssMb: number;
}

async function run(backend: string, store: Store, csvPath: string): Promise<Result> {
  const cycleId = await setUp(store);
  let peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const res = await importFile(store, {
    cycleId,
    kind: "survey-forms",
    format: "csv",
    importId: `bench-${backend}-${Date.now()}`,
    actor: "bench",
    stream: createReadStream(csvPath, { highWaterMark: 256 * 1024 }),
    batchSize: BATCH,
    onProgress: (n) => {
      if (n % 200_000 < BATCH) {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        process.stderr.write(`\r${backend}: ${n.toLocaleString()} rows`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write("\n");
  const t1 = performance.now();
  const tallies = await store.records.surveyTallies(cycleId);
  const tallyMs = performance.now() - t1;
  const total = tallies.reduce((s, t) => s + t.count, 0);
  if (total !== res.rows || res.rows !== ROWS)
    throw new Error(`tallies count ${total}, imported ${res.rows}, expected ${ROWS}`);
  return {
    backend,
    seconds,
    rowsPerSecond: Math.round(res.rows / seconds),
    tallyMs: Math.round(tallyMs),
    tallies: tallies.length,
    rssMb: Math.round(peakRss / 2 ** 20),
  };
}

const dir = await mkdtemp(join(tmpdir(), "pingyi-bench-"));
try {
  const csvPath = join(dir, "forms.csv");
  await writeCsv(csvPath);
  console.log(
    `${ROWS.toLocaleString()} survey forms, ${((await stat(csvPath)).size / 2 ** 20).toFixed(1)} MiB CSV, batch ${BATCH}`,
  );
  const results: Result[] = [];

  const pglite = await Store.open({ dataDir: join(dir, "pglite") });
  try {
    results.push(await run("pglite", pglite, csvPath));
  } finally {
    await pglite.close();
  }

  const url = process.env.PINGYI_BENCH_DATABASE_URL ?? process.env.PINGYI_TEST_DATABASE_URL;
  if (url) {
    const pg = await Store.open({ databaseUrl: url, dataDir: "" });
    try {
      results.push(await run("postgres", pg, csvPath));
    } finally {
      await pg.close();
    }
  } else {
    console.log("(set PINGYI_BENCH_DATABASE_URL to compare with a PostgreSQL server)");
  }

  console.log("backend    import s   rows/s    tally ms  tallies  peak RSS MB");
  for (const r of results) {
    console.log(
      `${r.backend.padEnd(10)} ${r.seconds.toFixed(1).padStart(8)} ${String(r.rowsPerSecond).padStart(8)} ${String(r.tallyMs).padStart(10)} ${String(r.tallies).padStart(8)} ${String(r.rssMb).padStart(12)}`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
