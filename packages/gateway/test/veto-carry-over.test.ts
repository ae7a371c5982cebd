import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * Vetoes "this year and next" (当年及次年): a cycle follows the cycle of an earlier year, and
 * that cycle's vetoes of types still in force bar its units here too.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
  const base = read("scheme-2019.json");
  const scheme = {
    ...base,
    id: "carry",
    vetoTypes: base.vetoTypes.map((v: Record<string, unknown>) => ({ ...v, yearsInForce: 2 })),
  };
  const dataset = read("dataset-2019.json");

  const gql = async (query: string, variables: Record<string, unknown> = {}) =>
    (await t.gql(query, variables, admin)).body;
  const createCycle = async (input: Record<string, unknown>) =>
    (
      await gql(
        `mutation($i: CreateCycleInput!) { createCycle(input: $i) { __typename
          ... on Cycle { id previousCycle { id year } } ... on ValidationError { issues { path message } } } }`,
        { i: { name: "carry", schemeId: "carry", schemeVersion: 1, ...input } },
      )
    ).data.createCycle;
  const setPrevious = async (cycleId: string, previousCycleId: string | null) =>
    (
      await gql(
        `mutation($c: ID!, $p: ID) { setPreviousCycle(cycleId: $c, previousCycleId: $p) { __typename
          ... on Cycle { previousCycle { id } } ... on ValidationError { issues { path message } } ... on Error { message } } }`,
        { c: cycleId, p: previousCycleId },
      )
    ).data.setPreviousCycle;
  const recordVeto = async (cycleId: string, id: string, unitId: string) =>
    (
      await gql(
        `mutation($c: ID!, $v: VetoEventInput!) { recordVetoEvent(cycleId: $c, input: $v) { __typename } }`,
        { c: cycleId, v: { id, unitId, type: "major-incident", reason: "a fatal fire" } },
      )
    ).data.recordVetoEvent.__typename;
  const eligibility = async (cycleId: string, unitId: string) =>
    (
      await gql(
        `query($c: ID!, $u: ID!) { scoreBreakdown(cycleId: $c, unitId: $u) { __typename
          ... on UnitResult { eligibility { excellence reasons { kind record text } } } ... on Error { message } } }`,
        { c: cycleId, u: unitId },
      )
    ).data.scoreBreakdown.eligibility;

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const p = await gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename } }`,
      // city-review's rules under another id, on purpose: confirmed as a new scheme.
      {
        i: {
          schemeId: "carry",
          basedOn: null,
          document: scheme,
          reason: "vetoes for two years",
          newScheme: true,
        },
      },
    );
    expect(p.data.publishSchemeVersion.__typename).toBe("SchemeVersion");
    expect(await createCycle({ id: "c2018", year: 2018 })).toEqual({
      __typename: "Cycle",
      id: "c2018",
      previousCycle: null,
    });
    await loadDataset(t.store, "c2018", scheme, dataset);
  });
  afterAll(() => t?.close());

  it("follows the cycle whose units it copies, when that is of an earlier year", async () => {
    expect(await createCycle({ id: "c2019", year: 2019, copyUnitsFrom: "c2018" })).toEqual({
      __typename: "Cycle",
      id: "c2019",
      previousCycle: { id: "c2018", year: 2018 },
    });
    await loadDataset(t.store, "c2019", scheme, dataset);
    // A copy within one year (a trial run) follows nothing.
    expect((await createCycle({ id: "c2019-trial", year: 2019, copyUnitsFrom: "c2019" })).previousCycle).toBe(
      null,
    );
  });

  it("bars a unit this year for last year's veto, and again reads it at once when it is recorded", async () => {
    const before = await eligibility("c2019", "U09");
    expect(before.excellence).toBe(true);
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "c2019") { cycleId reason } }`,
      "viewer",
    );
    try {
      const next = sub.next();
      expect(await recordVeto("c2018", "V-carry", "U09")).toBe("VetoEvent");
      // The write is to last year's cycle; this year's ranking moved, and its subscribers hear so.
      expect(await next).toEqual({ data: { rankingUpdated: { cycleId: "c2019", reason: "veto" } } });
    } finally {
      sub.close();
    }
    expect(await eligibility("c2019", "U09")).toEqual({
      excellence: false,
      reasons: [
        {
          kind: "veto",
          record: "c2018/V-carry",
          text: "重大责任事故 major incident (previous year): a fatal fire",
        },
      ],
    });
    // In its own year it bars as any veto does.
    expect((await eligibility("c2018", "U09")).reasons.map((r: { record: string }) => r.record)).toEqual([
      "V-carry",
    ]);
  });

  it("removes a carried veto in a what-if by the id it has in its own year's register", async () => {
    const whatIf = async (remove: unknown[]) =>
      (
        await gql(
          `query($s: JSON) { whatIf(cycleId: "c2019", scenario: $s) { __typename
            ... on WhatIf { eligibilityChanges { edges { node { unitId excellenceBefore excellenceAfter } } } }
            ... on ValidationError { issues { path message } } } }`,
          { s: { name: "no veto", data: { vetoEvents: { remove } } } },
        )
      ).data.whatIf;
    const lifted = {
      __typename: "WhatIf",
      eligibilityChanges: {
        edges: [{ node: { unitId: "U09", excellenceBefore: false, excellenceAfter: true } }],
      },
    };
    // As shown on this year's ranking, as recorded last year, and with the year said.
    expect(await whatIf(["c2018/V-carry"])).toEqual(lifted);
    expect(await whatIf(["V-carry"])).toEqual(lifted);
    expect(await whatIf([{ id: "V-carry", yearsAgo: 1 }])).toEqual(lifted);
    // Not this year's, and not two years back: the engine's refusal, by place.
    for (const remove of [[{ id: "V-carry", yearsAgo: 0 }], [{ id: "V-carry", yearsAgo: 2 }], ["V-nowhere"]])
      expect(await whatIf(remove)).toMatchObject({
        __typename: "ValidationError",
        issues: [
          {
            path: "scenario.data.vetoEvents.remove[0]",
            message: expect.stringContaining("unknown veto event"),
          },
        ],
      });
  });

  it("tells the cycles that follow of last year's vetoes only, and last year itself of every write", async () => {
    const follower = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "c2019") { cycleId reason } }`,
      "viewer",
    );
    const own = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "c2018") { cycleId reason } }`,
      "viewer",
    );
    try {
      const setScore = await gql(
        `mutation { setScore(cycleId: "c2018", unitId: "U01", category: "business", value: "26.5") { __typename } }`,
      );
      expect(setScore.data.setScore.__typename).toBe("DirectScore");
      expect(await own.next()).toEqual({ data: { rankingUpdated: { cycleId: "c2018", reason: "score" } } });
      const query = (
        kind: string,
      ) => `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: ${kind}, format: CSV, file: $file) {
        __typename ... on ImportResult { rows } ... on ImportError { message } } }`;
      const findings = await t.upload(
        query("FINDINGS"),
        { c: "c2018", i: "carry-findings" },
        { name: "findings.csv", body: "id,unit,type,level\nF-carry,U01,unannounced-visit,city\n" },
      );
      expect(findings.body.data.importFile).toEqual({ __typename: "ImportResult", rows: 1 });
      expect(await own.next()).toEqual({ data: { rankingUpdated: { cycleId: "c2018", reason: "import" } } });
      // A score or findings of last year's cannot move this year's ranking: the first this year hears is the veto.
      expect(await recordVeto("c2018", "V-heard", "U02")).toBe("VetoEvent");
      expect(await follower.next()).toEqual({
        data: { rankingUpdated: { cycleId: "c2019", reason: "veto" } },
      });
      const deleted = await gql(
        `mutation { deleteVetoEvent(cycleId: "c2018", id: "V-heard") { __typename } }`,
      );
      expect(deleted.data.deleteVetoEvent.__typename).toBe("Cycle");
      expect(await follower.next()).toEqual({
        data: { rankingUpdated: { cycleId: "c2019", reason: "veto" } },
      });
      // An import of vetoes can, and this year hears of it.
      const imported = await t.upload(
        query("VETOES"),
        { c: "c2018", i: "carry-vetoes" },
        { name: "vetoes.csv", body: "id,unit,type,reason\nV-imported,U03,major-incident,a flood\n" },
      );
      expect(imported.body.data.importFile).toEqual({ __typename: "ImportResult", rows: 1 });
      expect(await follower.next()).toEqual({
        data: { rankingUpdated: { cycleId: "c2019", reason: "import" } },
      });
    } finally {
      follower.close();
      own.close();
    }
  });

  it("no longer bars once the link is taken away, and bars again when it is put back", async () => {
    expect(await setPrevious("c2019", null)).toEqual({ __typename: "Cycle", previousCycle: null });
    expect((await eligibility("c2019", "U09")).excellence).toBe(true);
    expect(await setPrevious("c2019", "c2018")).toEqual({
      __typename: "Cycle",
      previousCycle: { id: "c2018" },
    });
    expect((await eligibility("c2019", "U09")).excellence).toBe(false);
  });

  it("refuses a link to a cycle of the same or a later year, or to no cycle, and changes nothing", async () => {
    const audit = await t.lastAuditId();
    expect(await setPrevious("c2018", "c2019")).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "previousCycleId",
          message: "cycle 'c2019' is of 2019: the cycle a cycle of 2018 follows must be of an earlier year",
        },
      ],
    });
    expect((await setPrevious("c2019", "c2019-trial")).issues[0].path).toBe("previousCycleId");
    expect((await setPrevious("c2019", "nowhere")).issues).toEqual([
      { path: "previousCycleId", message: "no cycle 'nowhere'" },
    ]);
    expect((await createCycle({ id: "c2017", year: 2017, previousCycle: "c2018" })).__typename).toBe(
      "ValidationError",
    );
    expect(await t.lastAuditId()).toBe(audit);
    expect((await gql(`{ cycle(id: "c2017") { __typename } }`)).data.cycle.__typename).toBe("NotFoundError");
  });

  it("keeps this year's own event apart from a carried one whose shown id it repeats", async () => {
    // Carried events are shown as "<cycle>/<id>", which is also a legal id for this year's own.
    expect(await recordVeto("c2019", "c2018/V-carry", "U01")).toBe("VetoEvent");
    expect((await eligibility("c2019", "U01")).reasons).toEqual([
      { kind: "veto", record: "c2018/V-carry", text: "重大责任事故 major incident: a fatal fire" },
    ]);
    expect((await eligibility("c2019", "U09")).reasons.map((r: { record: string }) => r.record)).toEqual([
      "c2018/V-carry",
    ]);
    // The same record text, told apart by the year it was recorded in.
    const years = await gql(
      `{ ranking(cycleId: "c2019") { ... on Ranking { entries(first: 100) { edges { node { unitId
        eligibility { reasons { record yearsAgo } } } } } } } }`,
    );
    const reasonsOf = (unitId: string) =>
      years.data.ranking.entries.edges.find((e: any) => e.node.unitId === unitId).node.eligibility.reasons;
    expect(reasonsOf("U01")).toEqual([{ record: "c2018/V-carry", yearsAgo: null }]);
    expect(reasonsOf("U09")).toEqual([{ record: "c2018/V-carry", yearsAgo: 1 }]);
    const deleted = await gql(
      `mutation { deleteVetoEvent(cycleId: "c2019", id: "c2018/V-carry") { __typename } }`,
    );
    expect(deleted.data.deleteVetoEvent.__typename).toBe("Cycle");
    expect((await eligibility("c2019", "U01")).excellence).toBe(true);
    expect((await eligibility("c2019", "U09")).excellence).toBe(false);
  });

  it("says where a carried veto is deleted when this cycle is asked to delete it", async () => {
    const del = async (cycleId: string, id: string) =>
      (
        await gql(
          `mutation($c: ID!, $id: ID!) { deleteVetoEvent(cycleId: $c, id: $id) { __typename
            ... on NotFoundError { entity id message } } }`,
          { c: cycleId, id },
        )
      ).data.deleteVetoEvent;
    const audit = await t.lastAuditId();
    expect(await del("c2019", "c2018/V-carry")).toEqual({
      __typename: "NotFoundError",
      entity: "veto event",
      id: "c2018/V-carry",
      message:
        "veto event 'c2018/V-carry' is not this cycle's own: it is veto event 'V-carry' of cycle 'c2018', which this cycle follows; delete or correct it there",
    });
    // The id as last year's register lists it finds it too, and says how it is shown here.
    expect((await del("c2019", "V-carry")).message).toBe(
      "veto event 'V-carry' is not this cycle's own: it is veto event 'V-carry' of cycle 'c2018', which this cycle follows (counted here as 'c2018/V-carry'); delete or correct it there",
    );
    expect(await del("c2019", "c2018/nothing")).toEqual({
      __typename: "NotFoundError",
      entity: "veto event",
      id: "c2018/nothing",
      message: "veto event 'c2018/nothing' not found",
    });
    expect(await t.lastAuditId()).toBe(audit);
    expect((await eligibility("c2019", "U09")).excellence).toBe(false);
  });

  it("says whether a link changed, and tells no one when it did not", async () => {
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "c2019") { cycleId reason } }`,
      "viewer",
    );
    try {
      const audit = await t.lastAuditId();
      expect(await setPrevious("c2019", "c2018")).toEqual({
        __typename: "Cycle",
        previousCycle: { id: "c2018" },
      });
      const same = await t.store.cycles.setPrevious("admin", "c2019", "c2018");
      expect([same.changed, same.cycle.previousCycleId]).toEqual([false, "c2018"]);
      expect(await t.lastAuditId()).toBe(audit);
      // Nothing changed, so the first event is the score's.
      const setScore = await gql(
        `mutation { setScore(cycleId: "c2019", unitId: "U01", category: "business", value: "27.1") { __typename } }`,
      );
      expect(setScore.data.setScore.__typename).toBe("DirectScore");
      expect(await sub.next()).toEqual({ data: { rankingUpdated: { cycleId: "c2019", reason: "score" } } });
      const unlinked = await t.store.cycles.setPrevious("admin", "c2019", null);
      expect([unlinked.changed, unlinked.cycle.previousCycleId]).toEqual([true, null]);
      expect(await setPrevious("c2019", "c2018")).toEqual({
        __typename: "Cycle",
        previousCycle: { id: "c2018" },
      });
      expect(await sub.next()).toEqual({
        data: { rankingUpdated: { cycleId: "c2019", reason: "previous-cycle" } },
      });
    } finally {
      sub.close();
    }
  });

  it("follows none when createCycle says previousCycle: null, and names input.previousCycle when it is wrong", async () => {
    expect(
      await createCycle({ id: "c2020-alone", year: 2020, copyUnitsFrom: "c2019", previousCycle: null }),
    ).toEqual({ __typename: "Cycle", id: "c2020-alone", previousCycle: null });
    expect((await createCycle({ id: "c2020-bad", year: 2020, previousCycle: "nowhere" })).issues).toEqual([
      { path: "input.previousCycle", message: "no cycle 'nowhere'" },
    ]);
  });

  it("is not finalised while the cycle it follows is open, so a frozen ranking cannot move", async () => {
    const finalise = async (cycleId: string) =>
      (
        await gql(
          `mutation($c: ID!) { finaliseCycle(cycleId: $c) { __typename ... on Cycle { status }
            ... on ValidationError { issues { path message } } } }`,
          { c: cycleId },
        )
      ).data.finaliseCycle;
    expect(await finalise("c2019")).toEqual({
      __typename: "ValidationError",
      issues: [
        {
          path: "previousCycleId",
          message:
            "cycle 'c2018', which this one follows, is still open: its vetoes can count in this year, so finalise it first (or unlink it with setPreviousCycle)",
        },
      ],
    });
    expect(await finalise("c2018")).toEqual({ __typename: "Cycle", status: "FINALISED" });
    expect(await finalise("c2019")).toEqual({ __typename: "Cycle", status: "FINALISED" });
    expect((await setPrevious("c2019", null)).__typename).toBe("CycleFinalisedError");
    expect((await eligibility("c2019", "U09")).excellence).toBe(false);
    // A finalised year's event cannot be deleted there either: the message says what is left to do.
    expect((await createCycle({ id: "c2020", year: 2020, previousCycle: "c2019" })).__typename).toBe("Cycle");
    const del = await gql(
      `mutation { deleteVetoEvent(cycleId: "c2020", id: "c2018/V-carry") { __typename ... on NotFoundError { message } } }`,
    );
    expect(del.data.deleteVetoEvent.message).toBe(
      "veto event 'c2018/V-carry' is not this cycle's own: it is veto event 'V-carry' of cycle 'c2018', which this cycle follows; that cycle is finalised, so the event stands; whether it counts here is for this cycle's rules (the type's yearsInForce) and its link (setPreviousCycle)",
    );
  });

  it("keeps an open cycle's year out of reach of a finalised cycle following it, so its ranking stays as published", async () => {
    const updateYear = async (cycleId: string, year: number) =>
      (
        await gql(
          `mutation($c: ID!, $y: Int!) { updateCycle(cycleId: $c, input: { year: $y }) { __typename
            ... on Cycle { year } ... on ValidationError { issues { path message } } } }`,
          { c: cycleId, y: year },
        )
      ).data.updateCycle;
    // Seven years back: finalising the later year is not held up by it.
    expect((await createCycle({ id: "back", year: 2012, copyUnitsFrom: "c2018" })).__typename).toBe("Cycle");
    expect((await createCycle({ id: "late", year: 2019, previousCycle: "back" })).__typename).toBe("Cycle");
    await loadDataset(t.store, "late", scheme, dataset);
    const done = await gql(
      `mutation { finaliseCycle(cycleId: "late") { __typename ... on Cycle { finalisedAt } } }`,
    );
    expect(done.data.finaliseCycle.__typename).toBe("Cycle");
    const at = done.data.finaliseCycle.finalisedAt;
    const audit = await t.lastAuditId();
    for (const year of [2018, 2015])
      expect(await updateYear("back", year)).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "input.year",
            message:
              `cycle 'late' of 2019 follows this one and is finalised (at ${at}): in ${year} this cycle's vetoes ` +
              "could count in its published ranking and move it (a veto stays in force 5 years at most), so its " +
              "year must stay at 2014 or before",
          },
        ],
      });
    expect(await t.lastAuditId()).toBe(audit);
    // A veto recorded there afterwards does not reach the published year.
    expect(await recordVeto("back", "V-back", "U09")).toBe("VetoEvent");
    expect(await eligibility("late", "U09")).toEqual({ excellence: true, reasons: [] });
    // Five years back no veto stays in force: that year is the cycle's to take.
    expect(await updateYear("back", 2014)).toEqual({ __typename: "Cycle", year: 2014 });
    expect(await eligibility("late", "U09")).toEqual({ excellence: true, reasons: [] });
  });
});
