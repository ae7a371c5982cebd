import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../src/seed.js";
import { atOnce, backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * Ballots (票决制) and survey forms (开门评议) read back page by page as findings are, and single
 * ballots corrected or removed through the API, checked by the engine against the scheme version.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
  const seeded = read("dataset-2019.json") as {
    ballots: { unit: string; voter: string }[];
    surveyForms: { category: string; unit: string; respondentGroup: string; answer: string }[];
  };

  // Loaded by imports into a cycle of their own. Out of order, and with voters whose order differs
  // between byte order ("Zed" first) and a locale's ("amy" first).
  const BALLOTS = [
    ["organ", "amy", "member", "U02", "81"],
    ["organ", "Zed", "mayor", "U02", "90"],
    ["organ", "bob", "member", "U01", "70.5"],
    ["organ", "amy", "member", "U01", "75"],
    ["organ", "Zed", "mayor", "U01", "88"],
    ["organ", "bob", "member", "U02", "79"],
  ];
  const FORMS = [
    ...Array(3).fill(["public", "U02", "residents", "satisfied"]),
    ...Array(2).fill(["public", "U01", "residents", "dissatisfied"]),
    ["public", "U01", "enterprises", "satisfied"],
    ...Array(4).fill(["public", "U01", "residents", "satisfied"]),
    ["public", "U01", "enterprises", "dont-know"],
  ] as string[][];

  // A version whose organ category takes grades and weighs them by the voter's role.
  const graded = read("scheme-2019.json");
  graded.id = "graded-review";
  graded.categories = graded.categories.map((c: { id: string }) =>
    c.id === "organ"
      ? {
          ...c,
          method: {
            kind: "vote",
            ballot: { type: "grade", points: { 好: 100, 较好: 85, 一般: 70, 差: 50 } },
            aggregation: { type: "role-weighted", roles: { mayor: 2, member: 1 } },
          },
        }
      : c,
  );

  const mutate = async (query: string, variables: Record<string, unknown>) => {
    const r = await t.gql(query, variables, admin);
    expect(r.body.errors).toBeUndefined();
    return r.body.data;
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const created = await mutate(
      `mutation { createCycle(input: { id: "votes", year: 2035, name: "votes", schemeId: "city-review", schemeVersion: 2, copyUnitsFrom: "2019" }) { __typename } }`,
      {},
    );
    expect(created.createCycle.__typename).toBe("Cycle");
    const csv = (header: string, rows: string[][]) =>
      `${header}\n${rows.map((r) => r.join(",")).join("\n")}\n`;
    const imported = async (kind: string, importId: string, body: string) =>
      (
        await t.upload(
          `mutation($file: File!) { importFile(cycleId: "votes", importId: "${importId}", kind: ${kind}, format: CSV, file: $file) {
            __typename ... on ImportResult { rows } ... on Error { message } } }`,
          {},
          { name: `${importId}.csv`, body },
        )
      ).body.data.importFile;
    expect(await imported("BALLOTS", "ballots-1", csv("category,voter,role,unit,score", BALLOTS))).toEqual({
      __typename: "ImportResult",
      rows: BALLOTS.length,
    });
    expect(
      await imported("SURVEY_FORMS", "forms-1", csv("category,unit,respondent_group,answer", FORMS)),
    ).toEqual({ __typename: "ImportResult", rows: FORMS.length });

    const published = await mutate(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename } }`,
      { i: { schemeId: "graded-review", basedOn: null, document: graded, reason: "grade ballots" } },
    );
    expect(published.publishSchemeVersion.__typename).toBe("SchemeVersion");
    const gradedCycle = await mutate(
      `mutation { createCycle(input: { id: "graded", year: 2036, name: "graded", schemeId: "graded-review", schemeVersion: 1, copyUnitsFrom: "2019" }) { __typename } }`,
      {},
    );
    expect(gradedCycle.createCycle.__typename).toBe("Cycle");
  });
  afterAll(() => t?.close());

  const NODE = "category voter role unitId score grade";
  async function ballots(cycleId: string, args = "", as: "viewer" | "admin" = "viewer") {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { ballots${args} { totalCount
        edges { cursor node { ${NODE} } } pageInfo { hasNextPage hasPreviousPage endCursor } } } } }`,
      { c: cycleId },
      { as },
    );
    return { data: r.body.data?.cycle?.ballots, errors: r.body.errors };
  }

  async function tallies(cycleId: string, args = "") {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { surveyTallies${args} { totalCount
        edges { node { category unitId respondentGroup answer count } } pageInfo { hasNextPage endCursor } } } } }`,
      { c: cycleId },
      { as: "viewer" },
    );
    return { data: r.body.data?.cycle?.surveyTallies, errors: r.body.errors };
  }

  const RECORD = `mutation($c: ID!, $b: BallotInput!, $replaceOnly: Boolean) {
    recordBallot(cycleId: $c, input: $b, replaceOnly: $replaceOnly) {
    __typename ... on Ballot { ${NODE} } ... on NotFoundError { entity id }
    ... on ValidationError { issues { path message } } ... on Error { message } } }`;
  const SET_ROLE = `mutation($c: ID!, $cat: String!, $v: String!, $role: String) {
    setVoterRole(cycleId: $c, category: $cat, voter: $v, role: $role) {
      __typename ... on MutationSetVoterRoleSuccess { ballots: data { ${NODE} } } ... on NotFoundError { entity id }
      ... on ValidationError { issues { path message } } ... on Error { message } } }`;
  const DELETE = `mutation($c: ID!, $cat: String!, $v: String!, $u: ID!) {
    deleteBallot(cycleId: $c, category: $cat, voter: $v, unitId: $u) {
      __typename ... on Cycle { cycleId: id } ... on NotFoundError { entity id } ... on Error { message } } }`;
  const record = async (
    cycleId: string,
    b: Record<string, unknown>,
    as: "admin" | "analyst" = "admin",
    replaceOnly?: boolean,
  ) => {
    const r = await t.gql(RECORD, { c: cycleId, b, replaceOnly }, { as });
    return r.body.errors ? { errors: r.body.errors } : r.body.data.recordBallot;
  };
  const setRole = async (
    cycleId: string,
    category: string,
    voter: string,
    role: string | null,
    as: "admin" | "analyst" = "admin",
  ) => {
    const r = await t.gql(SET_ROLE, { c: cycleId, cat: category, v: voter, role }, { as });
    return r.body.errors ? { errors: r.body.errors } : r.body.data.setVoterRole;
  };
  const remove = async (cycleId: string, category: string, voter: string, unitId: string) =>
    (await t.gql(DELETE, { c: cycleId, cat: category, v: voter, u: unitId }, admin)).body.data.deleteBallot;

  async function organ(cycleId: string, unitId: string) {
    const r = await t.gql(
      `query($c: ID!, $u: ID!) { scoreBreakdown(cycleId: $c, unitId: $u) { ... on UnitResult {
        total categories { category points } } ... on Error { message } } }`,
      { c: cycleId, u: unitId },
      { as: "viewer" },
    );
    const result = r.body.data.scoreBreakdown;
    return { total: result.total, points: result.categories.find((c: any) => c.category === "organ").points };
  }

  const ballot = (category: string, voter: string, role: string, unitId: string, score: string) => ({
    category,
    voter,
    role,
    unitId,
    score,
    grade: null,
  });

  describe("ballots", () => {
    it("are read back as an import loaded them, by category, unit and voter in byte order, in pages", async () => {
      const expected = [
        ballot("organ", "Zed", "mayor", "U01", "88"),
        ballot("organ", "amy", "member", "U01", "75"),
        ballot("organ", "bob", "member", "U01", "70.5"),
        ballot("organ", "Zed", "mayor", "U02", "90"),
        ballot("organ", "amy", "member", "U02", "81"),
        ballot("organ", "bob", "member", "U02", "79"),
      ];
      const first = await ballots("votes", "(first: 4)");
      expect(first.errors).toBeUndefined();
      expect(first.data.totalCount).toBe(6);
      expect(first.data.edges.map((e: any) => e.node)).toEqual(expected.slice(0, 4));
      expect(first.data.pageInfo.hasNextPage).toBe(true);
      const rest = await ballots("votes", `(first: 4, after: "${first.data.pageInfo.endCursor}")`);
      expect(rest.data.edges.map((e: any) => e.node)).toEqual(expected.slice(4));
      expect(rest.data.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const last = await ballots("votes", "(last: 2)");
      expect(last.data.edges.map((e: any) => e.node)).toEqual(expected.slice(4));
      // A cursor of one cycle's ballots pages no other's.
      const other = await ballots("2019", `(first: 1, after: "${first.data.pageInfo.endCursor}")`);
      expect(other.data ?? null).toBeNull();
      expect(other.errors![0]!.message).toContain("for another cycle");
      // The seed year's 203 on one page, in the store's order.
      const seed = await ballots("2019", "(first: 300)");
      expect(seed.errors).toBeUndefined();
      expect(seed.data.totalCount).toBe(seeded.ballots.length);
      const key = (b: { unit?: string; unitId?: string; voter: string }) =>
        `${b.unit ?? b.unitId}\u0000${b.voter}`;
      const sorted = seeded.ballots.map(key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(seed.data.edges.map((e: any) => key(e.node))).toEqual(sorted);
    });

    it("narrow to a unit, a voter and a category, together or alone", async () => {
      const u02 = await ballots("votes", '(unitId: "U02")');
      expect(u02.data.totalCount).toBe(3);
      expect(u02.data.edges.map((e: any) => e.node.voter)).toEqual(["Zed", "amy", "bob"]);
      const amy = await ballots("votes", '(voter: "amy")');
      expect(amy.data.edges.map((e: any) => [e.node.unitId, e.node.score])).toEqual([
        ["U01", "75"],
        ["U02", "81"],
      ]);
      const one = await ballots("votes", '(category: "organ", unitId: "U01", voter: "bob")');
      expect(one.data.totalCount).toBe(1);
      expect(one.data.edges[0].node.score).toBe("70.5");
      const mayor = seeded.ballots.filter((b) => b.voter === "mayor").length;
      expect((await ballots("2019", '(voter: "mayor")')).data.totalCount).toBe(mayor);
      // A category scored otherwise has none for an admin; a viewer is refused it, as a secret
      // vote's: its ballots, which only a forced move leaves, are not a named vote's.
      expect((await ballots("votes", '(category: "business")', "admin")).data.totalCount).toBe(0);
      const business = await ballots("votes", '(category: "business")');
      expect(business.data ?? null).toBeNull();
      expect(business.errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN", needed: "admin" });
      // A voter nobody is has none (there is no roll).
      expect((await ballots("votes", '(voter: "nobody")')).data.totalCount).toBe(0);
    });

    it("refuse a unit or category the cycle does not have, by name, rather than answering 'none'", async () => {
      const unit = await ballots("votes", '(unitId: "U99")');
      expect(unit.data ?? null).toBeNull();
      expect(unit.errors![0]).toMatchObject({
        path: ["cycle", "ballots"],
        extensions: {
          code: "VALIDATION",
          issues: [{ path: "unitId", message: "unknown unit \"U99\" in cycle 'votes'" }],
        },
      });
      const category = await ballots("votes", '(category: "organs")');
      expect(category.errors![0]!.extensions!.issues).toEqual([
        {
          path: "category",
          message:
            'unknown category "organs"; did you mean "organ"?, in scheme city-review v2, which cycle \'votes\' uses',
        },
      ]);
    });

    it("are recorded, audited, read back and counted in the unit's result", async () => {
      const before = await organ("2019", "U09");
      const audit = await t.lastAuditId();
      const r = await record("2019", {
        category: "organ",
        voter: " member-4 ",
        role: "member",
        unitId: "U09",
        score: "40",
      });
      expect(r).toEqual({ __typename: "Ballot", ...ballot("organ", "member-4", "member", "U09", "40") });
      expect(await t.lastAuditId()).toBeGreaterThan(audit);
      const [entry] = await t.store.audit.list({ limit: 1 });
      expect(entry).toMatchObject({
        actor: "admin-1",
        action: "create",
        entity: "ballot",
        entityId: "organ/member-4/U09",
        after: { category: "organ", voter: "member-4", role: "member", unit: "U09", score: "40" },
      });
      const listed = await ballots("2019", '(unitId: "U09", voter: "member-4")');
      expect(listed.data.edges.map((e: any) => e.node)).toEqual([
        ballot("organ", "member-4", "member", "U09", "40"),
      ]);
      // The trimmed mean now drops 40 rather than 80: the unit's organ points and total move.
      const after = await organ("2019", "U09");
      expect(after.points).not.toBe(before.points);
      expect(Number(after.points)).toBeLessThan(Number(before.points));
      expect(Number(after.total) - Number(before.total)).toBeCloseTo(
        Number(after.points) - Number(before.points),
        10,
      );
    });

    it("are replaced whole but for the role, which is kept unless the input gives one, and the older cursors go stale", async () => {
      const page = await ballots("2019", '(unitId: "U09", first: 1)');
      const count = (await ballots("2019")).data.totalCount;
      const before = await organ("2019", "U09");
      const kept = await record("2019", { category: "organ", voter: "member-4", unitId: "U09", score: "85" });
      expect(kept).toEqual({ __typename: "Ballot", ...ballot("organ", "member-4", "member", "U09", "85") });
      expect((await ballots("2019")).data.totalCount).toBe(count);
      const [entry] = await t.store.audit.list({ limit: 1 });
      expect(entry).toMatchObject({
        action: "update",
        entity: "ballot",
        before: { score: "40" },
        after: { score: "85" },
      });
      expect((await organ("2019", "U09")).points).not.toBe(before.points);
      const dropped = await record("2019", {
        category: "organ",
        voter: "member-4",
        role: null,
        unitId: "U09",
        score: "85",
      });
      expect(dropped).toMatchObject({ role: null, score: "85" });
      const stale = await ballots("2019", `(unitId: "U09", after: "${page.data.pageInfo.endCursor}")`);
      expect(stale.errors![0]!.message).toContain("the list changed since this cursor was issued");
    });

    it("refuse what the category does not take, naming the field, and write nothing", async () => {
      const audit = await t.lastAuditId();
      const base = { category: "organ", voter: "member-9", role: "member", unitId: "U09" };
      const cases: [Record<string, unknown>, string, string][] = [
        [{ unitId: "U99", score: "80" }, "input.unitId", 'unknown unit "U99"'],
        [{ category: "business", score: "80" }, "input.category", 'is scored by "direct", not "vote"'],
        [{ category: "organs", score: "80" }, "input.category", 'unknown category "organs"'],
        [{ score: "101" }, "input.score", "101 is outside 0–100"],
        [{ score: " 80" }, "input.score", "must be a decimal number"],
        [{}, "input.score", "score is missing"],
        [{ grade: "好" }, "input.grade", "the category takes scores, not grades"],
        [{ score: "80", grade: "好" }, "input.grade", "the category takes scores, not grades"],
        [{ voter: "  ", score: "80" }, "input.voter", "must not be empty"],
      ];
      for (const [change, path, message] of cases) {
        const r = await record("2019", { ...base, ...change });
        expect(r, JSON.stringify(change)).toMatchObject({
          __typename: "ValidationError",
          issues: expect.arrayContaining([{ path, message: expect.stringContaining(message) }]),
        });
      }
      expect(await t.lastAuditId()).toBe(audit);
      expect((await ballots("2019", '(voter: "member-9")')).data.totalCount).toBe(0);
    });

    it("take a grade where the category grades, and its role where it weighs by role", async () => {
      const base = { category: "organ", voter: "m1", unitId: "U01" };
      const r = await record("graded", { ...base, role: "mayor", grade: "较好" });
      expect(r).toEqual({
        __typename: "Ballot",
        category: "organ",
        voter: "m1",
        role: "mayor",
        unitId: "U01",
        score: null,
        grade: "较好",
      });
      // The stored role is kept, and checked: the category cannot weigh a ballot without one.
      expect(await record("graded", { ...base, grade: "好" })).toMatchObject({ role: "mayor", grade: "好" });
      const audit = await t.lastAuditId();
      const refused: [Record<string, unknown>, string, string][] = [
        [{ role: null, grade: "好" }, "input.role", "role is missing"],
        [{ role: "deputy", grade: "好" }, "input.role", 'role "deputy" is not in the weights table'],
        [{ grade: "优秀" }, "input.grade", 'unknown grade "优秀"'],
        [{ score: "90" }, "input.score", "the category takes grades, not scores"],
      ];
      for (const [change, path, message] of refused) {
        expect(await record("graded", { ...base, ...change }), JSON.stringify(change)).toMatchObject({
          __typename: "ValidationError",
          issues: expect.arrayContaining([{ path, message: expect.stringContaining(message) }]),
        });
      }
      expect(await t.lastAuditId()).toBe(audit);
      expect((await ballots("graded")).data.edges.map((e: any) => e.node)).toEqual([
        { category: "organ", voter: "m1", role: "mayor", unitId: "U01", score: null, grade: "好" },
      ]);
    });

    it("are deleted, audited, and the unit's result is as before; a ballot not there is NotFound", async () => {
      await record("2019", {
        category: "organ",
        voter: "member-4",
        role: "member",
        unitId: "U09",
        score: "40",
      });
      const withIt = await organ("2019", "U09");
      expect(await remove("2019", "organ", " member-4 ", "U09")).toEqual({
        __typename: "Cycle",
        cycleId: "2019",
      });
      const [entry] = await t.store.audit.list({ limit: 1 });
      expect(entry).toMatchObject({
        action: "delete",
        entity: "ballot",
        entityId: "organ/member-4/U09",
        before: { voter: "member-4", score: "40" },
      });
      expect((await ballots("2019", '(voter: "member-4")')).data.totalCount).toBe(0);
      const without = await organ("2019", "U09");
      expect(Number(without.points)).toBeGreaterThan(Number(withIt.points));
      const audit = await t.lastAuditId();
      expect(await remove("2019", "organ", "member-4", "U09")).toMatchObject({
        __typename: "NotFoundError",
        entity: "ballot",
        id: "organ/member-4/U09",
      });
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("narrow to a voter trimmed as the writes store one, and refuse an empty voter", async () => {
      const amy = await ballots("votes", '(voter: " amy ")');
      expect(amy.errors).toBeUndefined();
      expect(amy.data.totalCount).toBe(2);
      expect(amy.data.edges.map((e: any) => e.node.voter)).toEqual(["amy", "amy"]);
      const empty = await ballots("votes", '(voter: " ")');
      expect(empty.data ?? null).toBeNull();
      expect(empty.errors![0]).toMatchObject({
        path: ["cycle", "ballots"],
        extensions: { code: "VALIDATION", issues: [{ path: "voter", message: "must not be empty" }] },
      });
    });

    it("with replaceOnly, replace a stored ballot but never re-create one deleted meanwhile", async () => {
      const b = { category: "organ", voter: "amy", unitId: "U01", score: "76" };
      expect(await record("votes", b, "admin", true)).toMatchObject({
        __typename: "Ballot",
        role: "member",
        score: "76",
      });
      expect(await remove("votes", "organ", "amy", "U01")).toMatchObject({ __typename: "Cycle" });
      const audit = await t.lastAuditId();
      expect(await record("votes", { ...b, role: "member" }, "admin", true)).toMatchObject({
        __typename: "NotFoundError",
        entity: "ballot",
        id: "organ/amy/U01",
      });
      // Not stored is what is said, before what the engine would say of its score.
      expect(await record("votes", { ...b, role: "member", score: "101" }, "admin", true)).toMatchObject({
        __typename: "NotFoundError",
      });
      expect(await t.lastAuditId()).toBe(audit);
      expect((await ballots("votes", '(voter: "amy")')).data.edges.map((e: any) => e.node.unitId)).toEqual([
        "U02",
      ]);
      // Without it, the ballot is recorded again, as it was.
      expect(await record("votes", { ...b, role: "member", score: "75" })).toMatchObject({
        __typename: "Ballot",
      });
      expect((await ballots("votes", '(voter: "amy")')).data.totalCount).toBe(2);
    });

    describe("a voter's role", () => {
      // Two members, one of whom is in truth a mayor, and a mayor, on three units of a category
      // weighed by role (each role's mean, the mayors' counted twice).
      const UNITS = ["U01", "U02", "U03"];
      beforeAll(async () => {
        const c = await mutate(
          `mutation { createCycle(input: { id: "roles", year: 2037, name: "roles", schemeId: "graded-review", schemeVersion: 1, copyUnitsFrom: "2019" }) { __typename } }`,
          {},
        );
        expect(c.createCycle.__typename).toBe("Cycle");
        for (const unitId of UNITS) {
          for (const [voter, role, grade] of [
            ["V3", "member", "好"],
            ["w1", "member", "差"],
            ["m0", "mayor", "一般"],
          ])
            expect(await record("roles", { category: "organ", voter, role, unitId, grade })).toMatchObject({
              __typename: "Ballot",
            });
        }
      });

      it("is not changed on one ballot alone: recordBallot says to use setVoterRole", async () => {
        const audit = await t.lastAuditId();
        const r = await record("roles", {
          category: "organ",
          voter: "V3",
          role: "mayor",
          unitId: "U02",
          grade: "好",
        });
        expect(r).toMatchObject({
          __typename: "ValidationError",
          issues: [
            {
              path: "input.role",
              message:
                'voter "V3" is "member" on their 2 other ballots in "organ": change a voter\'s role on all their ballots with setVoterRole',
            },
          ],
        });
        expect(await t.lastAuditId()).toBe(audit);
        // The role the voter has is taken, given or left out.
        expect(
          await record("roles", {
            category: "organ",
            voter: "V3",
            role: " member ",
            unitId: "U02",
            grade: "好",
          }),
        ).toMatchObject({ __typename: "Ballot", role: "member" });
      });

      it("is set on all their ballots of the category by setVoterRole, audited, and the units' results move", async () => {
        // Members (100 + 50) / 2 = 75, mayor 70: (75 + 2 × 70) / 3 of 100, 14.33 of the category's 20 points.
        expect((await organ("roles", "U01")).points).toBe("14.33");
        const audit = await t.lastAuditId();
        const r = await setRole("roles", " organ ", " V3 ", " mayor ");
        expect(r).toEqual({
          __typename: "MutationSetVoterRoleSuccess",
          ballots: UNITS.map((unitId) => ({
            category: "organ",
            voter: "V3",
            role: "mayor",
            unitId,
            score: null,
            grade: "好",
          })),
        });
        const entries = (await t.store.audit.list({ cycleId: "roles", limit: 10 })).filter(
          (e) => e.id > audit,
        );
        expect(entries.map((e) => [e.action, e.entity, e.entityId, e.actor])).toEqual(
          [...UNITS].reverse().map((u) => ["update", "ballot", `organ/V3/${u}`, "admin-1"]),
        );
        expect(
          entries.every((e) => (e.before as any).role === "member" && (e.after as any).role === "mayor"),
        ).toBe(true);
        // Mayors (70 + 100) / 2 = 85, member 50: (50 + 2 × 85) / 3 of 100, 14.67 points, on every unit.
        for (const unitId of UNITS) expect((await organ("roles", unitId)).points).toBe("14.67");
        expect(
          (await ballots("roles", '(voter: "w1")')).data.edges.every((e: any) => e.node.role === "member"),
        ).toBe(true);
        // Now the role the other ballots have is "mayor".
        expect(
          await record("roles", {
            category: "organ",
            voter: "V3",
            role: "member",
            unitId: "U01",
            grade: "好",
          }),
        ).toMatchObject({
          issues: [{ path: "input.role", message: expect.stringContaining('is "mayor" on their 2') }],
        });
      });

      it("is refused where the engine refuses it, named by argument, and a voter or category not there is named", async () => {
        const audit = await t.lastAuditId();
        // A role-weighted category cannot weigh a ballot without a role, nor one not in its table.
        const missing = await setRole("roles", "organ", "V3", null);
        expect(missing).toMatchObject({ __typename: "ValidationError" });
        expect(missing.issues).toHaveLength(UNITS.length);
        expect(missing.issues[0]).toMatchObject({
          path: "role",
          message: expect.stringContaining("role is missing"),
        });
        expect(await setRole("roles", "organ", "V3", "deputy")).toMatchObject({
          issues: expect.arrayContaining([
            { path: "role", message: expect.stringContaining('role "deputy" is not in') },
          ]),
        });
        expect(await setRole("roles", "organ", "nobody", "mayor")).toMatchObject({
          __typename: "NotFoundError",
          entity: "ballot",
          id: "organ/nobody",
          message: 'voter "nobody" has no ballot in category "organ" of cycle \'roles\'',
        });
        expect(await setRole("roles", "organs", "V3", "mayor")).toEqual({
          __typename: "ValidationError",
          message: expect.any(String),
          issues: [
            {
              path: "category",
              message:
                'unknown category "organs"; did you mean "organ"?, in scheme graded-review v1, which cycle \'roles\' uses',
            },
          ],
        });
        expect(await setRole("roles", "organ", "  ", "mayor")).toMatchObject({
          issues: [{ path: "voter", message: "must not be empty" }],
        });
        expect(await t.lastAuditId()).toBe(audit);
        expect((await ballots("roles", '(voter: "V3")')).data.edges.map((e: any) => e.node.role)).toEqual(
          UNITS.map(() => "mayor"),
        );
      });

      it("is refused when the ballot would have none beside the voter's role, named as the voter's", async () => {
        const audit = await t.lastAuditId();
        const because =
          ", and this ballot would have no role: change a voter's role on all their ballots with setVoterRole";
        // A new ballot without a role, and a stored one whose role is taken away (V3 is "mayor" by now).
        expect(
          await record("roles", { category: "organ", voter: "V3", unitId: "U04", grade: "好" }),
        ).toMatchObject({
          issues: [
            {
              path: "input.role",
              message: `voter "V3" is "mayor" on their 3 other ballots in "organ"${because}`,
            },
          ],
        });
        expect(
          await record("roles", { category: "organ", voter: "V3", role: null, unitId: "U02", grade: "好" }),
        ).toMatchObject({
          issues: [
            {
              path: "input.role",
              message: `voter "V3" is "mayor" on their 2 other ballots in "organ"${because}`,
            },
          ],
        });
        // A stored ballot corrected without a role keeps its own, which is the voter's.
        expect(
          await record("roles", { category: "organ", voter: "V3", unitId: "U02", grade: "差" }),
        ).toMatchObject({
          __typename: "Ballot",
          role: "mayor",
        });
        // Only a vote category has ballots: said as recordBallot says it, not as "no ballot".
        expect(await setRole("roles", "business", "V3", "mayor")).toMatchObject({
          __typename: "ValidationError",
          issues: [
            {
              path: "category",
              message: 'is scored by "direct", not "vote": only a vote category has ballots',
            },
          ],
        });
        expect(await t.lastAuditId()).not.toBe(audit);
      });

      it("is removed by null where the category does not weigh by role", async () => {
        const voter = seeded.ballots[0]!.voter;
        const n = seeded.ballots.filter((b) => b.voter === voter).length;
        const r = await setRole("2019", "organ", voter, null);
        expect(r.__typename).toBe("MutationSetVoterRoleSuccess");
        expect(r.ballots).toHaveLength(n);
        expect(r.ballots.every((b: any) => b.voter === voter && b.role === null)).toBe(true);
        const listed = await ballots("2019", `(voter: "${voter}", first: 300)`);
        expect(listed.data.edges.map((e: any) => e.node.role)).toEqual(Array(n).fill(null));
      });

      it("is given to one ballot only where the voter's other ballots have it", async () => {
        // The seeded voter has no role on any ballot by now.
        const b = seeded.ballots[0]!;
        const r = await record("2019", {
          category: "organ",
          voter: b.voter,
          role: "mayor",
          unitId: b.unit,
          score: "60",
        });
        expect(r).toMatchObject({
          issues: [
            {
              path: "input.role",
              message: expect.stringMatching(
                new RegExp(
                  `^voter "${b.voter}" has no role on their \\d+ other ballots in "organ": give a voter a role`,
                ),
              ),
            },
          ],
        });
      });

      it.runIf(backend === "postgres")(
        "stays one per voter when their ballots or a new role are sent at once, the later refused as it would be after",
        async () => {
          const created = await mutate(
            `mutation { createCycle(input: { id: "roles-at-once", year: 2038, name: "roles at once", schemeId: "graded-review", schemeVersion: 1, copyUnitsFrom: "2019" }) { __typename } }`,
            {},
          );
          expect(created.createCycle.__typename).toBe("Cycle");
          const c = "roles-at-once";
          const vote = (voter: string, role: string, unitId: string) => () =>
            record(c, { category: "organ", voter, role, unitId, grade: "好" });
          const refused = (voter: string, role: string) => ({
            __typename: "ValidationError",
            issues: [
              {
                path: "input.role",
                message: `voter "${voter}" is "${role}" on their other ballot in "organ": change a voter's role on all their ballots with setVoterRole`,
              },
            ],
          });
          const audit = await t.lastAuditId();
          // Two ballots of one voter, each with its own role: both passed, and the cycle could not be ranked.
          expect(await atOnce(t, c, vote("Y1", "mayor", "U01"), vote("Y1", "member", "U02"))).toMatchObject([
            { __typename: "Ballot", role: "mayor" },
            refused("Y1", "mayor"),
          ]);
          // A new role for the voter, and a ballot with the old one.
          expect(
            await record(c, { category: "organ", voter: "Y2", role: "mayor", unitId: "U01", grade: "差" }),
          ).toMatchObject({
            __typename: "Ballot",
          });
          expect(
            await atOnce(t, c, () => setRole(c, "organ", "Y2", "member"), vote("Y2", "mayor", "U02")),
          ).toMatchObject([{ __typename: "MutationSetVoterRoleSuccess" }, refused("Y2", "member")]);
          const stored = (await ballots(c)).data.edges.map((e: any) => [
            e.node.voter,
            e.node.role,
            e.node.unitId,
          ]);
          expect(stored).toEqual([
            ["Y1", "mayor", "U01"],
            ["Y2", "member", "U01"],
          ]);
          const entries = (await t.store.audit.list({ cycleId: c, limit: 10 })).filter((e) => e.id > audit);
          expect(entries.map((e) => [e.action, e.entityId])).toEqual([
            ["update", "organ/Y2/U01"],
            ["create", "organ/Y2/U01"],
            ["create", "organ/Y1/U01"],
          ]);
          const ranked = await t.gql(
            `{ ranking(cycleId: "${c}") { __typename ... on Error { message } } }`,
            {},
            admin,
          );
          expect(ranked.body.data.ranking).toEqual({ __typename: "Ranking" });
        },
      );

      it("is set by administrators only", async () => {
        const r = await setRole("roles", "organ", "w1", "mayor", "analyst");
        expect((r as { errors: any[] }).errors[0].extensions.code).toBe("FORBIDDEN");
        expect(
          (await ballots("roles", '(voter: "w1")')).data.edges.every((e: any) => e.node.role === "member"),
        ).toBe(true);
      });
    });

    it("are written by administrators only, and read with a token", async () => {
      const b = { category: "organ", voter: "member-4", role: "member", unitId: "U09", score: "40" };
      const r = await record("2019", b, "analyst");
      expect((r as { errors: any[] }).errors[0].extensions.code).toBe("FORBIDDEN");
      const del = await t.gql(DELETE, { c: "votes", cat: "organ", v: "amy", u: "U01" }, { as: "analyst" });
      expect(del.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await ballots("votes", '(voter: "amy")')).data.totalCount).toBe(2);
      const anonymous = await t.gql(`{ cycle(id: "votes") { ... on Cycle { ballots { totalCount } } } }`);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      const tallied = await t.gql(`{ cycle(id: "votes") { ... on Cycle { surveyTallies { totalCount } } } }`);
      expect(tallied.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    });
  });

  describe("survey tallies", () => {
    const tally = (
      category: string,
      unitId: string,
      respondentGroup: string,
      answer: string,
      count: number,
    ) => ({
      category,
      unitId,
      respondentGroup,
      answer,
      count,
    });

    it("count an import's forms per category, unit, respondent group and answer, in pages", async () => {
      const expected = [
        tally("public", "U01", "enterprises", "dont-know", 1),
        tally("public", "U01", "enterprises", "satisfied", 1),
        tally("public", "U01", "residents", "dissatisfied", 2),
        tally("public", "U01", "residents", "satisfied", 4),
        tally("public", "U02", "residents", "satisfied", 3),
      ];
      const all = await tallies("votes");
      expect(all.errors).toBeUndefined();
      expect(all.data.totalCount).toBe(5);
      expect(all.data.edges.map((e: any) => e.node)).toEqual(expected);
      const first = await tallies("votes", "(first: 2)");
      expect(first.data.edges.map((e: any) => e.node)).toEqual(expected.slice(0, 2));
      expect(first.data.pageInfo.hasNextPage).toBe(true);
      const rest = await tallies("votes", `(first: 2, after: "${first.data.pageInfo.endCursor}")`);
      expect(rest.data.edges.map((e: any) => e.node)).toEqual(expected.slice(2, 4));
      expect((await tallies("votes", "(last: 1)")).data.edges.map((e: any) => e.node)).toEqual(
        expected.slice(4),
      );
    });

    it("narrow to a unit, a respondent group and a category, and add up to the forms stored", async () => {
      const residents = await tallies("votes", '(respondentGroup: "residents")');
      expect(residents.data.edges.map((e: any) => e.node.count)).toEqual([2, 4, 3]);
      const u01 = await tallies(
        "votes",
        '(category: "public", unitId: "U01", respondentGroup: "enterprises")',
      );
      expect(u01.data.totalCount).toBe(2);
      const forms = seeded.surveyForms.filter((f) => f.unit === "U01");
      const keys = new Set(forms.map((f) => `${f.respondentGroup}/${f.answer}`));
      const seed = await tallies("2019", '(unitId: "U01")');
      expect(seed.data.totalCount).toBe(keys.size);
      expect(seed.data.edges.reduce((n: number, e: any) => n + e.node.count, 0)).toBe(forms.length);
      // A group some survey category declares but no form of this cycle names.
      expect((await tallies("votes", '(respondentGroup: "deputies")')).data.totalCount).toBe(0);
    });

    it("refuse a unit, category or respondent group the cycle does not have, by name", async () => {
      const unit = await tallies("votes", '(unitId: "U99")');
      expect(unit.data ?? null).toBeNull();
      expect(unit.errors![0]!.extensions!.issues).toEqual([
        { path: "unitId", message: "unknown unit \"U99\" in cycle 'votes'" },
      ]);
      const category = await tallies("votes", '(category: "publik")');
      expect(category.errors![0]!.extensions!.issues).toEqual([
        {
          path: "category",
          message:
            'unknown category "publik"; did you mean "public"?, in scheme city-review v2, which cycle \'votes\' uses',
        },
      ]);
      const group = await tallies("votes", '(respondentGroup: "resident")');
      expect(group.errors![0]!.extensions!.issues).toEqual([
        {
          path: "respondentGroup",
          message:
            'unknown respondent group "resident"; did you mean "residents"?, in scheme city-review v2, which cycle \'votes\' uses',
        },
      ]);
    });
  });

  it("refuses a ballot written or deleted in a finalised cycle", async () => {
    const c = await mutate(
      `mutation { createCycle(input: { id: "closed", year: 2040, name: "closed", schemeId: "city-review", schemeVersion: 2, copyUnitsFrom: "2019" }) { __typename } }`,
      {},
    );
    expect(c.createCycle.__typename).toBe("Cycle");
    // A year with totals: one with nothing to publish is not finalised.
    await loadDataset(t.store, "closed", read("scheme-2019.json"), read("dataset-2019.json"));
    const f = await mutate(`mutation { finaliseCycle(cycleId: "closed") { __typename } }`, {});
    expect(f.finaliseCycle.__typename).toBe("Cycle");
    const audit = await t.lastAuditId();
    const r = await record("closed", {
      category: "organ",
      voter: "mayor",
      role: "mayor",
      unitId: "U01",
      score: "10",
    });
    expect(r.__typename).toBe("CycleFinalisedError");
    expect(await remove("closed", "organ", "mayor", "U01")).toMatchObject({
      __typename: "CycleFinalisedError",
    });
    expect(await setRole("closed", "organ", "mayor", "member")).toMatchObject({
      __typename: "CycleFinalisedError",
    });
    expect(await t.lastAuditId()).toBe(audit);
    expect((await ballots("closed", '(unitId: "U01", voter: "mayor")')).data.edges[0].node).toMatchObject({
      role: "mayor",
      score: "88",
    });
  });
});
