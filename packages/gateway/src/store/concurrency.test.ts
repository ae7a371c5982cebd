import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "./db.js";
import { ConflictError, mapDbError, ValidationError } from "./errors.js";
import type { Store } from "./index.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase } from "./test-backends.js";

/** Resolves when `signal` is called, or after `ms` (a writer that never gets there must not hang the test). */
function latch(ms: number): { signal: () => void; reached: Promise<void> } {
  let signal!: () => void;
  const reached = new Promise<void>((resolve) => {
    signal = resolve;
    setTimeout(resolve, ms);
  });
  return { signal, reached };
}

/**
 * A voter's role is one per voter across a role-weighted category's ballots: a rule of the
 * engine that spans rows, which the database does not enforce. The check an import makes
 * before it commits, reduced to that rule.
 */
async function refuseSecondRole(tx: Store, cycleId: string, voter: string): Promise<void> {
  const roles = new Set((await tx.records.listBallots(cycleId, { voter })).map((b) => b.role));
  if (roles.size > 1)
    throw new ValidationError([
      { path: "role", message: `voter '${voter}' has roles ${[...roles].join(", ")}` },
    ]);
}

// Two transactions open at once need two connections: a PostgreSQL server only (PGlite runs
// one transaction at a time, so there the writes are serial anyway).
describe.each(backends.filter((b) => b === "postgres"))("store concurrency on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lets a check inside a write's transaction see every other write of the cycle", async () => {
    const s = t.store;
    const c = await seedCycle(s, 2);
    // Each writer waits (briefly) until the other has written too, then checks and commits:
    // without a lock both checks see only their own ballot and both commit.
    const wrote = [latch(500), latch(500)];
    const write = (i: 0 | 1, role: string) =>
      s.transaction(async (tx) => {
        await tx.records.putBallot("importer", c, {
          category: "vote",
          voter: "x",
          role,
          unit: `u${i + 1}`,
          score: 90,
        });
        wrote[i]!.signal();
        await wrote[1 - i]!.reached;
        await refuseSecondRole(tx, c, "x");
      });
    const results = await Promise.allSettled([write(0, "mayor"), write(1, "member")]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(
      ValidationError,
    );
    expect(new Set((await s.records.listBallots(c, { voter: "x" })).map((b) => b.role)).size).toBe(1);
  });

  it("reports a deadlock between two transactions as a conflict to retry, naming it", async () => {
    const s = t.store;
    const [c1, c2] = [await seedCycle(s, 1), await seedCycle(s, 1)];
    const first = [latch(2000), latch(2000)];
    // Each writes to one cycle, then to the other, in opposite orders: one of them must give way.
    const write = (i: 0 | 1, a: string, b: string) =>
      s.transaction(async (tx) => {
        await tx.records.setScore("w", a, { unit: "u1", category: "k", value: i });
        first[i]!.signal();
        await first[1 - i]!.reached;
        await tx.records.setScore("w", b, { unit: "u1", category: "k", value: i });
      });
    const results = await Promise.allSettled([write(0, c1, c2), write(1, c2, c1)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const err = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toMatch(/deadlock detected.*rolled back: send it again/);
  });
  it("names the winner to the loser of two publications of one version, however they interleave", async () => {
    const s = t.store;
    await s.schemes.publish("ann", { schemeId: "raced", basedOn: null, document: { v: 1 }, reason: "first" });
    // Both read version 1 as the latest: their inserts wait behind a lock until both have, so the
    // second's insert fails on the key once the first commits. Two edits: a draft the winner's
    // version already holds is told so instead.
    const blocker = await openPostgres(t.url!, { max: 1 });
    let publishing: Promise<PromiseSettledResult<unknown>[]> | undefined;
    try {
      await blocker.transaction(async (tx) => {
        await tx.query("LOCK TABLE scheme_versions IN SHARE ROW EXCLUSIVE MODE");
        publishing = Promise.allSettled([
          s.schemes.publish("bob", {
            schemeId: "raced",
            basedOn: 1,
            document: { v: 2, by: "bob" },
            reason: "bob's edit",
          }),
          s.schemes.publish("cat", {
            schemeId: "raced",
            basedOn: 1,
            document: { v: 2, by: "cat" },
            reason: "cat's edit",
          }),
        ]);
        for (let i = 0; i < 200; i++) {
          const [w] = await tx.query<{ n: string }>(
            "SELECT count(*)::text AS n FROM pg_locks WHERE relation = 'scheme_versions'::regclass AND NOT granted",
          );
          if (w?.n === "2") break;
          await new Promise((r) => setTimeout(r, 25));
        }
      });
    } finally {
      await blocker.close();
    }
    const results = await publishing!;
    const won = results.find((r) => r.status === "fulfilled");
    const lost = results.find((r) => r.status === "rejected");
    expect(won && lost).toBeTruthy();
    const winner = (won as PromiseFulfilledResult<{ author: string; createdAt: Date; reason: string }>).value;
    const error = (lost as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      `scheme 'raced' is at version 2, not 1: ${winner.author} published version 2 meanwhile (at ${winner.createdAt.toISOString()}: ${JSON.stringify(winner.reason)}); reload it and reapply your edit (schemeDraftDiff shows what your draft changes against it)`,
    );
  });
});

describe("a transaction the server rolled back for a concurrent one", () => {
  it("is a conflict to send again, whichever way the server gave way", () => {
    for (const [code, reason] of [
      ["40P01", "deadlock detected"],
      ["40001", "could not serialize access"],
      ["55P03", "waited too long"],
    ]) {
      const err = mapDbError({ code, message: "driver text" });
      expect(err, code).toBeInstanceOf(ConflictError);
      expect((err as Error).message, code).toContain(reason);
      expect((err as Error).message, code).toContain("send it again");
    }
  });
});
