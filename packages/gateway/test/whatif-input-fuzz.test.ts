import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

/**
 * The analyst's fields over real HTTP with bad input: whatever arrives, the answer is a GraphQL
 * answer (data or errors), every error names the argument it is about and carries a code a client
 * can act on (never the masked "Unexpected error."), a refused write leaves the saved scenarios and
 * the audit trail as they were, and the server keeps answering. Examples first, each a refusal once
 * missing; then a property over hostile variables, which found them.
 */

let t: TestServer;
/** Saved scenarios to point ids at: ann's on 2018 and 2019, bob's (not shared) on 2018. */
const fixtures = { ann2018: "", ann2019: "", bob2018: "" };

beforeAll(async () => {
  t = await startTestServer();
  const save = async (subject: string, cycleId: string, points: number) => {
    const { body } = await t.gql(
      `mutation($i: SaveScenarioInput!) { saveScenario(input: $i) { __typename ... on Scenario { id } } }`,
      {
        i: {
          cycleId,
          name: `fixture ${subject} ${cycleId}`,
          patch: { patch: { categories: { organ: { points } } } },
        },
      },
      { as: "analyst", subject },
    );
    expect(body.data.saveScenario.__typename).toBe("Scenario");
    return body.data.saveScenario.id as string;
  };
  fixtures.ann2018 = await save("ann", "2018", 25);
  fixtures.ann2019 = await save("ann", "2019", 25);
  fixtures.bob2018 = await save("bob", "2018", 20);
});
afterAll(() => t?.close());

const ERRORS = `__typename ... on Error { code message } ... on ValidationError { issues { path message } }
  ... on NotFoundError { entity missing: id }`;

/** Every saved scenario as stored, to compare before and after a refused write. */
const snapshot = async () =>
  JSON.stringify([
    await t.db.query(
      "SELECT id, cycle_id, owner, name, patch::text AS patch, shared, updated_at FROM scenarios ORDER BY id",
    ),
    await t.lastAuditId(),
  ]);

describe("whatIf", () => {
  const analyst = (subject = "ann") => ({ as: "analyst" as const, subject });

  it("whatIf: an empty scenarioId is a scenario not found, not a missing scenario document", async () => {
    const { body } = await t.gql(
      `query($id: ID) { whatIf(cycleId: "2018", scenarioId: $id) { ${ERRORS} } }`,
      { id: "" },
      analyst(),
    );
    expect(body.data.whatIf).toMatchObject({ __typename: "NotFoundError", entity: "scenario", missing: "" });
  });
});

describe("ranking", () => {
  it("refuses an empty group or scenarioId rather than answering the published table", async () => {
    const q = `query($g: ID, $id: ID) { ranking(cycleId: "2018", group: $g, scenarioId: $id) { ${ERRORS}
      ... on Ranking { group scenarioId } } }`;
    const group = await t.gql(q, { g: "" }, { as: "viewer" });
    expect(group.body.data.ranking).toMatchObject({
      __typename: "ValidationError",
      issues: [{ path: "group", message: 'unknown group "" (known: law-enforcement)' }],
    });
    const scenario = await t.gql(q, { id: "" }, { as: "analyst", subject: "ann" });
    expect(scenario.body.data.ranking).toMatchObject({
      __typename: "NotFoundError",
      entity: "scenario",
      missing: "",
    });
    // Asking under a scenario, even an empty id, is an analyst's question.
    expect((await t.gql(q, { id: "" }, { as: "viewer" })).body.errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
  });
});

describe("list filters", () => {
  const refusal = (path: string, message: string) => ({ code: "VALIDATION", issues: [{ path, message }] });
  const reform = { patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } };

  it("refuse a group or unit the cycle does not have, naming the filter, instead of an empty page", async () => {
    const whatIf = (list: string) =>
      t.gql(
        `query($s: JSON) { whatIf(cycleId: "2018", scenario: $s) { ... on WhatIf { ${list} { totalCount } } } }`,
        { s: reform },
        { as: "analyst" },
      );
    const cases: [list: string, path: string, message: string][] = [
      [`units(group: "traffic")`, "group", 'unknown group "traffic" (known: law-enforcement)'],
      [`units(group: "")`, "group", 'unknown group "" (known: law-enforcement)'],
      [`units(unitIds: ["U09", "NOPE"])`, "unitIds[1]", 'unknown unit "NOPE"'],
      [`swaps(group: "traffic")`, "group", 'unknown group "traffic" (known: law-enforcement)'],
      [`swaps(unitId: "u09")`, "unitId", 'unknown unit "u09"'],
    ];
    for (const [list, path, message] of cases) {
      const { body } = await whatIf(list);
      expect(body.errors?.[0]?.extensions, list).toEqual(refusal(path, message));
    }
    // Repeats are one unit, and a known filter with nothing to show is an empty page.
    expect((await whatIf(`units(unitIds: ["U09", "U09"])`)).body.data.whatIf.units.totalCount).toBe(1);
    expect((await whatIf(`swaps(unitId: "U01")`)).body.errors).toBeUndefined();

    for (const field of [
      `weightSweep(cycleId: "2019", category: "organ") { ... on WeightSweep`,
      `uncertainty(cycleId: "2019", seed: 3, samples: 20) { ... on Uncertainty`,
    ]) {
      for (const [filter, path, message] of [
        [
          `group: " law-enforcement "`,
          "group",
          'unknown group " law-enforcement "; did you mean "law-enforcement"?',
        ],
        [`unitIds: ["U01", "U02", "__proto__"]`, "unitIds[2]", 'unknown unit "__proto__"'],
      ] as const) {
        const { body } = await t.gql(
          `{ analysis: ${field} { units(${filter}) { edges { node { unitId } } } } } }`,
          {},
          { as: "analyst" },
        );
        expect(body.errors?.[0]?.extensions, `${field} ${filter}`).toEqual(refusal(path, message));
      }
    }
  });
});

