import { readFileSync } from "node:fs";
import { add, cmp, parseDecimal, patchBetween, sub } from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** docs/what-if.md's middle: 2019's records under the 2018 rules, as far as a patch takes them back. */
const BACK = JSON.parse(
  readFileSync(
    new URL("../../../examples/analyst-queries/year-on-year.variables.json", import.meta.url),
    "utf8",
  ),
).back;

const cityReview = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/city-review/${file}`, import.meta.url), "utf8"));

const COMPARE = `query($b: CycleSideInput!, $a: CycleSideInput!, $after: String) {
  compareCycles(before: $b, after: $a) {
    __typename
    ... on CycleComparison {
      before { ...side }
      after { ...side }
      analysis {
        cycleId schemeVersion scenarioId name stageTwo recomputedCategories
        maximum { baseline scenario }
        swapCount
        units(first: 29, after: $after) { totalCount edges { cursor node { unitId totalDelta rankDelta
          baseline { exactTotal rank grade } scenario { exactTotal rank grade }
          parts { part delta } moveReasons { kind text } } } }
        swaps(first: 100) { totalCount edges { node { overtakerId overtakenId } } }
        gradeChanges { edges { node { unitId from to } } }
        groups { group unitsMoved }
      }
    }
    ... on ValidationError { issues { path message } }
    ... on Error { code message }
  }
}
fragment side on ComparedCycle {
  cycleId schemeId schemeVersion scenarioId scenarioName rulesOf rulesSchemeId rulesSchemeVersion patch
  rulesKept { path kind before after }
}`;

type Data = any;
const rowsOf = (c: Data) =>
  new Map<string, Data>(c.analysis.units.edges.map((e: Data) => [e.node.unitId, e.node]));
const codeOf = (body: Data) => body.errors?.[0]?.extensions?.code;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const compare = async (
    b: unknown,
    a: unknown,
    options: { as?: "analyst" | "viewer"; after?: string } = {},
  ) => {
    const { body } = await t.gql(COMPARE, { b, a, after: options.after }, { as: options.as ?? "analyst" });
    return body;
  };
  const comparison = async (b: unknown, a: unknown) => {
    const body = await compare(b, a);
    expect(body.errors).toBeUndefined();
    expect(body.data.compareCycles.__typename, JSON.stringify(body.data.compareCycles)).toBe(
      "CycleComparison",
    );
    return body.data.compareCycles;
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  it("compares 2018 and 2019 as published: each row's deltas are the rankings' differences", async () => {
    const c = await comparison({ cycleId: "2018" }, { cycleId: "2019" });
    expect(c.before).toEqual({
      cycleId: "2018",
      schemeId: "city-review",
      schemeVersion: 1,
      scenarioId: null,
      scenarioName: null,
      rulesOf: null,
      rulesSchemeId: null,
      rulesSchemeVersion: null,
      patch: null,
      rulesKept: [],
    });
    expect(c.after).toMatchObject({ cycleId: "2019", schemeVersion: 2, scenarioId: null });
    expect(c.analysis).toMatchObject({
      cycleId: "2018",
      schemeVersion: 1,
      scenarioId: null,
      name: "cycle '2019' as published against cycle '2018' as published",
      stageTwo: "COMPOSE",
      recomputedCategories: ["business", "organ", "public"],
    });
    const ranking = async (cycle: string) => {
      const { body } = await t.gql(
        `query($c: ID!) { ranking(cycleId: $c) { ... on Ranking { entries(first: 100) { edges { node { unitId total rank } } } } } }`,
        { c: cycle },
        { as: "analyst" },
      );
      return new Map<string, Data>(body.data.ranking.entries.edges.map((e: Data) => [e.node.unitId, e.node]));
    };
    const [r2018, r2019] = [await ranking("2018"), await ranking("2019")];
    const rows = rowsOf(c);
    expect(c.analysis.units.totalCount).toBe(29);
    expect([...rows.keys()].sort()).toEqual([...r2018.keys()].sort());
    for (const [unit, row] of rows) {
      const [b, a] = [r2018.get(unit), r2019.get(unit)];
      const delta = sub(parseDecimal(a.total), parseDecimal(b.total));
      expect(cmp(parseDecimal(row.totalDelta), delta), unit).toBe(0);
      expect(row.rankDelta, unit).toBe(a.rank - b.rank);
      expect([row.baseline.rank, row.scenario.rank], unit).toEqual([b.rank, a.rank]);
    }
    // docs/what-if.md: U02 82.72 (15th) → 82.54 (10th); the year's grade changes.
    expect(rows.get("U02")).toMatchObject({ totalDelta: "-0.18", rankDelta: -5 });
    expect(c.analysis.gradeChanges.edges.map((e: Data) => e.node.unitId)).toEqual(["U11", "U19", "U26"]);
  });

  it("splits the year's change into a data half and a rule half that add up exactly", async () => {
    const middle = { cycleId: "2019", scenario: BACK };
    const [total, data, rules] = [
      await comparison({ cycleId: "2018" }, { cycleId: "2019" }),
      await comparison({ cycleId: "2018" }, middle),
      await comparison(middle, { cycleId: "2019" }),
    ];
    expect(data.after).toMatchObject({ cycleId: "2019", scenarioId: null, scenarioName: BACK.name });
    expect(rules.before).toMatchObject({ cycleId: "2019", scenarioName: BACK.name });
    const [t0, d, r] = [rowsOf(total), rowsOf(data), rowsOf(rules)];
    for (const [unit, row] of t0) {
      const halves = add(parseDecimal(d.get(unit).totalDelta), parseDecimal(r.get(unit).totalDelta));
      expect(cmp(halves, parseDecimal(row.totalDelta)), unit).toBe(0);
      expect(d.get(unit).rankDelta + r.get(unit).rankDelta, unit).toBe(row.rankDelta);
    }
    // U02: its records +1.07 (15th → 12th), the rules −1.25 (→ 10th); the data half is all organ.
    expect(d.get("U02")).toMatchObject({ totalDelta: "1.07", rankDelta: -3 });
    expect(r.get("U02")).toMatchObject({ totalDelta: "-1.25", rankDelta: -2 });
    expect(
      d
        .get("U02")
        .parts.filter((p: Data) => p.delta !== "0")
        .map((p: Data) => p.part),
    ).toEqual(["organ"]);
    // U09: no data change, yet U04 and U26 pass it on their records, and it loses excellence.
    expect(d.get("U09")).toMatchObject({ totalDelta: "0", rankDelta: 2 });
    const swaps = data.analysis.swaps.edges.map((e: Data) => e.node);
    expect(swaps).toContainEqual({ overtakerId: "U26", overtakenId: "U09" });
    expect(swaps).toContainEqual({ overtakerId: "U04", overtakenId: "U09" });
    const grades = (c: Data) =>
      c.analysis.gradeChanges.edges.map((e: Data) => `${e.node.unitId} ${e.node.from} → ${e.node.to}`);
    expect(grades(data)).toEqual([
      "U04 good → excellent",
      "U05 good → excellent",
      "U09 excellent → good",
      "U11 excellent → good",
    ]);
    expect(r.get("U09").moveReasons).toContainEqual({
      kind: "grade",
      text: expect.stringContaining("U05 above it not eligible"),
    });
    expect(data.analysis.groups).toEqual([{ group: "law-enforcement", unitsMoved: 16 }]);
    expect(rules.analysis.groups).toEqual([{ group: "law-enforcement", unitsMoved: 21 }]);
  });

  it("splits the year's change in one request each with rulesOf: the middle is the engine's patch between the two cycles' rules", async () => {
    const middle = { cycleId: "2019", rulesOf: "2018" };
    const [total, data, rules, byHand] = [
      await comparison({ cycleId: "2018" }, { cycleId: "2019" }),
      await comparison({ cycleId: "2018" }, middle),
      await comparison(middle, { cycleId: "2019" }),
      await comparison({ cycleId: "2018" }, { cycleId: "2019", scenario: BACK }),
    ];
    const name = "cycle '2019' under the rules of cycle '2018'";
    // The patch derived is the one docs/what-if.md writes by hand.
    expect(data.after).toMatchObject({
      cycleId: "2019",
      schemeVersion: 2,
      scenarioId: null,
      scenarioName: name,
      rulesOf: "2018",
      rulesSchemeId: "city-review",
      rulesSchemeVersion: 1,
      patch: BACK.patch,
    });
    expect(rules.before).toEqual(data.after);
    expect(data.before).toMatchObject({
      rulesOf: null,
      rulesSchemeId: null,
      rulesSchemeVersion: null,
      patch: null,
      rulesKept: [],
    });
    // Each half names both its sides: the rule half is not a plain look at 2019.
    expect(data.analysis.name).toBe(`${name} against cycle '2018' as published`);
    expect(rules.analysis.name).toBe(`cycle '2019' as published against ${name}`);
    // What no patch takes back lands in the data half: the engine's `kept`, organ construction's vote among it.
    const engine = patchBetween(cityReview("scheme-2019.json"), cityReview("scheme-2018.json"));
    expect(data.after.rulesKept.map((c: Data) => c.path)).toEqual(engine.kept.map((c) => c.path));
    expect(data.after.rulesKept).toContainEqual({
      path: "categories[id=organ].method.kind",
      kind: "CHANGED",
      before: "vote",
      after: "direct",
    });
    const [t0, d, r, h] = [rowsOf(total), rowsOf(data), rowsOf(rules), rowsOf(byHand)];
    for (const [unit, row] of t0) {
      const halves = add(parseDecimal(d.get(unit).totalDelta), parseDecimal(r.get(unit).totalDelta));
      expect(cmp(halves, parseDecimal(row.totalDelta)), unit).toBe(0);
      expect(d.get(unit).rankDelta + r.get(unit).rankDelta, unit).toBe(row.rankDelta);
      expect(d.get(unit).scenario, unit).toEqual(h.get(unit).scenario);
    }
    expect(d.get("U02")).toMatchObject({ totalDelta: "1.07", rankDelta: -3 });
    expect(r.get("U02")).toMatchObject({ totalDelta: "-1.25", rankDelta: -2 });
  });

  it("refuses rulesOf with a scenario, and an unknown rulesOf cycle, at its side", async () => {
    const withScenario = await compare(
      { cycleId: "2019", rulesOf: "2018", scenario: BACK },
      { cycleId: "2019" },
    );
    expect(withScenario.data.compareCycles.issues).toEqual([
      {
        path: "before.rulesOf",
        message: "give rulesOf or scenario, not both: rulesOf is a scenario, the patch to that cycle's rules",
      },
    ]);
    const withSaved = await compare(
      { cycleId: "2018" },
      { cycleId: "2019", rulesOf: "2018", scenarioId: "s1" },
    );
    expect(withSaved.data.compareCycles.issues).toEqual([
      {
        path: "after.rulesOf",
        message:
          "give rulesOf or scenarioId, not both: rulesOf is a scenario, the patch to that cycle's rules",
      },
    ]);
    const unknown = await compare({ cycleId: "2019", rulesOf: "2017" }, { cycleId: "2019" });
    expect(unknown.data.compareCycles).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "before.rulesOf: cycle '2017' not found",
    });
  });

  it("runs a saved scenario of each side's own cycle, and refuses one of the other cycle at its side", async () => {
    const saved = await t.gql(
      `mutation($p: JSON!) { saveScenario(input: { cycleId: "2019", name: "back", patch: $p }) { ... on Scenario { id } } }`,
      { p: { patch: BACK.patch } },
      { as: "analyst" },
    );
    const id = saved.body.data.saveScenario.id;
    const c = await comparison({ cycleId: "2018" }, { cycleId: "2019", scenarioId: id });
    expect(c.after).toMatchObject({ scenarioId: id, scenarioName: "back" });
    expect(c.analysis.scenarioId).toBe(id);
    // Named as whatIf(scenarioId:) names it: by its name, not its id.
    expect(c.analysis.name).toBe(
      `cycle '2019' under saved scenario "back" against cycle '2018' as published`,
    );
    expect(rowsOf(c).get("U02")).toMatchObject({ totalDelta: "1.07" });
    // A saved scenario not found is named at its side, as a cycle not found is.
    const missing = await compare({ cycleId: "2018" }, { cycleId: "2019", scenarioId: "zzz" });
    expect(missing.data.compareCycles).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "after.scenarioId: scenario 'zzz' not found",
    });

    const other = await compare({ cycleId: "2018", scenarioId: id }, { cycleId: "2019" });
    expect(other.data.compareCycles.issues).toEqual([
      {
        path: "before.scenarioId",
        message: `scenario '${id}' belongs to cycle '2019': a saved scenario is run on its own cycle (cycleId: "2019")`,
      },
    ]);
    const both = await compare({ cycleId: "2018" }, { cycleId: "2019", scenarioId: id, scenario: BACK });
    expect(both.data.compareCycles.issues).toEqual([
      { path: "after.scenario", message: "give scenario or scenarioId, not both" },
    ]);
  });

  it("names an inline scenario's problems at its side", async () => {
    const body = await compare(
      { cycleId: "2018" },
      { cycleId: "2019", scenario: { patch: { categories: { publik: { points: 50 } } } } },
    );
    const issues = body.data.compareCycles.issues;
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) expect(i.path).toMatch(/^after\.scenario\.patch\.categories/);
  });

  it("refuses an unknown cycle, naming its argument", async () => {
    const body = await compare({ cycleId: "2018" }, { cycleId: "2017" });
    expect(body.data.compareCycles).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "after.cycleId: cycle '2017' not found",
    });
  });

  it("refuses two cycles whose units differ, naming each unit only one side has", async () => {
    const admin = { as: "admin" as const };
    const created = await t.gql(
      `mutation { createCycle(input: { id: "extra", year: 2150, name: "extra", schemeId: "city-review", schemeVersion: 1, copyUnitsFrom: "2018" }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(created.body.data.createCycle).toEqual({ __typename: "Cycle" });
    const unit = await t.gql(
      `mutation { upsertUnit(cycleId: "extra", input: { id: "U30", name: "市新单位", group: "law-enforcement" }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(unit.body.data.upsertUnit).toEqual({ __typename: "Unit" });
    const body = await compare({ cycleId: "2018" }, { cycleId: "extra" });
    expect(body.data.compareCycles.issues).toEqual([
      {
        path: "after.cycleId",
        message:
          "cycle 'extra' as published (after) against cycle '2018' as published (before, the baseline): unit \"U30\" is not in the baseline",
      },
      {
        path: "units",
        message:
          "SAME (the default) compares two sides that hold the same units: units: COMMON compares the units both hold and lists the others in onlyBefore and onlyAfter",
      },
    ]);
  });

  it("filters by a group only one side's scheme has, on either side, lists both sides' groups when it knows none, and gives each a `groups` row saying which side has it", async () => {
    const admin = { as: "admin" as const };
    const scheme = cityReview("scheme-2018.json");
    const document = {
      ...scheme,
      id: "grouped",
      groups: [...scheme.groups, { id: "other", name: "其他", ranked: true }],
    };
    const published = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
      { i: { schemeId: "grouped", basedOn: null, newScheme: true, document, reason: "a group more" } },
      admin,
    );
    expect(published.body.data.publishSchemeVersion).toEqual({ __typename: "SchemeVersion" });
    const created = await t.gql(
      `mutation { createCycle(input: { id: "grouped", year: 2151, name: "grouped", schemeId: "grouped", schemeVersion: 1, copyUnitsFrom: "2018" }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(created.body.data.createCycle).toEqual({ __typename: "Cycle" });
    const moved = await t.gql(
      `mutation { upsertUnit(cycleId: "grouped", input: { id: "U29", name: "市其他局", group: "other" }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(moved.body.data.upsertUnit).toEqual({ __typename: "Unit" });
    const { body } = await t.gql(
      `{ compareCycles(before: { cycleId: "2018" }, after: { cycleId: "grouped" }) { ... on CycleComparison { analysis {
        other: units(group: "other") { totalCount edges { node { unitId baseline { group } scenario { group } } } }
        lawEnforcement: units(group: "law-enforcement") { totalCount }
        swaps(group: "other") { totalCount }
        groups { group heldBy } } } } }`,
      {},
      { as: "analyst" },
    );
    expect(body.errors).toBeUndefined();
    const analysis = body.data.compareCycles.analysis;
    expect(analysis.other).toEqual({
      totalCount: 1,
      edges: [
        { node: { unitId: "U29", baseline: { group: "law-enforcement" }, scenario: { group: "other" } } },
      ],
    });
    expect(analysis.lawEnforcement.totalCount).toBe(29);
    expect(analysis.swaps.totalCount).toBe(0);
    expect(analysis.groups).toEqual([
      { group: "law-enforcement", heldBy: "BOTH" },
      { group: "other", heldBy: "SCENARIO" },
    ]);
    // The other way round: "other" is the before side's only, which its units are in there.
    const back = await t.gql(
      `{ compareCycles(before: { cycleId: "grouped" }, after: { cycleId: "2018" }) { ... on CycleComparison { analysis {
        other: units(group: "other") { totalCount edges { node { unitId baseline { group } scenario { group } } } }
        swaps(group: "other") { totalCount }
        groups { group heldBy units unitsMoved spearman kendallTauB meanAbsoluteRankShift } } } } }`,
      {},
      { as: "analyst" },
    );
    expect(back.body.errors).toBeUndefined();
    expect(back.body.data.compareCycles.analysis).toEqual({
      other: {
        totalCount: 1,
        edges: [
          { node: { unitId: "U29", baseline: { group: "other" }, scenario: { group: "law-enforcement" } } },
        ],
      },
      swaps: { totalCount: 0 },
      // The group the later side dissolved keeps its row, saying so: nothing in it is compared.
      groups: [
        // "grouped" holds no records: no unit is ranked there.
        {
          group: "law-enforcement",
          heldBy: "BOTH",
          units: 0,
          unitsMoved: 0,
          spearman: null,
          kendallTauB: null,
          meanAbsoluteRankShift: null,
        },
        {
          group: "other",
          heldBy: "BASELINE",
          units: 0,
          unitsMoved: 0,
          spearman: null,
          kendallTauB: null,
          meanAbsoluteRankShift: null,
        },
      ],
    });
    // A group neither side has is refused at the list, naming the groups of both.
    for (const [b, a] of [
      ["2018", "grouped"],
      ["grouped", "2018"],
    ]) {
      const unknown = await t.gql(
        `query($b: ID!, $a: ID!) { compareCycles(before: { cycleId: $b }, after: { cycleId: $a }) { ... on CycleComparison { analysis {
          units(group: "nowhere") { totalCount } swaps(group: "nowhere") { totalCount } } } } }`,
        { b, a },
        { as: "analyst" },
      );
      expect(unknown.body.data.compareCycles.analysis, `${b} → ${a}`).toEqual({ units: null, swaps: null });
      for (const field of ["units", "swaps"])
        expect(
          unknown.body.errors?.find((e: Data) => e.path.at(-1) === field)?.extensions,
          `${b} → ${a} ${field}`,
        ).toMatchObject({
          code: "VALIDATION",
          issues: [{ path: "group", message: 'unknown group "nowhere" (known: law-enforcement, other)' }],
        });
    }
  });

  it("spends an evaluation on each side under a scenario, once for its document, and a what-if on the comparison, computed once for its aliases, pages and repeats", async () => {
    const budget = t.gateway.services.analysisBudget;
    const baselines = t.gateway.services.baselines;
    baselines.clear();
    const charged: { amount: number; what: string }[] = [];
    const charge = budget.charge.bind(budget);
    budget.charge = (subject, spending, now) => {
      charged.push(spending);
      charge(subject, spending, now);
    };
    // 29 units × 150, as whatIf prices its comparison.
    const comparing = { amount: 4_350, what: "this comparison" };
    try {
      const runs = baselines.analysisRuns;
      const aliases = `{ a: compareCycles(before: { cycleId: "2018" }, after: { cycleId: "2019" }) { ... on CycleComparison { analysis { units(first: 10) { totalCount } } } }
        b: compareCycles(before: { cycleId: "2018" }, after: { cycleId: "2019" }) { ... on CycleComparison { analysis { units(first: 10) { totalCount } } } } }`;
      const { body } = await t.gql(aliases, {}, { as: "analyst" });
      expect(body.errors).toBeUndefined();
      expect([body.data.a, body.data.b]).toEqual([
        { analysis: { units: { totalCount: 29 } } },
        { analysis: { units: { totalCount: 29 } } },
      ]);
      expect(charged).toEqual([comparing]);
      expect(baselines.analysisRuns).toBe(runs + 1);
      // Asked again, and another page: served as it was.
      await comparison({ cycleId: "2018" }, { cycleId: "2019" });
      expect(charged).toEqual([comparing]);
      expect(baselines.analysisRuns).toBe(runs + 1);
      charged.length = 0;
      const middle = { cycleId: "2019", scenario: BACK };
      const evaluations = baselines.misses;
      await comparison(middle, middle);
      // 29 units × 3 categories × 150, as a ranking under a scenario is priced; the after side is
      // the before side's document, evaluated once.
      expect(charged).toEqual([{ amount: 13_050, what: "this comparison's before side" }, comparing]);
      expect(baselines.misses).toBe(evaluations + 1);
      charged.length = 0;
      // rulesOf is a scenario, priced as one.
      await comparison({ cycleId: "2018" }, { cycleId: "2019", rulesOf: "2018" });
      expect(charged).toEqual([{ amount: 13_050, what: "this comparison's after side" }, comparing]);
      charged.length = 0;
      // Of the rulesOf cycle only its rules are read: on a cold cache its records are not scored,
      // an evaluation nothing charged. 2019 is, as the side it is.
      const scoredCycles = t.gateway.services.evaluations;
      scoredCycles.clear();
      const scorings = scoredCycles.misses;
      await comparison({ cycleId: "2019" }, { cycleId: "2019", rulesOf: "2018" });
      expect(scoredCycles.misses).toBe(scorings + 1);
      charged.length = 0;
      // Its next page, or the same side in the split's other half: nothing evaluated or charged again.
      const cached = baselines.misses;
      await comparison({ cycleId: "2018" }, { cycleId: "2019", rulesOf: "2018" });
      await comparison({ cycleId: "2019", rulesOf: "2018" }, { cycleId: "2019" });
      expect(charged).toEqual([{ amount: 4_350, what: "this comparison" }]);
      expect(baselines.misses).toBe(cached);
      // An inline document keyed by its content: its keys in another order are the same scenario.
      const reordered = Object.fromEntries(Object.entries(BACK).reverse());
      expect(Object.keys(reordered)).not.toEqual(Object.keys(BACK));
      charged.length = 0;
      await comparison({ cycleId: "2019", scenario: reordered }, { cycleId: "2019", scenario: BACK });
      expect(charged).toEqual([{ amount: 4_350, what: "this comparison" }]);
      expect(baselines.misses).toBe(cached);
    } finally {
      budget.charge = charge;
    }
  });

  it("is refused to viewers", async () => {
    const body = await compare({ cycleId: "2018" }, { cycleId: "2019" }, { as: "viewer" });
    expect(codeOf(body)).toBe("FORBIDDEN");
    expect(body.data?.compareCycles ?? null).toBeNull();
  });

  it("pages its units, and a cursor of one comparison is refused by another", async () => {
    const page = async (b: unknown, a: unknown, after?: string) => {
      const { body } = await t.gql(
        `query($b: CycleSideInput!, $a: CycleSideInput!, $after: String) { compareCycles(before: $b, after: $a) {
          ... on CycleComparison { analysis { units(first: 10, after: $after) { edges { cursor node { unitId } } } } } } }`,
        { b, a, after },
        { as: "analyst" },
      );
      return body;
    };
    const [b, a] = [{ cycleId: "2018" }, { cycleId: "2019" }];
    const first = (await page(b, a)).data.compareCycles.analysis.units.edges;
    const cursor = first.at(-1).cursor;
    const next = (await page(b, a, cursor)).data.compareCycles.analysis.units.edges;
    expect(next).toHaveLength(10);
    expect(next.map((e: Data) => e.node.unitId)).not.toContain(first[0].node.unitId);
    for (const [ob, oa] of [
      [a, b],
      [b, { cycleId: "2019", scenario: BACK }],
      [b, { cycleId: "2019", rulesOf: "2018" }],
      [{ cycleId: "2018" }, { cycleId: "2018" }],
    ]) {
      const refused = await page(ob, oa, cursor);
      expect(refused.errors?.[0]?.extensions, JSON.stringify([ob, oa])).toMatchObject({
        code: "VALIDATION",
        issues: [{ path: "after", message: expect.stringContaining("for another cycle comparison") }],
      });
    }
    // Under rulesOf, a cursor names the cycle and its scheme version: moved to another, it is refused.
    const admin = { as: "admin" as const };
    const created = await t.gql(
      `mutation { createCycle(input: { id: "rules", year: 2152, name: "rules", schemeId: "city-review", schemeVersion: 2, copyUnitsFrom: "2018" }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(created.body.data.createCycle).toEqual({ __typename: "Cycle" });
    const under = { cycleId: "2019", rulesOf: "rules" };
    const own = (await page(b, under)).data.compareCycles.analysis.units.edges.at(-1).cursor;
    expect((await page(b, under, own)).errors).toBeUndefined();
    // The answer says which version it ran under, so it can be traced once the cycle moves.
    const rulesVersion = async () => (await comparison(b, under)).after;
    expect(await rulesVersion()).toMatchObject({
      rulesOf: "rules",
      rulesSchemeId: "city-review",
      rulesSchemeVersion: 2,
    });
    const moved = await t.gql(
      `mutation { setCycleScheme(cycleId: "rules", schemeId: "city-review", version: 1) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(moved.body.data.setCycleScheme).toEqual({ __typename: "Cycle" });
    expect(await rulesVersion()).toMatchObject({ rulesSchemeId: "city-review", rulesSchemeVersion: 1 });
    expect((await page(b, under, own)).errors?.[0]?.extensions).toMatchObject({
      code: "VALIDATION",
      issues: [{ path: "after", message: expect.stringContaining("for another cycle comparison") }],
    });
    // Nor does a what-if's cursor page a comparison.
    const { body } = await t.gql(
      `{ whatIf(cycleId: "2018", scenario: { patch: {} }) { ... on WhatIf { units(first: 10) { edges { cursor } } } } }`,
      {},
      { as: "analyst" },
    );
    const whatIfCursor = body.data.whatIf.units.edges.at(-1).cursor;
    expect((await page(b, a, whatIfCursor)).errors?.[0]?.extensions?.code).toBe("VALIDATION");
  });
});
