import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate, type UnitResult } from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProvince } from "../../packages/engine/bench/province.js";
// The gateway's source, as the engine's benchmarks are reached above: the README's steps are run
// against a real gateway (HTTP, GraphQL, PGlite), not a model of one.
import { loadConfig, startServer } from "../../packages/gateway/src/index.js";
import { writeProvince } from "./write-province.js";

const sizes = { seed: 7, units: 200, groups: 8, forms: 20_000, ballots: 2_000, findings: 1_500 };
const dir = mkdtempSync(join(tmpdir(), "pingyi-province-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (...p: string[]) => readFileSync(join(dir, ...p), "utf8");
const year = generateProvince(sizes);
const written = writeProvince(year, join(dir, "forms"));
writeProvince(year, join(dir, "tallies"), { tallies: true });

describe("the province example's files", () => {
  const inMemory = evaluate(year.scheme, year.dataset);

  it("score exactly as the generated year does, from forms or from tallies", () => {
    for (const variant of ["forms", "tallies"]) {
      const fromFiles = evaluate(
        JSON.parse(read(variant, "scheme.json")),
        JSON.parse(read(variant, "dataset.json")),
      );
      expect(fromFiles).toEqual(inMemory);
    }
  });

  it("shrink the survey to one tally per unit, group and answer", () => {
    const tallies = JSON.parse(read("tallies", "dataset.json")).surveyTallies as { count: number }[];
    expect(tallies.reduce((s, t) => s + t.count, 0)).toBe(sizes.forms);
    expect(tallies.length).toBeLessThanOrEqual(sizes.units * 4 * 4);
  });

  it("write CSVs with the headers the gateway's importer documents, one line per record", () => {
    const lines = (f: string) => read("forms", f).trimEnd().split("\n");
    expect(lines("survey-forms.csv")[0]).toBe("category,unit,respondent_group,answer");
    expect(lines("ballots.csv")[0]).toBe("category,voter,role,unit,score,grade");
    expect(lines("findings.csv")[0]).toBe("id,unit,type,level,rectification,repeated,note");
    expect(lines("scores.csv")[0]).toBe("unit,category,value");
    expect(lines("survey-forms.csv")).toHaveLength(sizes.forms + 1);
    expect(lines("ballots.csv")).toHaveLength(written["ballots.csv"]! + 1);
    expect(lines("findings.csv")).toHaveLength(sizes.findings + 1);
    expect(lines("vetoes.csv")[0]).toBe("id,unit,type,reason");
    expect(lines("bonuses.csv")[0]).toBe("id,unit,type,level,note");
    expect(lines("vetoes.csv")).toHaveLength(year.dataset.vetoEvents!.length + 1);
    expect(lines("bonuses.csv")).toHaveLength(year.dataset.bonusEvents!.length + 1);
  });

  it("are the same for the same seed", () => {
    const again = join(dir, "again");
    writeProvince(generateProvince(sizes), again);
    for (const f of ["dataset.json", "ballots.csv", "findings.csv"])
      expect(read("again", f)).toBe(read("forms", f));
  });
});

/** The kinds the README's `for kind in …; do pingyi import …` loop imports, in its order. */
function readmeImportKinds(): string[] {
  const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");
  const loop = /^for kind in ([^;]+); do\n\s+pingyi import p2020 "\$kind"/m.exec(readme);
  if (!loop) throw new Error('README.md has no `for kind in …; do pingyi import p2020 "$kind" …` loop');
  return loop[1]!.trim().split(/\s+/);
}

/** What a ranking table shows of a unit, from the engine or from the gateway alike. */
const row = (u: {
  total: string | null;
  rank: number | null;
  grade: { id: string } | null;
  eligibility: { excellence: boolean; award: boolean; reasons: { kind: string; record?: string | null }[] };
}) => ({
  total: u.total,
  rank: u.rank,
  grade: u.grade?.id ?? null,
  excellence: u.eligibility.excellence,
  award: u.eligibility.award,
  reasons: u.eligibility.reasons.map((r) => `${r.kind}:${r.record ?? ""}`).sort(),
});

describe("the README's gateway steps", () => {
  const files = join(dir, "forms");
  let server: Awaited<ReturnType<typeof startServer>>;
  let token: string;

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      LOG_LEVEL: "silent",
      PINGYI_JWT_SECRET: "province-example-test-secret-long-enough-for-hs256",
      PINGYI_RATE_LIMIT: "0",
      PINGYI_DATA_DIR: "memory://",
    });
    server = await startServer({ config, seed: false });
    token = await server.gateway.services.tokens.sign!({ role: "admin", subject: "province-test" }, "1h");
  }, 120_000);
  afterAll(() => server?.close(2000));

  async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body: any = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  /** `importFile`, a multipart upload, as the README's step 4 allows instead of `pingyi import`. */
  async function importFile(kind: string) {
    const query = `mutation($file: File!, $kind: ImportKind!) { importFile(cycleId: "p2020", importId: "${kind}", kind: $kind, format: CSV, file: $file) {
      __typename ... on ImportResult { rows } ... on Error { message } } }`;
    const form = new FormData();
    const variables = { file: null, kind: kind.toUpperCase().replace("-", "_") };
    form.append("operations", JSON.stringify({ query, variables }));
    form.append("map", JSON.stringify({ 0: ["variables.file"] }));
    form.append("0", new Blob([readFileSync(join(files, `${kind}.csv`))]), `${kind}.csv`);
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "x-pingyi-client": "province-test" },
      body: form,
    });
    const body: any = await res.json();
    return body.data?.importFile ?? body;
  }

  it("load every record of dataset.json, so the gateway ranks every unit as the engine does", async () => {
    const kinds = readmeImportKinds();
    // Every file the loop names exists, and every record dataset.json holds has a file in it.
    for (const kind of kinds) expect(existsSync(join(files, `${kind}.csv`)), `${kind}.csv`).toBe(true);
    const dataset = JSON.parse(read("forms", "dataset.json"));
    const fileOf: Record<string, string> = {
      units: "units",
      scores: "scores",
      ballots: "ballots",
      surveyForms: "survey-forms",
      findings: "findings",
      vetoEvents: "vetoes",
      bonusEvents: "bonuses",
    };
    for (const [records, rows] of Object.entries(dataset))
      if ((rows as unknown[]).length) expect(kinds, `${records} in dataset.json`).toContain(fileOf[records]);
    expect(dataset.vetoEvents.length).toBeGreaterThan(0);
    expect(dataset.bonusEvents.length).toBeGreaterThan(0);

    const scheme = JSON.parse(read("forms", "scheme.json"));
    const published = await gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
      { i: { schemeId: "province-review", basedOn: null, document: scheme, reason: "province example" } },
    );
    expect(published.publishSchemeVersion).toEqual({ __typename: "SchemeVersion" });
    const created = await gql(
      `mutation { createCycle(input: { id: "p2020", year: 2020, name: "province", schemeId: "province-review", schemeVersion: 1 }) { __typename ... on Error { message } } }`,
    );
    expect(created.createCycle).toEqual({ __typename: "Cycle" });
    for (const kind of kinds)
      expect(await importFile(kind), kind).toMatchObject({ __typename: "ImportResult" });

    const gateway = new Map<string, ReturnType<typeof row>>();
    for (let after: string | null = null; ; ) {
      const data: any = await gql(
        `query($after: String) { ranking(cycleId: "p2020") { ... on Ranking { entries(first: 100, after: $after) {
          edges { node { unitId total rank grade { id } eligibility { excellence award reasons { kind record } } } }
          pageInfo { hasNextPage endCursor } } } ... on Error { message } } }`,
        { after },
      );
      const entries = data.ranking.entries;
      for (const e of entries.edges) gateway.set(e.node.unitId, row(e.node));
      if (!entries.pageInfo.hasNextPage) break;
      after = entries.pageInfo.endCursor;
    }
    const engine = evaluate(scheme, dataset, { traces: false });
    expect(Object.fromEntries(gateway)).toEqual(
      Object.fromEntries(engine.units.map((u: UnitResult) => [u.unit, row(u)])),
    );
  }, 300_000);
});
