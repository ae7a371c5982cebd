import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * A version, scheme or cycle that does not exist, named in a write's input, is the input's
 * mistake: a ValidationError at the field to correct, saying what there is instead, and not a
 * NotFoundError (which says the write's subject is gone) or a conflict (which says someone else
 * wrote meanwhile).
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const RESULT = `__typename ... on ValidationError { issues { path message } } ... on Error { code message }`;

  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const createCycle = async (input: Record<string, unknown>) =>
    (
      await t.gql(
        `mutation($i: CreateCycleInput!) { createCycle(input: $i) { ${RESULT} } }`,
        { i: { id: "c2091", year: 2091, name: "2091", schemeId: "city-review", schemeVersion: 2, ...input } },
        admin,
      )
    ).body.data.createCycle;

  const refused = (path: string, message: string | RegExp) => ({
    __typename: "ValidationError",
    code: "VALIDATION",
    message: typeof message === "string" ? `${path}: ${message}` : expect.stringMatching(message),
    issues: [{ path, message: typeof message === "string" ? message : expect.stringMatching(message) }],
  });

  describe("createCycle", () => {
    it("names the latest version of a scheme version that does not exist, at input.schemeVersion", async () => {
      const audit = await t.lastAuditId();
      expect(await createCycle({ schemeVersion: 9 })).toEqual(
        refused("input.schemeVersion", "scheme 'city-review' has no version 9: its latest is 2"),
      );
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("names the schemes there are for a scheme that does not exist, at input.schemeId", async () => {
      expect(await createCycle({ schemeId: "city-reveiw" })).toEqual(
        refused("input.schemeId", "no scheme 'city-reveiw': the schemes are city-review"),
      );
    });

    it("refuses an unknown copyUnitsFrom at its field, as an unknown previousCycle", async () => {
      const audit = await t.lastAuditId();
      expect(await createCycle({ copyUnitsFrom: "2091" })).toEqual(
        refused("input.copyUnitsFrom", "no cycle '2091'"),
      );
      expect(await createCycle({ previousCycle: "2091" })).toEqual(
        refused("input.previousCycle", "no cycle '2091'"),
      );
      expect(await t.lastAuditId()).toBe(audit);
      expect((await t.store.cycles.list()).map((c) => c.id)).not.toContain("c2091");
    });

    it("names a wrong copyUnitsFrom and a wrong scheme together, writing nothing", async () => {
      const audit = await t.lastAuditId();
      expect((await createCycle({ copyUnitsFrom: "2091", schemeVersion: 9 })).issues).toEqual([
        { path: "input.copyUnitsFrom", message: "no cycle '2091'" },
        { path: "input.schemeVersion", message: "scheme 'city-review' has no version 9: its latest is 2" },
      ]);
      expect(await t.lastAuditId()).toBe(audit);
      expect((await t.store.cycles.list()).map((c) => c.id)).not.toContain("c2091");
    });
  });

  it("setCycleScheme names the latest version at `version`", async () => {
    const r = await t.gql(
      `mutation { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: 9) { ${RESULT} } }`,
      {},
      admin,
    );
    expect(r.body.data.setCycleScheme).toEqual(
      refused("version", "scheme 'city-review' has no version 9: its latest is 2"),
    );
  });

  it("a scheme version that was never published is not found, saying what there is instead", async () => {
    const read = async (args: string) =>
      (await t.gql(`{ schemeVersion(${args}) { ${RESULT} } }`, {}, { as: "viewer" })).body.data.schemeVersion;
    expect(await read(`schemeId: "city-review", version: 9`)).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "scheme 'city-review' has no version 9: its latest is 2",
    });
    for (const args of [`schemeId: "city-reviews"`, `schemeId: "city-reviews", version: 1`])
      expect(await read(args)).toEqual({
        __typename: "NotFoundError",
        code: "NOT_FOUND",
        message: "no scheme 'city-reviews': the schemes are city-review",
      });
  });

  describe("publishSchemeVersion", () => {
    const publish = async (basedOn: number | null, schemeId = "city-review") => {
      const latest = await t.store.schemes.get("city-review");
      const document = { ...(latest.document as object), id: schemeId, name: `edited on ${basedOn}` };
      return (
        await t.gql(
          `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ${RESULT} } }`,
          { i: { schemeId, basedOn, document, reason: "test" } },
          admin,
        )
      ).body.data.publishSchemeVersion;
    };

    it("says a basedOn above the latest version does not exist, rather than that someone published", async () => {
      const audit = await t.lastAuditId();
      expect(await publish(99)).toEqual(
        refused("input.basedOn", "scheme 'city-review' has no version 99: its latest is 2"),
      );
      expect(await publish(1, "brand-new")).toEqual(
        refused(
          "input.basedOn",
          "scheme 'brand-new' has no versions yet, so no version 1: publish its first with basedOn: null",
        ),
      );
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("keeps the conflict for a basedOn that was the latest once, naming who published since, when and why", async () => {
      const v2 = await t.store.schemes.get("city-review", 2);
      const why = v2.reason.length > 80 ? `${v2.reason.slice(0, 80)}…` : v2.reason;
      expect(await publish(1)).toEqual({
        __typename: "ConflictError",
        code: "CONFLICT",
        message: `scheme 'city-review' is at version 2, not 1: ${v2.author} published version 2 meanwhile (at ${v2.createdAt.toISOString()}: ${JSON.stringify(why)}); reload it and reapply your edit (schemeDraftDiff shows what your draft changes against it)`,
      });
    });

    it("names every problem of a publication at once: its fields, its document and its id", async () => {
      const audit = await t.lastAuditId();
      const latest = await t.store.schemes.get("city-review");
      const document = latest.document as { categories: Record<string, unknown>[] };
      const r = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ${RESULT} } }`,
        {
          i: {
            schemeId: "city-review",
            basedOn: 0,
            reason: "",
            document: {
              ...document,
              id: "zzz",
              categories: [{ ...document.categories[0], points: -1 }, ...document.categories.slice(1)],
            },
          },
        },
        admin,
      );
      const paths = r.body.data.publishSchemeVersion.issues.map((i: { path: string }) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          "input.basedOn",
          "input.reason",
          "input.document.categories[0].points",
          "input.document.id",
        ]),
      );
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("refuses basedOn 0 at input.basedOn, as its other problems", async () => {
      expect(await publish(0)).toEqual(refused("input.basedOn", "must be a version number or null"));
      expect(await publish(-1)).toEqual(refused("input.basedOn", "must be a version number or null"));
    });
  });
});
