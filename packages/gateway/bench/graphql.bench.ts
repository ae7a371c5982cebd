/**
 * Gateway throughput on loopback: a 1,000-unit ranking query and the `whatIf` query (the
 * engine's runScenario on the cached baseline), beside the trivial `{ __typename }` on the same
 * server in the same run (the floor).
 *   node --conditions=@pingyi/source --import tsx packages/gateway/bench/graphql.bench.ts
 */
import autocannon from "autocannon";
import { loadConfig } from "../src/config.js";
import { startServer } from "../src/index.js";
import { loadDataset } from "../src/seed.js";
import { Store } from "../src/store/index.js";

const UNITS = 1000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

const store = await Store.open({ dataDir: "memory://" });
const scheme = (points: number) => ({
  id: "big",
  version: 1,
  name: "1,000 units",
  categories: [
    { id: "work", name: "work", points, method: { kind: "direct", outOf: 100 } },
    { id: "team", name: "team", points: 100 - points, method: { kind: "direct", outOf: 100 } },
  ],
  groups: [{ id: "g", name: "all", ranked: true }],
  rounding: { decimals: 2, mode: "half-up" },
});
await store.schemes.publish("bench", {
  schemeId: "big",
  basedOn: null,
  document: scheme(60),
  reason: "bench",
});
await store.cycles.create("bench", { id: "big", year: 2024, name: "big", schemeId: "big", schemeVersion: 1 });
const units = Array.from({ length: UNITS }, (_, i) => ({
  id: `U${String(i).padStart(4, "0")}`,
  name: `Unit ${i}`,
  group: "g",
}));
const scores = units.flatMap((u, i) => [
  { unit: u.id, category: "work", value: String(50 + ((i * 37) % 500) / 10) },
  { unit: u.id, category: "team", value: String(40 + ((i * 53) % 600) / 10) },
]);
await store.transaction((tx) => loadDataset(tx, "big", scheme(60), { units, scores }));

const config = loadConfig({
  NODE_ENV: "production",
  PORT: "0",
  LOG_LEVEL: "silent",
  PINGYI_JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
  PINGYI_RATE_LIMIT: "0",
});
const running = await startServer({ config, store, seed: false });
const token = await running.gateway.services.tokens.sign!({ role: "admin", subject: "bench" });

const cases = [
  { name: "`{ __typename }` (floor)", query: "{ __typename }" },
  {
    name: "ranking, 1,000 units",
    query: `{ ranking(cycleId: "big") { ... on Ranking { entries(first: 1000) { edges { node { unitId rank total grade { name } flags categories { category points } } } } } } }`,
  },
  {
    name: "what-if (`whatIf`, weights 60/40 → 40/60; agreement + 50 largest moves with their parts)",
    query: `query($s: JSON!) { whatIf(cycleId: "big", scenario: $s) { ... on WhatIf { swapCount overall { spearman kendallTauB meanAbsoluteRankShift unitsMoved }
      units(first: 50) { edges { node { unitId rankDelta totalDelta baseline { total rank } scenario { total rank } parts { part delta } } } } } } }`,
    variables: {
      s: { name: "40/60", patch: { categories: { work: { points: 40 }, team: { points: 60 } } } },
    },
  },
  {
    name: "what-if, every unit (`units(first: 1000)`: rank, total, rank delta)",
    query: `query($s: JSON!) { whatIf(cycleId: "big", scenario: $s) { ... on WhatIf {
      units(first: 1000) { edges { node { unitId rankDelta totalDelta scenario { total rank } } } } } } }`,
    variables: {
      s: { name: "40/60", patch: { categories: { work: { points: 40 }, team: { points: 60 } } } },
    },
  },
];

const rows: string[] = [];
for (const c of cases) {
  // A GraphQL error is still HTTP 200: check one answer by hand.
  const check = await fetch(`${running.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: c.query, variables: c.variables }),
  });
  const answer = (await check.json()) as { errors?: unknown[]; data?: Record<string, object> };
  // (A typed error outside the selected `... on` fragment shows as an empty object.)
  if (answer.errors || Object.values(answer.data ?? {}).some((v) => Object.keys(v).length === 0))
    throw new Error(`${c.name}: ${JSON.stringify(answer)}`);
  const result = await autocannon({
    url: `${running.url}/graphql`,
    method: "POST",
    connections: 10,
    duration: DURATION,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: c.query, variables: c.variables }),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${c.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  rows.push(
    `| ${c.name} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} |`,
  );
}
await running.close();
await store.close();

console.log(
  `Gateway on loopback, ${DURATION} s per case, 10 connections, PGlite, NODE_ENV=production, Node ${process.version}\n`,
);
console.log("| query | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|");
console.log(rows.join("\n"));
