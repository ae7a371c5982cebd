import { Readable } from "node:stream";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile } from "../import/index.js";
import type { Db } from "./db.js";
import { CycleFinalisedError } from "./errors.js";
import { deleteFormsInBatches, nextSize } from "./survey-forms-in-batches.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase, uid } from "./test-backends.js";
import type { SurveyForm, SurveyTally } from "./types.js";

const form = (unit: string, respondentGroup: string, answer: string, category = "public"): SurveyForm => ({
  category,
  unit,
  respondentGroup,
  answer,
});

describe("the batches of a deletion of survey forms", () => {
  it("take as many units as held a batch's forms in the last, twice as many after none, 1 to 100", () => {
    expect(nextSize(25, 5_000, 5_000)).toBe(25);
    expect(nextSize(25, 10_000, 5_000)).toBe(12);
    expect(nextSize(25, 2_500, 5_000)).toBe(50);
    expect(nextSize(25, 0, 5_000)).toBe(50);
    // Units without forms of the category are still read whole by the index: a hundred at most.
    expect(nextSize(25, 100, 5_000)).toBe(100);
    expect(nextSize(80, 0, 5_000)).toBe(100);
    // A unit of more forms than a batch is still taken, alone.
    expect(nextSize(1, 60_000, 5_000)).toBe(1);
  });
});

