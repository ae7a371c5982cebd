import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictError,
  CycleFinalisedError,
  ForbiddenError,
  ImmutableError,
  NotFoundError,
  SQLSTATE_CYCLE_FINALISED,
  SQLSTATE_IMMUTABLE,
  ValidationError,
} from "./errors.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase, uid } from "./test-backends.js";
import type { Ballot } from "./types.js";

const sqlstate = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "no error";
};

describe.each(backends)("store on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("scheme versions", () => {
    it("publishes version n+1 based on the latest and keeps every version", async () => {
      const s = t.store;
      const id = uid("scheme");
      const v1 = await s.schemes.publish("alice", {
        schemeId: id,
        document: { v: 1 },
        reason: "first",
        basedOn: null,
      });
      const v2 = await s.schemes.publish("bob", {
        schemeId: id,
        document: { v: 2 },
        reason: "reform",
        basedOn: 1,
      });
      expect([v1.version, v1.basedOn, v2.version, v2.basedOn, v2.author]).toEqual([1, null, 2, 1, "bob"]);
      expect((await s.schemes.get(id)).document).toEqual({ v: 2 });
      expect((await s.schemes.get(id, 1)).document).toEqual({ v: 1 });
      expect((await s.schemes.versions(id)).map((v) => v.reason)).toEqual(["first", "reform"]);
      await expect(s.schemes.get(id, 9)).rejects.toBeInstanceOf(NotFoundError);
      expect((await s.schemes.list()).find((x) => x.schemeId === id)?.latestVersion).toBe(2);
    });

    it("rejects a publish based on a stale version with ConflictError", async () => {
      const id = uid("scheme");
      await t.store.schemes.publish("a", { schemeId: id, document: {}, reason: "r", basedOn: null });
      await t.store.schemes.publish("a", { schemeId: id, document: {}, reason: "r", basedOn: 1 });
      await expect(
        t.store.schemes.publish("b", { schemeId: id, document: {}, reason: "r", basedOn: 1 }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        t.store.schemes.publish("b", { schemeId: id, document: {}, reason: "r", basedOn: null }),
      ).rejects.toBeInstanceOf(ConflictError);
    });

    it("lets exactly one of two concurrent publishers based on the same version win", async () => {
      const id = uid("scheme");
      await t.store.schemes.publish("a", { schemeId: id, document: {}, reason: "base", basedOn: null });
      for (let round = 0; round < 5; round++) {
        const results = await Promise.allSettled([
          t.store.schemes.publish("p1", {
            schemeId: id,
            document: { by: 1 },
            reason: "x",
            basedOn: round + 1,
          }),
          t.store.schemes.publish("p2", {
            schemeId: id,
            document: { by: 2 },
            reason: "y",
            basedOn: round + 1,
          }),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      }
      expect((await t.store.schemes.versions(id)).map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it("is append-only in the database itself: raw UPDATE, DELETE and TRUNCATE fail", async () => {
      const id = uid("scheme");
      await t.store.schemes.publish("a", { schemeId: id, document: { x: 1 }, reason: "r", basedOn: null });
      expect(
        await sqlstate(t.db.query("UPDATE scheme_versions SET reason = 'edited' WHERE scheme_id = $1", [id])),
      ).toBe(SQLSTATE_IMMUTABLE);
      expect(await sqlstate(t.db.query("DELETE FROM scheme_versions WHERE scheme_id = $1", [id]))).toBe(
        SQLSTATE_IMMUTABLE,
      );
      expect(await sqlstate(t.db.query("TRUNCATE scheme_versions CASCADE"))).toBe(SQLSTATE_IMMUTABLE);
      expect(await sqlstate(t.db.query("DELETE FROM audit_log"))).toBe(SQLSTATE_IMMUTABLE);
      // Through the store's handle the same refusal arrives typed.
      await expect(t.store.db.query("UPDATE scheme_versions SET reason = 'x'")).rejects.toBeInstanceOf(
        ImmutableError,
      );
      expect((await t.store.schemes.get(id)).reason).toBe("r");
    });
  });

  describe("cycles, groups and units", () => {
    it("copies a cycle's units with the groups they are in, not groups left empty", async () => {
      const s = t.store;
      const from = await seedCycle(s, 2);
      await s.groups.upsert("ann", from, { id: "gone", name: "renamed away", ranked: true });
      const to = await seedCycle(s, 0);
      expect(await s.units.copyFrom("ann", from, to)).toBe(2);
      expect((await s.groups.list(to)).map((g) => g.id)).toEqual(["g1", "g2"]);
    });

    it("creates, updates and lists with audit records", async () => {
      const s = t.store;
      const cycleId = await seedCycle(s, 0);
      await s.groups.upsert("ann", cycleId, { id: "g5", name: "第五组", ranked: false });
      await s.units.upsert("ann", cycleId, { id: "bureau", name: "公安局", group: "g5", kind: "law" });
      await s.units.upsert("ann", cycleId, { id: "branch", name: "分局", group: "g5", parent: "bureau" });
      expect(await s.units.list(cycleId)).toEqual([
        { id: "branch", name: "分局", group: "g5", parent: "bureau" },
        { id: "bureau", name: "公安局", group: "g5", kind: "law" },
      ]);
      expect(await s.units.list(cycleId, { parent: null })).toEqual([
        { id: "bureau", name: "公安局", group: "g5", kind: "law" },
      ]);
      expect(await s.groups.list(cycleId)).toEqual([{ id: "g5", name: "第五组", ranked: false }]);
      await expect(
        s.units.upsert("ann", cycleId, { id: "bureau", name: "公安局", group: "g5", parent: "branch" }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(s.units.delete("ann", cycleId, "bureau")).rejects.toBeInstanceOf(ValidationError);
      await expect(s.groups.delete("ann", cycleId, "g5")).rejects.toBeInstanceOf(ValidationError);
      await s.units.delete("ann", cycleId, "branch");
      const audit = await s.audit.list({ cycleId, entity: "unit" });
      expect(audit.map((a) => [a.action, a.entityId, a.actor])).toEqual([
        ["delete", "branch", "ann"],
        ["create", "branch", "ann"],
        ["create", "bureau", "ann"],
      ]);
      expect(audit[0]!.before).toEqual({ id: "branch", name: "分局", group: "g5", parent: "bureau" });
      // `keep` merges an omitted kind or parent from the stored unit; without it they are cleared.
      const rename = { id: "bureau", name: "市公安局", group: "g5" };
      expect(await s.units.upsert("ann", cycleId, rename, undefined, { parent: true, kind: true })).toEqual({
        ...rename,
        kind: "law",
      });
      expect(await s.units.upsert("ann", cycleId, rename)).toEqual(rename);
      const { cycle: renamed } = await s.cycles.update("ann", cycleId, { name: "2024 年度" });
      expect(renamed.name).toBe("2024 年度");
      const next = uid("cycle");
      await s.cycles.create("ann", {
        id: next,
        year: 2025,
        name: "2025",
        schemeId: renamed.schemeId,
        schemeVersion: 1,
      });
      expect(await s.units.copyFrom("ann", cycleId, next)).toBe(1);
      expect(await s.units.list(next)).toEqual(await s.units.list(cycleId));
      // One record for the units, as an import has; each group it created has its own, as the
      // groups upsertUnit and a units import create on the fly do.
      expect(
        (await s.audit.list({ cycleId: next })).map((a) => [a.action, a.entity, a.entityId, a.after]),
      ).toEqual([
        ["copy-units", "cycle", next, { from: cycleId, units: 1 }],
        ["create", "group", "g5", { id: "g5", name: "第五组", ranked: false }],
        ["create", "cycle", next, expect.anything()],
      ]);
      await expect(
        s.cycles.create("ann", {
          id: next,
          year: 2025,
          name: "dup",
          schemeId: renamed.schemeId,
          schemeVersion: 1,
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        s.cycles.create("ann", { id: uid("c"), year: 2025, name: "x", schemeId: "nope", schemeVersion: 1 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(s.cycles.get("missing")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("requires an actor for every change", async () => {
      await expect(
        t.store.cycles.create("", { id: "x", year: 2024, name: "x", schemeId: "s", schemeVersion: 1 }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it("lets only one of two concurrent writes that would close a parent loop through", async () => {
      const s = t.store;
      const c = await seedCycle(s, 0);
      for (let round = 0; round < 5; round++) {
        const [a, b] = [`a${round}`, `b${round}`];
        await s.units.upsert("x", c, { id: a, name: a, group: "g1" });
        await s.units.upsert("x", c, { id: b, name: b, group: "g1" });
        const results = await Promise.allSettled([
          s.units.upsert("x", c, { id: a, name: a, group: "g1", parent: b }),
          s.units.upsert("x", c, { id: b, name: b, group: "g1", parent: a }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
        expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(
          ValidationError,
        );
      }
    });
  });

  describe("records", () => {
    it("stores scores, inputs, ballots, findings and events exactly", async () => {
      const s = t.store;
      const c = await seedCycle(s, 2);
      await s.records.setScore("x", c, { unit: "u1", category: "business", value: "26.40" });
      await s.records.setScore("x", c, { unit: "u1", category: "business", value: 26.5 });
      await s.records.setInput("x", c, { unit: "u2", name: "cases", value: "12" });
      await s.records.putBallot("x", c, {
        category: "vote",
        voter: "mayor",
        role: "mayor",
        unit: "u1",
        score: "95.5",
      });
      await s.records.putBallot("x", c, { category: "vote", voter: "m2", unit: "u1", grade: "好" });
      await s.records.putFinding("x", c, {
        id: "f1",
        unit: "u1",
        type: "visit",
        level: "city",
        repeated: true,
        note: "迟到",
      });
      await s.records.putBonusEvent("x", c, {
        id: "b1",
        unit: "u2",
        type: "commendation",
        level: "province",
      });
      await s.records.putVetoEvent("x", c, {
        id: "v1",
        unit: "u2",
        type: "incident",
        reason: "重大安全事故",
      });
      // An earlier year's veto stored here would count as this year's own incident.
      await expect(
        s.records.putVetoEvent("x", c, {
          id: "v0",
          unit: "u2",
          type: "incident",
          reason: "旧事故",
          yearsAgo: 1,
        }),
      ).rejects.toMatchObject({
        issues: [{ path: "yearsAgo", message: expect.stringContaining("that year's cycle") }],
      });
      expect(await s.records.listScores(c)).toEqual([{ unit: "u1", category: "business", value: "26.5" }]);
      expect(await s.records.listInputs(c)).toEqual([{ unit: "u2", name: "cases", value: "12" }]);
      expect(await s.records.listBallots(c)).toEqual([
        { category: "vote", voter: "m2", unit: "u1", grade: "好" },
        { category: "vote", voter: "mayor", role: "mayor", unit: "u1", score: "95.5" },
      ]);
      const f = await s.records.setRectification("x", c, "f1", {
        rectification: "late",
        deadline: "2024-03-31",
        rectifiedOn: "2024-04-02",
      });
      expect(f).toEqual({
        id: "f1",
        unit: "u1",
        type: "visit",
        level: "city",
        rectification: "late",
        repeated: true,
        note: "迟到",
        deadline: "2024-03-31",
        rectifiedOn: "2024-04-02",
      });
      expect((await s.records.setRectification("x", c, "f1", { rectification: "on-time" })).deadline).toBe(
        "2024-03-31",
      );
      // A date with the shape but no such day is named, not passed on for the database to refuse.
      await expect(
        s.records.setRectification("x", c, "f1", { rectification: "late", rectifiedOn: "2024-02-30" }),
      ).rejects.toMatchObject({ issues: [{ path: "rectifiedOn", message: "must be a date YYYY-MM-DD" }] });
      expect(await s.records.listBonusEvents(c)).toEqual([
        { id: "b1", unit: "u2", type: "commendation", level: "province" },
      ]);
      expect(await s.records.listVetoEvents(c, { unit: "u2" })).toEqual([
        { id: "v1", unit: "u2", type: "incident", reason: "重大安全事故" },
      ]);
      // A second put of the same id updates it in place; a note can be added and cleared.
      expect(
        await s.records.putBonusEvent("x", c, {
          id: "b1",
          unit: "u1",
          type: "commendation",
          level: "city",
          note: "表彰",
        }),
      ).toEqual({ id: "b1", unit: "u1", type: "commendation", level: "city", note: "表彰" });
      expect(
        await s.records.putBonusEvent("x", c, {
          id: "b1",
          unit: "u2",
          type: "commendation",
          level: "province",
        }),
      ).toEqual({ id: "b1", unit: "u2", type: "commendation", level: "province" });
      expect(await s.records.listBonusEvents(c)).toHaveLength(1);
      await expect(s.records.deleteVetoEvent("x", c, "nope")).rejects.toBeInstanceOf(NotFoundError);
      await expect(s.records.deleteBonusEvent("x", c, "nope")).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        s.records.putBallot("x", c, { category: "vote", voter: "a", unit: "u1" }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        s.records.setScore("x", c, { unit: "nope", category: "b", value: 1 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        s.records.setScore("x", c, { unit: "u1", category: "b", value: "1,5" }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        s.records.setRectification("x", c, "nope", { rectification: "late" }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await s.records.deleteBallot("x", c, { category: "vote", voter: "m2", unit: "u1" });
      await s.records.deleteFinding("x", c, "f1");
      await s.records.deleteScore("x", c, "u1", "business");
      await s.records.deleteInput("x", c, "u2", "cases");
      await s.records.deleteBonusEvent("x", c, "b1");
      await s.records.deleteVetoEvent("x", c, "v1");
      const ds = await s.loadDataset(c);
      expect(
        [ds.scores, ds.inputs, ds.findings, ds.bonusEvents, ds.vetoEvents].every((a) => a?.length === 0),
      ).toBe(true);
      expect(ds.ballots).toHaveLength(1);
    });

    it("lists only the ballots of the categories a filter names, listed and counted alike", async () => {
      const s = t.store;
      const c = await seedCycle(s, 2);
      for (const [category, voter] of [
        ["vote", "m1"],
        ["secret", "m1"],
        ["secret", "m2"],
        ["open", "m3"],
      ])
        await s.records.putBallot("x", c, { category: category!, voter: voter!, unit: "u1", score: "90" });
      const only = { onlyCategories: ["vote", "open", "absent"] };
      expect((await s.records.listBallots(c, only)).map((b) => b.category)).toEqual(["open", "vote"]);
      expect(await s.records.countBallots(c, only)).toBe(2);
      expect(await s.records.countBallots(c, { ...only, voter: "m1" })).toBe(1);
      expect(await s.records.countBallots(c, { ...only, category: "secret" })).toBe(0);
      expect(await s.records.listBallots(c, { ...only, limit: 1, offset: 1 })).toMatchObject([
        { category: "vote" },
      ]);
      // None named, none listed: not every ballot.
      expect(await s.records.listBallots(c, { onlyCategories: [] })).toEqual([]);
      expect(await s.records.countBallots(c, { onlyCategories: [] })).toBe(0);
      expect(await s.records.countBallots(c, {})).toBe(4);
    });

    it("counts ballots, and keeps a ballot's role when a correction leaves it out", async () => {
      const s = t.store;
      const c = await seedCycle(s, 2);
      const key = { category: "vote", voter: "mayor", unit: "u1" };
      await s.records.putBallot("x", c, { ...key, role: "mayor", score: "90" });
      await s.records.putBallot("x", c, { ...key, unit: "u2", role: "mayor", score: "80" });
      expect(await s.records.countBallots(c)).toBe(2);
      expect(await s.records.countBallots(c, { unit: "u2", voter: "mayor" })).toBe(1);
      expect(await s.records.countBallots(c, { category: "other" })).toBe(0);
      expect(await s.records.putBallot("x", c, { ...key, score: "91" }, { keepOmitted: true })).toEqual({
        ...key,
        role: "mayor",
        score: "91",
      });
      // Taken off one of the voter's two ballots, the role would leave them two: refused under the
      // cycle's lock, whatever the caller read before.
      await expect(
        s.records.putBallot("x", c, { ...key, role: null, score: "92" }, { keepOmitted: true }),
      ).rejects.toMatchObject({
        issues: [
          {
            path: "role",
            message:
              'voter "mayor" is "mayor" on their other ballot in "vote", and this ballot would have no role: change a voter\'s role on all their ballots with setVoterRole',
          },
        ],
      });
      await s.records.deleteBallot("x", c, { ...key, unit: "u2" });
      expect(
        await s.records.putBallot("x", c, { ...key, role: null, score: "92" }, { keepOmitted: true }),
      ).toEqual({ ...key, score: "92" });
      // Without keepOmitted a ballot is replaced whole, as an import's row writes it.
      await s.records.putBallot("x", c, { ...key, role: "mayor", score: "81" });
      await s.records.putBallot("x", c, { ...key, score: "82" });
      expect(await s.records.listBallots(c)).toEqual([{ ...key, score: "82" }]);
    });

    it("replaces only a stored ballot when asked to, and sets a voter's role on all their ballots of a category", async () => {
      const s = t.store;
      const c = await seedCycle(s, 2);
      const key = { category: "vote", voter: "v3", unit: "u1" };
      // Under the row lock, whatever the caller checked before: nothing is (re-)created.
      const audit = (await s.audit.list({ limit: 1 }))[0]!.id;
      await expect(
        s.records.putBallot("x", c, { ...key, role: "member", score: "70" }, { replaceOnly: true }),
      ).rejects.toMatchObject({ code: "NOT_FOUND", entity: "ballot", id: "vote/v3/u1" });
      expect(await s.records.countBallots(c)).toBe(0);
      expect((await s.audit.list({ limit: 1 }))[0]!.id).toBe(audit);
      await s.records.putBallot("x", c, { ...key, role: "member", score: "70" });
      expect(
        await s.records.putBallot("x", c, { ...key, score: "71" }, { keepOmitted: true, replaceOnly: true }),
      ).toEqual({ ...key, role: "member", score: "71" });

      await s.records.putBallot("x", c, { ...key, unit: "u2", role: "member", score: "60" });
      await s.records.putBallot("x", c, { ...key, category: "other", role: "member", score: "60" });
      const voter = { category: "vote", voter: "v3" };
      const before = (await s.audit.list({ limit: 1 }))[0]!.id;
      expect(await s.records.setVoterRole("x", c, voter, "mayor")).toEqual([
        { ...key, role: "mayor", score: "71" },
        { ...key, unit: "u2", role: "mayor", score: "60" },
      ]);
      const entries = await s.audit.list({ limit: 3 });
      expect(
        entries
          .filter((e) => e.id > before)
          .map((e) => [e.entityId, (e.before as Ballot).role, (e.after as Ballot).role]),
      ).toEqual([
        ["vote/v3/u2", "member", "mayor"],
        ["vote/v3/u1", "member", "mayor"],
      ]);
      // Another category's ballots of the voter keep theirs.
      expect(await s.records.listBallots(c, { category: "other" })).toEqual([
        { ...key, category: "other", role: "member", score: "60" },
      ]);
      // Nothing to change writes nothing; null removes the role.
      const same = (await s.audit.list({ limit: 1 }))[0]!.id;
      await s.records.setVoterRole("x", c, voter, "mayor");
      expect((await s.audit.list({ limit: 1 }))[0]!.id).toBe(same);
      expect((await s.records.setVoterRole("x", c, voter, null)).map((b) => b.role)).toEqual([
        undefined,
        undefined,
      ]);
      await expect(
        s.records.setVoterRole("x", c, { ...voter, voter: "nobody" }, "mayor"),
      ).rejects.toMatchObject({
        code: "NOT_FOUND",
        entity: "ballot",
      });
    });

    it("refuses a number the database cannot hold on the field that carries it", async () => {
      const s = t.store;
      const c = await seedCycle(s, 1);
      const refused = async (write: Promise<unknown>, path: string) => {
        const err = (await write.catch((e) => e)) as ValidationError;
        expect(err).toBeInstanceOf(ValidationError);
        expect(err.issues).toEqual([{ path, message: expect.stringMatching(/too many digits/) }]);
      };
      await refused(s.records.setScore("x", c, { unit: "u1", category: "b", value: "1e200000" }), "value");
      await refused(s.records.setInput("x", c, { unit: "u1", name: "n", value: "1e-16384" }), "value");
      await refused(
        s.records.putBallot("x", c, {
          category: "v",
          voter: "m",
          unit: "u1",
          score: `1${"0".repeat(131_072)}`,
        }),
        "score",
      );
      expect(await s.records.listScores(c)).toEqual([]);
    });

    it("counts survey tallies in SQL", async () => {
      const s = t.store;
      const c = await seedCycle(s, 2);
      const forms = [
        { category: "public", unit: "u1", respondentGroup: "enterprise", answer: "满意" },
        { category: "public", unit: "u1", respondentGroup: "enterprise", answer: "满意" },
        { category: "public", unit: "u1", respondentGroup: "resident", answer: "不满意" },
        { category: "public", unit: "u2", respondentGroup: "resident", answer: "基本满意" },
      ];
      expect(await s.records.addSurveyForms("x", c, forms)).toBe(4);
      expect(await s.records.surveyTallies(c)).toEqual([
        { category: "public", unit: "u1", respondentGroup: "enterprise", answer: "满意", count: 2 },
        { category: "public", unit: "u1", respondentGroup: "resident", answer: "不满意", count: 1 },
        { category: "public", unit: "u2", respondentGroup: "resident", answer: "基本满意", count: 1 },
      ]);
      expect(await s.records.countSurveyForms(c, { unit: "u1" })).toBe(3);
      // Paged in the same order, and counted as tallies, not forms.
      expect(await s.records.surveyTallies(c, { limit: 1, offset: 1 })).toEqual([
        { category: "public", unit: "u1", respondentGroup: "resident", answer: "不满意", count: 1 },
      ]);
      expect(await s.records.surveyTallies(c, { respondentGroup: "resident", offset: 1 })).toEqual([
        { category: "public", unit: "u2", respondentGroup: "resident", answer: "基本满意", count: 1 },
      ]);
      expect(await s.records.countSurveyTallies(c)).toBe(3);
      expect(await s.records.countSurveyTallies(c, { unit: "u1", respondentGroup: "enterprise" })).toBe(1);
      await expect(
        s.records.addSurveyForms("x", c, [
          { category: "public", unit: "ghost", respondentGroup: "r", answer: "a" },
        ]),
      ).rejects.toBeInstanceOf(ValidationError);
      // The statement-level reference checks that stand in for survey_forms' foreign keys.
      await expect(s.units.delete("x", c, "u1")).rejects.toBeInstanceOf(ValidationError);
      expect(
        await sqlstate(
          t.db.query(
            "INSERT INTO survey_forms (cycle_id, category, unit_id, respondent_group, answer) VALUES ($1, 'p', 'zz', 'r', 'a')",
            [c],
          ),
        ),
      ).toBe("23503");
      expect(
        await sqlstate(
          t.db.query(
            "INSERT INTO survey_forms (cycle_id, category, unit_id, respondent_group, answer, import_id) VALUES ($1, 'p', 'u1', 'r', 'a', 'no-such-import')",
            [c],
          ),
        ),
      ).toBe("23503");
      expect(
        await s.records.deleteSurveyForms("x", c, { category: "public", unit: "u2" }, { expected: 1 }),
      ).toBe(1);
      await s.units.delete("x", c, "u2");
      expect(await s.records.countSurveyForms(c)).toBe(3);
    });
  });

  describe("finalised cycles", () => {
    it("reject every write through the store and through raw SQL", async () => {
      const s = t.store;
      const c = await seedCycle(s, 2);
      await s.records.putBallot("x", c, { category: "v", voter: "a", unit: "u1", score: 80 });
      await s.records.addSurveyForms("x", c, [
        { category: "p", unit: "u1", respondentGroup: "r", answer: "满意" },
      ]);
      await s.records.putFinding("x", c, { id: "f", unit: "u1", type: "t", level: "city" });
      const before = JSON.stringify(await s.loadDataset(c));
      const fin = await s.cycles.finalise("boss", c);
      expect(fin.status).toBe("finalised");
      expect(fin.finalisedAt).toBeInstanceOf(Date);

      const attempts: (() => Promise<unknown>)[] = [
        () => s.records.putBallot("x", c, { category: "v", voter: "b", unit: "u1", score: 80 }),
        () => s.records.deleteBallot("x", c, { category: "v", voter: "a", unit: "u1" }),
        () => s.records.setVoterRole("x", c, { category: "v", voter: "a" }, "mayor"),
        () =>
          s.records.addSurveyForms("x", c, [
            { category: "p", unit: "u1", respondentGroup: "r", answer: "满意" },
          ]),
        () => s.records.setRectification("x", c, "f", { rectification: "late" }),
        () => s.records.setScore("x", c, { unit: "u1", category: "b", value: 1 }),
        () => s.units.upsert("x", c, { id: "u9", name: "n", group: "g1" }),
        () => s.groups.upsert("x", c, { id: "g9" }),
        () => s.cycles.update("x", c, { name: "renamed" }),
        () => s.cycles.finalise("x", c),
      ];
      for (const a of attempts) await expect(a()).rejects.toBeInstanceOf(CycleFinalisedError);

      const raw: (() => Promise<unknown>)[] = [
        () =>
          t.db.query(
            "INSERT INTO survey_forms (cycle_id, category, unit_id, respondent_group, answer) VALUES ($1, 'p', 'u1', 'r', 'x')",
            [c],
          ),
        () => t.db.query("UPDATE ballots SET score = 100 WHERE cycle_id = $1", [c]),
        () => t.db.query("DELETE FROM findings WHERE cycle_id = $1", [c]),
        () => t.db.query("UPDATE units SET name = 'x' WHERE cycle_id = $1", [c]),
        () => t.db.query("UPDATE cycles SET status = 'open' WHERE id = $1", [c]),
        () => t.db.query("DELETE FROM cycles WHERE id = $1", [c]),
        () => t.db.query("TRUNCATE survey_forms"),
      ];
      for (const q of raw) expect(await sqlstate(q())).toBe(SQLSTATE_CYCLE_FINALISED);
      // Reloads bit for bit.
      expect(JSON.stringify(await s.loadDataset(c))).toBe(before);
      // What-if scenarios stay writable.
      await expect(s.scenarios.create("x", { cycleId: c, name: "what if", patch: [] })).resolves.toBeTruthy();
    });
  });

  describe("audit trail", () => {
    it("records what each of several concurrent writers of one new record replaced", async () => {
      const s = t.store;
      const c = await seedCycle(s, 1);
      const writes: [entity: string, entityId: string, write: (v: number) => Promise<unknown>][] = [
        ["score", "u1/k", (v) => s.records.setScore(`w${v}`, c, { unit: "u1", category: "k", value: v })],
        ["input", "u1/n", (v) => s.records.setInput(`w${v}`, c, { unit: "u1", name: "n", value: v })],
        [
          "ballot",
          "vote/m/u1",
          (v) => s.records.putBallot(`w${v}`, c, { category: "vote", voter: "m", unit: "u1", score: v }),
        ],
        [
          "finding",
          "f",
          (v) => s.records.putFinding(`w${v}`, c, { id: "f", unit: "u1", type: "visit", level: `l${v}` }),
        ],
        [
          "bonus_event",
          "b",
          (v) => s.records.putBonusEvent(`w${v}`, c, { id: "b", unit: "u1", type: "t", level: `l${v}` }),
        ],
        [
          "veto_event",
          "v",
          (v) => s.records.putVetoEvent(`w${v}`, c, { id: "v", unit: "u1", type: "t", reason: `r${v}` }),
        ],
        ["group", "g9", (v) => s.groups.upsert(`w${v}`, c, { id: "g9", name: `G${v}` })],
        ["unit", "u9", (v) => s.units.upsert(`w${v}`, c, { id: "u9", name: `U${v}`, group: "g1" })],
      ];
      for (const [entity, entityId, write] of writes) {
        await Promise.all([1, 2, 3, 4].map(write));
        const trail = (await s.audit.list({ cycleId: c, entity, entityId })).reverse();
        // One writer created it; every other one replaced what the one before had written.
        expect(
          trail.map((r) => r.action),
          entity,
        ).toEqual(["create", "update", "update", "update"]);
        trail.slice(1).forEach((r, i) => {
          expect(r.before, entity).toEqual(trail[i]!.after);
        });
      }
    });

    it("writes the audit record in the same transaction as the change", async () => {
      const s = t.store;
      const c = await seedCycle(s, 1);
      const count = async () => (await s.audit.list({ cycleId: c, limit: 1000 })).length;
      const n0 = await count();
      // A change that fails after its audit record was written leaves neither.
      await expect(
        s.transaction(async (tx) => {
          await tx.records.putBallot("x", c, { category: "v", voter: "a", unit: "u1", score: 1 });
          expect((await tx.audit.list({ cycleId: c })).length).toBe(n0 + 1);
          await tx.records.putBallot("x", c, { category: "v", voter: "a", unit: "ghost", score: 1 });
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await count()).toBe(n0);
      expect(await s.records.listBallots(c)).toEqual([]);
      // A failing single change writes no audit record either.
      await expect(
        s.records.setScore("x", c, { unit: "u1", category: "c", value: "abc" }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        s.records.putBallot("x", c, { category: "v", voter: "a", unit: "nope", score: 1 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await count()).toBe(n0);
      // A successful one writes exactly one, with before and after.
      await s.records.setScore("auditor", c, { unit: "u1", category: "c", value: "1" });
      await s.records.setScore("auditor", c, { unit: "u1", category: "c", value: "2" });
      const [last] = await s.audit.list({ cycleId: c, limit: 1 });
      expect(last).toMatchObject({
        actor: "auditor",
        action: "update",
        entity: "score",
        entityId: "u1/c",
        before: { unit: "u1", category: "c", value: "1" },
        after: { unit: "u1", category: "c", value: "2" },
      });
      expect(await count()).toBe(n0 + 2);
      // The cycle's revision counts its audit records: it moves with every committed write.
      const revision = await s.audit.revision(c);
      expect(revision).toEqual({ count: n0 + 2, lastId: last!.id });
      await s.records.setScore("auditor", c, { unit: "u1", category: "c", value: "3" });
      expect((await s.audit.revision(c)).count).toBe(n0 + 3);
      // A saved scenario is audited but changes no record: the revision, and the cached evaluation, stay.
      const before = await s.audit.revision(c);
      await s.scenarios.create("auditor", { cycleId: c, name: "what if", patch: {} });
      expect((await s.audit.list({ cycleId: c, limit: 1 }))[0]).toMatchObject({ entity: "scenario" });
      expect(await s.audit.revision(c)).toEqual(before);
    });

    it("inner failures caught inside a transaction roll back only the inner part", async () => {
      const s = t.store;
      const c = await seedCycle(s, 1);
      await s.transaction(async (tx) => {
        await tx.records.setScore("x", c, { unit: "u1", category: "a", value: 1 });
        await tx.records.setScore("x", c, { unit: "nope", category: "a", value: 1 }).catch(() => undefined);
        await tx.records.setScore("x", c, { unit: "u1", category: "b", value: 2 });
      });
      expect((await s.records.listScores(c)).map((x) => x.category)).toEqual(["a", "b"]);
    });
  });

  describe("scenarios", () => {
    it("are owned, optionally shared, and unique by name per owner", async () => {
      const s = t.store;
      const c = await seedCycle(s, 1);
      const mine = await s.scenarios.create("ann", {
        cycleId: c,
        name: "public 50",
        patch: [{ op: "replace", path: "/x", value: 50 }],
      });
      await s.scenarios.create("bob", { cycleId: c, name: "bob private", patch: {} });
      const shared = await s.scenarios.create("bob", {
        cycleId: c,
        name: "bob shared",
        patch: {},
        shared: true,
      });
      expect((await s.scenarios.list(c, "ann")).map((x) => x.name)).toEqual(["bob shared", "public 50"]);
      expect((await s.scenarios.get(mine.id, "ann")).patch).toEqual([
        { op: "replace", path: "/x", value: 50 },
      ]);
      await expect(s.scenarios.get(mine.id, "bob")).rejects.toBeInstanceOf(NotFoundError);
      await expect(s.scenarios.update("ann", shared.id, { name: "stolen" })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      await expect(
        s.scenarios.create("ann", { cycleId: c, name: "public 50", patch: {} }),
      ).rejects.toBeInstanceOf(ConflictError);
      const upd = await s.scenarios.update("ann", mine.id, { shared: true, patch: [] });
      expect([upd.shared, upd.patch, upd.name]).toEqual([true, [], "public 50"]);
      await s.scenarios.delete("ann", mine.id);
      await expect(s.scenarios.get(mine.id, "ann")).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("datasets", () => {
    it("load deterministically with tallies instead of forms, plus the cycle's scheme", async () => {
      const s = t.store;
      const c = await seedCycle(s, 3);
      // Inserted in scrambled order; the load order must not depend on it.
      await s.records.putBallot("x", c, { category: "v", voter: "z", unit: "u3", score: 1 });
      await s.records.putBallot("x", c, { category: "v", voter: "a", unit: "u1", score: 2 });
      await s.records.addSurveyForms("x", c, [
        { category: "p", unit: "u2", respondentGroup: "b", answer: "满意" },
        { category: "p", unit: "u1", respondentGroup: "a", answer: "Z" },
        { category: "p", unit: "u1", respondentGroup: "a", answer: "a" },
      ]);
      const ev = await s.loadEvaluation(c);
      expect(ev.cycle.id).toBe(c);
      expect(ev.scheme.version).toBe(1);
      expect(ev.dataset.surveyForms).toBeUndefined();
      expect(ev.dataset.surveyTallies?.map((x) => `${x.unit}/${x.answer}`)).toEqual([
        "u1/Z",
        "u1/a",
        "u2/满意",
      ]);
      expect(ev.dataset.ballots?.map((b) => b.voter)).toEqual(["a", "z"]);
      expect(JSON.stringify(await s.loadDataset(c))).toBe(JSON.stringify(ev.dataset));
      await expect(s.loadDataset("missing")).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
