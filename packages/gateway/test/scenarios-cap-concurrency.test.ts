import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * The 100 scenarios one analyst keeps on a cycle, when saves come at once. Two transactions open
 * at once need two connections: a PostgreSQL server only (PGlite runs one transaction at a time,
 * so there the saves are serial anyway).
 */
describe.each(backends.filter((b) => b === "postgres"))("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const save = async (subject: string, name: string) =>
    (
      await t.gql(
        `mutation($i: SaveScenarioInput!) { saveScenario(input: $i) { __typename ... on Error { message } } }`,
        { i: { cycleId: "2018", name, patch: {} } },
        { as: "analyst", subject },
      )
    ).body.data.saveScenario;
  const kept = async (owner: string) =>
    (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM scenarios WHERE cycle_id = '2018' AND owner = $1",
        [owner],
      )
    )[0]!.n;
  /** Waiting lock requests on the scenarios table or on an advisory key. */
  const WAITING = `SELECT count(*)::int AS n FROM pg_locks
    WHERE NOT granted AND (relation = 'scenarios'::regclass OR locktype = 'advisory')`;

  it("keeps exactly 100 of one analyst's however many saves come at once, and refuses the rest", async () => {
    await t.db.query(
      `INSERT INTO scenarios (id, cycle_id, owner, name, patch, shared)
       SELECT 'raced-' || n, '2018', 'racer', 'raced ' || n, '{}'::json, false FROM generate_series(1, 98) AS n`,
    );
    const N = 6;
    let saving: Promise<{ __typename: string; message?: string }[]> | undefined;
    // Every save's insert waits behind a table lock until all have counted (or wait for one
    // another): unserialised, each counts 98 and finds room, and all six were kept.
    await t.db.transaction(async (tx) => {
      await tx.query("LOCK TABLE scenarios IN SHARE ROW EXCLUSIVE MODE");
      saving = Promise.all(Array.from({ length: N }, (_, i) => save("racer", `at once ${i}`)));
      for (let i = 0; i < 400; i++) {
        const [w] = await tx.query<{ n: number }>(WAITING);
        if (w?.n === N) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    const results = await saving!;
    expect(results.filter((r) => r.__typename === "Scenario")).toHaveLength(2);
    const refused = results.filter((r) => r.__typename !== "Scenario");
    expect(refused).toEqual(
      Array.from({ length: N - 2 }, () => ({
        __typename: "ConflictError",
        message:
          "you already have 100 scenarios on cycle '2018', the most one analyst may keep: delete one you no longer need (deleteScenario), or save over one with its id",
      })),
    );
    expect(await kept("racer")).toBe(100);
    const created = (await t.store.audit.list({ entity: "scenario", actor: "racer" })).filter(
      (e) => e.action === "create",
    );
    expect(created).toHaveLength(2);
  });

  it("does not make another analyst's save wait for one analyst's", async () => {
    // One analyst's save holds its (cycle, owner) key; another's goes through meanwhile.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let blocked: Promise<unknown> | undefined;
    t.db.beforeNextQuery(/INSERT INTO scenarios/, async () => {
      blocked = held;
      await held;
    });
    const slow = save("slow", "holding its key");
    for (let i = 0; i < 400 && !blocked; i++) await new Promise((r) => setTimeout(r, 25));
    expect(blocked).toBeDefined();
    try {
      const waited = new Promise((r) => setTimeout(() => r("waited 5 s for the other analyst"), 5000));
      expect(await Promise.race([save("quick", "not waiting"), waited])).toEqual({ __typename: "Scenario" });
    } finally {
      release();
    }
    expect(await slow).toEqual({ __typename: "Scenario" });
  });
});
