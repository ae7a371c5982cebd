import { readFileSync } from "node:fs";
import { add, createBaseline, parseDecimal, toExactString } from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreUnder } from "../src/schema/engine-check.js";
import { EXAMPLE_DIR } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const scheme2019 = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2019.json`, "utf8"));

  const upload = (query: string, variables: Record<string, unknown>, file: { name: string; body: string }) =>
    t.upload(query, variables, file);

  // Before "the administrator's year", which finalises 2018.
  describe("moving a cycle to another scheme version", () => {
    const admin = { as: "admin" as const };
    const scheme2018 = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2018.json`, "utf8"));
    /** The 2018 rules with a category `innovation` that no record of 2018 scores. */
    const withInnovation = {
      ...scheme2018,
      id: "innovation",
      categories: [
        ...scheme2018.categories,
        { id: "innovation", name: "innovation", points: 10, method: { kind: "direct", outOf: 10 } },
      ],
    };
    /** The 2018 rules with five categories that no record of 2018 scores. */
    const withFive = {
      ...scheme2018,
      id: "five-more",
      categories: [
        ...scheme2018.categories,
        ...[1, 2, 3, 4, 5].map((i) => ({
          id: `new${i}`,
          name: `new ${i}`,
          points: 0,
          method: { kind: "direct", outOf: 10 },
        })),
      ],
    };
    /** The 2018 rules with organ scored out of 25: some of 2018's organ scores are above. */
    const organOutOf25 = {
      ...scheme2018,
      id: "organ-25",
      categories: scheme2018.categories.map((c: any) =>
        c.id === "organ" ? { ...c, method: { ...c.method, outOf: 25 } } : c,
      ),
    };

    beforeAll(async () => {
      for (const document of [withInnovation, organOutOf25, withFive]) {
        const r = await t.gql(
          `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
          { i: { schemeId: document.id, basedOn: null, document, reason: "test" } },
          admin,
        );
        expect(r.body.data.publishSchemeVersion).toEqual({ __typename: "SchemeVersion" });
      }
    });

    const move = async (schemeId: string, version: number, force?: boolean) =>
      (
        await t.gql(
          `mutation($s: ID!, $v: Int!, $f: Boolean, $r: String) { setCycleScheme(cycleId: "2018", schemeId: $s, version: $v, force: $f, reason: $r) {
          __typename ... on Cycle { schemeId schemeVersion } ... on ValidationError { message issues { path message } }
          ... on Error { message } } }`,
          {
            s: schemeId,
            v: version,
            f: force ?? null,
            r: force ? "the new category's records come next" : null,
          },
          admin,
        )
      ).body.data.setCycleScheme;
    const where = async () => {
      const c = await t.store.cycles.get("2018");
      return `${c.schemeId} v${c.schemeVersion}`;
    };

    it("refuses a version under which units that have a total would have none, naming them and why", async () => {
      const audit = await t.lastAuditId();
      const r = await move("innovation", 1);
      expect(r.__typename).toBe("ValidationError");
      expect(r.issues).toHaveLength(29);
      expect(r.issues[0]).toEqual({
        path: "dataset.units[0]",
        message: "unit U01: not scored (innovation: no records for this unit)",
      });
      expect(r.message).toMatch(
        /^under scheme innovation v1, 29 units of cycle '2018' that have a total now would have none: unit U01: not scored \(innovation: no records for this unit\); unit U02: .*; … — .*force: true/,
      );
      expect(await t.lastAuditId()).toBe(audit);
      expect(await where()).toBe("city-review v1");
    });

    it("names three of a unit's categories without a result and counts the rest", async () => {
      const r = await move("five-more", 1);
      expect(r.issues[0]).toEqual({
        path: "dataset.units[0]",
        message:
          "unit U01: not scored (new1: no records for this unit; new2: no records for this unit; new3: no records for this unit; and 2 more categories)",
      });
      expect(r.message.length).toBeLessThan(1000);
    });

    it("moves anyway with force: true; moving back costs no unit a total, so needs no force", async () => {
      expect(await move("innovation", 1, true)).toEqual({
        __typename: "Cycle",
        schemeId: "innovation",
        schemeVersion: 1,
      });
      const [forced] = await t.store.audit.list({ cycleId: "2018", entity: "cycle" });
      expect(forced).toMatchObject({ action: "set-scheme-forced" });
      const ranking = await t.gql(
        `{ ranking(cycleId: "2018") { ... on Ranking { entries { edges { node { total flags } } } } } }`,
        {},
        admin,
      );
      const nodes = ranking.body.data.ranking.entries.edges.map((e: any) => e.node);
      expect(nodes.every((n: any) => n.total === null && n.flags.includes("INSUFFICIENT"))).toBe(true);
      // No unit has a total under innovation: the move back makes none worse.
      expect(await move("city-review", 1)).toEqual({
        __typename: "Cycle",
        schemeId: "city-review",
        schemeVersion: 1,
      });
    });

    it("leaves a cycle already on the version as it is, with no audit row", async () => {
      const audit = await t.lastAuditId();
      for (const force of [false, true])
        expect(await move("city-review", 1, force)).toEqual({
          __typename: "Cycle",
          schemeId: "city-review",
          schemeVersion: 1,
        });
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("lists the records a lowered scale refuses, each named, and says what to do after the list", async () => {
      const r = await move("organ-25", 1);
      expect(r.__typename).toBe("ValidationError");
      expect(r.issues).toContainEqual({
        path: "dataset.scores[1].value",
        message: 'score for unit "U01" in category "organ": 26.29 is outside 0–25',
      });
      expect(r.issues.length).toBeGreaterThan(3);
      expect(r.message).toMatch(
        /^scheme organ-25 v1 cannot score cycle '2018' as its records stand \(\d+ problems\): score for unit .*; … — correct the records first, or pass force: true with a reason to move it anyway$/,
      );
      expect(await where()).toBe("city-review v1");
    });

    it("words the records a previewed draft cannot score as setCycleScheme does, the first 100 listed", async () => {
      // Version 1's rules score organ construction directly; 2019's organ construction is a vote.
      const preview = await t.gql(
        `mutation($d: JSON!) { previewSchemeImpact(cycleId: "2019", document: $d) {
          __typename ... on ValidationError { message issues { path message } } } }`,
        { d: scheme2018 },
        admin,
      );
      const p = preview.body.data.previewSchemeImpact;
      const moved = await t.gql(
        `mutation { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: 1) {
          __typename ... on ValidationError { message issues { path message } } } }`,
        {},
        admin,
      );
      const m = moved.body.data.setCycleScheme;
      expect(p.__typename).toBe("ValidationError");
      expect(p.issues).toHaveLength(100);
      expect(p.issues).toEqual(m.issues);
      expect(p.issues[0]).toEqual({
        path: "dataset.ballots[0].category",
        message: 'ballot of voter "mayor" for unit "U01": category "organ" is scored by "direct", not "vote"',
      });
      const summary = /\(203 problems, the first 100 listed\): ballot of voter "mayor" for unit "U01": .*; …/;
      expect(p.message).toMatch(
        /^the candidate \(scheme city-review v\d+\) cannot score cycle '2019' as its records stand /,
      );
      expect(p.message).toMatch(summary);
      expect(m.message).toMatch(summary);
      expect(p.message.length).toBeLessThan(600);
    });

    it("names the records a candidate scheme refuses through the function the preview shares", async () => {
      const { dataset } = await t.store.loadEvaluation("2018");
      let thrown: any;
      try {
        scoreUnder("the candidate scheme", "2018", () => createBaseline(organOutOf25, dataset), { dataset });
      } catch (err) {
        thrown = err;
      }
      expect(thrown?.code).toBe("VALIDATION");
      expect(thrown.issues).toContainEqual({
        path: "dataset.scores[1].value",
        message: 'score for unit "U01" in category "organ": 26.29 is outside 0–25',
      });
      expect(thrown.message).toMatch(/^the candidate scheme cannot score cycle '2018' as its records stand/);
      // A problem of the scheme itself stays under the argument that carried it.
      const misspelt = { ...scheme2018, categories: [{ ...scheme2018.categories[0], pionts: 30 }] };
      expect(() =>
        scoreUnder("the candidate scheme", "2018", () => createBaseline(misspelt, dataset), {
          dataset,
          prefix: { scheme: "document" },
        }),
      ).toThrow(
        expect.objectContaining({
          issues: [
            {
              path: "document.categories[0].pionts",
              message: 'unknown field (misspelt?); did you mean "points"?',
            },
          ],
        }),
      );
    });
  });

  describe("the administrator's year", () => {
    it("shows the seeded example to a viewer at once", async () => {
      const { body } = await t.gql(
        `{ cycles { edges { node { id year schemeVersion } } } }`,
        {},
        { as: "viewer" },
      );
      expect(body.data.cycles.edges.map((e: any) => e.node)).toEqual([
        { id: "2019", year: 2019, schemeVersion: 2 },
        { id: "2018", year: 2018, schemeVersion: 1 },
      ]);
    });

    it("keeps a sub-unit's parent and kind when a rename omits them; null removes them", async () => {
      const admin = { as: "admin" as const };
      const created = await t.gql(
        `mutation { createCycle(input: { id: "renames", year: 2040, name: "renames", schemeId: "city-review", schemeVersion: 1 }) {
        __typename } }`,
        {},
        admin,
      );
      expect(created.body.data.createCycle.__typename).toBe("Cycle");
      const group = (await t.gql(`{ groups(cycleId: "2018") { id } }`, {}, admin)).body.data.groups[0].id;
      const upsert = async (u: Record<string, unknown>) =>
        (
          await t.gql(
            `mutation($u: UnitInput!) { upsertUnit(cycleId: "renames", input: $u) {
            __typename ... on Unit { id name parentId kind } ... on Error { message } } }`,
            { u },
            admin,
          )
        ).body.data.upsertUnit;
      await upsert({ id: "bureau", name: "公安局", group });
      expect(await upsert({ id: "branch", name: "分局", group, parent: "bureau", kind: "police" })).toEqual({
        __typename: "Unit",
        id: "branch",
        name: "分局",
        parentId: "bureau",
        kind: "police",
      });
      // A rename that does not mention them must not cut the sub-unit from its bureau.
      expect(await upsert({ id: "branch", name: "城东分局", group })).toEqual({
        __typename: "Unit",
        id: "branch",
        name: "城东分局",
        parentId: "bureau",
        kind: "police",
      });
      expect(await upsert({ id: "branch", name: "城东分局", group, parent: null, kind: null })).toEqual({
        __typename: "Unit",
        id: "branch",
        name: "城东分局",
        parentId: null,
        kind: null,
      });
    });

    it("creates units, imports scores, publishes a scheme, ranks, previews and finalises", async () => {
      const admin = { as: "admin" as const };
      // 1. A new cycle under the 2019 rules, with three units of its own.
      const created = await t.gql(
        `mutation { createCycle(input: { id: "2020", year: 2020, name: "2020", schemeId: "city-review", schemeVersion: 1 }) {
        __typename ... on Cycle { id status } ... on Error { message } } }`,
        {},
        admin,
      );
      expect(created.body.data.createCycle).toEqual({ __typename: "Cycle", id: "2020", status: "OPEN" });
      const groups = await t.gql(`{ groups(cycleId: "2018") { id } }`, {}, admin);
      const group = groups.body.data.groups[0].id;
      for (const [id, name] of [
        ["A", "甲局"],
        ["B", "乙局"],
        ["C", "丙局"],
      ]) {
        const r = await t.gql(
          `mutation($c: ID!, $u: UnitInput!) { upsertUnit(cycleId: $c, input: $u) { __typename ... on Unit { id name groupId } } }`,
          { c: "2020", u: { id, name, group } },
          admin,
        );
        expect(r.body.data.upsertUnit).toEqual({ __typename: "Unit", id, name, groupId: group });
      }

      // 2. Scores for the two direct categories arrive as a CSV upload (GraphQL multipart).
      const csv = ["unit,category,value", "A,business,28", "B,business,25", "C,business,20"].join("\n");
      const imported = await upload(
        `mutation($file: File!) { importFile(cycleId: "2020", importId: "scores-1", kind: SCORES, format: CSV, file: $file) {
        __typename ... on ImportResult { status rows } ... on Error { message } } }`,
        {},
        { name: "scores.csv", body: csv },
      );
      expect(imported.status).toBe(200);
      expect(imported.body.data.importFile).toEqual({
        __typename: "ImportResult",
        status: "imported",
        rows: 3,
      });

      // 3. Publish the reform as version 3 based on 2, then move the cycle onto it.
      // A change of rules: versions that change nothing are refused.
      const reform2020 = { ...scheme2019, version: 3, categories: structuredClone(scheme2019.categories) };
      reform2020.categories[1].points = 25;
      reform2020.categories[2].points = 45;
      const published = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
        __typename ... on SchemeVersion { version basedOn author reason } ... on Error { message } } }`,
        {
          i: {
            schemeId: "city-review",
            basedOn: 2,
            document: reform2020,
            reason: "2020 reform",
          },
        },
        { as: "admin", subject: "li.admin" },
      );
      expect(published.body.data.publishSchemeVersion).toEqual({
        __typename: "SchemeVersion",
        version: 3,
        basedOn: 2,
        author: "li.admin",
        reason: "2020 reform",
      });
      const diff = await t.gql(
        `{ schemeDiff(schemeId: "city-review", from: 2, to: 3) { ... on SchemeDiff { changes { path kind before after } } } }`,
        {},
        admin,
      );
      expect(diff.body.data.schemeDiff.changes).toEqual([
        { path: "categories[id=organ].points", kind: "CHANGED", before: 20, after: 25 },
        { path: "categories[id=public].points", kind: "CHANGED", before: 50, after: 45 },
      ]);

      const moved = await t.gql(
        `mutation { setCycleScheme(cycleId: "2020", schemeId: "city-review", version: 3) { ... on Cycle { schemeVersion } } }`,
        {},
        admin,
      );
      expect(moved.body.data.setCycleScheme.schemeVersion).toBe(3);

      // 4. Rank 2020 (public evaluation has no forms yet: every unit is insufficient) …
      const ranking = await t.gql(
        `{ ranking(cycleId: "2020") { ... on Error { message } ... on Ranking { schemeVersion entries { edges { node { unitId status flags } } } } } }`,
        {},
        admin,
      );
      expect(ranking.body.data.ranking).toMatchObject({ schemeVersion: 3 });
      expect(ranking.body.data.ranking.entries.edges).toHaveLength(3);
      expect(ranking.body.data.ranking.entries.edges[0].node.flags).toContain("INSUFFICIENT");

      // 5. … and preview what the 2019 reform would do to 2018's published ranking.
      const preview = await t.gql(
        `mutation($d: JSON!) { previewSchemeImpact(cycleId: "2018", document: $d) {
        __typename ... on RankMovements { movements { totalCount edges { node { unitId rankDelta totalDelta causes before { rank } after { rank } } } } } } }`,
        { d: JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2018.json`, "utf8")) },
        admin,
      );
      const { movements } = preview.body.data.previewSchemeImpact;
      expect(movements.totalCount).toBe(29);
      expect(movements.edges.length).toBe(29);
      expect(movements.edges.every((e: any) => e.node.rankDelta === 0 && e.node.causes.length === 0)).toBe(
        true,
      );

      // … and of a candidate that re-weights it as the reform did: the engine's full comparison.
      const reformed = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2018.json`, "utf8"));
      reformed.categories[1].points = 20;
      reformed.categories[2].points = 50;
      const impact = await t.gql(
        `mutation($d: JSON!) { previewSchemeImpact(cycleId: "2018", document: $d) {
        ... on RankMovements { analysis { swapCount overall { spearman }
          units(first: 50) { edges { node { name totalDelta rankDelta baseline { total } scenario { total }
            parts { part delta } } } } } } } }`,
        { d: reformed },
        admin,
      );
      expect(impact.body.errors).toBeUndefined();
      const analysis = impact.body.data.previewSchemeImpact.analysis;
      const anchor = analysis.units.edges
        .map((e: { node: any }) => e.node)
        .find((n: any) => n.name === "市市场监督管理局");
      expect([anchor.baseline.total, anchor.scenario.total, anchor.totalDelta]).toEqual([
        "84.20",
        "82.94",
        "-1.26",
      ]);
      expect(anchor.parts.filter((p: any) => p.delta !== "0")).toEqual([
        { part: "organ", delta: "-8.98" },
        { part: "public", delta: "7.72" },
      ]);
      expect(analysis.swapCount).toBeGreaterThan(0);
      expect(analysis.overall.spearman).toBeLessThan(1);

      // Its movements come a page at a time, in the comparison's order, the second page where
      // the first ended (the same candidate again: the cursor names it).
      const MOVES = `mutation($d: JSON!, $after: String) { previewSchemeImpact(cycleId: "2018", document: $d) {
        ... on RankMovements { analysis { units(first: 50) { edges { node { unitId } } } }
          movements(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor }
            edges { node { unitId rankDelta causes } } } } } }`;
      const page = async (after: string | null) => {
        const r = await t.gql(MOVES, { d: reformed, after }, admin);
        expect(r.body.errors).toBeUndefined();
        return r.body.data.previewSchemeImpact;
      };
      const first = await page(null);
      const second = await page(first.movements.pageInfo.endCursor);
      expect(first.movements.totalCount).toBe(29);
      expect(first.movements.pageInfo.hasNextPage).toBe(true);
      const order = first.analysis.units.edges.map((e: { node: { unitId: string } }) => e.node.unitId);
      const paged = [...first.movements.edges, ...second.movements.edges].map(
        (e: { node: { unitId: string } }) => e.node.unitId,
      );
      expect(paged).toEqual(order.slice(0, 20));
      const top = first.movements.edges[0].node;
      expect(top.rankDelta).not.toBe(0);
      // Public evaluation went from 40 to 50 points and organ construction from 30 to 20.
      expect(top.causes).toContainEqual(
        expect.stringMatching(/^开门评议 public evaluation: [\d.]+\/40\.00 → [\d.]+\/50\.00$/),
      );
      expect(top.causes).toContainEqual(
        expect.stringMatching(/^机关建设 organ construction: [\d.]+\/30\.00 → [\d.]+\/20\.00$/),
      );

      // A score is read in the engine's grammar, as an import's is: "+27.5" taken, " 27.5" refused.
      const score = (value: string) =>
        t.gql(
          `mutation($v: String!) { setScore(cycleId: "2018", unitId: "U01", category: "business", value: $v) {
          __typename ... on DirectScore { value } ... on ValidationError { issues { path message } } } }`,
          { v: value },
          admin,
        );
      expect((await score(" 27.5")).body.data.setScore).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "value",
            message: 'must be a decimal number such as 26.94, not " 27.5" (write it as 27.5)',
          },
        ],
      });
      expect((await score("+27.5")).body.data.setScore.__typename).toBe("DirectScore");

      // 6. Finalise 2018: later writes are refused with a typed error and nothing is written.
      const fin = await t.gql(
        `mutation { finaliseCycle(cycleId: "2018") { ... on Cycle { status finalisedAt } } }`,
        {},
        admin,
      );
      expect(fin.body.data.finaliseCycle.status).toBe("FINALISED");
      const before = await t.lastAuditId();
      const late = await t.gql(
        `mutation { setScore(cycleId: "2018", unitId: "U01", category: "business", value: "30") {
        __typename ... on CycleFinalisedError { cycleId code } } }`,
        {},
        admin,
      );
      expect(late.body.data.setScore).toEqual({
        __typename: "CycleFinalisedError",
        cycleId: "2018",
        code: "CYCLE_FINALISED",
      });
      // Said before any problem of the record itself (an unknown unit), with when and what to do.
      const unknown = await t.gql(
        `mutation { setScore(cycleId: "2018", unitId: "U99", category: "business", value: "30") {
        __typename ... on CycleFinalisedError { message } } }`,
        {},
        admin,
      );
      expect(unknown.body.data.setScore).toEqual({
        __typename: "CycleFinalisedError",
        message: `cycle '2018' is finalised (at ${fin.body.data.finaliseCycle.finalisedAt}) and cannot be changed: a correction decided later goes in a new cycle of the same year`,
      });
      // So is a forced move without its reason: the cycle cannot move at all.
      const forced = await t.gql(
        `mutation { setCycleScheme(cycleId: "2018", schemeId: "city-review", version: 2, force: true) {
        __typename ... on CycleFinalisedError { cycleId } } }`,
        {},
        admin,
      );
      expect(forced.body.data.setCycleScheme).toEqual({ __typename: "CycleFinalisedError", cycleId: "2018" });
      expect(await t.lastAuditId()).toBe(before);
    });

    it("explains a unit's score and compares two units", async () => {
      const { body } = await t.gql(
        `{ scoreBreakdown(cycleId: "2019", unitId: "U01") { ... on UnitResult { total rank categories { category points trace { step text } } trace { text } } }
         compare(cycleId: "2019", unitA: "U01", unitB: "U02") { ... on Comparison {
           totalDifference categories { difference } adjustmentDifference otherDifference summary } } }`,
        {},
        { as: "viewer" },
      );
      expect(body.data.scoreBreakdown.total).toMatch(/^\d+\.\d{2}$/);
      expect(body.data.scoreBreakdown.categories.every((c: any) => c.trace.length > 0)).toBe(true);
      const c = body.data.compare;
      expect(c.summary).toContain("市公安局");
      // The parts add up to the difference, exactly.
      const parts = [
        ...c.categories.map((x: any) => x.difference),
        c.adjustmentDifference,
        c.otherDifference,
      ];
      expect(toExactString(parts.map((x: string) => parseDecimal(x)).reduce(add))).toBe(
        toExactString(parseDecimal(c.totalDifference)),
      );
    });

    it("serves a unit's results in every cycle", async () => {
      const { body } = await t.gql(
        `{ unit(id: "U01") { ... on Unit { name results { cycleId total rank } } } }`,
        {},
        { as: "viewer" },
      );
      expect(body.data.unit.results.map((r: any) => r.cycleId).sort()).toEqual(["2018", "2019"]);
    });

    it("publishes a draft whatever version it says, stored as the version it becomes", async () => {
      const publish = (basedOn: number | null, document: unknown) =>
        t.gql(
          `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
          __typename ... on SchemeVersion { version document } ... on ValidationError { issues { path message } } } }`,
          { i: { schemeId: "drafted", basedOn, document, reason: "drafts" } },
          { as: "admin" },
        );
      const { version: _none, ...draft } = { ...scheme2019, id: "drafted" };
      const first = (await publish(null, draft)).body.data.publishSchemeVersion;
      expect(first).toMatchObject({ __typename: "SchemeVersion", version: 1, document: { version: 1 } });
      const second = (await publish(1, { ...draft, version: "next", name: "second draft" })).body.data
        .publishSchemeVersion;
      expect(second).toMatchObject({ __typename: "SchemeVersion", version: 2, document: { version: 2 } });
      // Everything else is still the engine's to check.
      const bad = (await publish(2, { ...draft, rounding: "half-up" })).body.data.publishSchemeVersion;
      expect(bad.__typename).toBe("ValidationError");
      expect(bad.issues[0].path).toMatch(/^input\.document\.rounding/);
      // A version is kept for good, and its reason with it: "." is no reason; two characters of Chinese are.
      const unsaid = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
          __typename ... on SchemeVersion { version reason } ... on ValidationError { issues { path message } } } }`,
        { i: { schemeId: "drafted", basedOn: 2, document: draft, reason: " . " } },
        { as: "admin" },
      );
      expect(unsaid.body.data.publishSchemeVersion).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "input.reason",
            message: "say why the rules change, in words (punctuation alone says nothing)",
          },
        ],
      });
      const said = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on SchemeVersion { version reason } } }`,
        { i: { schemeId: "drafted", basedOn: 2, document: draft, reason: "改革" } },
        { as: "admin" },
      );
      expect(said.body.data.publishSchemeVersion).toEqual({
        __typename: "SchemeVersion",
        version: 3,
        reason: "改革",
      });
    });

    it("answers /health and /ready", async () => {
      expect((await fetch(`${t.url}/health`)).status).toBe(200);
      expect((await fetch(`${t.url}/ready`)).status).toBe(200);
    });
  });
});