/** deleteSurveyForms: a category's forms, or a unit's or a group's in it, taken out in one audited write. */
describe.each(backends)("deleting survey forms together on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * A cycle of three units with forms of "public" (u1 and u2, residents and enterprises; u2's
   * residents' partly by an import) and one of "service": 10 forms in all.
   */
  const cycleWithForms = async () => {
    const s = t.store;
    const c = await seedCycle(s, 3);
    await s.records.addSurveyForms("x", c, [
      form("u2", "residents", "satisfied"),
      form("u1", "residents", "satisfied"),
      form("u1", "residents", "satisfied"),
      form("u1", "residents", "dissatisfied"),
      form("u1", "enterprises", "satisfied"),
      form("u2", "enterprises", "dissatisfied"),
      form("u1", "residents", "satisfied", "service"),
    ]);
    const importId = uid("forms");
    await importFile(s, {
      actor: "importer",
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId,
      stream: Readable.from([
        "category,unit,respondent_group,answer\npublic,u2,residents,satisfied\npublic,u2,residents,satisfied\npublic,u2,residents,dissatisfied\n",
      ]),
    });
    return { c, importId };
  };
  const lastAudit = async () => (await t.store.audit.list({ limit: 1 }))[0]!;

  it("deletes every form of a category, keeping them all as tallies in one audit record with the reason", async () => {
    const s = t.store;
    const { c, importId } = await cycleWithForms();
    const before = await lastAudit();
    const reason = "the public survey was collected by the units themselves";
    expect(
      await s.records.deleteSurveyForms(
        "admin-1",
        c,
        { category: "public" },
        { expected: 9, reason: ` ${reason} ` },
      ),
    ).toBe(9);
    expect(await s.records.surveyTallies(c)).toEqual([
      { category: "service", unit: "u1", respondentGroup: "residents", answer: "satisfied", count: 1 },
    ]);
    const entries = (await s.audit.list({ cycleId: c, limit: 10 })).filter((e) => e.id > before.id);
    expect(entries).toEqual([
      expect.objectContaining({
        actor: "admin-1",
        action: "delete",
        entity: "survey_forms",
        entityId: "public",
        cycleId: c,
        after: null,
        reason,
        // The category, said once, is not repeated on each tally; a form not from an import has
        // no importId. By unit, group, answer, then import (none first), as surveyTallies reads.
        before: {
          category: "public",
          count: 9,
          tallies: [
            { unit: "u1", respondentGroup: "enterprises", answer: "satisfied", count: 1 },
            { unit: "u1", respondentGroup: "residents", answer: "dissatisfied", count: 1 },
            { unit: "u1", respondentGroup: "residents", answer: "satisfied", count: 2 },
            { unit: "u2", respondentGroup: "enterprises", answer: "dissatisfied", count: 1 },
            { unit: "u2", respondentGroup: "residents", answer: "dissatisfied", importId, count: 1 },
            { unit: "u2", respondentGroup: "residents", answer: "satisfied", count: 1 },
            { unit: "u2", respondentGroup: "residents", answer: "satisfied", importId, count: 2 },
          ],
        },
      }),
    ]);
  });

  it("deletes only a unit's, a group's, or a unit's of a group, not naming on each tally what the record names", async () => {
    const s = t.store;
    const { c, importId } = await cycleWithForms();
    expect(
      await s.records.deleteSurveyForms("a", c, { category: "public", unit: "u1" }, { expected: 4 }),
    ).toBe(4);
    expect(await lastAudit()).toMatchObject({
      entityId: "public",
      reason: null,
      before: {
        category: "public",
        unit: "u1",
        count: 4,
        tallies: [
          { respondentGroup: "enterprises", answer: "satisfied", count: 1 },
          { respondentGroup: "residents", answer: "dissatisfied", count: 1 },
          { respondentGroup: "residents", answer: "satisfied", count: 2 },
        ],
      },
    });
    // u1's form of "service" is another category's: it stays.
    expect(await s.records.countSurveyForms(c, { unit: "u1" })).toBe(1);

    expect(
      await s.records.deleteSurveyForms(
        "a",
        c,
        { category: "public", respondentGroup: "enterprises" },
        { expected: 1 },
      ),
    ).toBe(1);
    expect((await lastAudit()).before).toEqual({
      category: "public",
      respondentGroup: "enterprises",
      count: 1,
      tallies: [{ unit: "u2", answer: "dissatisfied", count: 1 }],
    });

    expect(
      await s.records.deleteSurveyForms(
        "a",
        c,
        { category: "public", unit: "u2", respondentGroup: "residents" },
        { expected: 4 },
      ),
    ).toBe(4);
    expect((await lastAudit()).before).toEqual({
      category: "public",
      unit: "u2",
      respondentGroup: "residents",
      count: 4,
      tallies: [
        { answer: "dissatisfied", importId, count: 1 },
        { answer: "satisfied", count: 1 },
        { answer: "satisfied", importId, count: 2 },
      ],
    });
    expect(await s.records.countSurveyForms(c)).toBe(1);
  });

  it("refuses to delete nothing, at the argument to correct, and writes nothing", async () => {
    const s = t.store;
    const { c } = await cycleWithForms();
    const audit = (await lastAudit()).id;
    const refused = (set: Parameters<typeof s.records.deleteSurveyForms>[2]) =>
      s.records.deleteSurveyForms("a", c, set, { expected: 1 });
    await expect(refused({ category: "pubilc" })).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [
        {
          path: "category",
          message: `cycle '${c}' has no survey forms in category "pubilc", so none was deleted; did you mean "public"? Its survey forms are in "public", "service"`,
        },
      ],
    });
    // The category is what is wrong when it has no forms, whatever the unit and group.
    await expect(
      refused({ category: "absent", unit: "u1", respondentGroup: "residents" }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "category",
          message: `cycle '${c}' has no survey forms in category "absent", so none was deleted; its survey forms are in "public", "service"`,
        },
      ],
    });
    await expect(
      refused({ category: "public", unit: "u3", respondentGroup: "residents" }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "unitId",
          message: `unit "u3" has no survey forms in category "public" of cycle '${c}', so none was deleted`,
        },
      ],
    });
    await expect(refused({ category: "public", unit: "u9" })).rejects.toMatchObject({
      issues: [
        {
          path: "unitId",
          message: `unit "u9" has no survey forms in category "public" of cycle '${c}', so none was deleted: the cycle has no such unit`,
        },
      ],
    });
    await expect(refused({ category: "public", respondentGroup: "resident" })).rejects.toMatchObject({
      issues: [
        {
          path: "respondentGroup",
          message: `respondent group "resident" has no survey forms in category "public" of cycle '${c}', so none was deleted; did you mean "residents"? Its forms there are of "enterprises", "residents"`,
        },
      ],
    });
    // A group the category has forms of, but not the unit's there.
    await expect(
      s.records.deleteSurveyForms(
        "a",
        c,
        { category: "service", unit: "u1", respondentGroup: "enterprises" },
        { expected: 1 },
      ),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "respondentGroup",
          message: `respondent group "enterprises" has no survey forms for unit "u1" in category "service" of cycle '${c}', so none was deleted; its forms there are of "residents"`,
        },
      ],
    });
    for (const [set, path] of [
      [{ category: " " }, "category"],
      [{ category: "public", unit: "" }, "unitId"],
      [{ category: "public", respondentGroup: " " }, "respondentGroup"],
    ] as const)
      await expect(refused(set)).rejects.toMatchObject({
        issues: [{ path, message: "must be a non-empty string" }],
      });
    expect((await lastAudit()).id).toBe(audit);
    expect(await s.records.countSurveyForms(c)).toBe(10);

    const empty = await seedCycle(s, 1);
    await expect(
      s.records.deleteSurveyForms("a", empty, { category: "public" }, { expected: 1 }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "category",
          message: `cycle '${empty}' has no survey forms in category "public", so none was deleted: it has no survey forms`,
        },
      ],
    });
  });

  it("deletes nothing unless the cycle holds the number of forms the caller confirmed", async () => {
    const s = t.store;
    const { c } = await cycleWithForms();
    const audit = (await lastAudit()).id;
    // Read as 8 (a form added since), or a unit left out of what was meant as one unit's delete.
    for (const expected of [8, 4])
      await expect(
        s.records.deleteSurveyForms("a", c, { category: "public" }, { expected }),
      ).rejects.toMatchObject({
        code: "VALIDATION",
        issues: [
          {
            path: "expectedForms",
            message: `cycle '${c}' holds 9 survey forms of "public", not ${expected}: none was deleted; read the count again (surveyTallies' formCount, with the same category, unitId and respondentGroup) and confirm it`,
          },
        ],
      });
    await expect(
      s.records.deleteSurveyForms(
        "a",
        c,
        { category: "public", unit: "u1", respondentGroup: "enterprises" },
        { expected: 2 },
      ),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "expectedForms",
          message: expect.stringContaining(
            `holds 1 survey form of "public" for unit "u1" of respondent group "enterprises", not 2: none was deleted`,
          ),
        },
      ],
    });
    for (const expected of [0, -1, 1.5, Number.NaN])
      await expect(
        s.records.deleteSurveyForms("a", c, { category: "public" }, { expected }),
      ).rejects.toMatchObject({
        issues: [{ path: "expectedForms", message: "must be a whole number of survey forms, 1 or more" }],
      });
    expect(await s.records.countSurveyForms(c)).toBe(10);
    expect((await lastAudit()).id).toBe(audit);
  });

  it("refuses a reason that says nothing, and a finalised cycle, deleting nothing", async () => {
    const s = t.store;
    const { c } = await cycleWithForms();
    await expect(
      s.records.deleteSurveyForms("a", c, { category: "public" }, { expected: 9, reason: "…" }),
    ).rejects.toMatchObject({ issues: [{ path: "reason" }] });
    await s.cycles.finalise("boss", c);
    await expect(
      s.records.deleteSurveyForms("a", c, { category: "public" }, { expected: 9 }),
    ).rejects.toBeInstanceOf(CycleFinalisedError);
    expect(await s.records.countSurveyForms(c)).toBe(10);
  });

  it("deletes a category's forms a batch of units at a time, turning the event loop between batches", async () => {
    const { c } = await cycleWithForms();
    const tallies = (await t.store.records.surveyTallies(c, { category: "public" })).map(
      ({ category: _, ...rest }) => rest,
    );
    const statements: string[] = [];
    const counting: Db = {
      ...t.db,
      query: (sql: string, params?: unknown[]) => {
        statements.push(sql.trim().split(/\s+/)[0]!);
        return t.db.query(sql, params);
      },
    } as Db;
    let turned = 0;
    const tick = () =>
      setImmediate(() => {
        turned++;
      });
    // At most 2 forms a batch: u1 alone (4 forms), then u2 alone (5), then u3 (none).
    const done = deleteFormsInBatches(counting, c, { category: "public" }, 2);
    tick();
    const deleted = await done;
    expect(statements).toEqual(["SELECT", "WITH", "WITH", "WITH"]);
    expect(turned).toBe(1);
    // Each form: as surveyTallies counted them, the imported ones apart.
    const merged = new Map<string, number>();
    for (const d of deleted) {
      const key = [d.unit, d.respondentGroup, d.answer].join("|");
      merged.set(key, (merged.get(key) ?? 0) + d.count);
    }
    expect([...merged]).toEqual(
      tallies.map((x) => [[x.unit, x.respondentGroup, x.answer].join("|"), x.count]),
    );
    expect(await t.store.records.countSurveyForms(c)).toBe(1);
  });

  it("keeps every form deleted: the record's tallies, added again, give back the tallies there were", async () => {
    const s = t.store;
    const c = await seedCycle(s, 4);
    const units = ["u1", "u2", "u3", "u4"];
    const arbitraryForm = fc.record({
      category: fc.constantFrom("public", "service"),
      unit: fc.constantFrom(...units),
      respondentGroup: fc.constantFrom("residents", "enterprises", "deputies"),
      answer: fc.constantFrom("satisfied", "basically-satisfied", "dissatisfied"),
    });
    const tallied = async (): Promise<SurveyTally[]> => s.records.surveyTallies(c);
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbitraryForm, { minLength: 1, maxLength: 40 }),
        fc.option(fc.constantFrom(...units), { nil: undefined }),
        fc.option(fc.constantFrom("residents", "enterprises", "deputies"), { nil: undefined }),
        async (forms, unit, respondentGroup) => {
          await s.records.addSurveyForms("x", c, forms);
          try {
            const set = { category: forms[0]!.category, unit, respondentGroup };
            const expected = forms.filter(
              (f) =>
                f.category === set.category &&
                (unit === undefined || f.unit === unit) &&
                (respondentGroup === undefined || f.respondentGroup === respondentGroup),
            ).length;
            const original = await tallied();
            if (expected === 0) {
              await expect(s.records.deleteSurveyForms("x", c, set, { expected: 1 })).rejects.toMatchObject({
                code: "VALIDATION",
              });
              expect(await tallied()).toEqual(original);
              return;
            }
            expect(await s.records.deleteSurveyForms("x", c, set, { expected })).toBe(expected);
            const entry = (await lastAudit()).before as {
              category: string;
              unit?: string;
              respondentGroup?: string;
              count: number;
              tallies: { unit?: string; respondentGroup?: string; answer: string; count: number }[];
            };
            expect(entry.count).toBe(expected);
            expect(entry.tallies.reduce((n, x) => n + x.count, 0)).toBe(expected);
            const restored = entry.tallies.flatMap((x) =>
              Array.from({ length: x.count }, () => ({
                category: entry.category,
                unit: x.unit ?? entry.unit!,
                respondentGroup: x.respondentGroup ?? entry.respondentGroup!,
                answer: x.answer,
              })),
            );
            await s.records.addSurveyForms("x", c, restored);
            expect(await tallied()).toEqual(original);
          } finally {
            // Emptied for the next run.
            for (const category of ["public", "service"]) {
              const n = await s.records.countSurveyForms(c, { category });
              if (n > 0) await s.records.deleteSurveyForms("x", c, { category }, { expected: n });
            }
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});