describe("issue paths", () => {
  it("write a list's index as the engine does, name[1].field, whoever checked it", async () => {
    const { body } = await t.gql(
      `query($b: [CategoryBoundsInput!], $a: [AlternativeRuleInput!]) {
        uncertainty(cycleId: "2018", seed: 1, samples: 10, bounds: $b, alternatives: $a) { ${ERRORS} } }`,
      {
        b: [
          { category: "public", low: "30", high: "40" },
          { category: "public", low: "45", high: "x" },
        ],
        a: [
          { name: "ok", patch: {} },
          { name: " ", patch: {} },
        ],
      },
      { as: "analyst" },
    );
    expect(body.data.uncertainty.issues.map((i: { path: string }) => i.path)).toEqual([
      "bounds[1].high",
      "alternatives[1].name",
      "bounds[1].category",
    ]);
    // The engine's own check of an alternative, for comparison.
    const engine = await t.gql(
      `query($a: [AlternativeRuleInput!]) {
        uncertainty(cycleId: "2018", seed: 1, samples: 10, alternatives: $a) { ${ERRORS} } }`,
      {
        a: [
          { name: "ok", patch: {} },
          { name: "typo", patch: { categories: { publik: {} } } },
        ],
      },
      { as: "analyst" },
    );
    expect(engine.body.data.uncertainty.issues.map((i: { path: string }) => i.path)).toEqual([
      "alternatives[1].patch.categories.publik",
    ]);
  });
});

describe("decimal arguments", () => {
  it("take and refuse what a scenario's points do, in the same words, each at its own argument", async () => {
    // Odd spellings as spreadsheets, other locales and careless clients write them, and some
    // plain ones: the three arguments must agree on each, whatever the answer is.
    const texts = [
      ...["0", "37.5", "+5", "-0", "-0.00", "007", "99999999999", "1.1234567891", "-1", "-0.5"],
      ...["10.", ".5", "-.5", " 10", "10 ", "\n10", "\t10", "+", "-", "", "+-1", "1e2", "0x10", "3/4", "1,5"],
      ...["1_000", "10.0.0", "NaN", "Infinity", "٣٠", "１０", "1".repeat(1001)],
    ];
    const refusal = (answer: { __typename: string; issues?: { path: string; message: string }[] }) =>
      answer.__typename === "ValidationError" ? answer.issues! : answer.__typename;
    for (const text of texts) {
      // Ranges that take every decimal the grammar does: `to` above any `from` here, draws free
      // of the scheme's total, and a high a double still holds.
      const sweep = await t.gql(
        `query($x: String) { weightSweep(cycleId: "2018", category: "public", from: $x, to: "1${"0".repeat(200)}") {
          ${ERRORS} } }`,
        { x: text },
        { as: "analyst" },
      );
      const monteCarlo = await t.gql(
        `query($x: String!) { uncertainty(cycleId: "2018", samples: 10, seed: 1, keepTotal: false,
          bounds: [{ category: "public", low: $x, high: "1${"0".repeat(200)}" }]) { ${ERRORS} } }`,
        { x: text },
        { as: "analyst" },
      );
      const whatIf = await t.gql(
        `query($s: JSON) { whatIf(cycleId: "2018", scenario: $s) { ${ERRORS} } }`,
        { s: { patch: { categories: { public: { points: text } } } } },
        { as: "analyst" },
      );
      const at = (path: string) => (answer: ReturnType<typeof refusal>) =>
        typeof answer === "string"
          ? answer
          : answer.map((i) => ({ ...i, path: i.path === path ? "x" : i.path }));
      const label = JSON.stringify(text.slice(0, 20));
      for (const { body } of [sweep, monteCarlo, whatIf]) expect(body.errors, label).toBeUndefined();
      const points = at("scenario.patch.categories.public.points")(refusal(whatIf.body.data.whatIf));
      expect(at("from")(refusal(sweep.body.data.weightSweep)), label).toEqual(
        typeof points === "string" ? "WeightSweep" : points,
      );
      expect(at("bounds[0].low")(refusal(monteCarlo.body.data.uncertainty)), label).toEqual(
        typeof points === "string" ? "Uncertainty" : points,
      );
    }
  });
});

describe("Monte-Carlo draws", () => {
  it("refuse a negative offset or limit, or a limit past 1,000, naming it, instead of reading another", async () => {
    const draws = (args: string) =>
      t.gql(
        `{ uncertainty(cycleId: "2018", seed: 3, samples: 20) { ... on Uncertainty { draws(${args}) { sample } } } }`,
        {},
        { as: "analyst" },
      );
    expect((await draws("offset: -1")).body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [{ path: "offset", message: "must not be negative" }],
    });
    expect((await draws("offset: 2, limit: -3")).body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [{ path: "limit", message: "must not be negative" }],
    });
    // A bare list has no hasNextPage: cut to 1,000, 5,000 asked would read as every draw there is.
    expect((await draws("limit: 5000")).body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [
        { path: "limit", message: "must be at most 1,000, not 5000 (read the rest from a later offset)" },
      ],
    });
    expect((await draws("offset: -1, limit: 1001")).body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [
        { path: "offset", message: "must not be negative" },
        { path: "limit", message: "must be at most 1,000, not 1001 (read the rest from a later offset)" },
      ],
    });
    // In range: as before, a page of draws, past the end empty, and 1,000 at most.
    const ok = await draws("offset: 18, limit: 5");
    expect(ok.body.data.uncertainty.draws).toEqual([{ sample: 18 }, { sample: 19 }]);
    expect((await draws("offset: 0, limit: 1000")).body.data.uncertainty.draws).toHaveLength(20);
  });
});

