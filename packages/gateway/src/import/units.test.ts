import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, ImportError, ValidationError } from "../store/errors.js";
import { backends, openTestDatabase, type TestDatabase, uid } from "../store/test-backends.js";
import { type ImportOptions, importFile, MAX_LISTED_ERRORS } from "./index.js";

async function* chunked(data: Uint8Array | string, size = 997): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

// The fixture's exact GB18030 bytes (an editor re-saving it as UTF-8 would test nothing):
// 单位编号,单位名称,可比组,上级单位,单位类型 / U11,交警支队,law-enforcement,U10,分局 /
// U13,城东派出所,law-enforcement,U11,派出所 / U10,市公安局,law-enforcement,,局 / U20,市民政局,law-enforcement,,局
const GB18030_UNITS_HEX =
  "b5a5cebbb1e0bac52cb5a5cebbc3fbb3c62cbfc9b1c8d7e92cc9cfbcb6b5a5cebb2cb5a5cebbc0e0d0cd0d0a5531312cbdbbbeafd6a7b6d32c6c61772d656e666f7263656d656e742c5531302cb7d6bed60d0a5531332cb3c7b6abc5c9b3f6cbf92c6c61772d656e666f7263656d656e742c5531312cc5c9b3f6cbf90d0a5531302ccad0b9abb0b2bed62c6c61772d656e666f7263656d656e742c2cbed60d0a5532302ccad0c3f1d5febed62c6c61772d656e666f7263656d656e742c2cbed60d0a";

