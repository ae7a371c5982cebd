import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/helpers.js";
import { ConflictError, ValidationError } from "../store/errors.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase, uid } from "../store/test-backends.js";
import { type ImportOptions, importFile } from "./index.js";

/** Survey forms imported again, saved differently: no id, and no bytes in common, gives them away. */

async function* chunked(bytes: Buffer | string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(bytes);
}

/** The fixture's forms (units 单位1 and u2), as Excel in Chinese Windows saves them: GB18030. */
const gbk = () => readFile(new URL("./fixtures/survey-forms-gb18030.csv", import.meta.url));
/** The same forms saved again as UTF-8, their rows in another order. */
const resaved =
  "类别,单位,受访群体,答案\n公众评议,u2,居民,不了解\n公众评议,单位1,企业,满意\n公众评议,u2,企业,不满意\n公众评议,单位1,居民,基本满意\n";

describe.each(backends)("survey forms imported again on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  const forms = (
    cycleId: string,
    importId: string,
    text: Buffer | string,
    more: Partial<ImportOptions> = {},
  ) =>
    importFile(t.store, {
      cycleId,
      kind: "survey-forms",
      format: "csv",
      importId,
      actor: "alice",
      stream: chunked(text),
      ...more,
    });
  const refusal = (...args: Parameters<typeof forms>) =>
    forms(...args).then(
      () => {
        throw new Error("the import was not refused");
      },
      (e: unknown) => e,
    );

  it("refuses forms that tally exactly as an earlier import's, naming it, and imports nothing", async () => {
    const c = await seedCycle(t.store, 2);
    const first = uid("forms-2019");
    expect((await forms(c, first, await gbk())).rows).toBe(4);
    const when = (await t.store.imports.get(first)).createdAt.toISOString();
    const revision = await t.store.audit.revision(c);
    const err = await refusal(c, uid("forms-utf8"), resaved);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(
      `these 4 forms tally exactly as import '${first}' (4 forms imported by alice on ${when}) does: the same forms again, saved differently? ` +
        `Nothing was imported. To replace that import, remove it first (removeImport); if these are truly other forms, import them with otherFormsThan: "${first}"`,
    );
    expect(await t.store.records.countSurveyForms(c)).toBe(4);
    expect((await t.store.imports.list(c)).map((i) => i.id)).toEqual([first]);
    expect(await t.store.audit.revision(c)).toEqual(revision);

    // Once that import is taken out, the file replaces it.
    await t.store.imports.remove("alice", first);
    expect((await forms(c, uid("forms-utf8"), resaved)).rows).toBe(4);
    expect(await t.store.records.countSurveyForms(c)).toBe(4);
  });

  it("refuses a file that holds every form of an earlier import and more, and takes one that holds part", async () => {
    const c = await seedCycle(t.store, 2);
    const first = uid("forms");
    await forms(c, first, await gbk());
    const more = await refusal(
      c,
      uid("forms-more"),
      `${resaved}公众评议,u2,居民,满意\n公众评议,u2,居民,满意\n`,
    );
    expect(more).toBeInstanceOf(ConflictError);
    expect((more as Error).message).toMatch(
      new RegExp(
        `^these 6 forms hold every form of import '${first}' \\(4 forms imported by alice on .*\\) again, plus 2 more: the same forms again`,
      ),
    );
    // Another batch may share a tally or two with the first: it is not the first again.
    const part = "类别,单位,受访群体,答案\n公众评议,单位1,企业,满意\n公众评议,u2,居民,满意\n";
    expect((await forms(c, uid("batch-2"), part)).rows).toBe(2);
    expect(await t.store.records.countSurveyForms(c)).toBe(6);
    // Another cycle's forms are that cycle's.
    const other = await seedCycle(t.store, 2);
    expect((await forms(other, uid("forms"), resaved)).rows).toBe(4);
  });

  it("imports them all the same when told they are other forms than that import, and keeps that in the audit", async () => {
    const c = await seedCycle(t.store, 2);
    const first = uid("forms");
    await forms(c, first, await gbk());
    const second = uid("forms-other");
    expect((await forms(c, second, resaved, { otherFormsThan: [` ${first} `] })).rows).toBe(4);
    expect(await t.store.records.countSurveyForms(c)).toBe(8);
    const [entry] = await t.store.audit.list({ cycleId: c, entity: "import", entityId: second });
    expect(entry?.after).toMatchObject({ rows: 4, otherFormsThan: [first] });
    // Vouching for one import is not for another: a third copy still tallies as the second.
    const crlf = resaved.replace(/\n/g, "\r\n");
    const third = await refusal(c, uid("forms-third"), crlf, { otherFormsThan: [first] });
    expect((third as Error).message).toMatch(
      new RegExp(`^these 4 forms tally exactly as import '${second}'`),
    );
  });

  it("refuses otherFormsThan naming no survey-forms import of the cycle, or given for another kind", async () => {
    const c = await seedCycle(t.store, 2);
    const scores = uid("scores");
    await importFile(t.store, {
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: scores,
      actor: "alice",
      stream: chunked("unit,category,value\nu1,b,1\n"),
    });
    const unknown = await refusal(c, uid("forms"), resaved, { otherFormsThan: ["forms-2019", scores] });
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).issues).toEqual([
      { path: "otherFormsThan[0]", message: `'forms-2019' is no survey-forms import of cycle '${c}'` },
      { path: "otherFormsThan[1]", message: `'${scores}' is no survey-forms import of cycle '${c}'` },
    ]);
    const keyed = await importFile(t.store, {
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("scores"),
      actor: "alice",
      stream: chunked("unit,category,value\nu2,b,1\n"),
      otherFormsThan: [scores],
    }).catch((e: unknown) => e);
    expect((keyed as ValidationError).issues).toEqual([
      {
        path: "otherFormsThan",
        message:
          "is for survey forms, which have no key: scores have one, and a record imported twice is refused by it",
      },
    ]);
    expect(await t.store.records.countSurveyForms(c)).toBe(0);
  });
});

