import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import { mapDbError, ValidationError } from "../src/store/errors.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const NUL = "\u0000";

describe("mapDbError", () => {
  it("maps PostgreSQL's bad-character errors to ValidationError", () => {
    for (const code of ["22021", "22P05"]) {
      const e = mapDbError({ code, message: 'invalid byte sequence for encoding "UTF8": 0x00' });
      expect(e).toBeInstanceOf(ValidationError);
    }
  });
});

describe("mapDbError never shows driver key text", () => {
  it("names the entity of a duplicate key", () => {
    const e = mapDbError({
      code: "23505",
      constraint: "cycles_pkey",
      table: "cycles",
      detail: "Key (id)=(2019) already exists.",
    }) as Error;
    expect(e.message).toBe("cycle '2019' already exists");
    const u = mapDbError({
      code: "23505",
      constraint: "units_pkey",
      detail: "Key (cycle_id, id)=(2019, A) already exists.",
    });
    expect((u as Error).message).toBe("unit 'A' already exists in cycle '2019'");
  });

  it("puts a missing reference on the field, not the constraint", () => {
    const e = mapDbError({
      code: "23503",
      constraint: "units_cycle_id_parent_id_fkey",
      detail: 'Key (cycle_id, parent_id)=(2019, NOPE) is not present in table "units".',
    }) as ValidationError;
    expect(e.issues).toEqual([{ path: "parent", message: "unit 'NOPE' not found in cycle '2019'" }]);
    const d = mapDbError({
      code: "23503",
      constraint: "scores_cycle_id_unit_id_fkey",
      detail: 'Key (cycle_id, id)=(2019, A) is still referenced from table "scores".',
    }) as ValidationError;
    expect(d.issues).toEqual([
      { path: "id", message: "'A' is still referenced by score records; delete those first" },
    ]);
    const odd = mapDbError({
      code: "23503",
      constraint: "x_fkey",
      message: "violates",
      detail: "something else",
    });
    expect((odd as ValidationError).issues).toEqual([{ path: "", message: "reference not found" }]);
  });
});

