import { readFileSync } from "node:fs";
import {
  applyScenario,
  compileScheme,
  createBaseline,
  effectiveWeights,
  evaluate,
  leaveOneOut,
  samplerDefaults,
  weightSweep,
} from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const seed = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/city-review/${file}`, import.meta.url), "utf8"));

/** The 2019 reform as an analyst saves it, with a record changed too: every finding rectified on time. */
const dataset2018 = seed("dataset-2018.json");
const reformRectified = {
  description: "public evaluation 40 → 50, organ construction 30 → 20, every finding rectified on time",
  patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
  data: {
    findings: Object.fromEntries(
      dataset2018.findings.map((f: { id: string }) => [f.id, { rectification: "on-time" }]),
    ),
  },
};

const SWEEP = `query($id: ID) { weightSweep(cycleId: "2018", category: "public", scenarioId: $id) { __typename
  ... on WeightSweep { scenarioId nominal to units(first: 100) { edges { node { unitId nominalRank breakpoints } } } }
  ... on NotFoundError { entity id } } }`;
const UNCERTAINTY = `query($id: ID) { uncertainty(cycleId: "2018", samples: 50, seed: 7, scenarioId: $id) { __typename
  ... on Uncertainty { scenarioId units(first: 100) { edges { node { unitId nominalRank } } } } } }`;
const LEAVE_ONE_OUT = `query($id: ID) { leaveOneOut(cycleId: "2018", scenarioId: $id) { __typename
  ... on LeaveOneOut { scenarioId categories { category unitsMoved points { category points } } } } }`;
const WHAT_IF = `query($id: ID) { whatIf(cycleId: "2018", scenarioId: $id) { __typename
  ... on WhatIf { units(first: 100) { edges { node { unitId scenario { rank } } } } } } }`;

/** Every analysis that takes a saved scenario, on 2018 under `$id`, answering with `answer`. */
const underScenario = (answer: string) => ({
  whatIf: `whatIf(cycleId: "2018", scenarioId: $id) { ${answer} }`,
  weightSweep: `weightSweep(cycleId: "2018", category: "public", scenarioId: $id) { ${answer} }`,
  uncertainty: `uncertainty(cycleId: "2018", samples: 50, seed: 7, scenarioId: $id) { ${answer} }`,
  leaveOneOut: `leaveOneOut(cycleId: "2018", scenarioId: $id) { ${answer} }`,
  ranking: `ranking(cycleId: "2018", scenarioId: $id) { ${answer} }`,
  effectiveWeights: `effectiveWeights(cycleId: "2018", scenarioId: $id) { ${answer} }`,
});

const byUnit = (edges: { node: { unitId: string } & Record<string, unknown> }[], field: string) =>
  Object.fromEntries(edges.map((e) => [e.node.unitId, e.node[field]]));

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  let id: string;
  const as = { as: "analyst", subject: "ann" } as const;
  beforeAll(async () => {
    t = await startTestServer({ backend });
    const saved = await t.gql(
      `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "reform, rectified", patch: $p }) {
        __typename ... on Scenario { id } } }`,
      { p: reformRectified },
      as,
    );
    id = saved.body.data.saveScenario.id;
  });
  afterAll(() => t?.close());

  it("sweeps under a saved scenario: its points are the nominal and its records count, as whatIf ranks them", async () => {
    const { body } = await t.gql(SWEEP, { id }, as);
    expect(body.errors).toBeUndefined();
    const sweep = body.data.weightSweep;
    expect(sweep).toMatchObject({ __typename: "WeightSweep", scenarioId: id, nominal: "50", to: "100" });
    // The engine's sweep of the year the scenario describes, breakpoint for breakpoint.
    const applied = applyScenario(compileScheme(seed("scheme-2018.json")).scheme, dataset2018, {
      name: "reform, rectified",
      ...reformRectified,
    });
    const expected = weightSweep(createBaseline(applied.compiled, applied.dataset), { category: "public" });
    expect(byUnit(sweep.units.edges, "breakpoints")).toEqual(
      Object.fromEntries(expected.units.map((u) => [u.unit, u.breakpoints])),
    );
    // Without the scenario: the cycle as it stands, nominal 40.
    const plain = await t.gql(SWEEP, { id: null }, as);
    expect(plain.body.data.weightSweep).toMatchObject({ scenarioId: null, nominal: "40" });
    expect(byUnit(plain.body.data.weightSweep.units.edges, "breakpoints")).not.toEqual(
      byUnit(sweep.units.edges, "breakpoints"),
    );
  });

  it("runs Monte-Carlo under a saved scenario, its nominal ranks the scenario's official ranks", async () => {
    const [mc, whatIf, plain] = await Promise.all([
      t.gql(UNCERTAINTY, { id }, as),
      t.gql(WHAT_IF, { id }, as),
      t.gql(UNCERTAINTY, { id: null }, as),
    ]);
    expect(mc.body.errors).toBeUndefined();
    expect(mc.body.data.uncertainty.scenarioId).toBe(id);
    const nominal = byUnit(mc.body.data.uncertainty.units.edges, "nominalRank");
    const scenarioRanks = Object.fromEntries(
      whatIf.body.data.whatIf.units.edges.map(
        (e: { node: { unitId: string; scenario: { rank: number } } }) => [
          e.node.unitId,
          e.node.scenario.rank,
        ],
      ),
    );
    expect(Object.keys(nominal)).toHaveLength(29);
    expect(nominal).toEqual(scenarioRanks);
    // 市市场监督管理局: 9th as the cycle stands, 10th under the reform.
    expect(byUnit(plain.body.data.uncertainty.units.edges, "nominalRank").U09).toBe(9);
    expect(nominal.U09).toBe(10);
  });

  it("leaves each category out under a saved scenario, from the scenario's points", async () => {
    const { body } = await t.gql(LEAVE_ONE_OUT, { id }, as);
    expect(body.errors).toBeUndefined();
    const l = body.data.leaveOneOut;
    expect(l.scenarioId).toBe(id);
    const applied = applyScenario(compileScheme(seed("scheme-2018.json")).scheme, dataset2018, {
      name: "reform, rectified",
      ...reformRectified,
    });
    const expected = leaveOneOut(createBaseline(applied.compiled, applied.dataset));
    expect(
      l.categories.map((c: { category: string; unitsMoved: number }) => [c.category, c.unitsMoved]),
    ).toEqual(expected.map((c) => [c.category, c.unitsMoved]));
    // Leaving business out keeps the reform's 20 and 50 for the others.
    const business = l.categories.find((c: { category: string }) => c.category === "business");
    expect(business.points).toEqual([
      { category: "business", points: "0" },
      { category: "organ", points: "20" },
      { category: "public", points: "50" },
    ]);
  });

  it("gives effective weights under a saved scenario: its points are the nominal and its records count", async () => {
    const WEIGHTS = `query($id: ID) { effectiveWeights(cycleId: "2018", scenarioId: $id) { __typename
      ... on EffectiveWeights { scenarioId groups { group lines { part nominal effective } } } } }`;
    const { body } = await t.gql(WEIGHTS, { id }, as);
    expect(body.errors).toBeUndefined();
    const w = body.data.effectiveWeights;
    expect(w.scenarioId).toBe(id);
    // The engine's weights of the year the scenario describes, line for line.
    const applied = applyScenario(compileScheme(seed("scheme-2018.json")).scheme, dataset2018, {
      name: "reform, rectified",
      ...reformRectified,
    });
    const expected = effectiveWeights(applied.compiled, evaluate(applied.compiled, applied.dataset));
    expect(w.groups).toEqual(
      expected.groups.map((g) => ({
        group: g.group,
        lines: g.lines.map((l) => ({ part: l.part, nominal: l.nominal, effective: l.effective })),
      })),
    );
    expect(w.groups[0].lines.find((l: { part: string }) => l.part === "public").nominal).toBe("0.5");
    // The cycle as it stands is another answer, which echoes no scenario.
    const plain = (await t.gql(WEIGHTS, { id: null }, as)).body.data.effectiveWeights;
    expect(plain.scenarioId).toBeNull();
    expect(plain.groups).not.toEqual(w.groups);
    // Saved scenarios are analysts': a viewer reads the cycle's weights, not a scenario's.
    const viewer = await t.gql(WEIGHTS, { id }, { as: "viewer" });
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("follows an edit of the scenario, and refuses an unknown one or another cycle's", async () => {
    const before = (await t.gql(SWEEP, { id }, as)).body.data.weightSweep;
    await t.gql(
      `mutation($id: ID!, $p: JSON!) { saveScenario(input: { id: $id, cycleId: "2018", name: "reform, rectified", patch: $p }) {
        __typename } }`,
      {
        id,
        p: { ...reformRectified, patch: { categories: { public: { points: 45 }, organ: { points: 25 } } } },
      },
      as,
    );
    const after = (await t.gql(SWEEP, { id }, as)).body.data.weightSweep;
    expect(before.nominal).toBe("50");
    expect(after.nominal).toBe("45");
    const unknown = await t.gql(SWEEP, { id: "no-such-scenario" }, as);
    expect(unknown.body.data.weightSweep).toMatchObject({ __typename: "NotFoundError", entity: "scenario" });
    const other = await t.gql(
      `mutation { saveScenario(input: { cycleId: "2019", name: "2019's", patch: { patch: { categories: { organ: { points: 25 } } } } }) {
        __typename ... on Scenario { id } } }`,
      {},
      as,
    );
    const otherId = other.body.data.saveScenario.id;
    const elsewhere = await t.gql(SWEEP, { id: otherId }, as);
    expect(elsewhere.body.data.weightSweep.__typename).toBe("ValidationError");
  });

  it("names the cycle of a scenario saved on another, to whoever may read it, and nobody else", async () => {
    const save = (subject: string, shared: boolean) =>
      t.gql(
        `mutation($n: String!, $s: Boolean) { saveScenario(input: { cycleId: "2019", name: $n, shared: $s, patch: { patch: { categories: { organ: { points: 25 } } } } }) {
          __typename ... on Scenario { id } } }`,
        { n: `${subject}'s ${shared ? "shared" : "private"}`, s: shared },
        { as: "analyst", subject },
      );
    const mine = (await save("ann", false)).body.data.saveScenario.id;
    const bobsShared = (await save("bob", true)).body.data.saveScenario.id;
    const bobsPrivate = (await save("bob", false)).body.data.saveScenario.id;
    const answer =
      "__typename ... on ValidationError { issues { path message } } ... on NotFoundError { entity id message }";
    const fields = underScenario(answer);
    for (const [field, selection] of Object.entries(fields)) {
      const run = async (scenario: string) => {
        const { body } = await t.gql(`query($id: ID) { ${selection} }`, { id: scenario }, as);
        expect(body.errors, field).toBeUndefined();
        return body.data[field];
      };
      for (const readable of [mine, bobsShared])
        expect(await run(readable), field).toEqual({
          __typename: "ValidationError",
          issues: [
            {
              path: "scenarioId",
              message: `scenario '${readable}' belongs to cycle '2019': a saved scenario is run on its own cycle (cycleId: "2019")`,
            },
          ],
        });
      // Bob's private scenario is not there for Ann, whichever cycle she names.
      expect(await run(bobsPrivate), field).toEqual({
        __typename: "NotFoundError",
        entity: "scenario",
        id: bobsPrivate,
        message: `scenario '${bobsPrivate}' not found`,
      });
    }
  });

  it("echoes no spread when every category has bounds, since no draw used one", async () => {
    const run = (bounds: string) =>
      t.gql(
        `{ uncertainty(cycleId: "2018", samples: 10, seed: 1, bounds: [${bounds}]) { __typename
          ... on Uncertainty { parameters { spread bounds { category } } } } }`,
        {},
        as,
      );
    const all = await run(
      `{ category: "business", low: "25", high: "35" }, { category: "organ", low: "25", high: "35" }, { category: "public", low: "35", high: "45" }`,
    );
    expect(all.body.data.uncertainty.parameters.spread).toBeNull();
    const some = await run(`{ category: "public", low: "35", high: "45" }`);
    expect(some.body.data.uncertainty.parameters.spread).toBe(samplerDefaults.spread);
  });

  // Last: it deletes a finding of 2018, which the scenarios above override.
  it("names a saved scenario that no longer fits the cycle at scenarioId, with what to do", async () => {
    const saved = await t.gql(
      `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "F006 rectified", patch: $p }) {
        __typename ... on Scenario { id } } }`,
      { p: { data: { findings: { "F2018-006": { rectification: "on-time" } } } } },
      as,
    );
    const f006 = saved.body.data.saveScenario.id;
    const deleted = await t.gql(
      `mutation { deleteFinding(cycleId: "2018", id: "F2018-006") { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(deleted.body.data.deleteFinding.__typename).toBe("Cycle");
    const answer = "__typename ... on ValidationError { issues { path message } }";
    const fields = underScenario(answer);
    for (const [field, selection] of Object.entries(fields)) {
      const { body } = await t.gql(`query($id: ID) { ${selection} }`, { id: f006 }, as);
      expect(body.errors, field).toBeUndefined();
      expect(body.data[field], field).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "scenarioId",
            message: `saved scenario '${f006}' ("F006 rectified") does not fit the cycle as it stands now: scenario.data.findings.F2018-006: unknown finding "F2018-006"; change it (saveScenario with its id) or delete it (deleteScenario)`,
          },
        ],
      });
    }
  });
});
