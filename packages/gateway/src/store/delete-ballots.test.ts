import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "./db.js";
import { deleteInBatches } from "./delete-in-batches.js";
import { CycleFinalisedError } from "./errors.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase } from "./test-backends.js";

/** deleteBallots: a category's ballots, or one voter's in it, taken out in one audited write. */
describe.each(backends)("deleting ballots together on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A cycle with two units' ballots of "organ" by three voters, and one of "council". */
  const cycleWithBallots = async () => {
    const c = await seedCycle(t.store, 2);
    for (const unit of ["u2", "u1"])
      for (const voter of ["m2", "m1", "m3"])
        await t.store.records.putBallot("x", c, {
          category: "organ",
          voter,
          unit,
          role: "member",
          score: "80",
        });
    await t.store.records.putBallot("x", c, { category: "council", voter: "m1", unit: "u1", score: "70" });
    return c;
  };
  const lastAudit = async () => (await t.store.audit.list({ limit: 1 }))[0]!;

  it("deletes every ballot of a category, keeping them all in one audit record with the reason", async () => {
    const s = t.store;
    const c = await cycleWithBallots();
    const before = await lastAudit();
    const reason = "the forced move to v7 dropped the organ vote";
    expect(
      await s.records.deleteBallots(
        "admin-1",
        c,
        { category: "organ" },
        { expected: 6, reason: ` ${reason} ` },
      ),
    ).toBe(6);
    expect(await s.records.listBallots(c)).toEqual([
      { category: "council", voter: "m1", unit: "u1", score: "70" },
    ]);
    const entries = (await s.audit.list({ cycleId: c, limit: 10 })).filter((e) => e.id > before.id);
    expect(entries).toHaveLength(1);
    // The category, said once by the record, is not repeated on each ballot.
    const ballot = (voter: string, unit: string) => ({
      voter,
      unit,
      role: "member",
      score: "80",
    });
    expect(entries[0]).toMatchObject({
      actor: "admin-1",
      action: "delete",
      entity: "ballot",
      entityId: "organ",
      cycleId: c,
      after: null,
      reason,
      before: {
        category: "organ",
        count: 6,
        // By unit, then voter: as the ballots list reads them.
        ballots: [
          ballot("m1", "u1"),
          ballot("m2", "u1"),
          ballot("m3", "u1"),
          ballot("m1", "u2"),
          ballot("m2", "u2"),
          ballot("m3", "u2"),
        ],
      },
    });
  });

  it("deletes only one voter's ballots of the category when a voter is named, with no reason given", async () => {
    const s = t.store;
    const c = await cycleWithBallots();
    expect(
      await s.records.deleteBallots("admin-1", c, { category: "organ", voter: "m2" }, { expected: 2 }),
    ).toBe(2);
    expect(
      (await s.records.listBallots(c, { category: "organ" })).map((b) => `${b.voter}@${b.unit}`),
    ).toEqual(["m1@u1", "m3@u1", "m1@u2", "m3@u2"]);
    expect(await lastAudit()).toMatchObject({
      entityId: "organ/m2",
      reason: null,
      before: {
        category: "organ",
        voter: "m2",
        count: 2,
        // Nor the voter the record names.
        ballots: [
          { role: "member", unit: "u1", score: "80" },
          { role: "member", unit: "u2", score: "80" },
        ],
      },
    });
    // m1's ballot of the council is another category's: it stays.
    expect(
      await s.records.deleteBallots("admin-1", c, { category: "organ", voter: "m1" }, { expected: 2 }),
    ).toBe(2);
    expect(await s.records.countBallots(c, { category: "council" })).toBe(1);
  });

  it("refuses to delete nothing, at the argument to correct, and writes nothing", async () => {
    const s = t.store;
    const c = await cycleWithBallots();
    const audit = (await lastAudit()).id;
    await expect(
      s.records.deleteBallots("a", c, { category: "orgn" }, { expected: 6 }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [
        {
          path: "category",
          message: `cycle '${c}' has no ballots in category "orgn", so none was deleted; did you mean "organ"? Its ballots are in "council", "organ"`,
        },
      ],
    });
    await expect(
      s.records.deleteBallots("a", c, { category: "organ", voter: "m9" }, { expected: 2 }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "voter",
          message: `voter "m9" has no ballot in category "organ" of cycle '${c}', so none was deleted`,
        },
      ],
    });
    // The category is what is wrong when it has no ballots, whoever the voter.
    await expect(
      s.records.deleteBallots("a", c, { category: "absent", voter: "m1" }, { expected: 2 }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "category",
          message: expect.stringMatching(
            /^cycle '.+' has no ballots in category "absent", so none was deleted; its ballots are in "council", "organ"$/,
          ),
        },
      ],
    });
    await expect(s.records.deleteBallots("a", c, { category: " " }, { expected: 1 })).rejects.toMatchObject({
      issues: [{ path: "category" }],
    });
    expect((await lastAudit()).id).toBe(audit);
    expect(await s.records.countBallots(c)).toBe(7);
    const empty = await seedCycle(s, 1);
    await expect(
      s.records.deleteBallots("a", empty, { category: "organ" }, { expected: 1 }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "category",
          message: `cycle '${empty}' has no ballots in category "organ", so none was deleted: it has no ballots`,
        },
      ],
    });
  });

  it("refuses a reason that says nothing, and a finalised cycle, deleting nothing", async () => {
    const s = t.store;
    const c = await cycleWithBallots();
    await expect(
      s.records.deleteBallots("a", c, { category: "organ" }, { expected: 6, reason: "…" }),
    ).rejects.toMatchObject({
      issues: [{ path: "reason" }],
    });
    await s.cycles.finalise("boss", c);
    await expect(
      s.records.deleteBallots("a", c, { category: "organ" }, { expected: 6 }),
    ).rejects.toBeInstanceOf(CycleFinalisedError);
    expect(await s.records.countBallots(c)).toBe(7);
  });
  it("deletes nothing unless the cycle holds the number of ballots the caller confirmed", async () => {
    const s = t.store;
    const c = await cycleWithBallots();
    const audit = (await lastAudit()).id;
    // Read as 5 (a ballot written since), or a voter left out of a delete of one voter's: refused.
    for (const expected of [5, 2])
      await expect(
        s.records.deleteBallots("a", c, { category: "organ" }, { expected }),
      ).rejects.toMatchObject({
        code: "VALIDATION",
        issues: [
          {
            path: "expectedBallots",
            message: `cycle '${c}' holds 6 ballots of "organ", not ${expected}: none was deleted; read the count again (Cycle.ballotCategories, or ballots' totalCount) and confirm it`,
          },
        ],
      });
    await expect(
      s.records.deleteBallots("a", c, { category: "organ", voter: "m1" }, { expected: 3 }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "expectedBallots",
          message: expect.stringContaining('holds 2 ballots of "organ" by voter "m1", not 3'),
        },
      ],
    });
    for (const expected of [0, -1, 1.5])
      await expect(
        s.records.deleteBallots("a", c, { category: "organ" }, { expected }),
      ).rejects.toMatchObject({
        issues: [{ path: "expectedBallots", message: "must be a whole number of ballots, 1 or more" }],
      });
    expect(await s.records.countBallots(c)).toBe(7);
    expect((await lastAudit()).id).toBe(audit);
  });

  it("deletes a category's ballots a batch of voters at a time, turning the event loop between batches", async () => {
    const c = await cycleWithBallots();
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
    // Three voters of two ballots each, at most two ballots a batch: three DELETEs.
    const done = deleteInBatches(counting, c, "organ", undefined, 2);
    tick();
    const rows = await done;
    expect(rows.map((r) => `${r.voter}@${r.unit_id}`).sort()).toEqual([
      "m1@u1",
      "m1@u2",
      "m2@u1",
      "m2@u2",
      "m3@u1",
      "m3@u2",
    ]);
    expect(statements).toEqual(["SELECT", "DELETE", "DELETE", "DELETE"]);
    expect(turned).toBe(1);
    expect(await t.store.records.countBallots(c)).toBe(1);
  });
});
