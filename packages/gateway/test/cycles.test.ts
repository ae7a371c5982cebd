import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../src/seed.js";
import { Store } from "../src/store/index.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * A cycle's own life, as an administrator meets it: created (and its units copied), renamed,
 * deleted when made by mistake, and finalised only when there is a year to publish.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const gql = async (query: string, variables: Record<string, unknown> = {}, as = admin) =>
    (await t.gql(query, variables, as)).body;

  const CYCLE = `__typename ... on Cycle { id name year status finalisedAt }
    ... on ValidationError { message issues { path message } } ... on Error { code message }`;
  const createCycle = async (input: Record<string, unknown>) =>
    (
      await gql(`mutation($i: CreateCycleInput!) { createCycle(input: $i) { ${CYCLE} } }`, {
        i: { name: "a year", schemeId: "city-review", schemeVersion: 2, previousCycle: null, ...input },
      })
    ).data.createCycle;
  const finalise = async (cycleId: string, expectedUnscoredUnits?: number) =>
    (
      await gql(
        `mutation($c: ID!, $n: Int) { finaliseCycle(cycleId: $c, expectedUnscoredUnits: $n) { ${CYCLE} } }`,
        {
          c: cycleId,
          n: expectedUnscoredUnits,
        },
      )
    ).data.finaliseCycle;
  const unscoredUnits = async (cycleId: string) =>
    (await gql(`query($c: ID!) { cycle(id: $c) { ... on Cycle { unscoredUnits } } }`, { c: cycleId })).data
      .cycle.unscoredUnits;
  /** The 2019 example's records in a new cycle, its ballots only for the units `voted` keeps. */
  const exampleYear = async (
    input: Record<string, unknown> & { id: string },
    voted: (unit: string) => boolean = () => true,
  ) => {
    const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
    const dataset = read("dataset-2019.json");
    expect(await createCycle({ year: 2042, schemeVersion: 2, ...input })).toMatchObject({
      __typename: "Cycle",
    });
    await loadDataset(t.store, input.id, read("scheme-2019.json"), {
      ...dataset,
      ballots: dataset.ballots.filter((b: { unit: string }) => voted(b.unit)),
    });
  };
  const updateCycle = async (cycleId: string, input: Record<string, unknown>, as = admin) =>
    (
      await gql(
        `mutation($c: ID!, $i: UpdateCycleInput!) { updateCycle(cycleId: $c, input: $i) { ${CYCLE} } }`,
        {
          c: cycleId,
          i: input,
        },
        as,
      )
    ).data?.updateCycle;
  const deleteCycle = async (cycleId: string, as = admin, reason: string | null = null) =>
    (
      await gql(
        `mutation($c: ID!, $r: String) { deleteCycle(cycleId: $c, reason: $r) { __typename ... on DeletedCycle { cycleId units groups }
          ... on ValidationError { issues { path message } } ... on Error { code message } } }`,
        { c: cycleId, r: reason },
        as,
      )
    ).data?.deleteCycle;
  const cycle = async (id: string) =>
    (
      await gql(`query($c: ID!) { cycle(id: $c) { __typename ... on Cycle { id name year status } } }`, {
        c: id,
      })
    ).data.cycle;
  const statusOf = async (id: string) => (await t.store.cycles.get(id)).status;
  /** So a test that needs a finalised year runs alone as well as after "finalises a year …". */
  const finalised = async (id: string) => {
    if ((await statusOf(id)) !== "finalised")
      expect(await finalise(id)).toMatchObject({ status: "FINALISED" });
    return id;
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  describe("finaliseCycle", () => {
    it("refuses a cycle without units, saying why and what to do, and changes nothing", async () => {
      expect(await createCycle({ id: "empty", year: 2030 })).toMatchObject({ __typename: "Cycle" });
      const audit = await t.lastAuditId();
      expect(await finalise("empty")).toEqual({
        __typename: "ValidationError",
        code: "VALIDATION",
        message: expect.any(String),
        issues: [
          {
            path: "cycleId",
            message:
              "cycle 'empty' has no units, so finalising it would publish an empty year for good: give it its units " +
              "(createCycle's copyUnitsFrom, upsertUnit or a units import) and its records first; a cycle created by " +
              "mistake (a mistyped id) is removed with deleteCycle instead",
          },
        ],
      });
      expect(await statusOf("empty")).toBe("open");
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("refuses a cycle whose units have no records, naming the categories no unit has a result in", async () => {
      expect(await createCycle({ id: "no-records", year: 2030, copyUnitsFrom: "2019" })).toMatchObject({
        __typename: "Cycle",
      });
      const audit = await t.lastAuditId();
      const refused = await finalise("no-records");
      expect(refused.__typename).toBe("ValidationError");
      expect(refused.issues).toEqual([
        {
          path: "cycleId",
          message:
            "none of the 29 units of cycle 'no-records' has a total, so finalising it would publish an empty year " +
            "for good: no unit has a result in business, organ, public (no records, or too few: a vote without its " +
            "quorum, too few valid forms). Load the year's records (importFile, setScore, …) and check its ranking " +
            "first; a cycle created by mistake (a mistyped id) is removed with deleteCycle instead",
        },
      ]);
      expect(await statusOf("no-records")).toBe("open");
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("refuses a cycle in which a whole category is missing, naming only that one", async () => {
      // Under version 1 business and organ are scored directly: one unit has both, nobody has
      // the public evaluation, so every unit is insufficient.
      expect(
        await createCycle({ id: "no-public", year: 2030, schemeVersion: 1, copyUnitsFrom: "2018" }),
      ).toMatchObject({ __typename: "Cycle" });
      for (const category of ["business", "organ"]) {
        const s = await gql(
          `mutation($cat: String!) { setScore(cycleId: "no-public", unitId: "U01", category: $cat, value: "20") { __typename } }`,
          { cat: category },
        );
        expect(s.data.setScore.__typename).toBe("DirectScore");
      }
      const refused = await finalise("no-public");
      expect(refused.issues).toEqual([
        {
          path: "cycleId",
          message: expect.stringContaining(
            "none of the 29 units of cycle 'no-public' has a total, so finalising it would publish an empty year for good: no unit has a result in public (",
          ),
        },
      ]);
      expect(await statusOf("no-public")).toBe("open");
    });

    it("refuses a year with no unit's total even with a number of units confirmed", async () => {
      expect(await createCycle({ id: "none-confirmed", year: 2030, copyUnitsFrom: "2019" })).toMatchObject({
        __typename: "Cycle",
      });
      expect(await unscoredUnits("none-confirmed")).toBe(29);
      const refused = await finalise("none-confirmed", 29);
      expect(refused.issues).toEqual([
        {
          path: "cycleId",
          message: expect.stringMatching(/^none of the 29 units of cycle 'none-confirmed' has a total/),
        },
      ]);
      expect(await statusOf("none-confirmed")).toBe("open");
    });

    it("refuses a year in which some units have no total, naming them, until their number is confirmed", async () => {
      // The reviewer's year: scores and forms for every unit, the organ vote's ballots for 10 of 29.
      const voted = (unit: string) => Number(unit.slice(1)) <= 10;
      await exampleYear({ id: "half-voted" }, voted);
      expect(await unscoredUnits("half-voted")).toBe(19);
      const listed = await gql(`{ ranking(cycleId: "half-voted") { ... on Ranking {
        entries(flag: INSUFFICIENT, first: 2) { edges { node { unitId status total categories { category reason } } } } } } }`);
      const rows = listed.data.ranking.entries.edges.map((e: { node: unknown }) => e.node);
      expect(rows).toEqual([
        {
          unitId: "U11",
          status: "insufficient",
          total: null,
          categories: [
            { category: "business", reason: null },
            { category: "organ", reason: "no records for this unit" },
            { category: "public", reason: null },
          ],
        },
        expect.objectContaining({ unitId: "U12", status: "insufficient" }),
      ]);
      const audit = await t.lastAuditId();
      const refused = await finalise("half-voted");
      expect(refused.__typename).toBe("ValidationError");
      const lacks = (from: number, to: number) =>
        Array.from(
          { length: to - from + 1 },
          (_, i) => `U${from + i} (organ: no records for this unit)`,
        ).join(", ");
      expect(refused.issues).toEqual([
        {
          path: "expectedUnscoredUnits",
          message:
            "19 of the 29 units of cycle 'half-voted' have no total, so finalising it would publish them without " +
            `one, for good: ${lacks(11, 20)}, and 9 more (ranking's entries(flag: INSUFFICIENT) lists them). Load ` +
            "their missing records (importFile, setScore, recordBallot, …) and check the ranking; or, if these " +
            "units are to be published without a total (a unit whose sample fell short is published as such), " +
            "finalise with expectedUnscoredUnits: 19 (Cycle.unscoredUnits says how many)",
        },
      ]);
      // A number read before a unit lost its total is refused, saying the number now.
      const deleted = await gql(
        `mutation { deleteScore(cycleId: "half-voted", unitId: "U01", category: "business") { __typename } }`,
      );
      expect(deleted.data.deleteScore.__typename).not.toMatch(/Error$/);
      expect(await unscoredUnits("half-voted")).toBe(20);
      const writes = await t.lastAuditId();
      const stale = await finalise("half-voted", 19);
      expect(stale.issues).toEqual([
        {
          path: "expectedUnscoredUnits",
          message: expect.stringMatching(
            /^20 of the 29 units of cycle 'half-voted' have no total now, not 19 \(a unit was scored, or lost its total, since the number was read\), so nothing was finalised: U01 \(business: no records for this unit\), U11 \(organ: /,
          ),
        },
      ]);
      expect(stale.issues[0].message).toMatch(
        /finalise with expectedUnscoredUnits: 20 \(Cycle\.unscoredUnits says how many\)$/,
      );
      expect((await finalise("half-voted", -1)).issues).toEqual([
        { path: "expectedUnscoredUnits", message: expect.stringContaining("0") },
      ]);
      expect(await statusOf("half-voted")).toBe("open");
      expect(await t.lastAuditId()).toBe(writes);
      expect(writes).toBe(audit + 1);
      // The number as it stands is the administrator's decision to publish them without a total.
      expect(await finalise("half-voted", 20)).toMatchObject({ __typename: "Cycle", status: "FINALISED" });
      // The history keeps the number confirmed beside the cycle frozen, not only that it was frozen.
      const entry = (
        await gql(`{ auditLog(cycleId: "half-voted", first: 1) { edges { node { action before after } } } }`)
      ).data.auditLog.edges[0].node;
      expect(entry).toMatchObject({
        action: "finalise",
        after: { status: "finalised", expectedUnscoredUnits: 20 },
      });
      expect(entry.before).not.toHaveProperty("expectedUnscoredUnits");
      const ranking = await gql(`{ ranking(cycleId: "half-voted") { ... on Ranking {
        entries(flag: INSUFFICIENT) { edges { node { unitId } } } } } }`);
      expect(ranking.data.ranking.entries.edges).toHaveLength(20);
    });

    it("counts the units of an unranked group too, published with totals of their own", async () => {
      const base = JSON.parse(readFileSync(join(EXAMPLE_DIR, "scheme-2019.json"), "utf8"));
      const published = await gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
        {
          i: {
            schemeId: "finalise-unranked",
            basedOn: null,
            document: {
              ...base,
              id: "finalise-unranked",
              version: 1,
              groups: [...base.groups, { id: "others", name: "其他单位 others", ranked: false }],
            },
            reason: "a group evaluated but not ranked",
          },
        },
      );
      expect(published.data.publishSchemeVersion.__typename).toBe("SchemeVersion");
      await exampleYear({ id: "unranked-unvoted", schemeId: "finalise-unranked", schemeVersion: 1 });
      // Every ranked unit has its total; the one unranked unit has no ballots, nor forms.
      const unit = await gql(
        `mutation { upsertUnit(cycleId: "unranked-unvoted", input: { id: "X01", name: "档案馆", group: "others" }) { __typename } }`,
      );
      expect(unit.data.upsertUnit.__typename).toBe("Unit");
      expect(await unscoredUnits("unranked-unvoted")).toBe(1);
      const refused = await finalise("unranked-unvoted");
      expect(refused.issues).toEqual([
        {
          path: "expectedUnscoredUnits",
          message: expect.stringMatching(
            /^1 of the 30 units of cycle 'unranked-unvoted' has no total, so finalising it would publish it without one, for good: X01 \(business: no records for this unit; organ: /,
          ),
        },
      ]);
      expect(await finalise("unranked-unvoted", 1)).toMatchObject({ status: "FINALISED" });
    });

    it("refuses a number of units without a total once every unit has one, and takes 0", async () => {
      await exampleYear({ id: "all-scored" });
      const audit = await t.lastAuditId();
      expect(await unscoredUnits("all-scored")).toBe(0);
      expect(await finalise("all-scored", 3)).toMatchObject({
        __typename: "ValidationError",
        issues: [
          {
            path: "expectedUnscoredUnits",
            message:
              "every one of the 29 units of cycle 'all-scored' has a total now, not 3 without one (records were " +
              "loaded since the number was read): check its ranking again, then finalise without " +
              "expectedUnscoredUnits (Cycle.unscoredUnits is 0)",
          },
        ],
      });
      expect(await statusOf("all-scored")).toBe("open");
      expect(await t.lastAuditId()).toBe(audit);
      expect(await finalise("all-scored", 0)).toMatchObject({ __typename: "Cycle", status: "FINALISED" });
    });

    it("refuses records its scheme cannot score as the ranking does, with the same lead-in", async () => {
      // An organ score stored under version 1 (direct), kept by force under version 2 (a vote).
      expect(
        await createCycle({ id: "unscorable", year: 2030, schemeVersion: 1, copyUnitsFrom: "2018" }),
      ).toMatchObject({ __typename: "Cycle" });
      await gql(
        `mutation { setScore(cycleId: "unscorable", unitId: "U01", category: "organ", value: "20") { __typename } }`,
      );
      const moved = await gql(
        `mutation { setCycleScheme(cycleId: "unscorable", schemeId: "city-review", version: 2, force: true, reason: "organ is voted from 2019") { __typename } }`,
      );
      expect(moved.data.setCycleScheme.__typename).toBe("Cycle");
      const ranking = await gql(`{ ranking(cycleId: "unscorable") { __typename ... on Error { message } } }`);
      const lead = "cycle 'unscorable' cannot be scored as its records stand (1 problem): ";
      expect(ranking.data.ranking.message).toMatch(new RegExp(`^${lead.replace(/[()]/g, "\\$&")}`));
      // Counted by nobody while its records cannot be scored; a number confirmed changes nothing.
      expect(await unscoredUnits("unscorable")).toBeNull();
      const refused = await finalise("unscorable", 0);
      expect(refused.__typename).toBe("ValidationError");
      expect(refused.message.startsWith(lead)).toBe(true);
      expect(refused.message).toMatch(/\. Correct them, then finalise$/);
      expect(refused.issues).toEqual([
        { path: expect.stringMatching(/^dataset\.scores/), message: expect.any(String) },
      ]);
      expect(await statusOf("unscorable")).toBe("open");
    });

    it("does not wait, inside its transaction, for a ranking of the cycle still being scored", async () => {
      // While a ranking of 2019 holds the database, a ranking of the cycle starts loading and the
      // cycle is finalised. On the embedded database the load's queries queue behind the
      // finalise's transaction: waiting for the load there froze the whole gateway.
      const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
      await createCycle({ id: "race-final", year: 2041, schemeVersion: 2 });
      await loadDataset(t.store, "race-final", read("scheme-2019.json"), read("dataset-2019.json"));
      let ranking: Promise<unknown> | undefined;
      let finalised: Promise<unknown> | undefined;
      t.db.beforeNextQuery(/FROM units/, async () => {
        ranking = t.gql(`{ ranking(cycleId: "race-final") { __typename } }`, {}, { as: "viewer" });
        await new Promise((r) => setTimeout(r, 100));
        finalised = finalise("race-final");
        await new Promise((r) => setTimeout(r, 100));
      });
      await t.gql(`{ ranking(cycleId: "2019") { __typename } }`, {}, { as: "viewer" });
      const within = <T>(p: Promise<T> | undefined) =>
        Promise.race([p, new Promise((r) => setTimeout(() => r("still waiting after 20 s"), 20_000))]);
      expect(await within(finalised)).toMatchObject({ __typename: "Cycle", status: "FINALISED" });
      expect(await within(ranking)).toMatchObject({ body: { data: { ranking: { __typename: "Ranking" } } } });
    });

    it("finalises a year with totals once, and says when it was when asked again", async () => {
      // The ranking just read is the one checked: a province-scale year is not scored again
      // under the cycle's lock.
      const ranked = await gql(`{ ranking(cycleId: "2018") { __typename } }`);
      expect(ranked.data.ranking.__typename).toBe("Ranking");
      const load = vi.spyOn(Store.prototype, "loadEvaluation");
      const done = await finalise("2018");
      expect(load).not.toHaveBeenCalled();
      load.mockRestore();
      expect(done).toMatchObject({
        __typename: "Cycle",
        status: "FINALISED",
        finalisedAt: expect.any(String),
      });
      const audit = await t.lastAuditId();
      expect(await finalise("2018")).toEqual({
        __typename: "CycleFinalisedError",
        code: "CYCLE_FINALISED",
        message:
          `cycle '2018' is already finalised (at ${done.finalisedAt}): it stays as published; a correction decided ` +
          "later goes in a new cycle of the same year",
      });
      expect(await t.lastAuditId()).toBe(audit);
    });
  });

  describe("createCycle with copyUnitsFrom", () => {
    it("refuses units in groups the scheme version does not have, naming them, and writes nothing", async () => {
      const base = JSON.parse(readFileSync(join(EXAMPLE_DIR, "scheme-2019.json"), "utf8"));
      const renamed = {
        ...base,
        id: "renamed-groups",
        groups: base.groups.map((g: Record<string, unknown>) => ({ ...g, id: "enforcement" })),
      };
      const p = await gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
        { i: { schemeId: "renamed-groups", basedOn: null, document: renamed, reason: "a group renamed" } },
      );
      expect(p.data.publishSchemeVersion.__typename).toBe("SchemeVersion");
      const audit = await t.lastAuditId();
      const refused = await createCycle({
        id: "stray-groups",
        year: 2031,
        schemeId: "renamed-groups",
        schemeVersion: 1,
        copyUnitsFrom: "2019",
      });
      expect(refused.__typename).toBe("ValidationError");
      expect(refused.issues).toEqual([
        {
          path: "input.copyUnitsFrom",
          message:
            "29 units of cycle '2019' are in groups that scheme renamed-groups v1 does not have: 'law-enforcement' " +
            "(29 units: U01, U02, U03, …); its groups are enforcement. Nothing was created. Create the cycle under a " +
            "version that has them, or without copyUnitsFrom and load its units with a units import",
        },
      ]);
      expect(await cycle("stray-groups")).toEqual({ __typename: "NotFoundError" });
      expect(await t.lastAuditId()).toBe(audit);
      expect(await t.store.units.list("stray-groups")).toEqual([]);
      expect(await t.store.groups.list("stray-groups")).toEqual([]);
    });
  });

  describe("updateCycle", () => {
    it("renames an open cycle, trimmed, audited with what it was, and tells subscribers", async () => {
      const sub = await t.subscribe(
        `subscription { rankingUpdated(cycleId: "2019") { cycleId reason } }`,
        "viewer",
      );
      try {
        expect(await updateCycle("2019", { name: "  2019 年度考评 " })).toMatchObject({
          __typename: "Cycle",
          id: "2019",
          name: "2019 年度考评",
          year: 2019,
        });
        expect((await sub.next()).data.rankingUpdated).toEqual({ cycleId: "2019", reason: "cycle" });
      } finally {
        sub.close();
      }
      const [audit] = await t.store.audit.list({ cycleId: "2019", entity: "cycle" });
      expect(audit).toMatchObject({
        actor: "admin-1",
        action: "update",
        entityId: "2019",
        before: expect.objectContaining({ name: expect.not.stringContaining("年度考评") }),
        after: expect.objectContaining({ name: "2019 年度考评", year: 2019 }),
      });
      // The same again changes nothing and records nothing.
      const last = await t.lastAuditId();
      expect(await updateCycle("2019", { name: "2019 年度考评" })).toMatchObject({ name: "2019 年度考评" });
      expect(await t.lastAuditId()).toBe(last);
    });

    it("changes a year while the links stay in order, and refuses one that would turn a link round", async () => {
      expect(await createCycle({ id: "typo-year", year: 2102 })).toMatchObject({ year: 2102 });
      const sub = await t.subscribe(
        `subscription { rankingUpdated(cycleId: "typo-year") { cycleId reason } }`,
        "viewer",
      );
      try {
        expect(await updateCycle("typo-year", { year: 2032 })).toMatchObject({
          __typename: "Cycle",
          year: 2032,
        });
        expect((await sub.next()).data.rankingUpdated).toEqual({ cycleId: "typo-year", reason: "year" });
      } finally {
        sub.close();
      }
      const audit = await t.lastAuditId();
      // 2019 follows 2018: neither may reach the other's year.
      expect(await updateCycle("2019", { year: 2018 })).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "input.year", message: expect.stringContaining("must be of an earlier year") }],
      });
      expect(await updateCycle("2019", { year: 1999 })).toMatchObject({
        issues: [{ path: "input.year", message: expect.stringContaining("cycle '2018'") }],
      });
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("tells the cycles following one whose year changed, those it put out of their reach too", async () => {
      expect(await createCycle({ id: "early", year: 2040 })).toMatchObject({ __typename: "Cycle" });
      expect(await createCycle({ id: "late", year: 2041, previousCycle: "early" })).toMatchObject({
        __typename: "Cycle",
      });
      const sub = await t.subscribe(
        `subscription { rankingUpdated(cycleId: "late") { cycleId reason } }`,
        "viewer",
      );
      try {
        // Eleven years back: no veto of 2030 counts in 2041, so late's ranking may move.
        expect(await updateCycle("early", { year: 2030 })).toMatchObject({ year: 2030 });
        expect((await sub.next()).data.rankingUpdated).toEqual({ cycleId: "late", reason: "year" });
        // A name is not read by the cycles following it.
        expect(await updateCycle("early", { name: "early, renamed" })).toMatchObject({
          name: "early, renamed",
        });
        expect(await sub.next(500)).toBeUndefined();
      } finally {
        sub.close();
      }
    });

    it("refuses an empty change, an empty name, a finalised cycle and a role other than admin", async () => {
      await finalised("2018");
      const audit = await t.lastAuditId();
      expect(await updateCycle("2019", {})).toMatchObject({
        issues: [{ path: "input", message: "give a new name or year (or both)" }],
      });
      expect(await updateCycle("2019", { name: "  " })).toMatchObject({
        issues: [{ path: "input.name", message: expect.any(String) }],
      });
      expect(await updateCycle("2019", { year: 3000 })).toMatchObject({
        issues: [{ path: "input.year", message: expect.any(String) }],
      });
      expect(await updateCycle("2018", { name: "renamed" })).toMatchObject({
        __typename: "CycleFinalisedError",
        code: "CYCLE_FINALISED",
      });
      expect(await updateCycle("nowhere", { name: "x" })).toMatchObject({ __typename: "NotFoundError" });
      const analyst = await t.gql(
        `mutation { updateCycle(cycleId: "2019", input: { name: "x" }) { __typename } }`,
        {},
        { as: "analyst" },
      );
      expect(analyst.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await t.lastAuditId()).toBe(audit);
    });
  });

  describe("deleteCycle", () => {
    it("deletes a cycle made by mistake with its units and groups, audited whole; its id is free again", async () => {
      expect(await createCycle({ id: "2091", year: 2031, copyUnitsFrom: "2019" })).toMatchObject({
        __typename: "Cycle",
      });
      // A reason of punctuation alone says nothing, and deletes nothing.
      expect((await deleteCycle("2091", admin, " … ")).issues).toEqual([
        { path: "reason", message: "say why in words (punctuation alone says nothing)" },
      ]);
      expect(await deleteCycle("2091", admin, "  mistyped id  ")).toEqual({
        __typename: "DeletedCycle",
        cycleId: "2091",
        units: 29,
        groups: 1,
      });
      expect(await cycle("2091")).toEqual({ __typename: "NotFoundError" });
      const [audit] = await t.store.audit.list({ cycleId: "2091", entity: "cycle" });
      expect(audit).toMatchObject({
        actor: "admin-1",
        action: "delete",
        entityId: "2091",
        after: null,
        reason: "mistyped id",
      });
      const before = audit!.before as {
        id: string;
        schemeId: string;
        units: { id: string }[];
        groups: unknown[];
      };
      expect(before).toMatchObject({
        id: "2091",
        schemeId: "city-review",
        groups: [{ id: "law-enforcement" }],
      });
      expect(before.units).toHaveLength(29);
      expect(before.units[0]).toMatchObject({ id: "U01", group: "law-enforcement" });
      expect(await createCycle({ id: "2091", year: 2031 })).toMatchObject({
        __typename: "Cycle",
        id: "2091",
      });
      expect(await deleteCycle("2091")).toMatchObject({ units: 0, groups: 0 });
    });

    it("refuses a cycle that holds records or is followed, saying what and how to empty it", async () => {
      const audit = await t.lastAuditId();
      const held = await deleteCycle("2019");
      expect(held.__typename).toBe("ValidationError");
      expect(held.issues).toHaveLength(1);
      expect(held.issues[0].path).toBe("cycleId");
      const message: string = held.issues[0].message;
      expect(message).toMatch(
        /^cycle '2019' was not deleted, as nothing stored may be lost: it still holds /,
      );
      expect(message).toMatch(/\d+ scores not from an import, deleted with deleteScore/);
      expect(message).toMatch(/\d+ findings not from an import, deleted with deleteFinding/);
      expect(message).toMatch(
        /\d+ ballots not from an import, deleted with deleteBallots \(a category's, or a voter's in it, at once\) or deleteBallot;/,
      );
      // The seed's survey forms came with no import: they too have a write that deletes them.
      expect(message).toMatch(
        /\d+ survey forms not from an import, deleted with deleteSurveyForms \(a category's, or a unit's or a respondent group's in it, at once\)/,
      );
      expect(message).toContain("its groups and units then go with it");
      expect(await cycle("2019")).toMatchObject({ __typename: "Cycle" });
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("names the imports, saved scenarios and following cycles, and deletes once they are gone", async () => {
      expect(await createCycle({ id: "emptied", year: 2033, copyUnitsFrom: "2019" })).toMatchObject({
        __typename: "Cycle",
      });
      const imported = await t.upload(
        `mutation($file: File!) { importFile(cycleId: "emptied", importId: "scores-1", kind: SCORES, format: CSV, file: $file) {
          __typename } }`,
        {},
        { name: "scores.csv", body: "unit,category,value\nU01,business,28\n" },
      );
      expect(imported.body.data.importFile.__typename).toBe("ImportResult");
      const saved = await t.gql(
        `mutation { saveScenario(input: { cycleId: "emptied", name: "more public", patch: {} }) {
          __typename ... on Scenario { id } } }`,
        {},
        { as: "analyst" },
      );
      expect(saved.body.data.saveScenario.__typename).toBe("Scenario");
      expect(await createCycle({ id: "follower", year: 2034, previousCycle: "emptied" })).toMatchObject({
        __typename: "Cycle",
      });
      const audit = await t.lastAuditId();
      expect((await deleteCycle("emptied")).issues).toEqual([
        {
          path: "cycleId",
          message:
            "cycle 'emptied' was not deleted, as nothing stored may be lost: it still holds 1 import (scores-1), " +
            "each taken out with removeImport; 1 saved what-if scenario (of analyst-1), deleted with deleteScenario " +
            `by its owner or by an admin (id ${saved.body.data.saveScenario.id}). cycle 'follower' follows it: link that one to another cycle or to none first ` +
            '(setPreviousCycle(cycleId: "follower", previousCycleId: null)). A cycle is deleted once it holds no ' +
            "records, imports or saved scenarios and no cycle follows it; its groups and units then go with it",
        },
      ]);
      expect(await t.lastAuditId()).toBe(audit);

      const removed = await gql(`mutation { removeImport(importId: "scores-1") { __typename } }`);
      expect(removed.data.removeImport.__typename).toBe("RemovedImport");
      const gone = await t.gql(
        `mutation($id: ID!) { deleteScenario(id: $id) { __typename } }`,
        { id: saved.body.data.saveScenario.id },
        { as: "analyst" },
      );
      expect(gone.body.data.deleteScenario.__typename).toBe("Deleted");
      const unlinked = await gql(
        `mutation { setPreviousCycle(cycleId: "follower", previousCycleId: null) { __typename } }`,
      );
      expect(unlinked.data.setPreviousCycle.__typename).toBe("Cycle");
      expect(await deleteCycle("emptied")).toEqual({
        __typename: "DeletedCycle",
        cycleId: "emptied",
        units: 29,
        groups: 1,
      });
    });

    it("never deletes a finalised cycle, and is for administrators only", async () => {
      await finalised("2018");
      const audit = await t.lastAuditId();
      expect(await deleteCycle("2018")).toMatchObject({
        __typename: "CycleFinalisedError",
        message: expect.stringContaining("a published year is never deleted"),
      });
      expect(await deleteCycle("nowhere")).toMatchObject({ __typename: "NotFoundError" });
      const analyst = await t.gql(
        `mutation { deleteCycle(cycleId: "2019") { __typename } }`,
        {},
        { as: "analyst" },
      );
      expect(analyst.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await cycle("2019")).toMatchObject({ __typename: "Cycle" });
      expect(await t.lastAuditId()).toBe(audit);
    });
  });

  describe("setScore", () => {
    it("suggests the category a misspelt one most likely means, and lists them when none is close", async () => {
      const score = async (category: string) =>
        (
          await gql(
            `mutation($cat: String!) { setScore(cycleId: "2019", unitId: "U01", category: $cat, value: "20") {
              __typename ... on ValidationError { issues { path message } } } }`,
            { cat: category },
          )
        ).data.setScore;
      // Worded by the engine, as a score import's row is.
      expect(await score("busines")).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "category",
            message: 'score for unit "U01": unknown category "busines"; did you mean "business"?',
          },
        ],
      });
      expect(await score("welfare")).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "category",
            message: 'score for unit "U01": unknown category "welfare" (known: business, organ, public)',
          },
        ],
      });
    });
  });
});
