import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const LAW = "执法监管部门 law enforcement and regulation";
  const table = `entries(first: 100) { edges { node { unitId total eligibility { excellence } } } }`;

  /** The cycle's ranking as a query reads it: what an event about a write must carry. */
  const ranking = async (cycleId: string) => {
    const r = await t.gql(
      `{ ranking(cycleId: "${cycleId}") { __typename ... on Ranking { ${table} } ... on Error { message } } }`,
      {},
      admin,
    );
    expect(r.body.data.ranking).toMatchObject({ __typename: "Ranking" });
    const { __typename, ...rest } = r.body.data.ranking;
    return rest;
  };
  /** Whether the unit may be rated excellent, as the table says (a veto takes that, not points). */
  const excellence =
    (unitId: string) =>
    (r: any): boolean | undefined =>
      r.entries.edges.find((e: any) => e.node.unitId === unitId)?.node.eligibility.excellence;
  /** undefined when the unit is not in the table, null when it is there without a total. */
  const total =
    (unitId: string) =>
    (r: any): string | null | undefined =>
      r.entries.edges.find((e: any) => e.node.unitId === unitId)?.node.total;

  const listen = (cycleId: string, fields = `cycleId reason ranking { ${table} }`) =>
    t.subscribe(`subscription { rankingUpdated(cycleId: "${cycleId}") { ${fields} } }`, "viewer");

  /** Runs one mutation field as an admin and checks what it returned (a refusal is an Error). */
  const mutate = async (
    call: string,
    typename: string,
    variables: Record<string, unknown> = {},
    defs = "",
  ) => {
    const r = await t.gql(
      `mutation${defs} { ${call} { __typename ... on Error { message } } }`,
      variables,
      admin,
    );
    expect(r.body.errors).toBeUndefined();
    expect(Object.values(r.body.data)[0]).toMatchObject({ __typename: typename });
  };
  const importCsv = async (
    cycleId: string,
    importId: string,
    kind: string,
    csv: string,
    typename: string,
  ) => {
    const r = await t.upload(
      `mutation($file: File!) { importFile(cycleId: "${cycleId}", importId: "${importId}", kind: ${kind}, format: CSV, file: $file) {
        __typename ... on Error { message } } }`,
      {},
      { name: `${importId}.csv`, body: csv },
    );
    expect(r.body.data.importFile).toMatchObject({ __typename: typename });
  };

  /**
   * Runs a write that changes what `changed` reads from the ranking, and checks that the event
   * it sends carries the table a query reads after the write: an event sent before the write
   * commits carries the old one.
   */
  const expectFreshEvent = async (
    cycleId: string,
    reason: string,
    changed: (ranking: any) => unknown,
    write: () => Promise<void>,
  ) => {
    const sub = await listen(cycleId);
    try {
      const before = await ranking(cycleId);
      const next = sub.next();
      // An event sent before the write would still be read after it where the write's
      // transaction holds the one connection (PGlite): holding the transaction back until the
      // event is in (or for a moment, as it rightly comes only after) lets it read the old table.
      t.db.beforeNextTransaction(async () => {
        await Promise.race([next, new Promise((r) => setTimeout(r, 300))]);
      });
      await write();
      const event = await next;
      const after = await ranking(cycleId);
      // Otherwise a stale table would pass the checks below.
      expect(changed(after)).not.toEqual(changed(before));
      expect(event?.data.rankingUpdated).toMatchObject({ cycleId, reason });
      expect(changed(event.data.rankingUpdated.ranking)).toEqual(changed(after));
      expect(event.data.rankingUpdated.ranking).toEqual(after);
    } finally {
      sub.close();
    }
  };

  /**
   * A refused write changes nothing, so it must tell subscribers nothing: the next event is the
   * one of a write made after it (of another reason, so the two cannot be confused).
   */
  const expectNoEvent = async (cycleId: string, reason: string, refuse: () => Promise<void>) => {
    const sub = await listen(cycleId, "reason");
    try {
      await refuse();
      const marker = reason === "group" ? "unit" : "group";
      if (marker === "group")
        await mutate(
          `upsertGroup(cycleId: "${cycleId}", input: { id: "law-enforcement", name: "${LAW}" })`,
          "Group",
        );
      else
        await mutate(
          `upsertUnit(cycleId: "${cycleId}", input: { id: "U01", name: "市公安局", group: "law-enforcement" })`,
          "Unit",
        );
      expect((await sub.next())?.data.rankingUpdated).toEqual({ reason: marker });
    } finally {
      sub.close();
    }
  };

  describe("rankingUpdated over Server-Sent Events", () => {
    it("is a stream of events", async () => {
      const sub = await listen("2019");
      sub.close();
      expect(sub.status).toBe(200);
      expect(sub.contentType).toMatch(/text\/event-stream/);
    });

    it("refuses a subscription without a token when it is made, not when an event comes", async () => {
      const abort = new AbortController();
      const res = await fetch(`${t.url}/graphql`, {
        method: "POST",
        signal: abort.signal,
        headers: { accept: "text/event-stream", "content-type": "application/json" },
        body: JSON.stringify({ query: `subscription { rankingUpdated(cycleId: "2019") { reason } }` }),
      });
      // The refusal arrives at once and ends the stream: no write has to happen first.
      const text = await Promise.race([
        res.text(),
        new Promise<string>((r) => setTimeout(() => r("(still open after 3 s)"), 3000)),
      ]);
      abort.abort();
      expect(text).toContain("UNAUTHENTICATED");
    });

    // Group writes and finaliseCycle leave every total as it was (the ranking names groups as
    // the scheme does), so only their refusals are checked, below.
    describe("an event carries the ranking as the write left it", () => {
      it("setScore", async () => {
        await expectFreshEvent("2019", "score", total("U01"), () =>
          mutate(
            `setScore(cycleId: "2019", unitId: "U01", category: "business", value: "30")`,
            "DirectScore",
          ),
        );
      });

      it("deleteScore", async () => {
        await expectFreshEvent("2019", "score", total("U02"), () =>
          mutate(`deleteScore(cycleId: "2019", unitId: "U02", category: "business")`, "Cycle"),
        );
        await mutate(
          `setScore(cycleId: "2019", unitId: "U02", category: "business", value: "25.0")`,
          "DirectScore",
        );
      });

      const finding = (id: string, unit: string) =>
        `recordFinding(cycleId: "2019", input: { id: "${id}", unitId: "${unit}", type: "unannounced-visit", level: "city", rectification: ON_TIME })`;

      it("recordFinding", async () => {
        await expectFreshEvent("2019", "finding", total("U03"), () =>
          mutate(finding("sub-record", "U03"), "Finding"),
        );
      });

      it("setRectification", async () => {
        await mutate(finding("sub-rectify", "U04"), "Finding");
        await expectFreshEvent("2019", "rectification", total("U04"), () =>
          mutate(
            `setRectification(cycleId: "2019", findingId: "sub-rectify", input: { rectification: NOT_RECTIFIED })`,
            "Finding",
          ),
        );
      });

      it("deleteFinding", async () => {
        await mutate(finding("sub-delete", "U05"), "Finding");
        await expectFreshEvent("2019", "finding", total("U05"), () =>
          mutate(`deleteFinding(cycleId: "2019", id: "sub-delete")`, "Cycle"),
        );
      });

      const veto = (id: string, unit: string) =>
        `recordVetoEvent(cycleId: "2019", input: { id: "${id}", unitId: "${unit}", type: "major-incident", reason: "重大责任事故" })`;

      it("recordVetoEvent", async () => {
        await expectFreshEvent("2019", "veto", excellence("U09"), () =>
          mutate(veto("sub-veto", "U09"), "VetoEvent"),
        );
      });

      it("deleteVetoEvent", async () => {
        await mutate(veto("sub-veto-delete", "U10"), "VetoEvent");
        await expectFreshEvent("2019", "veto", excellence("U10"), () =>
          mutate(`deleteVetoEvent(cycleId: "2019", id: "sub-veto-delete")`, "Cycle"),
        );
      });

      const findings = (unit: string) =>
        `id,unit,type,level,rectification\nsub-${unit},${unit},unannounced-visit,city,on-time\n`;

      it("importFile", async () => {
        await expectFreshEvent("2019", "import", total("U06"), () =>
          importCsv("2019", "sub-import", "FINDINGS", findings("U06"), "ImportResult"),
        );
      });

      it("removeImport", async () => {
        await importCsv("2019", "sub-remove", "FINDINGS", findings("U07"), "ImportResult");
        await expectFreshEvent("2019", "import", total("U07"), () =>
          mutate(`removeImport(importId: "sub-remove")`, "RemovedImport"),
        );
      });

      it("upsertUnit", async () => {
        await expectFreshEvent("2019", "unit", total("sub-new"), () =>
          mutate(
            `upsertUnit(cycleId: "2019", input: { id: "sub-new", name: "new", group: "law-enforcement" })`,
            "Unit",
          ),
        );
      });

      it("deleteUnit", async () => {
        await mutate(
          `upsertUnit(cycleId: "2019", input: { id: "sub-gone", name: "gone", group: "law-enforcement" })`,
          "Unit",
        );
        await expectFreshEvent("2019", "unit", total("sub-gone"), () =>
          mutate(`deleteUnit(cycleId: "2019", id: "sub-gone")`, "Cycle"),
        );
      });

      it("setCycleScheme, there and back", async () => {
        // The 2019 rules with a city team's finding costing more: units with one score less.
        const scheme = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2019.json`, "utf8"));
        const costlier = {
          ...scheme,
          id: "sub-costlier",
          findingTypes: scheme.findingTypes.map((f: any) => ({
            ...f,
            levels: { ...f.levels, city: { ...f.levels.city, perFinding: 0.5 } },
          })),
        };
        await mutate(
          "publishSchemeVersion(input: $i)",
          "SchemeVersion",
          { i: { schemeId: "sub-costlier", basedOn: null, document: costlier, reason: "test" } },
          "($i: PublishSchemeInput!)",
        );
        // U05 has an on-time city finding in the seed.
        await expectFreshEvent("2019", "scheme", total("U05"), () =>
          mutate(`setCycleScheme(cycleId: "2019", schemeId: "sub-costlier", version: 1)`, "Cycle"),
        );
        await expectFreshEvent("2019", "scheme", total("U05"), () =>
          mutate(`setCycleScheme(cycleId: "2019", schemeId: "city-review", version: 2)`, "Cycle"),
        );
      });
    });

    describe("a refused write sends no event", () => {
      it("setScore", async () => {
        await expectNoEvent("2019", "score", () =>
          mutate(
            `setScore(cycleId: "2019", unitId: "U01", category: "business", value: "31")`,
            "ValidationError",
          ),
        );
      });

      it("deleteScore", async () => {
        await expectNoEvent("2019", "score", () =>
          mutate(`deleteScore(cycleId: "2019", unitId: "U01", category: "organ")`, "NotFoundError"),
        );
      });

      it("recordFinding", async () => {
        await expectNoEvent("2019", "finding", () =>
          mutate(
            `recordFinding(cycleId: "2019", input: { id: "sub-refused", unitId: "U01", type: "no-such-type", level: "city" })`,
            "ValidationError",
          ),
        );
      });

      it("setRectification", async () => {
        await expectNoEvent("2019", "rectification", () =>
          mutate(
            `setRectification(cycleId: "2019", findingId: "no-such-finding", input: { rectification: LATE })`,
            "NotFoundError",
          ),
        );
      });

      it("deleteFinding", async () => {
        await expectNoEvent("2019", "finding", () =>
          mutate(`deleteFinding(cycleId: "2019", id: "no-such-finding")`, "NotFoundError"),
        );
      });

      it("recordVetoEvent", async () => {
        await expectNoEvent("2019", "veto", () =>
          mutate(
            `recordVetoEvent(cycleId: "2019", input: { id: "sub-veto-refused", unitId: "U01", type: "no-such-type", reason: "x" })`,
            "ValidationError",
          ),
        );
      });

      it("deleteVetoEvent", async () => {
        await expectNoEvent("2019", "veto", () =>
          mutate(`deleteVetoEvent(cycleId: "2019", id: "no-such-veto")`, "NotFoundError"),
        );
      });

      it("importFile", async () => {
        await expectNoEvent("2019", "import", () =>
          importCsv(
            "2019",
            "sub-refused",
            "FINDINGS",
            "id,unit,type,level\nsub-refused,no-such-unit,unannounced-visit,city\n",
            "ImportError",
          ),
        );
      });

      it("removeImport", async () => {
        // A units import whose unit a finding recorded by hand refers to cannot be taken out.
        await mutate(
          `createCycle(input: { id: "sub-imports", year: 2040, name: "imports", schemeId: "city-review", schemeVersion: 2 })`,
          "Cycle",
        );
        await importCsv(
          "sub-imports",
          "sub-units",
          "UNITS",
          "id,name,group\nU01,市公安局,law-enforcement\n",
          "ImportResult",
        );
        await mutate(
          `recordFinding(cycleId: "sub-imports", input: { id: "by-hand", unitId: "U01", type: "unannounced-visit", level: "city" })`,
          "Finding",
        );
        await expectNoEvent("sub-imports", "import", () =>
          mutate(`removeImport(importId: "sub-units")`, "ValidationError"),
        );
      });

      it("upsertUnit", async () => {
        await expectNoEvent("2019", "unit", () =>
          mutate(
            `upsertUnit(cycleId: "2019", input: { id: "sub-refused", name: "x", group: "no-such-group" })`,
            "ValidationError",
          ),
        );
      });

      it("deleteUnit", async () => {
        // U01 has a score.
        await expectNoEvent("2019", "unit", () =>
          mutate(`deleteUnit(cycleId: "2019", id: "U01")`, "ValidationError"),
        );
      });

      it("upsertGroup", async () => {
        // The store refuses it only on a finalised cycle, where no later write can mark the
        // stream's place: waiting a second for nothing has to do.
        await mutate(
          `createCycle(input: { id: "sub-final", year: 2041, name: "final", schemeId: "city-review", schemeVersion: 2 })`,
          "Cycle",
        );
        // A year with totals: one with nothing to publish is not finalised.
        const read = (f: string) => JSON.parse(readFileSync(`${EXAMPLE_DIR}/${f}`, "utf8"));
        await loadDataset(t.store, "sub-final", read("scheme-2019.json"), read("dataset-2019.json"));
        await mutate(`finaliseCycle(cycleId: "sub-final")`, "Cycle");
        const sub = await listen("sub-final", "reason");
        try {
          await mutate(
            `upsertGroup(cycleId: "sub-final", input: { id: "law-enforcement" })`,
            "CycleFinalisedError",
          );
          expect(await sub.next(1000)).toBeUndefined();
        } finally {
          sub.close();
        }
      });

      it("deleteGroup", async () => {
        await expectNoEvent("2019", "group", () =>
          mutate(`deleteGroup(cycleId: "2019", id: "law-enforcement")`, "ValidationError"),
        );
      });

      it("setCycleScheme", async () => {
        // Version 1 scores organ construction directly; 2019 has ballots for it.
        await expectNoEvent("2019", "scheme", () =>
          mutate(`setCycleScheme(cycleId: "2019", schemeId: "city-review", version: 1)`, "ValidationError"),
        );
      });

      it("finaliseCycle", async () => {
        // An organ score kept by force under version 2, which votes on organ construction.
        await mutate(
          `createCycle(input: { id: "sub-unscorable", year: 2042, name: "unscorable", schemeId: "city-review", schemeVersion: 1, copyUnitsFrom: "2019" })`,
          "Cycle",
        );
        await mutate(
          `setScore(cycleId: "sub-unscorable", unitId: "U01", category: "organ", value: "25")`,
          "DirectScore",
        );
        await mutate(
          `setCycleScheme(cycleId: "sub-unscorable", schemeId: "city-review", version: 2, force: true, reason: "organ is voted from 2019")`,
          "Cycle",
        );
        await expectNoEvent("sub-unscorable", "finalised", () =>
          mutate(`finaliseCycle(cycleId: "sub-unscorable")`, "ValidationError"),
        );
      });
    });
  });
});