describe("page sizes", () => {
  it("refuse a negative first or last as VALIDATION naming it, not one past the largest page", async () => {
    const entries = (args: string) =>
      t.gql(
        `{ ranking(cycleId: "2018") { ... on Ranking { entries(${args}) { edges { node { unitId } } } } } }`,
        {},
        { as: "viewer" },
      );
    expect((await entries("first: -1")).body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [{ path: "first", message: "must not be negative" }],
    });
    const both = await t.gql(
      `query($f: Int, $l: Int, $a: String) { whatIf(cycleId: "2018", scenario: {}) { ... on WhatIf {
        units(first: $f, last: $l, after: $a) { totalCount } } } }`,
      { f: -(2 ** 31), l: -1, a: "nope" },
      { as: "analyst" },
    );
    expect(both.body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [
        { path: "first", message: "must not be negative" },
        { path: "last", message: "must not be negative" },
        { path: "after", message: "not a cursor of this list (use a cursor from its edges or pageInfo)" },
      ],
    });
    // As documented, a larger page is cut to the largest (2,000 rows), not refused.
    const units = await t.gql(
      `query($f: Int) { whatIf(cycleId: "2018", scenario: {}) { ... on WhatIf {
        units(first: $f) { edges { node { unitId } } pageInfo { hasNextPage } } } } }`,
      { f: 2 ** 31 - 1 },
      { as: "analyst" },
    );
    expect(units.body.errors).toBeUndefined();
    expect(units.body.data.whatIf.units.edges).toHaveLength(29);
  });
});

describe("scenario mutations", () => {
  const as = { as: "analyst" as const, subject: "carol" };
  const save = (input: Record<string, unknown>) =>
    t.gql(
      `mutation($i: SaveScenarioInput!) { saveScenario(input: $i) { ${ERRORS} ... on Scenario { id name patch shared } } }`,
      { i: { cycleId: "2018", ...input } },
      as,
    );

  it("shareScenario refuses shared: null, which said neither share nor un-share, and writes nothing", async () => {
    const { body } = await save({ name: "private", patch: {} });
    const id = body.data.saveScenario.id as string;
    const before = await snapshot();
    const share = await t.gql(
      `mutation($id: ID!, $s: Boolean) { shareScenario(id: $id, shared: $s) { ${ERRORS} ... on Scenario { shared } } }`,
      { id, s: null },
      as,
    );
    expect(share.body.data.shareScenario).toMatchObject({
      __typename: "ValidationError",
      issues: [{ path: "shared", message: "must be true or false (leave it out to share)" }],
    });
    expect(await snapshot()).toBe(before);
    const left = await t.gql(
      `mutation($id: ID!) { shareScenario(id: $id) { ... on Scenario { shared } } }`,
      { id },
      as,
    );
    expect(left.body.data.shareScenario).toEqual({ shared: true });
  });
});

