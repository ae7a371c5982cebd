/**
 * Generates a province-scale evaluation year and writes it to files:
 *
 *   generate [--out <dir>] [--seed 1] [--units 10000] [--groups 50] [--forms 2000000]
 *            [--ballots 200000] [--findings 300000] [--tallies]
 *
 * The year comes from the engine benchmarks' seeded generator, so the same seed and sizes give
 * the same files on every machine. Score it with the embed-engine example:
 *
 *   pnpm --filter @pingyi/example-embed-engine exec node --conditions=@pingyi/source --import tsx \
 *     rank.ts <dir>/scheme.json <dir>/dataset.json --group G01
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
// The generator is the engine benchmarks' (not part of the engine's public API), reused so
// examples, tests and benchmarks all talk about the same province.
import { generateProvince, PROVINCE_DEFAULTS } from "../../packages/engine/bench/province.js";
import { writeProvince } from "./write-province.js";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    seed: { type: "string", default: "1" },
    units: { type: "string" },
    groups: { type: "string" },
    forms: { type: "string" },
    ballots: { type: "string" },
    findings: { type: "string" },
    tallies: { type: "boolean", default: false },
  },
});

function count(name: keyof typeof PROVINCE_DEFAULTS): number {
  const raw = values[name];
  const n = raw === undefined ? PROVINCE_DEFAULTS[name] : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number, not "${raw}"`);
    process.exit(2);
  }
  return n;
}

const seed = Number(values.seed);
const sizes = {
  units: count("units"),
  groups: count("groups"),
  forms: count("forms"),
  ballots: count("ballots"),
  findings: count("findings"),
};
const dir = values.out ?? join(tmpdir(), `pingyi-province-${seed}-${sizes.units}`);

const started = performance.now();
const year = generateProvince({ seed, ...sizes });
const written = writeProvince(year, dir, { tallies: values.tallies });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`province (seed ${seed}) written to ${dir} in ${seconds} s:`);
for (const [file, rows] of Object.entries(written))
  console.log(
    `  ${file.padEnd(18)} ${rows.toLocaleString("en")} ${file === "scheme.json" ? "categories" : rows === 1 ? "row" : "rows"}`,
  );
