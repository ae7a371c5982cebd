/**
 * Fingerprints of everything a speed change must leave untouched: the full `evaluate`
 * output (with and without traces, both vote variants) and `createBaseline`'s standings
 * and adjustments, at the scales given (default 1 and 0.1). A performance commit prints
 * the same hashes before and after, or it changed a result.
 *
 *   node --conditions=@pingyi/source --import tsx bench/identity.ts [scale ...]
 */
import { createHash, type Hash } from "node:crypto";
import { createBaseline, evaluate } from "../src/index.js";
import { generateProvince, PROVINCE_DEFAULTS, type ProvinceOptions } from "./province.js";

const SEED = 20191231;

function sizes(scale: number, vote: ProvinceOptions["vote"]): ProvinceOptions {
  const s = (n: number) => Math.max(1, Math.round(n * scale));
  return {
    seed: SEED,
    units: s(PROVINCE_DEFAULTS.units),
    groups: Math.max(2, Math.round(PROVINCE_DEFAULTS.groups * Math.min(1, scale * 2))),
    forms: s(PROVINCE_DEFAULTS.forms),
    ballots: s(PROVINCE_DEFAULTS.ballots),
    findings: s(PROVINCE_DEFAULTS.findings),
    vote,
  };
}

/** JSON with bigints and Maps spelled out, so exact values hash as themselves. */
const json = (v: unknown) =>
  JSON.stringify(v, (_k, x) =>
    typeof x === "bigint" ? `${x}n` : x instanceof Map ? { map: [...x.entries()] } : x,
  );

/** Hashes a large array element by element: the whole text would exceed V8's string limit. */
function hashList(hash: Hash, list: readonly unknown[]): void {
  hash.update(`[${list.length}]`);
  for (const item of list) hash.update(json(item));
}

const hex = (h: Hash) => h.digest("hex").slice(0, 16);

function fingerprints(scale: number): void {
  for (const vote of ["trimmed-mean", "role-weighted"] as const) {
    const { scheme, dataset } = generateProvince(sizes(scale, vote));
    for (const traces of [true, false]) {
      const result = evaluate(scheme, dataset, { traces });
      const h = createHash("sha256");
      h.update(json({ ...result, units: undefined }));
      hashList(h, result.units);
      console.log(`scale ${scale} ${vote} evaluate traces=${traces}: ${hex(h)}`);
    }
    const baseline = createBaseline(scheme, dataset);
    const s = createHash("sha256");
    hashList(s, baseline.standings);
    const a = createHash("sha256");
    const { hits, totalDeducted, bonus, vetoes } = baseline.adjustments;
    a.update(json({ hits, totalDeducted, bonus, vetoes }));
    console.log(`scale ${scale} ${vote} baseline standings: ${hex(s)}  adjustments: ${hex(a)}`);
  }
}

const scales = process.argv.slice(2).map(Number);
for (const scale of scales.length > 0 ? scales : [0.1, 1]) fingerprints(scale);