describe("saveScenario", () => {
  it("refuses a name inside the patch, which input.name would silently replace, with every other problem", async () => {
    const before = await snapshot();
    const save = (patch: unknown) =>
      t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "named twice", patch: $p }) { ${ERRORS} } }`,
        { p: patch },
        { as: "analyst", subject: "carol" },
      );
    expect((await save({ name: "another name", patch: {} })).body.data.saveScenario).toMatchObject({
      __typename: "ValidationError",
      issues: [
        { path: "input.patch.name", message: "the scenario's name is input.name, not a key of its patch" },
      ],
    });
    const both = await save({ name: "another name", patch: { categories: { publik: { points: 50 } } } });
    expect(both.body.data.saveScenario.issues.map((i: { path: string }) => i.path)).toEqual([
      "input.patch.name",
      "input.patch.patch.categories.publik",
    ]);
    expect(await snapshot()).toBe(before);
  });
});

describe("requests that cannot run", () => {
  it("a variable of the wrong type, or missing, is BAD_USER_INPUT naming the variable, with HTTP 400", async () => {
    const q = `query($samples: Int!, $b: [CategoryBoundsInput!]) {
      uncertainty(cycleId: "2018", seed: 1, samples: $samples, bounds: $b) { __typename } }`;
    const wrong = await t.gql(q, { samples: "abc" }, { as: "analyst" });
    expect(wrong.status).toBe(400);
    expect(wrong.body).not.toHaveProperty("data");
    expect(wrong.body.errors).toMatchObject([
      {
        message: 'Variable "$samples" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
    const nested = await t.gql(q, { samples: 10, b: [{ category: "organ", low: "10" }] }, { as: "analyst" });
    expect(nested.status).toBe(400);
    expect(nested.body.errors).toMatchObject([
      {
        message: expect.stringMatching(
          /^Variable "\$b" got invalid value .* at "b\[0\]"; Field "high" of required/,
        ),
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
    const missing = await t.gql(q, {}, { as: "analyst" });
    expect(missing.body.errors).toMatchObject([
      {
        message: 'Variable "$samples" of required type "Int!" was not provided.',
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
    // What graphql-yoga codes itself stays as it is: a query the schema cannot run, or no query.
    const literal = await t.gql(
      `{ uncertainty(cycleId: "2018", seed: "x") { __typename } }`,
      {},
      { as: "analyst" },
    );
    expect(literal.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const syntax = await t.gql(`{ uncertainty(`, {}, { as: "analyst" });
    expect(syntax.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("a query over a limit is QUERY_TOO_COSTLY, saying which limit, the query's size and what to do", async () => {
    const refusal = async (query: string, variables: Record<string, unknown> = {}) => {
      const { body } = await t.gql(query, variables, { as: "analyst" });
      expect(body).not.toHaveProperty("data");
      const limits = body.errors?.filter((e) => e.extensions?.code === "QUERY_TOO_COSTLY") ?? [];
      expect(limits, JSON.stringify(body)).toHaveLength(1);
      return limits[0]!.message;
    };
    expect(
      await refusal(
        `{ ranking(cycleId: "2018") { ... on Ranking { entries(first: 100000) { edges { node { unitId } } } } } }`,
      ),
    ).toMatch(
      /^the query's cost \d+ is over the limit of 50000: ask for fewer rows \(first or last multiplies the cost of its selection\) or fewer fields$/,
    );
    // A variable's rows cost as a literal's, sent or as the variable's default; past the largest
    // page (2,000 rows), as that page, which is what the list gives.
    const pages = (first: string) =>
      ["a", "b", "c"]
        .map(
          (a) =>
            `${a}: ranking(cycleId: "2018") { ... on Ranking { entries(first: ${first}) { edges { node { unitId } } } } }`,
        )
        .join(" ");
    const literal = await refusal(`{ ${pages("2000")} }`);
    for (const [head, variables] of [
      ["query($n: Int)", { n: 2000 }],
      ["query($n: Int)", { n: 100000 }],
      ["query($n: Int = 2000)", {}],
    ] as const)
      expect(await refusal(`${head} { ${pages("$n")} }`, variables), JSON.stringify(variables)).toBe(literal);
    const few = await t.gql(`query($n: Int) { ${pages("$n")} }`, { n: 3 }, { as: "analyst" });
    expect(few.body.data.a.entries.edges).toHaveLength(3);
    expect(await refusal(`{ ${"a { ".repeat(14)}b${" }".repeat(14)} }`)).toBe(
      "the query's depth 15 is over the limit of 12",
    );
    expect(
      await refusal(
        `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: ranking(cycleId: "2018") { __typename }`).join(" ")} }`,
      ),
    ).toBe("the query's 16 aliases are over the limit of 15");
    expect(await refusal(`{ __typename ${"@skip(if: false) ".repeat(51)}}`)).toBe(
      "the query's 51 directives are over the limit of 50",
    );
    expect(await refusal(`{ ${"__typename ".repeat(2000)}}`)).toBe(
      "the query is longer than the limit of 2000 tokens",
    );
  });

  it("in production a limit's refusal keeps its code and reason, without the numbers", async () => {
    const prod = await startTestServer({ seed: false, env: { NODE_ENV: "production" } });
    try {
      const refusal = async (query: string) => (await prod.gql(query, {}, { as: "viewer" })).body.errors;
      expect(
        await refusal(
          `{ ranking(cycleId: "2018") { ... on Ranking { entries(first: 100000) { edges { node { unitId } } } } } }`,
        ),
      ).toEqual([
        {
          message:
            "the query's cost is over the limit: ask for fewer rows (first or last multiplies the cost of its selection) or fewer fields",
          extensions: { code: "QUERY_TOO_COSTLY" },
        },
      ]);
      expect(await refusal(`{ ${"__typename ".repeat(2000)}}`)).toEqual([
        { message: "the query has too many tokens", extensions: { code: "QUERY_TOO_COSTLY" } },
      ]);
    } finally {
      await prod.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Values

/** What a careless or hostile client sends where a value is expected (JSON has no NaN). */
const odd: unknown[] = [
  null,
  "",
  " ",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e400",
  "-1",
  "1.5",
  "0x10",
  " 5 ",
  "120",
  "abc",
  "__proto__",
  "a\u0000b",
  "x".repeat(5000),
  -1,
  0,
  1.5,
  -0.5,
  100.5,
  150,
  2 ** 31,
  2 ** 53,
  1e9,
  1e308,
  true,
  false,
  [],
  [null],
  {},
  { a: null },
];
const nasty = fc.constantFrom(...odd);
/** Left out (undefined: not sent), or a value. */
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
/** Either argument of two that go one without the other, now and then both or neither. */
const eitherOf = <A, B>(
  a: fc.Arbitrary<A>,
  b: fc.Arbitrary<B>,
): fc.Arbitrary<[A | undefined, B | undefined]> =>
  fc.oneof(
    { weight: 4, arbitrary: a.map((x): [A, undefined] => [x, undefined]) },
    { weight: 4, arbitrary: b.map((y): [undefined, B] => [undefined, y]) },
    { weight: 1, arbitrary: fc.tuple(a, b) },
    { weight: 1, arbitrary: fc.constant<[undefined, undefined]>([undefined, undefined]) },
  );
/** Mostly a good value, now and then a bad one. */
const mostly = <T>(good: readonly T[], bad: readonly T[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
  );
/** Mostly left out. */
const rarely = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
const maybeNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 6 });

// Values of the right GraphQL type, right or wrong for the argument.
const cycleId = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("2018", "2019") },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>("1999", "", " 2018 ", "2018\u0000", "x".repeat(5000), 2018),
  },
);
const categoryId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("public", "organ", "business") },
  { weight: 1, arbitrary: fc.constantFrom("publik", "", " public ", "__proto__", "constructor", "toString") },
);
const groupId = fc.oneof(
  { weight: 3, arbitrary: fc.constant("law-enforcement") },
  { weight: 1, arbitrary: fc.constantFrom("traffic", "", " law-enforcement ", "__proto__") },
);
const unitId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("U01", "U09", "U26", "U29") },
  { weight: 1, arbitrary: fc.constantFrom("NOPE", "", "u09", " U09 ", "__proto__") },
);
const unitIds = fc.oneof(fc.array(unitId, { maxLength: 4 }), fc.constant(["U09", "U09"]));
const groupIds = fc.oneof(
  fc.array(groupId, { maxLength: 3 }),
  fc.constant(["law-enforcement", "law-enforcement"]),
);
const decimal = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("0", "10", "20", "25", "30", "37.5", "40", "50", "60", "100") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...["100.5", "150", "999999999", "0.000000001", "-0", "+5", "5.", ".5", "1e2", "3/4", "1,5", "٣٠"],
      ...["99999999999", "1.1234567891", "-1", "NaN", "1e400", " 30 ", ""],
    ),
  },
);
const pageSize = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(1, 2, 5, 100) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(0, 2000, 2001, 2 ** 31 - 1, -1, -(2 ** 31), null) },
);
const bool = maybeNull(fc.boolean());

