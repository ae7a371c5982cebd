import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

/**
 * A large import on the embedded database (PGlite runs each query synchronously, and an uploaded
 * file is already in memory) must not hold the whole gateway: health checks and the console are
 * answered while it runs, and a read issued meanwhile sees the cycle before or after the import,
 * never half of it. PGlite only: a PostgreSQL server's queries wait on sockets anyway.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ backend: "pglite" });
});
afterAll(() => t?.close());

const FORMS = 80_000;

function surveyFile(n: number): string {
  const groups = ["service-recipients", "enterprises", "deputies", "residents"];
  const answers = ["satisfied", "basically-satisfied", "dissatisfied", "dont-know"];
  const lines = ["category,unit,respondent_group,answer"];
  for (let i = 0; i < n; i++)
    lines.push(`public,U${String(1 + (i % 29)).padStart(2, "0")},${groups[i % 4]},${answers[(i >> 2) % 4]}`);
  return `${lines.join("\n")}\n`;
}

it("answers /health while a large import runs, and a read waits for the whole import", async () => {
  const body = surveyFile(FORMS);
  const IMPORTS = `query { cycle(id: "2019") { ... on Cycle { imports { id rows } } } }`;
  let importing = true;
  // When each health check was answered: the longest wait between two answers counts the time
  // a check was in flight and the time the poller's own timer was held back alike.
  const answered: number[] = [];
  // And /ready: it asks the database, whose one connection the import holds, unless the database
  // is at work right then. An orchestrator would take the only instance out for the import.
  const ready: { at: number; status: number }[] = [];
  const polls = (async () => {
    while (importing) {
      const res = await fetch(`${t.url}/health`);
      await res.arrayBuffer();
      answered.push(performance.now());
      const r = await fetch(`${t.url}/ready`);
      await r.arrayBuffer();
      ready.push({ at: performance.now(), status: r.status });
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const seen: { id: string; rows: number }[][] = [];
  const reads = (async () => {
    while (importing) {
      const r = await t.gql(IMPORTS, {}, { as: "admin" });
      seen.push(r.body.data.cycle.imports.filter((i: { id: string }) => i.id === "big-survey"));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const started = performance.now();
  const r = await t.upload(
    `mutation($file: File!) { importFile(cycleId: "2019", importId: "big-survey", kind: SURVEY_FORMS, format: CSV, file: $file) {
      __typename ... on ImportResult { rows } ... on Error { message } } }`,
    {},
    { name: "survey.csv", body },
  );
  const ended = performance.now();
  const took = ended - started;
  importing = false;
  await Promise.all([polls, reads]);

  const times = [started, ...answered.filter((a) => a > started && a < ended), ended];
  const longestWait = Math.max(...times.slice(1).map((a, i) => a - times[i]!));
  expect(r.body.data.importFile).toEqual({ __typename: "ImportResult", rows: FORMS });
  // Before the importer gave the event loop turns, no health check was answered while it ran
  // (the longest wait ≈ the import's duration). A generous margin for a loaded CI machine.
  expect(longestWait).toBeLessThan(took / 2);
  const readyTimes = [
    started,
    ...ready.filter((a) => a.at > started && a.at < ended).map((a) => a.at),
    ended,
  ];
  expect(Math.max(...readyTimes.slice(1).map((a, i) => a - readyTimes[i]!))).toBeLessThan(took / 2);
  expect(ready.every((a) => a.status === 200)).toBe(true);
  // Every read finished, and saw the import whole or not at all.
  for (const s of seen) expect(s.length === 0 || s[0]!.rows === FORMS).toBe(true);
});
