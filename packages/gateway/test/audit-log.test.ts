import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from "../src/store/types.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * The writers pass the log's actions and entities as literals: `action: "publish"`,
 * `action: before ? "update" : "create"`, `const action = forced ? "set-scheme-forced" : …`,
 * `entity: "score" | "input"` in a table's type, a cycle's `this.change(actor, cycleId, "finalise", …)`.
 * Found in the gateway's source, they are what the `auditLog` filter must accept: one written and
 * not listed would be refused as a misspelling, one listed and no longer written matches nothing.
 */
describe("the actions and entities auditLog accepts", () => {
  it("are exactly those the gateway's source writes", () => {
    const src = join(import.meta.dirname, "../src");
    const written = { action: new Set<string>(), entity: new Set<string>() };
    for (const file of readdirSync(src, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
      const code = readFileSync(join(src, file), "utf8");
      for (const m of code.matchAll(
        /\b(action|entity)\??\s*[:=]\s*((?:[\w.!]+\s*\?\s*)?"[^"\n]*"(?:\s*[:|]\s*"[^"\n]*")*)/g,
      ))
        for (const [, value] of m[2]!.matchAll(/"([^"]*)"/g))
          written[m[1] as "action" | "entity"].add(value!);
      for (const m of code.matchAll(/this\.change\(\s*\w+,\s*\w+,\s*"([^"]+)"/g)) written.action.add(m[1]!);
    }
    expect([...written.action].sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect([...written.entity].sort()).toEqual([...AUDIT_ENTITIES].sort());
  });
});

/**
 * The audit log through the API: who changed what and when, as a city's administrator checks it
 * before finalising, with the gateway running (the embedded database admits no second reader).
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const as = (subject: string) => ({ as: "admin" as const, subject });

  const scheme = (outOf: number, id = "audited") => ({
    id,
    name: id,
    categories: [{ id: "business", name: "B", points: 100, method: { kind: "direct", outOf } }],
    groups: [{ id: "g", name: "G" }],
  });

  async function mutate(subject: string, query: string, variables: Record<string, unknown> = {}) {
    const r = await t.gql(query, variables, as(subject));
    expect(r.body.errors).toBeUndefined();
    const [answer] = Object.values(r.body.data as Record<string, { __typename: string }>);
    expect(answer!.__typename, JSON.stringify(answer)).not.toMatch(/Error$/);
    return answer;
  }

  const publish = (subject: string, basedOn: number | null, outOf: number, schemeId = "audited") =>
    mutate(
      subject,
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
      {
        i: {
          schemeId,
          basedOn,
          document: scheme(outOf, schemeId),
          reason: `out of ${outOf}`,
          // Another scheme than "audited" is one like it (its id, its rules), on purpose.
          ...(schemeId === "audited" ? {} : { newScheme: true }),
        },
      },
    );

  const ENTRY = "id at actor action entity entityId cycleId before after reason";
  const log = async (args: string, fields = ENTRY, subject = "auditor") => {
    const r = await t.gql(
      `{ auditLog${args ? `(${args})` : ""} { edges { cursor node { ${fields} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
      {},
      as(subject),
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.auditLog as {
      edges: { cursor: string; node: Record<string, any> }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
    };
  };
  const actions = (page: { edges: { node: Record<string, any> }[] }) =>
    page.edges.map((e) => [e.node.action, e.node.entity, e.node.entityId, e.node.actor]);

  let startedAt: Date;
  let movedAt: Date;
  beforeAll(async () => {
    t = await startTestServer({ backend });
    startedAt = new Date();
    await publish("ann", null, 100);
    await publish("bob", 1, 50);
    await mutate(
      "ann",
      `mutation { createCycle(input: { id: "audit-a", year: 2033, name: "audit a", schemeId: "audited", schemeVersion: 1 }) { __typename } }`,
    );
    await mutate(
      "ann",
      `mutation { upsertUnit(cycleId: "audit-a", input: { id: "A", name: "A", group: "g" }) { __typename } }`,
    );
    await mutate(
      "ann",
      `mutation { setScore(cycleId: "audit-a", unitId: "A", category: "business", value: "40") { __typename ... on Error { message } } }`,
    );
    await mutate(
      "bob",
      `mutation { setCycleScheme(cycleId: "audit-a", schemeId: "audited", version: 2) { __typename ... on Error { message } } }`,
    );
    // Let the clock move on, so a time range can tell the moves from what came before.
    await new Promise((r) => setTimeout(r, 20));
    movedAt = new Date();
    await mutate(
      "bob",
      `mutation { setCycleScheme(cycleId: "audit-a", schemeId: "audited", version: 1, force: true, reason: "  back to v1: board decision 12  ") { __typename ... on Error { message } } }`,
    );
    await mutate(
      "carol",
      `mutation { finaliseCycle(cycleId: "audit-a", reason: "results approved 2019-01-15") { __typename ... on Error { message } } }`,
    );
  });
  afterAll(() => t?.close());

  it("lists a cycle's changes newest first, each with who, when, what and the stored before and after", async () => {
    const page = await log(`cycleId: "audit-a"`);
    expect(actions(page)).toEqual([
      ["finalise", "cycle", "audit-a", "carol"],
      ["set-scheme-forced", "cycle", "audit-a", "bob"],
      ["set-scheme", "cycle", "audit-a", "bob"],
      ["create", "score", "A/business", "ann"],
      ["create", "unit", "A", "ann"],
      ["create", "group", "g", "ann"],
      ["create", "cycle", "audit-a", "ann"],
    ]);
    const [finalise, forced, moved] = page.edges.map((e) => e.node);
    // Why, where the change took a reason: trimmed; none given, none kept.
    expect([finalise!.reason, forced!.reason, moved!.reason]).toEqual([
      "results approved 2019-01-15",
      "back to v1: board decision 12",
      null,
    ]);
    expect(moved!.before).toMatchObject({ schemeId: "audited", schemeVersion: 1, status: "open" });
    expect(moved!.after).toMatchObject({ schemeId: "audited", schemeVersion: 2 });
    expect([forced!.before.schemeVersion, forced!.after.schemeVersion]).toEqual([2, 1]);
    expect(finalise!.after).toMatchObject({ status: "finalised" });
    expect(finalise!.cycleId).toBe("audit-a");
    const ids = page.edges.map((e) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Date(finalise!.at).getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
  });

  it("says who finalised a cycle, and nobody while it is open", async () => {
    const r = await t.gql(
      `{ a: cycle(id: "audit-a") { ... on Cycle { status finalisedAt finalisedBy } }
         b: cycle(id: "2019") { ... on Cycle { status finalisedBy } } }`,
      {},
      { as: "viewer" },
    );
    expect(r.body.data.a).toMatchObject({ status: "FINALISED", finalisedBy: "carol" });
    expect(r.body.data.a.finalisedAt).not.toBeNull();
    expect(r.body.data.b).toEqual({ status: "OPEN", finalisedBy: null });
  });

  it("reads who finalised every cycle of a page in one query", async () => {
    // Of another scheme, so the filters below see none of it.
    await publish("dan", null, 100, "other");
    for (const write of [
      `createCycle(input: { id: "audit-b", year: 2034, name: "audit b", schemeId: "other", schemeVersion: 1 }) { __typename }`,
      `upsertUnit(cycleId: "audit-b", input: { id: "A", name: "A", group: "g" }) { __typename }`,
      `setScore(cycleId: "audit-b", unitId: "A", category: "business", value: "70") { __typename }`,
      `finaliseCycle(cycleId: "audit-b") { __typename ... on Error { message } }`,
    ])
      await mutate("dan", `mutation { ${write} }`);
    const count = async (fields: string) => {
      const before = t.db.queries;
      const r = await t.gql(`{ cycles { edges { node { ${fields} } } } }`, {}, { as: "viewer" });
      expect(r.body.errors).toBeUndefined();
      return t.db.queries - before;
    };
    expect(await count("id status finalisedBy")).toBeLessThanOrEqual((await count("id status")) + 1);
    const r = await t.gql(`{ cycles { edges { node { id finalisedBy } } } }`, {}, { as: "viewer" });
    const by = Object.fromEntries(r.body.data.cycles.edges.map((e: any) => [e.node.id, e.node.finalisedBy]));
    expect(by).toMatchObject({ "audit-a": "carol", "audit-b": "dan", "2019": null });
  });

  it("filters by scheme: its publications and the cycles put on it or moved, not the cycles' other changes", async () => {
    const page = await log(`schemeId: "audited"`);
    expect(actions(page)).toEqual([
      ["set-scheme-forced", "cycle", "audit-a", "bob"],
      ["set-scheme", "cycle", "audit-a", "bob"],
      ["create", "cycle", "audit-a", "ann"],
      ["publish", "scheme_version", "audited@2", "bob"],
      ["publish", "scheme_version", "audited@1", "ann"],
    ]);
    expect(page.edges[3]!.node).toMatchObject({
      cycleId: null,
      before: { schemeId: "audited", version: 1 },
      after: { schemeId: "audited", version: 2, reason: "out of 50" },
      reason: "out of 50",
    });
  });

  it("filters by actor, actions, record and time, each narrowing the others", async () => {
    expect(actions(await log(`actor: "bob"`))).toEqual([
      ["set-scheme-forced", "cycle", "audit-a", "bob"],
      ["set-scheme", "cycle", "audit-a", "bob"],
      ["publish", "scheme_version", "audited@2", "bob"],
    ]);
    expect(actions(await log(`cycleId: "audit-a", actions: ["set-scheme", "set-scheme-forced"]`))).toEqual([
      ["set-scheme-forced", "cycle", "audit-a", "bob"],
      ["set-scheme", "cycle", "audit-a", "bob"],
    ]);
    expect(actions(await log(`entity: "unit", entityId: "A", cycleId: "audit-a"`))).toEqual([
      ["create", "unit", "A", "ann"],
    ]);
    const since = JSON.stringify(movedAt.toISOString());
    expect(actions(await log(`cycleId: "audit-a", since: ${since}`))).toEqual([
      ["finalise", "cycle", "audit-a", "carol"],
      ["set-scheme-forced", "cycle", "audit-a", "bob"],
    ]);
    expect(actions(await log(`cycleId: "audit-a", until: ${since}`)).map((a) => a[0])).toEqual([
      "set-scheme",
      "create",
      "create",
      "create",
      "create",
    ]);
    expect((await log(`actor: "nobody"`)).edges).toEqual([]);
  });

  it("pages by entry: entries recorded meanwhile shift no page, and last counts from the oldest", async () => {
    const first = await log(`cycleId: "audit-a", first: 3`, "action");
    expect(first.edges.map((e) => e.node.action)).toEqual(["finalise", "set-scheme-forced", "set-scheme"]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // A change outside the filter is no reason to ask for the first page again.
    await publish("dan", 2, 40);
    const second = await log(
      `cycleId: "audit-a", first: 3, after: "${first.pageInfo.endCursor}"`,
      "action entity",
    );
    expect(second.edges.map((e) => [e.node.action, e.node.entity])).toEqual([
      ["create", "score"],
      ["create", "unit"],
      ["create", "group"],
    ]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = await log(`cycleId: "audit-a", first: 3, after: "${second.pageInfo.endCursor}"`, "entity");
    expect(third.edges.map((e) => e.node.entity)).toEqual(["cycle"]);
    expect(third.pageInfo.hasNextPage).toBe(false);

    const oldest = await log(`cycleId: "audit-a", last: 2`, "entity");
    expect(oldest.edges.map((e) => e.node.entity)).toEqual(["group", "cycle"]);
    expect(oldest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const newer = await log(
      `cycleId: "audit-a", last: 2, before: "${oldest.pageInfo.startCursor}"`,
      "entity",
    );
    expect(newer.edges.map((e) => e.node.entity)).toEqual(["score", "unit"]);
    expect(newer.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(newer.edges.at(-1)!.cursor).toBe(second.edges[1]!.cursor);
  });

  it("keeps its place when an entry is recorded between two pages of the same filter", async () => {
    const ids = (page: { edges: { node: Record<string, any> }[] }) => page.edges.map((e) => e.node.id);
    const six = ids(await log("first: 6", "id"));
    const first = await log("first: 3", "id");
    // The newest entry of the unfiltered log: a page by position would now start one entry
    // earlier and show the third again.
    await publish("erin", null, 40, "audited-between");
    const second = await log(`first: 3, after: "${first.pageInfo.endCursor}"`, "id");
    expect([...ids(first), ...ids(second)]).toEqual(six);
    expect((await log("first: 1", "actor")).edges[0]!.node.actor).toBe("erin");
  });

  it("refuses a bad page, cursor or filter naming the argument", async () => {
    const refused = async (args: string) => {
      const r = await t.gql(`{ auditLog(${args}) { edges { node { id } } } }`, {}, as("auditor"));
      expect(r.body.data).toEqual({ auditLog: null });
      return r.body.errors!.map((e) => [
        e.extensions?.code,
        (e.extensions?.issues as { path: string }[] | undefined)?.[0]?.path,
      ]);
    };
    expect(await refused(`first: 2, last: 2`)).toEqual([["VALIDATION", "last"]]);
    expect(await refused(`first: -1`)).toEqual([["VALIDATION", "first"]]);
    expect(await refused(`actions: []`)).toEqual([["VALIDATION", "actions"]]);
    expect(await refused(`since: "2030-01-01T00:00:00Z", until: "2029-01-01T00:00:00Z"`)).toEqual([
      ["VALIDATION", "until"],
    ]);
    // A time that is none, or one without its zone (read as the server's local time), says what it takes.
    for (const since of ["yesterday", "2019", "2019-01-15T08:00:00"]) {
      const r = await t.gql(
        `query($s: DateTime) { auditLog(since: $s) { edges { node { id } } } }`,
        { s: since },
        as("auditor"),
      );
      expect(r.body.errors?.[0]?.message, since).toBe(
        `Variable "$s" got invalid value "${since}"; must be an ISO 8601 date, or date and time with its zone, such as 2019-01-15 or 2019-01-15T08:00:00+08:00 (got "${since}")`,
      );
    }
    const day = await t.gql(
      `{ auditLog(since: "2019-01-15", until: "2999-01-01T00:00:00+08:00") { edges { node { id } } } }`,
      {},
      as("auditor"),
    );
    expect(day.body.errors).toBeUndefined();
    // A year below 100 is that year, not 19xx: 0050 is before 1940, so the range is backwards.
    expect(await refused(`since: "1940-01-01", until: "0050-01-01"`)).toEqual([["VALIDATION", "until"]]);
    const early = await t.gql(
      `{ auditLog(since: "0001-01-01", first: 1) { edges { node { id } } } }`,
      {},
      as("auditor"),
    );
    expect(early.body.errors).toBeUndefined();
    expect(early.body.data.auditLog.edges).toHaveLength(1);
    const late = await t.gql(
      `{ auditLog(since: "2019-01-01", until: "9999-12-31T23:59:59Z", first: 1) { edges { node { id } } } }`,
      {},
      as("auditor"),
    );
    expect(late.body.data.auditLog.edges).toHaveLength(1);
    // ISO 8601's year 0000 (1 BC), and 9999 pushed into 10000 by its zone, are refused by name.
    for (const since of ["0000-06-01", "9999-12-31T23:00:00-02:00"]) {
      const r = await t.gql(
        `query($s: DateTime) { auditLog(since: $s) { edges { node { id } } } }`,
        { s: since },
        as("auditor"),
      );
      expect(r.body.errors?.[0]?.message, since).toBe(
        `Variable "$s" got invalid value "${since}"; must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (got "${since}")`,
      );
    }
    const units = await t.gql(
      `{ units(cycleId: "2019", first: 1) { pageInfo { endCursor } } }`,
      {},
      { as: "viewer" },
    );
    const foreign = units.body.data.units.pageInfo.endCursor;
    expect(await refused(`after: "${foreign}"`)).toEqual([["VALIDATION", "after"]]);
  });

  it("refuses an action or entity the log never records, naming the one meant and those there are", async () => {
    const refused = async (args: string, actions?: string[]) => {
      const r = await t.gql(
        `query${actions ? "($a: [String!])" : ""} { auditLog(${args}) { edges { node { id } } } }`,
        actions ? { a: actions } : {},
        as("auditor"),
      );
      expect(r.body.data).toEqual({ auditLog: null });
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors![0]!.extensions?.code).toBe("VALIDATION");
      expect(r.body.errors![0]!.path).toEqual(["auditLog"]);
      return r.body.errors![0]!.extensions!.issues as { path: string; message: string }[];
    };
    const actionList = `The actions are ${AUDIT_ACTIONS.join(", ")}`;
    expect(await refused(`actions: ["finalize"]`)).toEqual([
      { path: "actions[0]", message: `unknown action "finalize"; did you mean "finalise"? ${actionList}` },
    ]);
    expect(await refused(`cycleId: "audit-a", actions: ["set-scheme", "publsh"]`)).toEqual([
      { path: "actions[1]", message: `unknown action "publsh"; did you mean "publish"? ${actionList}` },
    ]);
    expect(await refused(`entity: "schemeversion"`)).toEqual([
      {
        path: "entity",
        message: `unknown entity "schemeversion"; did you mean "scheme_version"? The entities are ${AUDIT_ENTITIES.join(", ")}`,
      },
    ]);
    // Nothing near: the values there are, and every refused filter at once.
    expect(await refused(`actions: ["approve"], entity: "ballots"`)).toEqual([
      {
        path: "actions[0]",
        message: `unknown action "approve"; the actions are ${AUDIT_ACTIONS.join(", ")}`,
      },
      {
        path: "entity",
        message: `unknown entity "ballots"; did you mean "ballot"? The entities are ${AUDIT_ENTITIES.join(", ")}`,
      },
    ]);
    // Each issue lists every action: a long list of unknown ones names a few and counts the rest.
    const many = await refused(`actions: $a`, ["finalise", ...Array.from({ length: 8 }, (_, i) => `x${i}`)]);
    expect(many.map((i) => i.path)).toEqual([
      "actions[1]",
      "actions[2]",
      "actions[3]",
      "actions[4]",
      "actions[5]",
      "actions",
    ]);
    expect(many.at(-1)!.message).toBe("and 3 more unknown actions");
    // Spelt as written, the same question is answered.
    expect(actions(await log(`cycleId: "audit-a", actions: ["finalise"], entity: "cycle"`))).toEqual([
      ["finalise", "cycle", "audit-a", "carol"],
    ]);
  });

  it("accepts as a filter every action and entity its entries hold", async () => {
    const all = (await log("first: 2000", "action entity")).edges.map((e) => e.node);
    const held = (key: string) => [...new Set(all.map((n) => n[key] as string))];
    // The example year's and this file's writes: creates, publications, moves and finalising at least.
    expect(held("action")).toEqual(expect.arrayContaining(["create", "publish", "set-scheme", "finalise"]));
    const byAction = await log(`first: 2000, actions: ${JSON.stringify(held("action"))}`, "id");
    expect(byAction.edges).toHaveLength(all.length);
    for (const entity of held("entity"))
      expect((await log(`first: 1, entity: ${JSON.stringify(entity)}`, "entity")).edges[0]!.node.entity).toBe(
        entity,
      );
  });

  it("is for admins only", async () => {
    const query = `{ auditLog(first: 1) { edges { node { id } } } }`;
    expect((await t.gql(query)).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    for (const role of ["viewer", "analyst"] as const) {
      const r = await t.gql(query, {}, { as: role });
      expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", needed: "admin" });
    }
  });
});