/** A scenario document the engine takes, to be spoilt below. */
const points = fc.constantFrom<unknown>("0", "10", "20", "25", "30", "37.5", "50", 20, 45);
const scenarioPatch = fc.record(
  {
    categories: fc.dictionary(fc.constantFrom("public", "organ", "business"), fc.record({ points }), {
      maxKeys: 3,
    }),
    grades: fc.record({
      rules: fc.record(
        {
          excellent: fc.record({ quota: fc.record({ percent: fc.constantFrom(10, 20, 30, 50) }) }),
          good: fc.record({ minTotal: fc.constantFrom("70", "75", "80") }),
        },
        { requiredKeys: [] },
      ),
    }),
    groups: fc.record({ "law-enforcement": fc.record({ ranked: fc.boolean() }) }),
  },
  { requiredKeys: [] },
);
const scenarioData = fc.record(
  {
    findings: fc.record(
      { "F2018-001": maybeNull(fc.record({ rectification: fc.constantFrom("late", "not-rectified") })) },
      { requiredKeys: [] },
    ),
    units: fc.record({ U09: fc.record({ group: fc.constant("law-enforcement") }) }, { requiredKeys: [] }),
    scores: fc.array(fc.record({ unit: unitId, category: fc.constant("business"), value: decimal }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: [] },
);
const scenarioDocument = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 8 }),
    description: fc.string({ maxLength: 8 }),
    patch: scenarioPatch,
    data: scenarioData,
  },
  { requiredKeys: [] },
);

/** Keys a client might add by mistake: misspellings, prototype names, an empty key. */
const strayKey = fc.constantFrom("zz", "__proto__", "constructor", "toString", "", "points", "quota", "name");
type Spoil =
  | { op: "replace"; path: number[]; value: unknown }
  | { op: "add"; path: number[]; key: string; value: unknown }
  | { op: "delete"; path: number[] };
const spoil: fc.Arbitrary<Spoil> = fc.oneof(
  fc.record({
    op: fc.constant("replace" as const),
    path: fc.array(fc.nat(), { maxLength: 6 }),
    value: nasty,
  }),
  fc.record({
    op: fc.constant("add" as const),
    path: fc.array(fc.nat(), { maxLength: 6 }),
    key: strayKey,
    value: nasty,
  }),
  fc.record({ op: fc.constant("delete" as const), path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) }),
);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
/**
 * Sets an own property, "__proto__" included (assignment would set the prototype instead), to a
 * copy: the odd values are shared, and a later spoil must not write into them.
 */
const put = (o: Record<string, unknown>, k: string, value: unknown) =>
  Object.defineProperty(o, k, {
    value: structuredClone(value),
    enumerable: true,
    writable: true,
    configurable: true,
  });

/** `value` with each spoil applied at the place its path leads to (indices taken modulo). */
function spoilt<T>(value: T, spoils: Spoil[]): T {
  const root: Record<string, unknown> = { root: structuredClone(value) };
  for (const s of spoils) {
    let parent: Record<string, unknown> = root;
    let key = "root";
    for (const i of s.path) {
      const here = parent[key];
      if (!isObject(here)) break;
      const keys = Object.keys(here);
      if (keys.length === 0) break;
      parent = here;
      key = keys[i % keys.length]!;
    }
    if (s.op === "replace") put(parent, key, s.value);
    else if (s.op === "add") {
      const here = parent[key];
      if (isObject(here) && !Array.isArray(here)) put(here, s.key, s.value);
      else put(parent, key, s.value);
    } else if (parent !== root) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    }
  }
  return root.root as T;
}
/** A value, or one spoilt in one or two places. */
const spoiled = <T>(a: fc.Arbitrary<T>) =>
  fc
    .tuple(
      a,
      fc.oneof(
        { weight: 1, arbitrary: fc.constant<Spoil[]>([]) },
        { weight: 2, arbitrary: fc.array(spoil, { minLength: 1, maxLength: 2 }) },
      ),
    )
    .map(([v, s]) => spoilt(v, s));

const scenarioIdOf = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .constantFrom("ann2018", "ann2019", "bob2018")
      .map((k) => () => fixtures[k as keyof typeof fixtures]),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<unknown>("", " ", "nope", "00000000-0000-0000-0000-000000000000", 12, null)
      .map((v) => () => v),
  },
);

// ---------------------------------------------------------------------------------------------
// Requests

/** One request: its text, its variables, who sends it, and the arguments its errors may name. */
interface Request {
  field: string;
  query: string;
  variables: Record<string, unknown>;
  subject: string;
  /** Every argument of the field and of the lists it reads. */
  names: string[];
}

const PAGE_ARGS = ["first", "last", "after", "before"];

const subject = fc.constantFrom("ann", "ann", "bob");

/**
 * A request whose variables are of their declared types, or (one time in four) one variable of
 * any type at all: a wrong type is refused before any resolver runs, so more would test only that.
 */