/** Through the API, as the console and curl send files. */
describe.each(backends)("survey forms imported again through the API on %s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
    const created = await t.gql(
      `mutation { createCycle(input: { id: "forms-again", year: 2042, name: "again", schemeId: "city-review", schemeVersion: 1 }) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(created.body.data.createCycle.__typename).toBe("Cycle");
    for (const id of ["U01", "U02"]) {
      const u = await t.gql(
        `mutation($u: UnitInput!) { upsertUnit(cycleId: "forms-again", input: $u) { __typename } }`,
        { u: { id, name: id, group: "law-enforcement" } },
        { as: "admin" },
      );
      expect(u.body.data.upsertUnit.__typename).toBe("Unit");
    }
  });
  afterAll(() => t?.close());

  const upload = async (importId: string, body: string, otherFormsThan?: string[]) => {
    const r = await t.upload(
      `mutation($file: File!, $i: ID!, $o: [ID!]) { importFile(cycleId: "forms-again", importId: $i, kind: SURVEY_FORMS, format: CSV, file: $file, otherFormsThan: $o) {
        __typename ... on ImportResult { status rows } ... on Error { message } } }`,
      { i: importId, o: otherFormsThan ?? null },
      { name: "forms.csv", body },
    );
    return r.body.data.importFile;
  };

  it("refuses a re-saved survey file as the import it tallies as, and imports it when told it is other forms", async () => {
    const csv =
      "category,unit,respondent_group,answer\npublic,U01,residents,satisfied\npublic,U02,residents,dissatisfied\n";
    expect(await upload("forms-a", csv)).toEqual({ __typename: "ImportResult", status: "imported", rows: 2 });
    const audit = await t.lastAuditId();
    // Saved again by Excel: a byte order mark, CRLF, the rows sorted the other way.
    const again =
      "\ufeffcategory,unit,respondent_group,answer\r\npublic,U02,residents,dissatisfied\r\npublic,U01,residents,satisfied\r\n";
    const refused = await upload("forms-b", again);
    expect(refused.__typename).toBe("ConflictError");
    expect(refused.message).toMatch(
      /^these 2 forms tally exactly as import 'forms-a' \(2 forms imported by .* on .*\) does: .*otherFormsThan: "forms-a"$/,
    );
    expect(await t.lastAuditId()).toBe(audit);
    expect(await upload("forms-b", again, ["forms-a"])).toEqual({
      __typename: "ImportResult",
      status: "imported",
      rows: 2,
    });
  });
});