describe.each(backends)("units imports on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  const run = (o: Omit<ImportOptions, "actor" | "kind" | "format"> & Partial<ImportOptions>) =>
    importFile(t.store, { actor: "importer", kind: "units", format: "csv", ...o });

  /** An open cycle whose scheme declares law-enforcement (unranked, named) and services. */
  async function cycle(units: { id: string; parent?: string }[] = []): Promise<string> {
    const schemeId = uid("scheme");
    await t.store.schemes.publish("tester", {
      schemeId,
      document: {
        name: schemeId,
        groups: [
          { id: "law-enforcement", name: "执法监管部门", ranked: false },
          { id: "services", name: "服务部门" },
        ],
      },
      reason: "test",
      basedOn: null,
    });
    const cycleId = uid("cycle");
    await t.store.cycles.create("tester", {
      id: cycleId,
      year: 2024,
      name: cycleId,
      schemeId,
      schemeVersion: 1,
    });
    for (const u of units)
      await t.store.units.upsert("tester", cycleId, {
        name: `单位${u.id}`,
        group: "services",
        ...u,
      });
    return cycleId;
  }

  const rejected = async (p: Promise<unknown>) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    return (err as ImportError).rows;
  };

  it("imports a GB18030 CSV with Chinese headers, parents after their sub-units, parents written first", async () => {
    const c = await cycle();
    const bytes = await readFile(new URL("./fixtures/units-gb18030.csv", import.meta.url));
    expect(bytes.toString("hex")).toBe(GB18030_UNITS_HEX);
    const importId = uid("units");
    // Batches of one: U11 cannot be written before U10, which the file lists after it.
    const res = await run({ cycleId: c, importId, stream: chunked(bytes, 5), batchSize: 1 });
    expect(res).toMatchObject({ status: "imported", rows: 4, encoding: "gb18030" });
    expect(await t.store.units.list(c)).toEqual([
      { id: "U10", name: "市公安局", group: "law-enforcement", kind: "局", importId },
      { id: "U11", name: "交警支队", group: "law-enforcement", parent: "U10", kind: "分局", importId },
      { id: "U13", name: "城东派出所", group: "law-enforcement", parent: "U11", kind: "派出所", importId },
      { id: "U20", name: "市民政局", group: "law-enforcement", kind: "局", importId },
    ]);
    // The group is made as the scheme declares it, not named by its id and ranked.
    expect(await t.store.groups.list(c)).toEqual([
      { id: "law-enforcement", name: "执法监管部门", ranked: false, importId },
    ]);
    // One audit record for the group, one for the import: none per unit.
    const audit = (await t.store.audit.list({ cycleId: c, limit: 100 })).filter((a) => a.entity !== "cycle");
    expect(audit.map((a) => [a.action, a.entity, a.entityId]).sort()).toEqual([
      ["create", "group", "law-enforcement"],
      ["import", "import", importId],
    ]);
    expect((await t.store.imports.get(importId)).kind).toBe("units");
  });

  it("takes a parent from the cycle, keeps an existing group, and reads JSON", async () => {
    const c = await cycle([{ id: "B1" }]);
    const json = JSON.stringify([
      { id: "S1", name: "分局一", group: "services", parent: "B1" },
      { id: "S2", name: "分局二", group: "services", parent: "S1", kind: "branch" },
    ]);
    const res = await run({ cycleId: c, importId: uid("json"), format: "json", stream: chunked(json) });
    expect(res).toMatchObject({ status: "imported", rows: 2 });
    expect(await t.store.units.list(c, { parent: "B1" })).toEqual([
      { id: "S1", name: "分局一", group: "services", parent: "B1", importId: res.importId },
    ]);
    // upsertUnit made "services" first: the import leaves it, and audits no group.
    const audit = await t.store.audit.list({ cycleId: c, entity: "group", limit: 100 });
    expect(audit).toHaveLength(1);
  });

  it("names every bad row by line and column, and writes nothing", async () => {
    const c = await cycle([{ id: "OLD" }]);
    const audit0 = (await t.store.audit.list({ cycleId: c, limit: 1000 })).length;
    const csv = [
      "单位编号,单位名称,分组,上级单位",
      "A,甲,services,NOWHERE", // 2 unknown parent
      "B,乙,services,B", // 3 its own parent
      "C,丙,services,D", // 4 loop C → D → E → C
      "D,丁,services,E", // 5
      "E,戊,services,C", // 6
      "F,己,services,", // 7
      "F,己二,services,", // 8 duplicate of line 7
      "OLD,旧,services,", // 9 already in the cycle
      "G,庚,services,甲", // 10 a parent given by name
      "H,辛,no-such-group,", // 11 a group the scheme does not declare
      "I,,services,", // 12 no name
      "J,壬,services,C", // 13 under the loop, but not in it: fine
    ].join("\n");
    const importId = uid("bad");
    const rows = await rejected(run({ cycleId: c, importId, stream: chunked(csv) }));
    expect(rows).toEqual([
      {
        line: 2,
        column: "上级单位 (parent)",
        message: "unknown parent 'NOWHERE': no unit of the cycle or of this file has that id",
      },
      { line: 3, column: "上级单位 (parent)", message: "a unit cannot be its own parent" },
      {
        line: 4,
        column: "上级单位 (parent)",
        message: "the parent chain loops: C → D → E → C (lines 4, 5, 6)",
      },
      {
        line: 5,
        column: "上级单位 (parent)",
        message: "the parent chain loops: D → E → C → D (lines 5, 6, 4)",
      },
      {
        line: 6,
        column: "上级单位 (parent)",
        message: "the parent chain loops: E → C → D → E (lines 6, 4, 5)",
      },
      { line: 8, column: "单位编号 (id)", message: "duplicate of line 7 (id)" },
      {
        line: 9,
        column: "单位编号 (id)",
        message: "unit 'OLD' is already in the cycle (an import only adds units; change one with upsertUnit)",
      },
      {
        line: 10,
        column: "上级单位 (parent)",
        message:
          "unknown parent '甲': no unit of the cycle or of this file has that id (it is the name of unit 'A': give its id)",
      },
      {
        line: 11,
        column: "分组 (group)",
        message: expect.stringMatching(
          /^unknown group "no-such-group" \(known: law-enforcement, services\), in scheme scheme-\S+ v1$/,
        ),
      },
      { line: 12, column: "单位名称 (name)", message: "required" },
    ]);
    expect((await t.store.units.list(c)).map((u) => u.id)).toEqual(["OLD"]);
    expect((await t.store.audit.list({ cycleId: c, limit: 1000 })).length).toBe(audit0);
    await expect(t.store.imports.get(importId)).rejects.toThrow(/not found/);
  });

  it("lists a row's bad cells in the file's column order, and caps the list after ordering it", async () => {
    const c = await cycle();
    // Parent and group both bad, the parent column first in the file.
    const one = await rejected(
      run({
        cycleId: c,
        importId: uid("cols"),
        stream: chunked("parent,id,name,group\nNOWHERE,A,甲,nope\n"),
      }),
    );
    expect(one.map((r) => r.column)).toEqual(["parent", "group"]);

    // Line 2's parent is checked when the file has been read, after the rows without a name.
    const lines = ["id,name,group,parent", "A,甲,services,NOWHERE"];
    for (let i = 0; i < MAX_LISTED_ERRORS + 5; i++) lines.push(`B${i},,services,`);
    const err = (await run({ cycleId: c, importId: uid("cap"), stream: chunked(lines.join("\n")) }).catch(
      (e: unknown) => e,
    )) as ImportError;
    expect(err).toBeInstanceOf(ImportError);
    expect(err.totalErrors).toBe(MAX_LISTED_ERRORS + 6);
    expect(err.rows).toHaveLength(MAX_LISTED_ERRORS);
    expect(err.rows[0]).toMatchObject({ line: 2, column: "parent" });
    expect(err.rows.at(-1)).toMatchObject({ line: MAX_LISTED_ERRORS + 1, column: "name" });
  });

  it("names a one-line JSON file's bad units, and a parent loop's, by their record numbers", async () => {
    const c = await cycle();
    const units = [
      { id: "A", name: "甲", group: "services" }, // 1
      { id: "C", name: "丙", group: "services", parent: "D" }, // 2 loop C → D → C
      { id: "D", name: "丁", group: "services", parent: "C" }, // 3
      { id: "A", name: "甲二", group: "services" }, // 4 duplicate of record 1
    ];
    const rows = await rejected(
      run({ cycleId: c, importId: uid("one-line"), format: "json", stream: chunked(JSON.stringify(units)) }),
    );
    expect(rows).toEqual([
      { line: 1, record: 2, column: "parent", message: "the parent chain loops: C → D → C (records 2, 3)" },
      { line: 1, record: 3, column: "parent", message: "the parent chain loops: D → C → D (records 3, 2)" },
      { line: 1, record: 4, column: "id", message: "duplicate of record 1 (line 1) (id)" },
    ]);
  });

  it("refuses a group the scheme does not declare, creating no group", async () => {
    const c = await cycle();
    const rows = await rejected(
      run({
        cycleId: c,
        importId: uid("group"),
        stream: chunked("id,name,group\nA,甲,services\nB,乙,nope\n"),
      }),
    );
    expect(rows).toEqual([
      { line: 3, column: "group", message: expect.stringContaining('unknown group "nope"') },
    ]);
    expect(await t.store.groups.list(c)).toEqual([]);
    expect(await t.store.units.list(c)).toEqual([]);
  });

  it("is idempotent by import id, and refuses the id for a different file", async () => {
    const c = await cycle();
    const csv = "id,name,group\nA,甲,services\n";
    const importId = uid("again");
    expect((await run({ cycleId: c, importId, stream: chunked(csv) })).status).toBe("imported");
    expect(await run({ cycleId: c, importId, stream: chunked(csv) })).toMatchObject({
      status: "already-imported",
      rows: 1,
    });
    await expect(
      run({ cycleId: c, importId, stream: chunked("id,name,group\nB,乙,services\n") }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await t.store.units.list(c)).map((u) => u.id)).toEqual(["A"]);
  });

  it("removes its units again, keeps one corrected by hand, and refuses while records refer to them", async () => {
    const c = await cycle();
    const importId = uid("undo");
    const csv = "id,name,group,parent\nS,分局,services,B\nB,局,services,\nX,另一局,services,\n";
    await run({ cycleId: c, importId, stream: chunked(csv) });

    // A score for S: removing the import would orphan it.
    await t.store.records.setScore("tester", c, { unit: "S", category: "business", value: "20" });
    const audit0 = (await t.store.audit.list({ cycleId: c, limit: 1000 })).length;
    const err = await t.store.imports.remove("tester", importId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      {
        path: "importId",
        message: `import '${importId}' cannot be removed: records still refer to its units S (scores); remove those first`,
      },
    ]);
    expect((await t.store.units.list(c)).map((u) => u.id)).toEqual(["B", "S", "X"]);
    expect((await t.store.audit.list({ cycleId: c, limit: 1000 })).length).toBe(audit0);

    // X renamed by hand no longer belongs to the import; S's score gone, the rest can go.
    await t.store.units.upsert("tester", c, { id: "X", name: "另一局（改）", group: "services" });
    await t.store.records.deleteScore("tester", c, "S", "business");
    expect(await t.store.imports.remove("tester", importId)).toBe(2);
    expect(await t.store.units.list(c)).toEqual([{ id: "X", name: "另一局（改）", group: "services" }]);
    await expect(t.store.imports.get(importId)).rejects.toThrow(/not found/);
  });

  it("takes the groups it created with it, unless a unit is still in one or it was changed by hand", async () => {
    // "services" made by hand before the import: it stays, whatever the import does.
    const c = await cycle([{ id: "OLD" }]);
    const first = uid("groups");
    await run({
      cycleId: c,
      importId: first,
      stream: chunked("id,name,group\nA,甲,services\nB,乙,law-enforcement\n"),
    });
    expect((await t.store.groups.list(c)).map((g) => g.id)).toEqual(["law-enforcement", "services"]);
    expect(await t.store.imports.remove("tester", first)).toBe(2);
    expect((await t.store.groups.list(c)).map((g) => g.id)).toEqual(["services"]);
    const audit = await t.store.audit.list({ cycleId: c, entity: "group", entityId: "law-enforcement" });
    expect(audit[0]).toMatchObject({
      action: "delete",
      before: { id: "law-enforcement", name: "执法监管部门", ranked: false },
    });

    // A unit added by hand to the import's group keeps it, and the import can still go.
    const second = uid("groups");
    await run({ cycleId: c, importId: second, stream: chunked("id,name,group\nC,丙,law-enforcement\n") });
    await t.store.units.upsert("tester", c, { id: "D", name: "丁", group: "law-enforcement" });
    expect(await t.store.imports.remove("tester", second)).toBe(1);
    expect((await t.store.groups.list(c)).map((g) => g.id)).toEqual(["law-enforcement", "services"]);
    // No longer the import's: the id imports again, and removing it leaves the group to D.
    await run({ cycleId: c, importId: second, stream: chunked("id,name,group\nC,丙,law-enforcement\n") });
    await t.store.imports.remove("tester", second);
    expect((await t.store.groups.list(c)).map((g) => g.id)).toEqual(["law-enforcement", "services"]);

    // Renamed by hand: a correction, which removing the import does not undo.
    const c2 = await cycle();
    const third = uid("groups");
    await run({ cycleId: c2, importId: third, stream: chunked("id,name,group\nE,戊,services\n") });
    await t.store.groups.upsert("tester", c2, { id: "services", name: "服务部门（改）" });
    await t.store.imports.remove("tester", third);
    expect(await t.store.groups.list(c2)).toEqual([{ id: "services", name: "服务部门（改）", ranked: true }]);
  });

  it("refuses to remove a parent whose sub-unit was added by hand", async () => {
    const c = await cycle();
    const importId = uid("parent");
    await run({ cycleId: c, importId, stream: chunked("id,name,group\nB,局,services\n") });
    await t.store.units.upsert("tester", c, { id: "S", name: "分局", group: "services", parent: "B" });
    await expect(t.store.imports.remove("tester", importId)).rejects.toThrow(
      /records still refer to its units B \(sub-units\)/,
    );
    expect((await t.store.units.list(c)).map((u) => u.id)).toEqual(["B", "S"]);
  });
});
