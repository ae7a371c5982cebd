/**
 * Scores one evaluation year from JSON files and prints the ranking:
 *
 *   rank <scheme.json> <dataset.json> [--group <id>]
 *
 * Invalid input prints every problem with its path and exits with status 1: a ranking is
 * never printed from data the engine rejected.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Dataset, evaluate, formatPath, InputError } from "@pingyi/engine";
import { rankingTable } from "./ranking-table.js";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { group: { type: "string" } } });
const [schemeFile, datasetFile] = positionals;
if (!schemeFile || !datasetFile) {
  console.error("usage: rank <scheme.json> <dataset.json> [--group <id>]");
  process.exit(2);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: ${(e as Error).message}`);
    process.exit(2);
  }
}

try {
  const evaluation = evaluate(readJson(schemeFile), readJson(datasetFile) as Dataset);
  // A mistyped group would print the heading alone, which reads like a group without units.
  if (values.group !== undefined && !evaluation.groups.some((g) => g.id === values.group)) {
    const known = evaluation.groups.map((g) => g.id).join(", ");
    console.error(`--group: no group '${values.group}' in ${schemeFile}; its groups are ${known}`);
    process.exit(2);
  }
  console.log(rankingTable(evaluation, values.group));
} catch (e) {
  if (!(e instanceof InputError)) throw e;
  const file = e.subject === "scheme" ? schemeFile : datasetFile;
  console.error(`${file}: ${e.issues.length} problem${e.issues.length === 1 ? "" : "s"}`);
  for (const issue of e.issues) console.error(`  ${formatPath(issue.path)}: ${issue.message}`);
  process.exit(1);
}