/** Bad input gets a typed error naming the field, never "Unexpected error." */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const admin = { as: "admin" as const };
  const scheme2019 = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2019.json`, "utf8"));

  async function upload(cycleId: string, importId: string, kind: string, body: string) {
    const query = `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: ${kind}, format: CSV, file: $file) {
      __typename ... on ImportResult { status rows } ... on ImportError { totalErrors bad: rows { line column message } }
      ... on ValidationError { issues { path message } } ... on Error { message } } }`;
    const { body: json } = await t.upload(query, { c: cycleId, i: importId }, { name: "f.csv", body });
    if (!json.data) throw new Error(JSON.stringify(json));
    return json.data.importFile;
  }

  describe("database errors over HTTP", () => {
    it("a duplicate cycle is a ConflictError without driver text", async () => {
      const r = await t.gql(
        `mutation { createCycle(input: { id: "2019", year: 2019, name: "x", schemeId: "city-review", schemeVersion: 2 }) { __typename ... on Error { message } } }`,
        {},
        admin,
      );
      expect(r.body.data.createCycle).toEqual({
        __typename: "ConflictError",
        message: "cycle '2019' already exists",
      });
    });

    it("deleting a unit that records refer to names the field and the records", async () => {
      const units = await t.gql(`{ units(cycleId: "2019", first: 1) { edges { node { id } } } }`, {}, admin);
      const id = units.body.data.units.edges[0].node.id;
      const r = await t.gql(
        `mutation($id: ID!) { deleteUnit(cycleId: "2019", id: $id) { __typename ... on ValidationError { message issues { path message } } } }`,
        { id },
        admin,
      );
      expect(r.body.data.deleteUnit.__typename).toBe("ValidationError");
      expect(r.body.data.deleteUnit.message).not.toMatch(/Key \(|_fkey|_ref/);
      expect(r.body.data.deleteUnit.issues[0].path).toBe("id");
      expect(r.body.data.deleteUnit.issues[0].message).toMatch(new RegExp(`^'${id}' is still referenced by`));
    });
  });

  describe("pages", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");

    it("refuse malformed and negative cursors naming after/before", async () => {
      for (const cursor of [b64("OffsetConnection:abc"), b64("OffsetConnection:-5"), "%%%"]) {
        const r = await t.gql(
          `query($a: String) { units(cycleId: "2019", after: $a) { edges { node { id } } } }`,
          { a: cursor },
          admin,
        );
        expect(r.body.errors?.[0]?.extensions).toMatchObject({
          code: "VALIDATION",
          issues: [{ path: "after" }],
        });
        const e = await t.gql(
          `query($b: String) { ranking(cycleId: "2019") { ... on Ranking { entries(last: 2, before: $b) { edges { cursor } } } } }`,
          { b: cursor },
          admin,
        );
        expect(e.body.errors?.[0]?.extensions).toMatchObject({
          code: "VALIDATION",
          issues: [{ path: "before" }],
        });
      }
    });

    it("refuse a cursor of another list, and Pothos' list-less cursors, naming after/before", async () => {
      const ranking = await t.gql(
        `{ ranking(cycleId: "2019") { ... on Ranking { entries(first: 2) { pageInfo { endCursor } } } } }`,
        {},
        admin,
      );
      const entries = ranking.body.data.ranking.entries.pageInfo.endCursor as string;
      const units = await t.gql(
        `query($a: String) { units(cycleId: "2019", first: 2, after: $a) { edges { node { id } } } }`,
        { a: entries },
        admin,
      );
      expect(units.body.errors?.[0]?.extensions).toMatchObject({
        code: "VALIDATION",
        issues: [
          {
            path: "after",
            message: expect.stringMatching(/^a cursor of Ranking\.entries, not of Query\.units/),
          },
        ],
      });
      const cycles = await t.gql(`{ cycles(first: 1) { pageInfo { endCursor } } }`, {}, admin);
      const versions = await t.gql(
        `query($b: String) { schemeVersions(schemeId: "city-review", last: 1, before: $b) { edges { cursor } } }`,
        { b: cycles.body.data.cycles.pageInfo.endCursor },
        admin,
      );
      expect(versions.body.errors?.[0]?.extensions).toMatchObject({
        code: "VALIDATION",
        issues: [
          {
            path: "before",
            message: expect.stringMatching(/^a cursor of Query\.cycles, not of Query\.schemeVersions/),
          },
        ],
      });
      const old = await t.gql(
        `query($a: String) { units(cycleId: "2019", first: 2, after: $a) { edges { node { id } } } }`,
        { a: b64("OffsetConnection:0") },
        admin,
      );
      expect(old.body.errors?.[0]?.extensions).toMatchObject({
        code: "VALIDATION",
        issues: [{ path: "after", message: expect.stringMatching(/earlier version/) }],
      });
    });

    /**
     * A list of the query `body`, where PAGE stands for its paging arguments. `cursorOf` reads
     * its first page's end cursor; `pageWith` pages it with a cursor, after (or before).
     */
    const cursorOf = async (body: string): Promise<string> => {
      const r = await t.gql(`{ ${body.replace("PAGE", "first: 2")} }`, {}, admin);
      expect(r.body.errors).toBeUndefined();
      const cursor = JSON.stringify(r.body.data).match(/"endCursor":"([^"]+)"/)?.[1];
      expect(cursor).toBeTruthy();
      return cursor!;
    };
    const pageWith = (body: string, cursor: string, side: "after" | "before" = "after") =>
      t.gql(
        `query($c: String) { ${body.replace("PAGE", side === "after" ? "first: 2, after: $c" : "last: 1, before: $c")} }`,
        { c: cursor },
        admin,
      );
    /** The error of the list read: for leave-one-out, its first category's (each is a list). */
    const errorOf = (body: { errors?: { path?: (string | number)[]; extensions?: unknown }[] }) =>
      body.errors?.find((e) => !/categories\.[1-9]/.test(e.path?.join(".") ?? ""))?.extensions;
    const refusal = (path: string, message: string) => ({
      code: "VALIDATION",
      issues: [{ path, message }],
    });
    const ranking = (args: string) =>
      `ranking(${args}) { ... on Ranking { entries(PAGE) { edges { node { unitId } } pageInfo { endCursor } } } }`;
    // Organ construction's points given to public evaluation: at 20 on 2018, the seed year's
    // reform, which has swaps.
    const whatIf = (points: number, list = "units") =>
      `whatIf(cycleId: "2018", scenario: { patch: { categories: { public: { points: ${70 - points} }, organ: { points: ${points} } } } }) {
        ... on WhatIf { ${list}(PAGE) { pageInfo { endCursor } } } }`;
    const sweep = (to: string, cycle = "2019") =>
      `weightSweep(cycleId: "${cycle}", category: "organ", from: "10", to: "${to}") {
        ... on WeightSweep { units(PAGE) { pageInfo { endCursor } } } }`;
    const uncertainty = (seed: number, cycle = "2019") =>
      `uncertainty(cycleId: "${cycle}", samples: 50, seed: ${seed}) { ... on Uncertainty { units(PAGE) { pageInfo { endCursor } } } }`;
    const leaveOneOut = (rescale: boolean, cycle = "2019") =>
      `leaveOneOut(cycleId: "${cycle}", rescale: ${rescale}) {
        ... on LeaveOneOut { categories { shifts(PAGE) { pageInfo { endCursor } } } } }`;

    it("refuse a cursor of the same list for another owner, naming after/before", async () => {
      const cases: [from: string, to: string, side: "after" | "before", message: string][] = [
        [
          `units(cycleId: "2018", PAGE) { pageInfo { endCursor } }`,
          `units(cycleId: "2019", PAGE) { pageInfo { endCursor } }`,
          "before",
          "a cursor of Query.units for another cycle",
        ],
        [
          ranking(`cycleId: "2018"`),
          ranking(`cycleId: "2019"`),
          "after",
          "a cursor of Ranking.entries for another ranking",
        ],
        [
          ranking(`cycleId: "2019"`),
          ranking(`cycleId: "2019", group: "law-enforcement"`),
          "before",
          "a cursor of Ranking.entries for another ranking",
        ],
        [whatIf(20), whatIf(25), "after", "a cursor of WhatIf.units for another what-if"],
        [whatIf(20, "swaps"), whatIf(25, "swaps"), "after", "a cursor of WhatIf.swaps for another what-if"],
        [sweep("40"), sweep("30"), "after", "a cursor of WeightSweep.units for another weight sweep"],
        [
          uncertainty(1),
          uncertainty(2),
          "after",
          "a cursor of Uncertainty.units for another Monte-Carlo run",
        ],
        // The first category's cursor: the second category of the same run refuses it too.
        [
          leaveOneOut(false),
          leaveOneOut(false),
          "after",
          "a cursor of LeftOutCategory.shifts for another left-out category",
        ],
        [
          leaveOneOut(false),
          leaveOneOut(true),
          "after",
          "a cursor of LeftOutCategory.shifts for another left-out category",
        ],
      ];
      for (const [from, to, side, message] of cases) {
        const r = await pageWith(to, await cursorOf(from), side);
        expect(r.body.errors?.[0]?.extensions, `${to} paged with a cursor of ${from}`).toMatchObject(
          refusal(side, `${message} (use a cursor from this list's edges or pageInfo)`),
        );
      }
      // A cursor of this list from before cursors named their owner cannot say whose it was.
      const old = await pageWith(ranking(`cycleId: "2019"`), b64("Ranking.entries:2"));
      expect(old.body.errors?.[0]?.extensions).toMatchObject(
        refusal("after", "a cursor from an earlier version of this API (ask for the first page again)"),
      );
    });

    it("refuse a cursor issued before the data or the saved scenario changed", async () => {
      const saved = await t.gql(
        `mutation { saveScenario(input: { cycleId: "2018", name: "cursor owners", patch: { patch: { categories: { organ: { points: 25 } } } } }) {
          ... on Scenario { id } } }`,
        {},
        admin,
      );
      const scenarioId = saved.body.data.saveScenario.id as string;
      const lists = [
        ranking(`cycleId: "2018"`),
        whatIf(20),
        sweep("40", "2018"),
        uncertainty(1, "2018"),
        leaveOneOut(false, "2018"),
      ];
      const before = await Promise.all(lists.map(cursorOf));
      const write = await t.gql(
        `mutation { setScore(cycleId: "2018", unitId: "U01", category: "business", value: "27.2") { __typename } }`,
        {},
        admin,
      );
      expect(write.body.data.setScore.__typename).toBe("DirectScore");
      // Its own code, so that a client asks for the first page again without reading the message.
      const stale = {
        ...refusal("after", "the list changed since this cursor was issued (ask for the first page again)"),
        code: "STALE_CURSOR",
      };
      for (const [i, list] of lists.entries()) {
        expect(errorOf((await pageWith(list, before[i]!)).body), list).toMatchObject(stale);
        // The first page again hands out cursors that page on.
        const again = await pageWith(list, await cursorOf(list));
        expect(errorOf(again.body), list).toBeUndefined();
      }
      // A stale cursor beside a malformed one: the first page again would not mend the other.
      const mixed = await t.gql(
        `query($a: String, $b: String) { ranking(cycleId: "2018") { ... on Ranking { entries(first: 2, after: $a, before: $b) { edges { cursor } } } } }`,
        { a: before[0], b: "%%%" },
        admin,
      );
      expect(mixed.body.errors?.[0]?.extensions).toMatchObject({
        code: "VALIDATION",
        issues: [{ path: "after", message: stale.issues[0]!.message }, { path: "before" }],
      });
      // A saved scenario edited since is the same what-if, or ranking, changed.
      const underScenario = `whatIf(cycleId: "2018", scenarioId: "${scenarioId}") { ... on WhatIf { units(PAGE) { pageInfo { endCursor } } } }`;
      const rankedUnder = ranking(`cycleId: "2018", scenarioId: "${scenarioId}"`);
      const cursor = await cursorOf(underScenario);
      const rankedCursor = await cursorOf(rankedUnder);
      expect((await pageWith(underScenario, cursor)).body.errors).toBeUndefined();
      expect((await pageWith(rankedUnder, rankedCursor)).body.errors).toBeUndefined();
      const edit = await t.gql(
        `mutation { saveScenario(input: { id: "${scenarioId}", cycleId: "2018", name: "cursor owners", patch: { patch: { categories: { organ: { points: 28 } } } } }) {
          __typename } }`,
        {},
        admin,
      );
      expect(edit.body.data.saveScenario.__typename).toBe("Scenario");
      expect((await pageWith(underScenario, cursor)).body.errors?.[0]?.extensions).toMatchObject(stale);
      expect((await pageWith(rankedUnder, rankedCursor)).body.errors?.[0]?.extensions).toMatchObject(stale);
    });

    it("null only the list a refused cursor or filter asks for, keeping the rest of the answer", async () => {
      // An analyst's dashboard in one request: a stale cursor or a mistyped unit id in one list
      // must not take the ranking and the what-if's own figures down with it.
      const r = await t.gql(
        `query($a: String) {
          ranking(cycleId: "2019") { ... on Ranking { entries(first: 1) { edges { node { unitId } } } } }
          cycles(first: 1, after: $a) { edges { node { id } } }
          whatIf(cycleId: "2018", scenario: { patch: { categories: { organ: { points: 20 }, public: { points: 50 } } } }) {
            ... on WhatIf { maximum { scenario } units(unitIds: ["U99"]) { totalCount } swaps(first: 1) { totalCount } } }
          uncertainty(cycleId: "2019", samples: 10, seed: 1) { ... on Uncertainty { cycleId draws(limit: -1) { sample } } }
        }`,
        { a: "%%%" },
        admin,
      );
      expect(r.body.data, JSON.stringify(r.body.errors)).toEqual({
        ranking: { entries: { edges: [{ node: { unitId: expect.any(String) } }] } },
        cycles: null,
        whatIf: { maximum: { scenario: "100" }, units: null, swaps: { totalCount: expect.any(Number) } },
        uncertainty: { cycleId: "2019", draws: null },
      });
      expect(r.body.errors?.map((e) => [e.path?.join("."), e.extensions?.code]).sort()).toEqual([
        ["cycles", "VALIDATION"],
        ["uncertainty.draws", "VALIDATION"],
        ["whatIf.units", "VALIDATION"],
      ]);
    });

    it("page a ranking, a what-if and the cycles with their own cursors", async () => {
      const all = await t.gql(`{ ${ranking(`cycleId: "2019"`).replace("PAGE", "first: 4")} }`, {}, admin);
      const ids = all.body.data.ranking.entries.edges.map((e: any) => e.node.unitId);
      const next = await pageWith(ranking(`cycleId: "2019"`), await cursorOf(ranking(`cycleId: "2019"`)));
      expect(next.body.errors).toBeUndefined();
      expect(next.body.data.ranking.entries.edges.map((e: any) => e.node.unitId)).toEqual(ids.slice(2, 4));
      for (const list of [whatIf(20), whatIf(20, "swaps"), sweep("40"), uncertainty(1), leaveOneOut(true)])
        expect(errorOf((await pageWith(list, await cursorOf(list))).body), list).toBeUndefined();
      // The one list of cycles has no owner, but a revision: a cursor of the form it had before
      // cannot say which cycles it paged.
      const list = `cycles(PAGE) { edges { node { id } } pageInfo { endCursor } }`;
      const cycles = await pageWith(list, await cursorOf(`cycles(first: 1) { pageInfo { endCursor } }`));
      expect(cycles.body.errors).toBeUndefined();
      expect(cycles.body.data.cycles.edges.map((e: any) => e.node.id)).toEqual(["2018"]);
      const old = await pageWith(list, b64("Query.cycles:0"));
      expect(old.body.errors?.[0]?.extensions).toMatchObject(
        refusal("after", "a cursor from an earlier version of this API (ask for the first page again)"),
      );
    });

    it("page a list with the cursors it handed out, after and before", async () => {
      const all = await t.gql(`{ units(cycleId: "2019", first: 6) { edges { node { id } } } }`, {}, admin);
      const ids = all.body.data.units.edges.map((e: any) => e.node.id);
      const page = `query($a: String, $b: String) { units(cycleId: "2019", first: 2, after: $a, before: $b) {
        edges { cursor node { id } } pageInfo { endCursor } } }`;
      const one = await t.gql(page, {}, admin);
      const two = await t.gql(page, { a: one.body.data.units.pageInfo.endCursor }, admin);
      expect(two.body.errors).toBeUndefined();
      expect(two.body.data.units.edges.map((e: any) => e.node.id)).toEqual(ids.slice(2, 4));
      const back = await t.gql(page, { b: two.body.data.units.edges[1].cursor }, admin);
      expect(back.body.data.units.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));
    });

    it("hand out no cursors for an empty page, as Relay has it", async () => {
      const none = { startCursor: null, endCursor: null };
      // A what-if that changes nothing swaps no units: an empty first page.
      const same = await t.gql(
        `{ whatIf(cycleId: "2018", scenario: { name: "nothing" }) { ... on WhatIf {
          swaps(first: 2) { edges { cursor } pageInfo { startCursor endCursor hasNextPage } } } } }`,
        {},
        admin,
      );
      expect(same.body.errors).toBeUndefined();
      expect(same.body.data.whatIf.swaps).toEqual({ edges: [], pageInfo: { ...none, hasNextPage: false } });
      // A page past the last unit, after the last unit's cursor.
      const last = await t.gql(`{ units(cycleId: "2019", last: 1) { pageInfo { endCursor } } }`, {}, admin);
      const past = await t.gql(
        `query($a: String) { units(cycleId: "2019", first: 2, after: $a) { edges { cursor } pageInfo { startCursor endCursor } } }`,
        { a: last.body.data.units.pageInfo.endCursor },
        admin,
      );
      expect(past.body.errors).toBeUndefined();
      expect(past.body.data.units).toEqual({ edges: [], pageInfo: none });
    });

    it("page the units of a cycle back from the end with `last` alone", async () => {
      const all = await t.gql(`{ units(cycleId: "2019") { edges { node { id } } } }`, {}, admin);
      const ids = all.body.data.units.edges.map((e: any) => e.node.id);
      const tail = await t.gql(
        `{ units(cycleId: "2019", last: 3) { edges { node { id } } pageInfo { hasPreviousPage hasNextPage startCursor } } }`,
        {},
        admin,
      );
      expect(tail.body.errors).toBeUndefined();
      expect(tail.body.data.units.edges.map((e: any) => e.node.id)).toEqual(ids.slice(-3));
      expect(tail.body.data.units.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const before = await t.gql(
        `query($b: String) { units(cycleId: "2019", last: 2, before: $b) { edges { node { id } } } }`,
        { b: tail.body.data.units.pageInfo.startCursor },
        admin,
      );
      expect(before.body.data.units.edges.map((e: any) => e.node.id)).toEqual(ids.slice(-5, -3));
    });

    it("are 100 rows by default and up to 2,000, as documented", async () => {
      const units = await t.gql(`{ units(cycleId: "2019") { edges { node { id } } } }`, {}, admin);
      expect(units.body.data.units.edges).toHaveLength(29);
      for (let i = 0; i < 20; i++) {
        const c = await t.gql(
          `mutation($i: CreateCycleInput!) { createCycle(input: $i) { __typename } }`,
          { i: { id: `p${i}`, year: 2100 + i, name: `p${i}`, schemeId: "city-review", schemeVersion: 2 } },
          admin,
        );
        expect(c.body.data.createCycle.__typename).toBe("Cycle");
      }
      const cycles = await t.gql(`{ cycles { edges { node { id } } } }`, {}, admin);
      expect(cycles.body.data.cycles.edges).toHaveLength(22);
      const big = await t.gql(`{ cycles(first: 150) { edges { node { id } } } }`, {}, admin);
      expect(big.body.data.cycles.edges).toHaveLength(22);
    });

    it("refuse a cursor of the units, cycles or scheme versions issued before their rows moved", async () => {
      const stale = {
        ...refusal("after", "the list changed since this cursor was issued (ask for the first page again)"),
        code: "STALE_CURSOR",
      };
      const ok = async (r: Promise<{ body: any }>) => {
        const { body } = await r;
        expect(body.errors).toBeUndefined();
        return body.data;
      };
      const publish = (basedOn: number | null) =>
        ok(
          t.gql(
            `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ... on SchemeVersion { version } ... on Error { message } } }`,
            {
              i: {
                schemeId: "paged",
                basedOn,
                // A second group, so that a unit can move out of the first one's list.
                document: {
                  ...scheme2019,
                  id: "paged",
                  // Each version changes something: one that changes nothing is refused.
                  name: `paged ${basedOn ?? 0}`,
                  groups: [...scheme2019.groups, { id: "second", name: "second", ranked: true }],
                },
                reason: "cursors",
              },
            },
            admin,
          ),
        );
      const mutate = async (query: string, field: string, typename: string) =>
        expect((await ok(t.gql(`mutation { ${field}${query} }`, {}, admin)))[field]).toMatchObject({
          __typename: typename,
        });
      const unit = (id: string, group = "law-enforcement") =>
        mutate(
          `(cycleId: "paged", input: { id: "${id}", name: "${id}", group: "${group}" }) { __typename ... on Error { message } }`,
          "upsertUnit",
          "Unit",
        );
      const versions = `schemeVersions(schemeId: "paged", PAGE) { edges { node { version } } pageInfo { endCursor } }`;
      expect(await publish(null)).toMatchObject({ publishSchemeVersion: { version: 1 } });
      expect(await publish(1)).toMatchObject({ publishSchemeVersion: { version: 2 } });
      const versionCursor = await cursorOf(versions);
      const cycles = `cycles(PAGE) { edges { node { id } } pageInfo { endCursor } }`;
      const cycleCursor = await cursorOf(cycles);
      await mutate(
        `(input: { id: "paged", year: 2150, name: "paged", schemeId: "paged", schemeVersion: 2, copyUnitsFrom: "2019" }) { __typename ... on Error { message } }`,
        "createCycle",
        "Cycle",
      );
      const units = `units(cycleId: "paged", PAGE) { edges { node { id } } pageInfo { endCursor } }`;
      const group = `units(cycleId: "paged", group: "law-enforcement", PAGE) { edges { node { id } } pageInfo { endCursor } }`;

      // A write that moves no row of a list leaves its cursors good: a renamed unit, and a cycle's
      // units for its list of cycles.
      const unitCursor = await cursorOf(units);
      const cyclesNow = await cursorOf(cycles);
      await unit("U01");
      expect((await ok(pageWith(units, unitCursor))).units.edges).toHaveLength(2);
      await ok(pageWith(cycles, cyclesNow));
      expect((await ok(pageWith(versions, versionCursor, "before"))).schemeVersions.edges).toEqual([
        { node: { version: 1 } },
      ]);

      // A unit added, one taken out, one moved to another group: each shifts the rows after it.
      await unit("A00");
      expect((await pageWith(units, unitCursor)).body.errors?.[0]?.extensions).toMatchObject(stale);
      const afterAdd = await cursorOf(units);
      const groupCursor = await cursorOf(group);
      await mutate(
        `(cycleId: "paged", id: "A00") { __typename ... on Error { message } }`,
        "deleteUnit",
        "Cycle",
      );
      expect((await pageWith(units, afterAdd)).body.errors?.[0]?.extensions).toMatchObject(stale);
      expect((await pageWith(group, groupCursor)).body.errors?.[0]?.extensions).toMatchObject(stale);
      const inGroup = await cursorOf(group);
      await unit("U02", "second");
      expect((await pageWith(group, inGroup)).body.errors?.[0]?.extensions).toMatchObject(stale);
      // The first page again hands out cursors that page on.
      expect((await ok(pageWith(units, await cursorOf(units)))).units.edges).toHaveLength(2);

      // A cycle created since (newest year first: it comes first), a version published since.
      expect((await pageWith(cycles, cycleCursor)).body.errors?.[0]?.extensions).toMatchObject(stale);
      await ok(pageWith(cycles, await cursorOf(cycles)));
      expect(await publish(2)).toMatchObject({ publishSchemeVersion: { version: 3 } });
      expect((await pageWith(versions, versionCursor, "before")).body.errors?.[0]?.extensions).toMatchObject({
        ...stale,
        issues: [{ ...stale.issues[0], path: "before" }],
      });
      expect((await ok(pageWith(versions, await cursorOf(versions)))).schemeVersions.edges).toEqual([
        { node: { version: 3 } },
      ]);
    });
  });

  describe("NUL characters", () => {
    it("are refused in ids and names with the field named", async () => {
      const r = await t.gql(
        `mutation($u: UnitInput!) { upsertUnit(cycleId: "2019", input: $u) { __typename ... on ValidationError { issues { path message } } } }`,
        { u: { id: `a${NUL}b`, name: `n${NUL}`, group: "law-enforcement" } },
        admin,
      );
      expect(r.body.data.upsertUnit).toEqual({
        __typename: "ValidationError",
        issues: [
          { path: "input.id", message: "must not contain NUL characters" },
          { path: "input.name", message: "must not contain NUL characters" },
        ],
      });
    });

    it("are refused in scheme documents", async () => {
      const r = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on ValidationError { issues { path message } } } }`,
        {
          i: {
            schemeId: "city-review",
            basedOn: 2,
            document: { ...scheme2019, version: 3, name: `x${NUL}` },
            reason: "r",
          },
        },
        admin,
      );
      expect(r.body.data.publishSchemeVersion).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "input.document.name", message: "must not contain NUL characters" }],
      });
    });

    it("are refused in a read's arguments", async () => {
      const r = await t.gql(
        `query($c: ID!) { units(cycleId: $c) { edges { node { id } } } }`,
        { c: `20${NUL}19` },
        admin,
      );
      expect(r.body.errors?.[0]?.message).toBe("cycleId: must not contain NUL characters");
      expect(r.body.errors?.[0]?.extensions?.code).toBe("VALIDATION");
      const c = await t.gql(
        `query($c: ID!) { ranking(cycleId: $c) { __typename ... on ValidationError { issues { path } } } }`,
        { c: `20${NUL}19` },
        admin,
      );
      expect(c.body.data.ranking).toEqual({ __typename: "ValidationError", issues: [{ path: "cycleId" }] });
    });

    it("are refused in imported CSV cells with the line", async () => {
      const r = await upload(
        "2019",
        "nul-import",
        "FINDINGS",
        `id,unit,type,level\nf${NUL}1,A,unannounced-visit,city\n`,
      );
      expect(r.__typename).toBe("ImportError");
      expect(r.bad).toContainEqual({ line: 2, column: "id", message: "must not contain NUL characters" });
    });
  });

  describe("half of a surrogate pair", () => {
    const alone =
      "must not contain half of a UTF-16 surrogate pair (\\ud800–\\udfff alone), which cannot be stored as sent";

    it("is refused in an argument with the field named, and nothing is stored in its place", async () => {
      const audit = await t.lastAuditId();
      const r = await t.gql(
        `mutation($i: FindingInput!) { recordFinding(cycleId: "2019", input: $i) {
          __typename ... on ValidationError { issues { path message } } } }`,
        { i: { id: "lone-1", unitId: "U01", type: "unannounced-visit", level: "city", note: "seen \ud800" } },
        admin,
      );
      expect(r.body.data.recordFinding).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "input.note", message: alone }],
      });
      expect(await t.lastAuditId()).toBe(audit);
      // A whole pair is one character, stored as sent.
      const pair = await t.gql(
        `mutation($i: FindingInput!) { recordFinding(cycleId: "2019", input: $i) { __typename ... on Finding { note } } }`,
        {
          i: {
            id: "lone-2",
            unitId: "U01",
            type: "unannounced-visit",
            level: "city",
            note: "seen \ud83d\ude00",
          },
        },
        admin,
      );
      expect(pair.body.data.recordFinding).toEqual({ __typename: "Finding", note: "seen 😀" });
    });

    it("is refused in an imported JSON cell with its record", async () => {
      const query = `mutation($file: File!) { importFile(cycleId: "2019", importId: "lone-import", kind: FINDINGS, format: JSON, file: $file) {
        __typename ... on ImportError { bad: rows { line record column message } } } }`;
      const { body } = await t.upload(
        query,
        {},
        {
          name: "f.json",
          body: '[{"id": "lone-f1", "unit": "U01", "type": "unannounced-visit", "level": "city", "note": "\\udc00"}]',
        },
      );
      expect(body.data.importFile).toEqual({
        __typename: "ImportError",
        bad: [{ line: expect.any(Number), record: 1, column: "note", message: alone }],
      });
    });
  });

  // Last: it adds a cycle, which the page-size counts above do not expect.
  describe("engine objections", () => {
    it("name the field the client sent, not the record's", async () => {
      const before = await t.lastAuditId();
      const r = await t.gql(
        `mutation { recordFinding(cycleId: "2019", input: { id: "named-1", unitId: "NOPE", type: "nosuch", level: "city" }) {
          __typename ... on ValidationError { issues { path message } } } }`,
        {},
        admin,
      );
      expect(r.body.data.recordFinding).toEqual({
        __typename: "ValidationError",
        issues: [
          { path: "input.unitId", message: 'finding "named-1": unknown unit "NOPE"' },
          { path: "input.type", message: 'finding "named-1" for unit "NOPE": unknown finding type "nosuch"' },
        ],
      });
      expect(await t.lastAuditId()).toBe(before);
    });

    it("name compare's argument for a unit the cycle does not have", async () => {
      const r = await t.gql(
        `{ compare(cycleId: "2019", unitA: "U01", unitB: "NOPE") { __typename ... on ValidationError { issues { path message } } } }`,
        {},
        { as: "viewer" },
      );
      expect(r.body.data.compare).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "unitB", message: 'unknown unit "NOPE"' }],
      });
    });
  });

  describe("JSON literals", () => {
    it("say that a bare word must be quoted, not that it is a variable", async () => {
      const r = await t.gql(
        `{ whatIf(cycleId: "2019", scenario: { description: draft, patch: {} }) { __typename } }`,
        {},
        { as: "analyst" },
      );
      expect(r.body.errors?.map((e) => e.message)).toEqual([
        'draft in a JSON literal must be quoted: "draft"',
      ]);
    });
  });

  describe("imports", () => {
    it("say a file sent inside the JSON body must be a multipart part, and write nothing", async () => {
      const before = await t.lastAuditId();
      for (const file of ["unit,category,value\nU01,business,20\n", { name: "scores.csv" }]) {
        const r = await t.gql(
          `mutation($f: File!) { importFile(cycleId: "2019", kind: SCORES, format: CSV, importId: "inline", file: $f) {
            __typename ... on Error { message } } }`,
          { f: file },
          admin,
        );
        expect(r.body.errors?.[0]?.message).toMatch(/^Variable "\$f" got invalid value .*multipart request/);
        expect(r.body.errors?.[0]?.extensions?.code).not.toBe("INTERNAL_SERVER_ERROR");
      }
      expect(await t.lastAuditId()).toBe(before);
      const sent = await upload("2019", "as-a-part", "SCORES", "unit,category,value\n");
      expect(sent.__typename).not.toBe("Error");
    });
  });

  describe("dates of findings", () => {
    const finding = `mutation($i: FindingInput!) { recordFinding(cycleId: "2019", input: $i) {
      __typename ... on Finding { deadline rectifiedOn } ... on ValidationError { issues { path message } } } }`;
    const rectify = `mutation($i: RectificationInput!) { setRectification(cycleId: "2019", findingId: "dates-1", input: $i) {
      __typename ... on Finding { rectification deadline rectifiedOn } ... on ValidationError { issues { path message } } } }`;
    const base = { id: "dates-1", unitId: "U01", type: "unannounced-visit", level: "city" };

    it("refuse a day the calendar does not have, naming the field", async () => {
      const before = await t.lastAuditId();
      const r = await t.gql(finding, { i: { ...base, deadline: "2019-02-30" } }, admin);
      expect(r.body.data.recordFinding).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "input.deadline", message: "must be a date YYYY-MM-DD" }],
      });
      const ok = await t.gql(finding, { i: { ...base, deadline: "2020-02-29" } }, admin);
      expect(ok.body.data.recordFinding.deadline).toBe("2020-02-29");
      for (const day of ["2019-02-30", "2019-04-31", "2019-13-01", "0000-01-01"]) {
        const bad = await t.gql(rectify, { i: { rectification: "LATE", rectifiedOn: day } }, admin);
        expect(bad.body.errors).toBeUndefined();
        expect(bad.body.data.setRectification).toEqual({
          __typename: "ValidationError",
          issues: [{ path: "input.rectifiedOn", message: "must be a date YYYY-MM-DD" }],
        });
      }
      expect(await t.lastAuditId()).toBe(before + 1);
    });

    it("keep a stored date the rectification leaves out, and clear one it sets to null", async () => {
      await t.gql(finding, { i: { ...base, deadline: "2019-06-30" } }, admin);
      const late = await t.gql(rectify, { i: { rectification: "LATE", rectifiedOn: "2019-07-15" } }, admin);
      expect(late.body.data.setRectification).toMatchObject({
        deadline: "2019-06-30",
        rectifiedOn: "2019-07-15",
      });
      const reopened = await t.gql(rectify, { i: { rectification: "PENDING", rectifiedOn: null } }, admin);
      expect(reopened.body.data.setRectification).toEqual({
        __typename: "Finding",
        rectification: "PENDING",
        deadline: "2019-06-30",
        rectifiedOn: null,
      });
      const noDeadline = await t.gql(rectify, { i: { rectification: "PENDING", deadline: null } }, admin);
      expect(noDeadline.body.data.setRectification).toMatchObject({ deadline: null, rectifiedOn: null });
    });
  });

  describe("spaces around ids", () => {
    it("stores ids and names as checked, without the spaces around them", async () => {
      const cycle = await t.gql(
        `mutation { createCycle(input: { id: " 2031 ", year: 2031, name: " padded ", schemeId: "city-review", schemeVersion: 2 }) { __typename ... on Cycle { id name } } }`,
        {},
        admin,
      );
      expect(cycle.body.data.createCycle).toEqual({ __typename: "Cycle", id: "2031", name: "padded" });
      const unit = await t.gql(
        `mutation { upsertUnit(cycleId: "2031", input: { id: " X31 ", name: " unit ", group: " law-enforcement " }) { __typename ... on Unit { id name groupId } } }`,
        {},
        admin,
      );
      expect(unit.body.data.upsertUnit).toEqual({
        __typename: "Unit",
        id: "X31",
        name: "unit",
        groupId: "law-enforcement",
      });
      const group = await t.gql(
        `mutation { upsertGroup(cycleId: "2031", input: { id: " law-enforcement ", name: " 执法 " }) { __typename ... on Group { id name } } }`,
        {},
        admin,
      );
      expect(group.body.data.upsertGroup).toMatchObject({
        __typename: "Group",
        id: "law-enforcement",
        name: "执法",
      });
      const finding = await t.gql(
        `mutation { recordFinding(cycleId: "2031", input: { id: " f31 ", unitId: "X31", type: " unannounced-visit ", level: " city " }) {
          __typename ... on Finding { id type level } ... on ValidationError { issues { path message } } } }`,
        {},
        admin,
      );
      expect(finding.body.data.recordFinding).toEqual({
        __typename: "Finding",
        id: "f31",
        type: "unannounced-visit",
        level: "city",
      });
      const deleted = await t.gql(
        `mutation { deleteFinding(cycleId: "2031", id: "f31") { __typename } }`,
        {},
        admin,
      );
      expect(deleted.body.data.deleteFinding.__typename).toBe("Cycle");
    });
  });
});
