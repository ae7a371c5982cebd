/**
 * Runs the analyst queries of this folder against a live gateway and prints the answers as JSON.
 *
 *   node --import tsx run.ts <url> <token> [name…]
 *
 * <url> is the gateway (http://127.0.0.1:4000) or its /graphql endpoint; <token> an analyst or
 * admin bearer token; names (e.g. `breakdown`, `reform-what-if`) pick queries, default all.
 * Exits 1 when any answer carries GraphQL errors or a typed error (NotFoundError, …).
 */
import { errorTypenames, loadQuery, queryNames, runQuery } from "./queries.js";

const [url, token, ...picked] = process.argv.slice(2);
const available = queryNames();
if (!url || !token) {
  console.error("usage: node --import tsx run.ts <url> <token> [name…]");
  console.error(`queries: ${available.join(", ")}`);
  process.exit(2);
}
const names = picked.length > 0 ? picked.map((n) => n.replace(/\.graphql$/, "")) : available;
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown quer${unknown.length === 1 ? "y" : "ies"}: ${unknown.join(", ")}`);
  console.error(`queries: ${available.join(", ")}`);
  process.exit(2);
}

const answers: Record<string, unknown> = {};
let failed = false;
for (const name of names) {
  let body: Awaited<ReturnType<typeof runQuery>>;
  try {
    body = await runQuery(url, token, loadQuery(name));
  } catch (err) {
    console.error(`${name}: ${(err as Error).message}`);
    process.exit(1);
  }
  answers[name] = body;
  for (const e of body.errors ?? []) console.error(`${name}: ${e.message}`);
  for (const t of errorTypenames(body.data)) console.error(`${name}: answered ${t}`);
  if (body.errors?.length || errorTypenames(body.data).length > 0) failed = true;
}
console.log(JSON.stringify(answers, null, 2));
process.exitCode = failed ? 1 : 0;
