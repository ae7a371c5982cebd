import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * importFile(encoding: …): Excel in Chinese Windows saves CSV as GB18030 without saying so, and
 * a GB18030 text can also be valid UTF-8: 学院 is D1 A7 D4 BA, which UTF-8 reads as "ѧԺ".
 * Detection cannot tell, so it asks, and the administrator who knows says so.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const XUEYUAN = Buffer.from([0xd1, 0xa7, 0xd4, 0xba]);
  const file = Buffer.concat([Buffer.from("id,name,group\nE1,"), XUEYUAN, Buffer.from(",law-enforcement\n")]);

  const upload = async (
    importId: string,
    format: string,
    encoding: string | null,
    body: Uint8Array | string,
  ) => {
    const r = await t.upload(
      `mutation($file: File!, $i: ID!, $e: TextEncoding) { importFile(cycleId: "enc", importId: $i, kind: UNITS, format: ${format}, file: $file, encoding: $e) {
        __typename ... on ImportResult { rows message } ... on ImportError { bad: rows { line column message } }
        ... on ValidationError { issues { path message } } } }`,
      { i: importId, e: encoding },
      { name: "units.csv", body: body as string },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.importFile;
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const c = await t.gql(
      `mutation { createCycle(input: { id: "enc", year: 2042, name: "enc", schemeId: "city-review", schemeVersion: 1 }) { __typename } }`,
      {},
      admin,
    );
    expect(c.body.data.createCycle.__typename).toBe("Cycle");
  });
  afterAll(() => t?.close());

  it("asks for the encoding of a file that reads as UTF-8 and as GB18030, and reads it as told", async () => {
    const name = async (id: string) =>
      (await t.gql(`{ unit(cycleId: "enc", id: "${id}") { ... on Unit { name } } }`, {}, admin)).body.data
        .unit.name;
    expect(await upload("enc-guess", "CSV", null, file)).toEqual({
      __typename: "ImportError",
      bad: [
        {
          line: 2,
          column: null,
          message:
            'the file reads as UTF-8 ("ѧԺ") and as GB18030 ("学院") alike: say which it is (importFile\'s encoding, or pingyi import --encoding)',
        },
      ],
    });
    expect(await upload("enc-gb", "CSV", "GB18030", file)).toEqual({
      __typename: "ImportResult",
      rows: 1,
      message: "imported 1 row",
    });
    expect(await name("E1")).toBe("学院");
    const utf8 = Buffer.concat([
      Buffer.from("id,name,group\nE2,"),
      XUEYUAN,
      Buffer.from(",law-enforcement\n"),
    ]);
    expect(await upload("enc-utf8", "CSV", "UTF_8", utf8)).toMatchObject({
      __typename: "ImportResult",
      rows: 1,
    });
    expect(await name("E2")).toBe("ѧԺ");
  });

  it("takes UTF-8 as told, and refuses an encoding for a workbook, which says its own", async () => {
    expect(
      await upload(
        "enc-two",
        "CSV",
        "UTF_8",
        "id,name,group\nE1000,One,law-enforcement\nE1001,Two,law-enforcement\n",
      ),
    ).toEqual({ __typename: "ImportResult", rows: 2, message: "imported 2 rows" });
    expect(await upload("enc-xlsx", "XLSX", "GB18030", file)).toEqual({
      __typename: "ValidationError",
      issues: [
        { path: "encoding", message: "is for CSV and JSON files: an XLSX workbook says its own encoding" },
      ],
    });
  });
});