const request = <V extends Record<string, unknown>>(
  variables: fc.Arbitrary<V>,
  build: (v: V) => Request,
): fc.Arbitrary<Request> =>
  fc
    .tuple(
      variables,
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.tuple(fc.nat(), nasty) },
      ),
    )
    .map(([v, wrong]) => {
      const req = build(v);
      if (wrong) {
        const keys = Object.keys(req.variables);
        if (keys.length) req.variables = { ...req.variables, [keys[wrong[0] % keys.length]!]: wrong[1] };
      }
      return req;
    });

const whatIf = request(
  fc.record({
    cycleId,
    which: eitherOf(spoiled(scenarioDocument), scenarioIdOf),
    first: opt(pageSize),
    last: opt(pageSize),
    group: opt(maybeNull(groupId)),
    unitIds: opt(maybeNull(unitIds)),
    movedOnly: opt(bool),
    unitId: opt(maybeNull(unitId)),
    subject,
  }),
  ({ which: [scenario, scenarioId], subject, ...v }) => ({
    field: "whatIf",
    query: `query($cycleId: ID!, $scenario: JSON, $scenarioId: ID, $first: Int, $last: Int, $group: ID, $unitIds: [ID!],
      $movedOnly: Boolean, $unitId: ID) {
      whatIf(cycleId: $cycleId, scenario: $scenario, scenarioId: $scenarioId) { ${ERRORS}
        ... on WhatIf { scenarioId
          units(first: $first, last: $last, group: $group, unitIds: $unitIds, movedOnly: $movedOnly) {
            totalCount edges { node { unitId rankDelta } } }
          swaps(first: $first, last: $last, group: $group, unitId: $unitId) { totalCount }
        } } }`,
    variables: { ...v, scenario, scenarioId: scenarioId?.() },
    subject,
    names: ["cycleId", "scenario", "scenarioId", "group", "unitIds", "movedOnly", "unitId", ...PAGE_ARGS],
  }),
);

const weightSweep = request(
  fc.record({
    cycleId,
    category: categoryId,
    from: opt(maybeNull(decimal)),
    to: opt(maybeNull(decimal)),
    others: opt(maybeNull(fc.constantFrom("FIXED", "RESCALE"))),
    groups: opt(maybeNull(groupIds)),
    first: opt(pageSize),
    last: opt(pageSize),
    group: opt(maybeNull(groupId)),
    unitIds: opt(maybeNull(unitIds)),
  }),
  (v) => ({
    field: "weightSweep",
    query: `query($cycleId: ID!, $category: ID!, $from: String, $to: String, $others: SweepOthers, $groups: [ID!],
      $first: Int, $last: Int, $group: ID, $unitIds: [ID!]) {
      weightSweep(cycleId: $cycleId, category: $category, from: $from, to: $to, others: $others, groups: $groups) {
        ${ERRORS} ... on WeightSweep { from to breakpointCount
          units(first: $first, last: $last, group: $group, unitIds: $unitIds) { edges { node { unitId breakpoints } } } } } }`,
    variables: v,
    subject: "ann",
    names: ["cycleId", "category", "from", "to", "others", "groups", "group", "unitIds", ...PAGE_ARGS],
  }),
);

const bounds = fc.array(fc.record({ category: categoryId, low: decimal, high: decimal }), { maxLength: 3 });
const uncertainty = request(
  fc.record({
    cycleId,
    samples: opt(mostly<unknown>([1, 2, 10, 50, 5000], [5001, 0, -1, 2 ** 31 - 1, -(2 ** 31), null])),
    seed: mostly<unknown>([0, 1, 7, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1], [-1, -(2 ** 31), 2 ** 32, 1.5]),
    distribution: opt(maybeNull(fc.constantFrom("UNIFORM", "DIRICHLET"))),
    spread: rarely(mostly<unknown>([0, 0.2, 0.5, 1], [1.0001, -0.1, 1e308, null])),
    concentration: rarely(mostly<unknown>([100, 1, 1e-300, 1e9], [0, -1, 1e10, 1e308, null])),
    keepTotal: rarely(bool),
    bounds: rarely(maybeNull(bounds)),
    alternatives: rarely(
      maybeNull(
        fc.array(fc.record({ name: fc.string({ maxLength: 5 }), patch: spoiled(scenarioPatch) }), {
          maxLength: 5,
        }),
      ),
    ),
    groups: opt(maybeNull(groupIds)),
    first: opt(pageSize),
    group: opt(maybeNull(groupId)),
    unitIds: opt(maybeNull(unitIds)),
    offset: opt(fc.constantFrom<unknown>(0, 3, -1, 2 ** 31 - 1, null)),
    limit: opt(fc.constantFrom<unknown>(0, 2, -1, 1000, 1001, 2 ** 31 - 1, null)),
  }),
  (v) => ({
    field: "uncertainty",
    query: `query($cycleId: ID!, $samples: Int, $seed: Seed!, $distribution: WeightDistribution, $spread: Float,
      $concentration: Float, $keepTotal: Boolean, $bounds: [CategoryBoundsInput!], $alternatives: [AlternativeRuleInput!],
      $groups: [ID!], $first: Int, $group: ID, $unitIds: [ID!], $offset: Int, $limit: Int) {
      uncertainty(cycleId: $cycleId, samples: $samples, seed: $seed, distribution: $distribution, spread: $spread,
        concentration: $concentration, keepTotal: $keepTotal, bounds: $bounds, alternatives: $alternatives, groups: $groups) {
        ${ERRORS} ... on Uncertainty { parameters { samples seed }
          units(first: $first, group: $group, unitIds: $unitIds) { edges { node { unitId medianRank } } }
          draws(offset: $offset, limit: $limit) { sample } } } }`,
    variables: v,
    subject: "ann",
    names: [
      ...["cycleId", "samples", "seed", "distribution", "spread", "concentration", "keepTotal", "bounds"],
      ...["alternatives", "groups", "group", "unitIds", "offset", "limit", ...PAGE_ARGS],
    ],
  }),
);

