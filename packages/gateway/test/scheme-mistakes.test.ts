import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * An administrator's slips in publishing scheme versions, which versions, never deleted, would
 * keep for good: a scheme created under a mistyped id, a publish sent twice, a category renamed
 * by a typo in a draft. Each is told for what it is, and none is pinned on someone else.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const RESULT = `__typename ... on SchemeVersion { schemeId version author reason createdAt }
    ... on ValidationError { issues { path message } } ... on Error { code message }`;

  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  /** city-review's latest version's document, under another id when given. */
  const cityReview = async (id = "city-review"): Promise<Record<string, any>> => {
    const latest = await t.store.schemes.get("city-review");
    return structuredClone({ ...(latest.document as Record<string, any>), id });
  };

  const publish = async (
    input: {
      schemeId: string;
      basedOn: number | null;
      document: unknown;
      reason?: string;
      newScheme?: boolean;
    },
    subject = "li.admin",
  ) =>
    (
      await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ${RESULT} } }`,
        { i: { reason: "test", ...input } },
        { as: "admin", subject },
      )
    ).body.data.publishSchemeVersion;

  const schemeIds = async () => (await t.store.schemes.list()).map((s) => s.schemeId);

  /**
   * Two publishes that both read that the scheme has no version and then insert: on PostgreSQL
   * each waits at its insert until both have read, and the first to insert wins; PGlite runs one
   * transaction at a time, so the later one sees the first.
   */
  async function atOnce<T>(publishBoth: () => Promise<T>): Promise<T> {
    if (backend !== "postgres") return publishBoth();
    let racing: Promise<T> | undefined;
    await t.db.transaction(async (tx) => {
      await tx.query("LOCK TABLE scheme_versions IN SHARE ROW EXCLUSIVE MODE");
      racing = publishBoth();
      for (let i = 0; i < 400; i++) {
        const [w] = await tx.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM pg_locks WHERE relation = 'scheme_versions'::regclass AND NOT granted",
        );
        if (w?.n === "2") break;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    return racing!;
  }

  describe("a new scheme like one there is", () => {
    it("refuses an id spelt close to an existing scheme's, and its rules copied, saying how to do either", async () => {
      const audit = await t.lastAuditId();
      const r = await publish({
        schemeId: "city-reivew",
        basedOn: null,
        document: await cityReview("city-reivew"),
      });
      expect(r).toMatchObject({
        __typename: "ValidationError",
        issues: [
          {
            path: "input.schemeId",
            message:
              "a scheme 'city-review' exists (at version 2): to publish a new version of it, pass schemeId \"city-review\" and basedOn: 2; to create 'city-reivew' beside it, pass newScheme: true",
          },
          {
            path: "input.document",
            message:
              "the rules are those of scheme 'city-review' version 2, its latest (id, name and description aside): a scheme's rules copied under a new id are most often a publication under a mistaken id; to create 'city-reivew' with them beside it, pass newScheme: true",
          },
        ],
      });
      expect(await t.lastAuditId()).toBe(audit);
      expect(await schemeIds()).toEqual(["city-review"]);
    });

    it("reads a close spelling as a misspelt field is read: case, a letter, two letters swapped", async () => {
      for (const schemeId of ["City-Review", "city-reveiw", "city-reviews", "cty-review"]) {
        const document = { ...(await cityReview(schemeId)), name: "another review", bonusCap: 5 };
        const r = await publish({ schemeId, basedOn: null, document });
        expect(r.issues, schemeId).toEqual([
          { path: "input.schemeId", message: expect.stringMatching(/^a scheme 'city-review' exists/) },
        ]);
      }
      expect(await schemeIds()).toEqual(["city-review"]);
    });

    it("refuses another scheme's rules under an id nothing like it, retitled or not", async () => {
      const document: Record<string, any> = {
        ...(await cityReview("district-audit")),
        name: "District audit",
        description: "copied",
      };
      const r = await publish({ schemeId: "district-audit", basedOn: null, document });
      expect(r.issues).toEqual([
        {
          path: "input.document",
          message: expect.stringMatching(
            /^the rules are those of scheme 'city-review' version 2, its latest/,
          ),
        },
      ]);
      // Decimals read by value, as "nothing changed" reads them: 30.0 is 30.
      document.categories[0].points = "30.0";
      expect((await publish({ schemeId: "district-audit", basedOn: null, document })).issues).toHaveLength(1);
    });

    it("creates either with newScheme: true, and a scheme like none without it", async () => {
      const confirmed = await publish({
        schemeId: "city-reivew",
        basedOn: null,
        document: await cityReview("city-reivew"),
        newScheme: true,
      });
      expect(confirmed).toMatchObject({ __typename: "SchemeVersion", schemeId: "city-reivew", version: 1 });
      const own = { ...(await cityReview("district-audit")), bonusCap: 5 };
      expect(await publish({ schemeId: "district-audit", basedOn: null, document: own })).toMatchObject({
        __typename: "SchemeVersion",
        version: 1,
      });
      // Now there, the confirmed scheme is told apart from the one it resembles: none is refused
      // for the other, and a version of it needs no confirming.
      const next = { ...(await cityReview("city-reivew")), bonusCap: 3 };
      expect(await publish({ schemeId: "city-reivew", basedOn: 1, document: next })).toMatchObject({
        __typename: "SchemeVersion",
        version: 2,
      });
    });

    it("refuses newScheme: true on a new version, which it does not confirm", async () => {
      const document = { ...(await cityReview()), bonusCap: 7 };
      const r = await publish({ schemeId: "city-review", basedOn: 2, document, newScheme: true });
      expect(r.issues).toEqual([
        {
          path: "input.newScheme",
          message:
            "confirms a new scheme, which is published with basedOn: null; basedOn: 2 publishes a new version of 'city-review': leave newScheme out for that",
        },
      ]);
      expect((await t.store.schemes.get("city-review")).version).toBe(2);
    });
  });

  describe("a publish sent twice", () => {
    it("answers the version the first one made, writing nothing more", async () => {
      const document = { ...(await cityReview()), bonusCap: 2 };
      const input = { schemeId: "city-review", basedOn: 2, document, reason: "a bonus for innovation" };
      const first = await publish(input);
      expect(first).toMatchObject({ __typename: "SchemeVersion", version: 3, author: "li.admin" });
      const audit = await t.lastAuditId();
      expect(await publish(input)).toEqual(first);
      expect(await t.lastAuditId()).toBe(audit);
      expect((await t.store.schemes.versions("city-review")).map((v) => v.version)).toEqual([1, 2, 3]);
      // Still so once a colleague has published since: the request did succeed, as version 3.
      const next = { ...(await cityReview()), bonusCap: 4 };
      expect(
        await publish({ schemeId: "city-review", basedOn: 3, document: next }, "wang.admin"),
      ).toMatchObject({
        version: 4,
      });
      expect(await publish(input)).toEqual(first);
    });

    it("says a draft is already a version, by whom, rather than that someone's edit is to be reapplied", async () => {
      const v3 = await t.store.schemes.get("city-review", 3);
      const at = v3.createdAt.toISOString();
      const document = { ...(await cityReview()), bonusCap: 2 };
      const audit = await t.lastAuditId();
      // The same rules with another reason: a version keeps the reason it was published with.
      expect(
        await publish({ schemeId: "city-review", basedOn: 2, document, reason: "innovation bonus" }),
      ).toEqual({
        __typename: "ConflictError",
        code: "CONFLICT",
        message: `your draft is already version 3 of scheme 'city-review', published by you at ${at} ("a bonus for innovation"): nothing more to publish; the scheme is now at version 4`,
      });
      // Another administrator's draft of the same rules.
      expect(await publish({ schemeId: "city-review", basedOn: 2, document }, "zhao.admin")).toMatchObject({
        __typename: "ConflictError",
        message: `your draft is already version 3 of scheme 'city-review': li.admin published it meanwhile (at ${at}: "a bonus for innovation"): nothing more to publish; the scheme is now at version 4`,
      });
      expect(await t.lastAuditId()).toBe(audit);
      // Other rules on a stale version are still a race lost, naming the winner.
      const other = { ...document, bonusCap: 9 };
      expect((await publish({ schemeId: "city-review", basedOn: 2, document: other })).message).toMatch(
        /^scheme 'city-review' is at version 4, not 2: wang\.admin published version 4 meanwhile/,
      );
    });

    it("answers a new scheme created twice, also when both are sent at once", async () => {
      const document = { ...(await cityReview("twice")), bonusCap: 11 };
      const input = { schemeId: "twice", basedOn: null, document, reason: "a scheme of its own" };
      const both = await atOnce(() => Promise.all([publish(input), publish(input)]));
      expect(both[0]).toMatchObject({ __typename: "SchemeVersion", version: 1 });
      expect(both[1]).toEqual(both[0]);
      expect(await publish(input)).toEqual(both[0]);
      expect((await t.store.schemes.versions("twice")).length).toBe(1);
      // By someone else, it is told, not answered as theirs.
      expect(await publish(input, "wang.admin")).toMatchObject({
        __typename: "ConflictError",
        message: expect.stringMatching(
          /^your draft is already version 1 of scheme 'twice': li\.admin published it/,
        ),
      });
    });
  });

  describe("a draft renaming a category", () => {
    /** city-review's latest rules with category `public` renamed `pubilc`. */
    const renamed = async () => {
      const document = await cityReview();
      for (const c of document.categories) if (c.id === "public") c.id = "pubilc";
      document.ranking.tieBreakers = document.ranking.tieBreakers.map((b: { category: string }) =>
        b.category === "public" ? { category: "pubilc" } : b,
      );
      return document;
    };

    it("diffs it as removed and added, each naming the other as a likely rename", async () => {
      const r = await t.gql(
        `query($d: JSON!) { schemeDraftDiff(schemeId: "city-review", document: $d) {
          ... on SchemeDiff { changes { path kind renamedTo renamedFrom } } ... on Error { message } } }`,
        { d: await renamed() },
        admin,
      );
      expect(r.body.data.schemeDraftDiff.changes).toEqual([
        { path: "categories[id=public]", kind: "REMOVED", renamedTo: "pubilc", renamedFrom: null },
        { path: "categories[id=pubilc]", kind: "ADDED", renamedTo: null, renamedFrom: "public" },
        { path: "ranking.tieBreakers[0].category", kind: "CHANGED", renamedTo: null, renamedFrom: null },
      ]);
    });

    it("previews it as the draft dropping the category the records name, not as records to correct", async () => {
      const r = await t.gql(
        `mutation($d: JSON!) { previewSchemeImpact(cycleId: "2019", document: $d) {
          __typename ... on ValidationError { message issues { path message } } } }`,
        { d: await renamed() },
        admin,
      );
      const refusal = r.body.data.previewSchemeImpact;
      expect(refusal.__typename).toBe("ValidationError");
      expect(refusal.issues[0]).toEqual({
        path: "dataset.surveyTallies[0].category",
        message:
          'survey tally of respondent group "deputies" for unit "U01" names category "public", which the cycle\'s version has and this version drops (renamed to "pubilc"?)',
      });
      expect(refusal.message).not.toContain("did you mean");
      expect(
        refusal.issues.every((i: { message: string }) =>
          i.message.endsWith(
            'names category "public", which the cycle\'s version has and this version drops (renamed to "pubilc"?)',
          ),
        ),
      ).toBe(true);
    });

    it("refuses a move to a version that renames it in the same words, and diffs the versions so", async () => {
      const latest = await t.store.schemes.get("city-review");
      const published = await publish({
        schemeId: "city-review",
        basedOn: latest.version,
        document: await renamed(),
        reason: "public renamed",
      });
      expect(published.__typename).toBe("SchemeVersion");
      const v = published.version;
      const moved = await t.gql(
        `mutation($v: Int!) { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: $v) {
          __typename ... on ValidationError { issues { path message } } } }`,
        { v },
        admin,
      );
      expect(moved.body.data.setCycleScheme.issues[0]).toEqual({
        path: "dataset.surveyTallies[0].category",
        message: `survey tally of respondent group "deputies" for unit "U01" names category "public", which the cycle's version has and this version drops (renamed to "pubilc"?)`,
      });
      const diff = await t.gql(
        `query($f: Int!, $t: Int!) { schemeDiff(schemeId: "city-review", from: $f, to: $t) {
          ... on SchemeDiff { changes { path renamedTo renamedFrom } } } }`,
        { f: v, t: latest.version },
        admin,
      );
      // Read backwards, the rename is the other way round.
      expect(diff.body.data.schemeDiff.changes.slice(0, 2)).toEqual([
        { path: "categories[id=pubilc]", renamedTo: "public", renamedFrom: null },
        { path: "categories[id=public]", renamedTo: null, renamedFrom: "pubilc" },
      ]);
    });
  });
});
