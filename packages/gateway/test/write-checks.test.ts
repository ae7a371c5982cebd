import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** Writes are checked against the cycle's scheme, field by field, and refused as a whole. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const admin = { as: "admin" as const };
  const UPSERT_UNIT = `mutation($c: ID!, $u: UnitInput!) { upsertUnit(cycleId: $c, input: $u) {
    __typename ... on Unit { id groupId parentId } ... on ValidationError { issues { path message } } ... on Error { message } } }`;
  const RECORD_FINDING = `mutation($c: ID!, $f: FindingInput!) { recordFinding(cycleId: $c, input: $f) {
    __typename ... on Finding { id type level rectification repeated deadline rectifiedOn note }
    ... on ValidationError { issues { path message } } ... on Error { message } } }`;

  async function upload(cycleId: string, importId: string, kind: string, body: string) {
    const query = `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: ${kind}, format: CSV, file: $file) {
      __typename ... on ImportResult { status rows } ... on ImportError { message totalErrors bad: rows { line column message } }
      ... on ValidationError { issues { path message } } ... on Error { message } } }`;
    const { body: json } = await t.upload(query, { c: cycleId, i: importId }, { name: "f.csv", body });
    if (!json.data) throw new Error(JSON.stringify(json));
    return json.data.importFile;
  }

  const rankingWorks = async (cycleId: string) => {
    const r = await t.gql(
      `query($c: ID!) { ranking(cycleId: $c) { __typename ... on Error { message } } }`,
      { c: cycleId },
      { as: "viewer" },
    );
    return r.body.errors === undefined;
  };

  describe("upsertUnit", () => {
    it("refuses a group that is not one of the cycle's scheme, and writes nothing", async () => {
      const audit = await t.lastAuditId();
      const r = await t.gql(UPSERT_UNIT, { c: "2019", u: { id: "X1", name: "X", group: "nope" } }, admin);
      expect(r.body.data.upsertUnit.__typename).toBe("ValidationError");
      expect(r.body.data.upsertUnit.issues).toEqual([
        {
          path: "input.group",
          message: expect.stringContaining(
            'unknown group "nope" (known: law-enforcement), in scheme city-review',
          ),
        },
      ]);
      expect(await t.lastAuditId()).toBe(audit);
      const groups = await t.gql(`{ groups(cycleId: "2019") { id } }`, {}, admin);
      expect(groups.body.data.groups.map((g: any) => g.id)).not.toContain("nope");
      expect(await rankingWorks("2019")).toBe(true);
    });

    it("refuses a parent that does not exist, naming the field, not the constraint", async () => {
      const r = await t.gql(
        UPSERT_UNIT,
        { c: "2019", u: { id: "X1", name: "X", group: "law-enforcement", parent: "NOPE" } },
        admin,
      );
      expect(r.body.data.upsertUnit).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "input.parent", message: "unit 'NOPE' not found in cycle '2019'" }],
      });
    });

    it("accepts a unit of a scheme group", async () => {
      const r = await t.gql(
        UPSERT_UNIT,
        { c: "2019", u: { id: "X1", name: "X", group: "law-enforcement" } },
        admin,
      );
      expect(r.body.data.upsertUnit).toEqual({
        __typename: "Unit",
        id: "X1",
        groupId: "law-enforcement",
        parentId: null,
      });
      const gone = await t.gql(
        `mutation { deleteUnit(cycleId: "2019", id: "X1") { __typename } }`,
        {},
        admin,
      );
      expect(gone.body.data.deleteUnit.__typename).toBe("Cycle");
    });
  });

  describe("a cycle that cannot be scored", () => {
    beforeAll(async () => {
      const c = await t.gql(
        `mutation { createCycle(input: { id: "broken", year: 2030, name: "broken", schemeId: "city-review", schemeVersion: 2 }) { __typename } }`,
        {},
        admin,
      );
      expect(c.body.data.createCycle.__typename).toBe("Cycle");
      const u = await t.gql(
        UPSERT_UNIT,
        { c: "broken", u: { id: "A", name: "A", group: "law-enforcement" } },
        admin,
      );
      expect(u.body.data.upsertUnit.__typename).toBe("Unit");
      // Stored before writes were checked: the store itself accepts any group.
      await t.store.units.upsert("legacy", "broken", { id: "Z", name: "Z", group: "legacy-group" });
    });

    it("still refuses records with new problems, and accepts valid ones", async () => {
      const bad = await t.gql(
        RECORD_FINDING,
        { c: "broken", f: { id: "f1", unitId: "A", type: "no-such-type", level: "city" } },
        admin,
      );
      expect(bad.body.data.recordFinding.__typename).toBe("ValidationError");
      expect(bad.body.data.recordFinding.issues[0].path).toBe("input.type");
      const good = await t.gql(
        RECORD_FINDING,
        { c: "broken", f: { id: "f1", unitId: "A", type: "unannounced-visit", level: "city" } },
        admin,
      );
      expect(good.body.data.recordFinding.__typename).toBe("Finding");
      const score = await t.gql(
        `mutation { setScore(cycleId: "broken", unitId: "A", category: "business", value: "999") { __typename ... on ValidationError { issues { path } } } }`,
        {},
        admin,
      );
      expect(score.body.data.setScore.__typename).toBe("ValidationError");
    });

    it("is left out of a unit's history, and its result says why", async () => {
      const r = await t.gql(
        `{ unit(id: "A", cycleId: "broken") { ... on Unit { results { cycleId } result { total } } } }`,
        {},
        { as: "viewer" },
      );
      expect(r.body.data.unit.results).toEqual([]);
      expect(r.body.data.unit.result).toBeNull();
      expect(r.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining("cannot be scored as its records stand"),
        }),
      ]);
    });

    it("refuses an import that adds problems and writes none of it", async () => {
      const audit = await t.lastAuditId();
      const r = await upload(
        "broken",
        "findings-bad",
        "FINDINGS",
        "id,unit,type,level\nf2,A,no-such-type,city\nf3,A,unannounced-visit,city\n",
      );
      // The new problem only, at its line: the cycle's old one (unit Z's group) is no row of the file.
      expect(r).toMatchObject({
        __typename: "ImportError",
        totalErrors: 1,
        bad: [{ line: 2, column: "type", message: expect.stringContaining("no-such-type") }],
      });
      expect(await t.lastAuditId()).toBe(audit);
      const ok = await upload(
        "broken",
        "findings-ok",
        "FINDINGS",
        "id,unit,type,level\nf3,A,unannounced-visit,city\n",
      );
      expect(ok).toEqual({ __typename: "ImportResult", status: "imported", rows: 1 });
    });

    it("accepts fixing the old problem", async () => {
      const r = await t.gql(
        UPSERT_UNIT,
        { c: "broken", u: { id: "Z", name: "Z", group: "law-enforcement" } },
        admin,
      );
      expect(r.body.data.upsertUnit.__typename).toBe("Unit");
    });
  });

  describe("deleteScore and deleteFinding", () => {
    it("delete a stored record and refuse an unknown one", async () => {
      const set = await t.gql(
        `mutation { setScore(cycleId: "broken", unitId: "A", category: "business", value: "20") { __typename } }`,
        {},
        admin,
      );
      expect(set.body.data.setScore.__typename).toBe("DirectScore");
      const del = await t.gql(
        `mutation { deleteScore(cycleId: "broken", unitId: "A", category: "business") { __typename } }`,
        {},
        admin,
      );
      expect(del.body.data.deleteScore.__typename).toBe("Cycle");
      const again = await t.gql(
        `mutation { deleteScore(cycleId: "broken", unitId: "A", category: "business") { __typename } }`,
        {},
        admin,
      );
      expect(again.body.data.deleteScore.__typename).toBe("NotFoundError");
      const f = await t.gql(
        `mutation { deleteFinding(cycleId: "broken", id: "f3") { __typename } }`,
        {},
        admin,
      );
      expect(f.body.data.deleteFinding.__typename).toBe("Cycle");
      const f2 = await t.gql(
        `mutation { deleteFinding(cycleId: "broken", id: "f3") { __typename } }`,
        {},
        admin,
      );
      expect(f2.body.data.deleteFinding.__typename).toBe("NotFoundError");
    });
  });
  describe("deleteGroup", () => {
    const DELETE_GROUP = `mutation($c: ID!, $g: ID!) { deleteGroup(cycleId: $c, id: $g) {
      __typename ... on Cycle { id } ... on ValidationError { issues { path message } } ... on Error { message } } }`;
    const deleteGroup = async (c: string, g: string, as: "admin" | "analyst" | "viewer" = "admin") =>
      (await t.gql(DELETE_GROUP, { c, g }, { as })).body;
    const groupsOf = async (c: string) =>
      (await t.gql(`query($c: ID!) { groups(cycleId: $c) { id name ranked } }`, { c }, admin)).body.data
        .groups;
    const createCycle = async (id: string) => {
      const r = await t.gql(
        `mutation($id: ID!, $name: String!) { createCycle(input: { id: $id, year: 2031, name: $name, schemeId: "city-review", schemeVersion: 2 }) { __typename ... on Error { message } } }`,
        { id, name: id },
        admin,
      );
      expect(r.body.data.createCycle.__typename).toBe("Cycle");
    };
    const upsertGroup = async (c: string, input: Record<string, unknown>) => {
      const r = await t.gql(
        `mutation($c: ID!, $g: GroupInput!) { upsertGroup(cycleId: $c, input: $g) { __typename } }`,
        { c, g: input },
        admin,
      );
      expect(r.body.data.upsertGroup.__typename).toBe("Group");
    };
    const DECLARED = {
      id: "law-enforcement",
      name: "执法监管部门 law enforcement and regulation",
      ranked: true,
    };

    beforeAll(async () => {
      await createCycle("regroup");
      // What a scheme's rename leaves behind: a group the scheme no longer declares.
      await upsertGroup("regroup", { id: "retired", name: "撤并组" });
    });

    it("deletes an empty group, audited with what it was, and tells subscribers", async () => {
      const sub = await t.subscribe(
        `subscription { rankingUpdated(cycleId: "regroup") { cycleId reason } }`,
        "viewer",
      );
      expect(await deleteGroup("regroup", "retired")).toEqual({
        data: { deleteGroup: { __typename: "Cycle", id: "regroup" } },
      });
      const event = await sub.next();
      sub.close();
      expect(event.data.rankingUpdated).toEqual({ cycleId: "regroup", reason: "group" });
      expect(await groupsOf("regroup")).toEqual([]);
      const [audit] = await t.store.audit.list({ cycleId: "regroup", entity: "group" });
      expect(audit).toMatchObject({
        actor: "admin-1",
        action: "delete",
        entityId: "retired",
        before: { id: "retired", name: "撤并组", ranked: true },
        after: null,
      });
    });

    it("refuses a group that still has units, saying how many and the first few, and changes nothing", async () => {
      for (let i = 1; i <= 6; i++) {
        const r = await t.gql(
          UPSERT_UNIT,
          { c: "regroup", u: { id: `R${i}`, name: `R${i}`, group: "law-enforcement" } },
          admin,
        );
        expect(r.body.data.upsertUnit.__typename).toBe("Unit");
      }
      const audit = await t.lastAuditId();
      const refusal =
        "group 'law-enforcement' still has 6 units (R1, R2, R3, R4, R5, …); move them to another group with upsertUnit or delete them first";
      expect((await deleteGroup("regroup", "law-enforcement")).data.deleteGroup).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "id", message: refusal }],
        message: `id: ${refusal}`,
      });
      expect(await t.lastAuditId()).toBe(audit);
      expect(await groupsOf("regroup")).toEqual([DECLARED]);
      expect(await t.store.units.list("regroup", { group: "law-enforcement" })).toHaveLength(6);
    });

    it("lets a declared group go once empty; putting a unit in it brings it back as the scheme declares it", async () => {
      for (let i = 2; i <= 6; i++) {
        const r = await t.gql(
          `mutation($id: ID!) { deleteUnit(cycleId: "regroup", id: $id) { __typename } }`,
          { id: `R${i}` },
          admin,
        );
        expect(r.body.data.deleteUnit.__typename).toBe("Cycle");
      }
      expect((await deleteGroup("regroup", "law-enforcement")).data.deleteGroup).toMatchObject({
        issues: [
          { path: "id", message: expect.stringMatching(/^group 'law-enforcement' still has 1 unit \(R1\);/) },
        ],
      });
      expect(
        (await t.gql(`mutation { deleteUnit(cycleId: "regroup", id: "R1") { __typename } }`, {}, admin)).body
          .data.deleteUnit.__typename,
      ).toBe("Cycle");
      await upsertGroup("regroup", { id: "law-enforcement", name: "旧名" });
      expect((await deleteGroup("regroup", "law-enforcement")).data.deleteGroup.__typename).toBe("Cycle");
      expect(await groupsOf("regroup")).toEqual([]);
      const back = await t.gql(
        UPSERT_UNIT,
        { c: "regroup", u: { id: "R1", name: "R1", group: "law-enforcement" } },
        admin,
      );
      expect(back.body.data.upsertUnit.__typename).toBe("Unit");
      expect(await groupsOf("regroup")).toEqual([DECLARED]);
    });

    it("refuses a units import's group while its units are in it; removing the import still takes the group", async () => {
      await createCycle("regroup-import");
      const imported = await upload(
        "regroup-import",
        "units-1",
        "UNITS",
        "id,name,group\nI1,I1,law-enforcement\nI2,I2,law-enforcement\n",
      );
      expect(imported).toEqual({ __typename: "ImportResult", status: "imported", rows: 2 });
      expect((await deleteGroup("regroup-import", "law-enforcement")).data.deleteGroup.issues).toEqual([
        {
          path: "id",
          message:
            "group 'law-enforcement' still has 2 units (I1, I2); move them to another group with upsertUnit or delete them first",
        },
      ]);
      const removed = await t.gql(
        `mutation { removeImport(importId: "units-1") { __typename ... on RemovedImport { removedRows } } }`,
        {},
        admin,
      );
      expect(removed.body.data.removeImport).toEqual({ __typename: "RemovedImport", removedRows: 2 });
      expect(await groupsOf("regroup-import")).toEqual([]);
    });

    it("refuses an unknown group or cycle with NotFoundError", async () => {
      const audit = await t.lastAuditId();
      expect((await deleteGroup("regroup", "nope")).data.deleteGroup).toEqual({
        __typename: "NotFoundError",
        message: "group 'nope' not found in cycle 'regroup'",
      });
      expect((await deleteGroup("no-such-cycle", "law-enforcement")).data.deleteGroup.__typename).toBe(
        "NotFoundError",
      );
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("refuses viewers and analysts", async () => {
      await upsertGroup("regroup", { id: "retired", name: "撤并组" });
      const audit = await t.lastAuditId();
      for (const role of ["viewer", "analyst"] as const) {
        const body = await deleteGroup("regroup", "retired", role);
        expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      }
      expect(await t.lastAuditId()).toBe(audit);
      expect((await groupsOf("regroup")).map((g: { id: string }) => g.id)).toContain("retired");
    });

    it("refuses on a finalised cycle and deletes nothing", async () => {
      // A year with totals: one with nothing to publish is not finalised. R1, added above with no
      // records, is published without a total, its number confirmed.
      const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
      await loadDataset(t.store, "regroup", read("scheme-2019.json"), read("dataset-2019.json"));
      const fin = await t.gql(
        `mutation { finaliseCycle(cycleId: "regroup", expectedUnscoredUnits: 1) { __typename ... on Error { message } } }`,
        {},
        admin,
      );
      expect(fin.body.data.finaliseCycle).toEqual({ __typename: "Cycle" });
      const audit = await t.lastAuditId();
      expect((await deleteGroup("regroup", "retired")).data.deleteGroup).toEqual({
        __typename: "CycleFinalisedError",
        message: expect.stringContaining("regroup"),
      });
      expect(await t.lastAuditId()).toBe(audit);
      expect((await groupsOf("regroup")).map((g: { id: string }) => g.id)).toContain("retired");
    });
  });

  describe("recordFinding on an existing id", () => {
    it("keeps the stored rectification, repeated, note, deadline and rectifiedOn that the input omits", async () => {
      const first = await t.gql(
        RECORD_FINDING,
        {
          c: "broken",
          f: {
            id: "keep",
            unitId: "A",
            type: "unannounced-visit",
            level: "city",
            rectification: "LATE",
            repeated: true,
            note: "first visit",
            deadline: "2030-03-01",
          },
        },
        admin,
      );
      expect(first.body.data.recordFinding.__typename).toBe("Finding");
      const rect = await t.gql(
        `mutation { setRectification(cycleId: "broken", findingId: "keep", input: { rectification: LATE, rectifiedOn: "2030-03-05" }) { __typename } }`,
        {},
        admin,
      );
      expect(rect.body.data.setRectification.__typename).toBe("Finding");
      const corrected = await t.gql(
        RECORD_FINDING,
        { c: "broken", f: { id: "keep", unitId: "A", type: "unannounced-visit", level: "district" } },
        admin,
      );
      expect(corrected.body.data.recordFinding).toEqual({
        __typename: "Finding",
        id: "keep",
        type: "unannounced-visit",
        level: "district",
        rectification: "LATE",
        repeated: true,
        deadline: "2030-03-01",
        rectifiedOn: "2030-03-05",
        note: "first visit",
      });
      const changed = await t.gql(
        RECORD_FINDING,
        {
          c: "broken",
          f: { id: "keep", unitId: "A", type: "unannounced-visit", level: "city", repeated: false },
        },
        admin,
      );
      expect(changed.body.data.recordFinding).toMatchObject({
        level: "city",
        repeated: false,
        rectification: "LATE",
      });
    });

    it("checks the merged finding with the engine", async () => {
      const bad = await t.gql(
        RECORD_FINDING,
        { c: "broken", f: { id: "keep", unitId: "A", type: "public-complaint", level: "bureau" } },
        admin,
      );
      expect(bad.body.data.recordFinding.__typename).toBe("ValidationError");
    });
  });
  describe("publishSchemeVersion", () => {
    it("refuses a document naming another scheme, and stores the version it is published as", async () => {
      const latest = await t.gql(
        `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { version document } } }`,
        {},
        admin,
      );
      const { version, document } = latest.body.data.schemeVersion;
      const audit = await t.lastAuditId();
      const publish = (doc: unknown) =>
        t.gql(
          `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
            __typename ... on SchemeVersion { version document } ... on ValidationError { issues { path message } } } }`,
          { i: { schemeId: "city-review", basedOn: version, document: doc, reason: "r" } },
          admin,
        );
      const bad = await publish({ ...document, id: "other-scheme", version: 99 });
      expect(bad.body.data.publishSchemeVersion.__typename).toBe("ValidationError");
      expect(bad.body.data.publishSchemeVersion.issues.map((i: any) => i.path)).toEqual([
        "input.document.id",
      ]);
      expect(await t.lastAuditId()).toBe(audit);
      // A change of rules (one that changes nothing is refused) in a draft still saying its old version.
      const edited = { ...document, name: `${document.name} (edited)` };
      const good = await publish({ ...edited, version: 99 });
      expect(good.body.data.publishSchemeVersion.__typename).toBe("SchemeVersion");
      expect(good.body.data.publishSchemeVersion.version).toBe(version + 1);
      expect(good.body.data.publishSchemeVersion.document.version).toBe(version + 1);

      // Reordering an id-keyed list is a change schemeDiff shows.
      const reordered = { ...edited, version: version + 2, categories: [...document.categories].reverse() };
      const third = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename } }`,
        { i: { schemeId: "city-review", basedOn: version + 1, document: reordered, reason: "reorder" } },
        admin,
      );
      expect(third.body.data.publishSchemeVersion.__typename).toBe("SchemeVersion");
      const diff = await t.gql(
        `query($f: Int!, $t: Int!) { schemeDiff(schemeId: "city-review", from: $f, to: $t) { ... on SchemeDiff { changes { path kind before after } } } }`,
        { f: version + 1, t: version + 2 },
        admin,
      );
      const ids = document.categories.map((c: { id: string }) => c.id);
      expect(diff.body.data.schemeDiff.changes).toEqual([
        { path: "categories[ids]", kind: "CHANGED", before: ids, after: [...ids].reverse() },
      ]);
    });
  });
});