const leaveOneOut = request(
  fc.record({
    cycleId,
    rescale: opt(bool),
    category: opt(maybeNull(categoryId)),
    first: opt(pageSize),
    last: opt(pageSize),
  }),
  (v) => ({
    field: "leaveOneOut",
    query: `query($cycleId: ID!, $rescale: Boolean, $category: ID, $first: Int, $last: Int) {
      leaveOneOut(cycleId: $cycleId, rescale: $rescale) { ${ERRORS}
        ... on LeaveOneOut { categories(category: $category) { category
          shifts(first: $first, last: $last) { edges { node { unitId } } } } } } }`,
    variables: v,
    subject: "ann",
    names: ["cycleId", "rescale", "category", ...PAGE_ARGS],
  }),
);

const ranking = request(
  fc.record({
    cycleId,
    group: opt(maybeNull(groupId)),
    scenarioId: opt(scenarioIdOf),
    first: opt(pageSize),
    last: opt(pageSize),
    subject,
  }),
  ({ scenarioId, subject, ...v }) => ({
    field: "ranking",
    query: `query($cycleId: ID!, $group: ID, $scenarioId: ID, $first: Int, $last: Int) {
      ranking(cycleId: $cycleId, group: $group, scenarioId: $scenarioId) { ${ERRORS}
        ... on Ranking { scenarioId group entries(first: $first, last: $last) { edges { node { unitId rank } } } } } }`,
    variables: { ...v, scenarioId: scenarioId?.() },
    subject,
    names: ["cycleId", "group", "scenarioId", ...PAGE_ARGS],
  }),
);

const saveScenario = request(
  fc.record({
    id: opt(scenarioIdOf),
    rest: fc.record(
      {
        cycleId: cycleId.filter((c) => typeof c === "string"),
        name: fc.constantFrom("fuzz a", "fuzz b", " fuzz a ", "", "   ", "x".repeat(201), "另一个"),
        patch: spoiled(scenarioDocument),
        shared: bool,
      },
      { requiredKeys: ["cycleId", "name", "patch"] },
    ),
    subject,
  }),
  ({ id, rest, subject }) => ({
    field: "saveScenario",
    query: `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { ${ERRORS}
      ... on Scenario { id cycleId owner name } } }`,
    variables: { input: id ? { ...rest, id: id() } : rest },
    subject,
    names: ["input"],
  }),
);

const deleteOrShare = request(
  fc.record({ id: scenarioIdOf, shared: opt(bool), del: fc.boolean(), subject }),
  ({ id, shared, del, subject }) => ({
    field: del ? "deleteScenario" : "shareScenario",
    query: del
      ? `mutation($id: ID!) { deleteScenario(id: $id) { ${ERRORS} ... on Deleted { id } } }`
      : `mutation($id: ID!, $shared: Boolean) { shareScenario(id: $id, shared: $shared) { ${ERRORS} ... on Scenario { id shared } } }`,
    variables: del ? { id: id() } : { id: id(), shared },
    subject,
    names: ["id", "shared"],
  }),
);

// ---------------------------------------------------------------------------------------------
// The oracle

interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; issues?: { path: string; message: string }[]; unexpected?: boolean };
}
interface Response {
  status: number;
  body: { data?: Record<string, any> | null; errors?: GqlError[] };
}

const INTERNAL = new Set(["INTERNAL_SERVER_ERROR", "UNEXPECTED", "INTERNAL"]);
const head = (path: string) => path.split(/[.[]/)[0]!;
/** A list index written as a key (`bounds.1.high`), not as the engine writes it (`bounds[1].high`). */
const dottedIndex = (path: string) => /\.\d+(?=[.[]|$)/.test(path);

/** The seed's cycles: one group, units U01–U29. */
const GROUPS = new Set(["law-enforcement"]);
const UNITS = new Set(Array.from({ length: 29 }, (_, i) => `U${String(i + 1).padStart(2, "0")}`));

/** The seed's categories. */
const CATEGORIES = new Set(["business", "organ", "public"]);

/** A filter the request sent that no group, unit or category of the cycle passes: a typo, not a choice. */
function unknownFilter(req: Request): string | null {
  const v = req.variables;
  if (req.field === "leaveOneOut" && typeof v.category === "string" && !CATEGORIES.has(v.category))
    return "category";
  if (typeof v.group === "string" && !GROUPS.has(v.group)) return "group";
  if (typeof v.unitId === "string" && !UNITS.has(v.unitId)) return "unitId";
  if (Array.isArray(v.unitIds) && v.unitIds.some((u) => typeof u === "string" && !UNITS.has(u)))
    return "unitIds";
  return null;
}

/** What is wrong with one answer to `req`, as a list of complaints (empty: a good answer). */
function complaints(req: Request, res: Response): string[] {
  const out: string[] = [];
  const { body } = res;
  const sent = (name: string) => req.variables[name] !== undefined;
  /** An issue is about an argument sent, or says which of two to send. */
  const aboutSent = (i: { path: string; message: string }) =>
    sent(head(i.path)) || req.names.some((n) => n !== head(i.path) && i.message.includes(n));
  // Variables that do not fit their types stop the request before it starts: HTTP 400, no data.
  const requestError =
    !("data" in body) && (body.errors ?? []).every((e) => e.extensions?.code === "BAD_USER_INPUT");
  if (res.status !== 200 && !(res.status === 400 && requestError)) out.push(`HTTP ${res.status}`);
  if (body.data === undefined && !body.errors?.length) out.push("neither data nor errors");
  for (const e of body.errors ?? []) {
    const code = e.extensions?.code;
    if (e.message === "Unexpected error." || e.extensions?.unexpected || (code && INTERNAL.has(code)))
      out.push(`masked or internal error: ${JSON.stringify(e)}`);
    else if (!code) out.push(`no code: ${e.message}`);
    else {
      const issues = e.extensions?.issues;
      const named = issues?.length
        ? issues.every((i) => req.names.includes(head(i.path)) && i.message && aboutSent(i))
        : req.names.some((n) => e.message.includes(n));
      if (!named) out.push(`names no argument: ${JSON.stringify(e)}`);
      for (const i of issues ?? []) if (dottedIndex(i.path)) out.push(`index as a key: ${i.path}`);
    }
  }
  const result = body.data?.[req.field];
  if (result && typeof result === "object" && /Error$/.test(result.__typename)) {
    if (!result.code || INTERNAL.has(result.code) || !result.message)
      out.push(`typed error without a code or message: ${JSON.stringify(result)}`);
    if (result.__typename === "ValidationError") {
      if (!result.issues?.length) out.push("a ValidationError without issues");
      for (const i of result.issues ?? [])
        if (!req.names.includes(head(i.path)) || !i.message || !aboutSent(i))
          out.push(`issue names no argument sent: ${JSON.stringify(i)}`);
      for (const i of result.issues ?? []) if (dottedIndex(i.path)) out.push(`index as a key: ${i.path}`);
    }
    if (result.__typename === "NotFoundError" && !["cycle", "scenario"].includes(result.entity))
      out.push(`not found, of what? ${JSON.stringify(result)}`);
    if (result.__typename === "BaseError") out.push(`an untyped error: ${JSON.stringify(result)}`);
  }
  // An answer, then: it is the one asked for, not another quietly put in its place.
  if (result && !/Error$/.test(result.__typename)) {
    const filter = unknownFilter(req);
    if (filter && !body.errors?.length) out.push(`an unknown ${filter} filtered quietly to nothing`);
    for (const name of ["scenarioId", "group"] as const)
      if (typeof req.variables[name] === "string" && name in result && result[name] !== req.variables[name])
        out.push(
          `${name} ${JSON.stringify(req.variables[name])} answered as ${JSON.stringify(result[name])}`,
        );
    const v = req.variables;
    // Refused, the draws are null beside the error and the rest of the answer stays.
    if (
      ((typeof v.offset === "number" && v.offset < 0) || (typeof v.limit === "number" && v.limit < 0)) &&
      !(result.draws === null && body.errors?.length)
    )
      out.push(`a negative draws offset or limit taken as 0: ${v.offset}, ${v.limit}`);
    if (typeof v.limit === "number" && v.limit > 1000 && !(result.draws === null && body.errors?.length))
      out.push(`a draws limit past 1,000 cut quietly: ${v.limit}`);
    if (req.field === "shareScenario" && v.shared === null) out.push("shared: null taken as true");
    const patch = (v.input as { patch?: unknown } | undefined)?.patch;
    if (req.field === "saveScenario" && isObject(patch) && Object.hasOwn(patch, "name"))
      out.push("a name inside the patch saved, and overridden by input.name");
  }
  return out;
}

async function send(req: Request): Promise<Response> {
  return (await t.gql(req.query, req.variables, { as: "analyst", subject: req.subject })) as Response;
}

const WRITTEN = new Set(["Scenario", "Deleted"]);

// ---------------------------------------------------------------------------------------------

describe("hostile variables", () => {
  it("get an answer whose every error names its argument, with a code, and the server goes on", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(whatIf, whatIf, weightSweep, uncertainty, leaveOneOut, ranking),
        async (req) => {
          const res = await send(req);
          expect(complaints(req, res), JSON.stringify(res.body).slice(0, 2000)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
    const after = await t.gql(
      `{ whatIf(cycleId: "2018", scenario: { patch: { categories: { organ: { points: 20 }, public: { points: 50 } } } }) {
        __typename ... on WhatIf { units(unitIds: ["U09"]) { edges { node { scenario { total rank } } } } } } }`,
      {},
      { as: "analyst" },
    );
    expect(after.body.data.whatIf.units.edges[0].node.scenario).toEqual({ total: "82.94", rank: 10 });
  });

  it("to the scenario mutations: a refused write writes nothing, an accepted one runs", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(saveScenario, saveScenario, deleteOrShare), async (req) => {
        const before = await snapshot();
        const res = await send(req);
        expect(complaints(req, res), JSON.stringify(res.body).slice(0, 2000)).toEqual([]);
        const result = res.body.data?.[req.field];
        if (!WRITTEN.has(result?.__typename)) expect(await snapshot()).toBe(before);
        else if (req.field === "saveScenario") {
          // The scenario saved is one the engine runs: saving checked it as running it would.
          const run = await t.gql(
            `query($c: ID!, $id: ID!) { whatIf(cycleId: $c, scenarioId: $id) { ${ERRORS} } }`,
            { c: result.cycleId, id: result.id },
            { as: "analyst", subject: req.subject },
          );
          expect(run.body.data?.whatIf.__typename, JSON.stringify(run.body)).toBe("WhatIf");
        }
      }),
      { numRuns: 80 },
    );
    expect(
      (await t.gql(`{ scenarios(cycleId: "2018") { id } }`, {}, { as: "analyst", subject: "ann" })).status,
    ).toBe(200);
  });
});
