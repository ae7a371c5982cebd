import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * A published version withdrawn by an administrator (a wrong points value found after
 * publishing): kept, readable and diffable, marked with who, when and why, and no cycle put on
 * it again, while the cycles already on a version keep it from being withdrawn.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const as = (subject: string) => ({ as: "admin" as const, subject });

  const VERSION = `__typename ... on SchemeVersion { schemeId version withdrawn { at by reason } }
    ... on ValidationError { issues { path message } } ... on Error { code message }`;
  const CYCLE = `__typename ... on Cycle { id schemeVersion }
    ... on ValidationError { issues { path message } } ... on Error { code message }`;

  const scheme = (outOf: number, id: string) => ({
    id,
    name: id,
    categories: [{ id: "business", name: "B", points: 100, method: { kind: "direct", outOf } }],
    groups: [{ id: "g", name: "G" }],
  });

  /** Versions 1 to `count` of scheme `id`, by ann. */
  const published = async (id: string, count: number) => {
    for (let v = 1; v <= count; v++) {
      const r = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ${VERSION} } }`,
        {
          i: {
            schemeId: id,
            basedOn: v === 1 ? null : v - 1,
            document: scheme(10 * v, id),
            reason: `out of ${10 * v}`,
            ...(v === 1 ? { newScheme: true } : {}),
          },
        },
        as("ann"),
      );
      expect(r.body.data.publishSchemeVersion).toMatchObject({ __typename: "SchemeVersion", version: v });
    }
  };

  /** `subject`'s draft of scheme `schemeId`, business out of `outOf`, sent with `basedOn`. */
  const publishAs = async (
    subject: string,
    schemeId: string,
    draft: { basedOn: number; outOf: number; reason: string },
  ) =>
    (
      await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ${VERSION} } }`,
        {
          i: {
            schemeId,
            basedOn: draft.basedOn,
            document: scheme(draft.outOf, schemeId),
            reason: draft.reason,
          },
        },
        as(subject),
      )
    ).body.data.publishSchemeVersion;

  const withdraw = async (input: Record<string, unknown>, subject = "ann") =>
    (
      await t.gql(
        `mutation($i: WithdrawSchemeVersionInput!) { withdrawSchemeVersion(input: $i) { ${VERSION} } }`,
        { i: input },
        as(subject),
      )
    ).body.data.withdrawSchemeVersion;
  const createCycle = async (id: string, schemeId: string, schemeVersion: number) =>
    (
      await t.gql(
        `mutation($i: CreateCycleInput!) { createCycle(input: $i) { ${CYCLE} } }`,
        { i: { id, year: 2040, name: id, schemeId, schemeVersion } },
        as("ann"),
      )
    ).body.data.createCycle;
  const setScheme = async (cycleId: string, schemeId: string, version: number, extra = "") =>
    (
      await t.gql(
        `mutation($c: ID!, $s: ID!, $v: Int!) { setCycleScheme(cycleId: $c, schemeId: $s, version: $v${extra}) { ${CYCLE} } }`,
        { c: cycleId, s: schemeId, v: version },
        as("bob"),
      )
    ).body.data.setCycleScheme;
  const refusal = (path: string, message: string) => ({
    __typename: "ValidationError",
    code: "VALIDATION",
    message: `${path}: ${message}`,
    issues: [{ path, message }],
  });

  beforeAll(async () => {
    t = await startTestServer({ backend });
    // wd: v1 and v2 hold cycles; v3 is withdrawn; v4, the latest, stays usable.
    await published("wd", 4);
    expect(await createCycle("wd-open", "wd", 1)).toMatchObject({ __typename: "Cycle" });
    expect(await createCycle("wd-final", "wd", 2)).toMatchObject({ __typename: "Cycle" });
    // Frozen as finaliseCycle leaves it; a cycle without records has no ranking to finalise.
    await t.db.query("UPDATE cycles SET status = 'finalised', finalised_at = now() WHERE id = 'wd-final'");
  });
  afterAll(() => t?.close());

  describe("a version withdrawn", () => {
    let at: string;
    beforeAll(async () => {
      const r = await withdraw({ schemeId: "wd", version: 3, reason: "  business is out of 30, not 300  " });
      expect(r).toMatchObject({
        __typename: "SchemeVersion",
        version: 3,
        withdrawn: { by: "ann", reason: "business is out of 30, not 300" },
      });
      at = r.withdrawn.at;
    });

    it("is kept, listed, read and diffed, marked with who, when and why", async () => {
      expect(Date.now() - Date.parse(at)).toBeLessThan(60_000);
      const r = await t.gql(
        `{ schemeVersions(schemeId: "wd") { edges { node { version withdrawn { by reason } } } }
           schemeVersion(schemeId: "wd", version: 3) { ... on SchemeVersion { document maximum withdrawn { at } } }
           latest: schemeVersion(schemeId: "wd") { ... on SchemeVersion { version withdrawn { at } } }
           schemeDiff(schemeId: "wd", from: 2, to: 3) { ... on SchemeDiff { changes { path } } }
           schemes { schemeId latestVersion latestUsableVersion } }`,
        {},
        { as: "viewer" },
      );
      expect(r.body.errors).toBeUndefined();
      const withdrawn = { by: "ann", reason: "business is out of 30, not 300" };
      expect(r.body.data.schemeVersions.edges.map((e: any) => e.node)).toEqual([
        { version: 1, withdrawn: null },
        { version: 2, withdrawn: null },
        { version: 3, withdrawn },
        { version: 4, withdrawn: null },
      ]);
      expect(r.body.data.schemeVersion).toMatchObject({ document: scheme(30, "wd"), withdrawn: { at } });
      expect(r.body.data.latest).toEqual({ version: 4, withdrawn: null });
      expect(r.body.data.schemeDiff.changes.length).toBeGreaterThan(0);
      expect(r.body.data.schemes).toContainEqual({
        schemeId: "wd",
        latestVersion: 4,
        latestUsableVersion: 4,
      });
    });

    it("is in the audit log with its reason", async () => {
      const r = await t.gql(
        `{ auditLog(actions: ["withdraw"], first: 1) { edges { node { actor action entity entityId cycleId before after reason } } } }`,
        {},
        as("auditor"),
      );
      expect(r.body.data.auditLog.edges[0].node).toEqual({
        actor: "ann",
        action: "withdraw",
        entity: "scheme_version",
        entityId: "wd@3",
        cycleId: null,
        before: { schemeId: "wd", version: 3, withdrawn: null },
        after: {
          schemeId: "wd",
          version: 3,
          withdrawn: { at, by: "ann", reason: "business is out of 30, not 300" },
        },
        reason: "business is out of 30, not 300",
      });
    });

    it("is answered again, writing nothing, when the same withdrawal is sent again", async () => {
      const audit = await t.lastAuditId();
      const again = await withdraw({ schemeId: "wd", version: 3, reason: "business is out of 30, not 300 " });
      expect(again).toEqual({
        __typename: "SchemeVersion",
        schemeId: "wd",
        version: 3,
        withdrawn: { at, by: "ann", reason: "business is out of 30, not 300" },
      });
      // With another reason, or by someone else, it is already withdrawn: by whom, when and why.
      expect(await withdraw({ schemeId: "wd", version: 3, reason: "wrong" })).toEqual(
        refusal(
          "input.version",
          `scheme 'wd' version 3 was already withdrawn by you at ${at} ("business is out of 30, not 300"): nothing to withdraw`,
        ),
      );
      expect(
        await withdraw({ schemeId: "wd", version: 3, reason: "business is out of 30, not 300" }, "bob"),
      ).toEqual(
        refusal(
          "input.version",
          `scheme 'wd' version 3 was already withdrawn by ann at ${at} ("business is out of 30, not 300"): nothing to withdraw`,
        ),
      );
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("takes no new cycle and no cycle moved onto it, forced or not, pointing to the latest not withdrawn", async () => {
      const audit = await t.lastAuditId();
      const why = `scheme 'wd' version 3 was withdrawn by ann at ${at} ("business is out of 30, not 300"): no cycle may be put on it; use version 4, the latest not withdrawn`;
      expect(await createCycle("wd-new", "wd", 3)).toEqual(refusal("input.schemeVersion", why));
      expect(await setScheme("wd-open", "wd", 3)).toEqual(refusal("version", why));
      expect(await setScheme("wd-open", "wd", 3, `, force: true, reason: "on purpose"`)).toEqual(
        refusal("version", why),
      );
      expect(await t.lastAuditId()).toBe(audit);
      expect((await t.store.cycles.get("wd-open")).schemeVersion).toBe(1);
    });

    it("is still previewed, by its document", async () => {
      const document = (await t.store.schemes.get("wd", 3)).document;
      const r = await t.gql(
        `mutation($d: JSON!) { previewSchemeImpact(cycleId: "wd-open", document: $d) { __typename ... on Error { message } } }`,
        { d: document },
        as("ann"),
      );
      expect(r.body.data.previewSchemeImpact.__typename).toBe("RankMovements");
    });
  });

  describe("a withdrawal refused", () => {
    it("for a version a cycle is on: an open one is moved first, a finalised one keeps it", async () => {
      const audit = await t.lastAuditId();
      expect(await withdraw({ schemeId: "wd", version: 1, reason: "superseded" })).toEqual(
        refusal(
          "input.version",
          "cycle 'wd-open' is on scheme 'wd' version 1: move it to another version first (setCycleScheme), then withdraw it",
        ),
      );
      const { finalisedAt } = await t.store.cycles.get("wd-final");
      expect(await withdraw({ schemeId: "wd", version: 2, reason: "superseded" })).toEqual(
        refusal(
          "input.version",
          `cycle 'wd-final' (finalised at ${finalisedAt!.toISOString()}) was scored under scheme 'wd' version 2: a version a finalised ranking was scored under cannot be withdrawn`,
        ),
      );
      expect(await t.lastAuditId()).toBe(audit);
      // Moved off it, the version is withdrawn.
      expect(await setScheme("wd-open", "wd", 4)).toMatchObject({ __typename: "Cycle", schemeVersion: 4 });
      expect(await withdraw({ schemeId: "wd", version: 1, reason: "superseded" })).toMatchObject({
        withdrawn: { by: "ann", reason: "superseded" },
      });
    });

    it("for a version many cycles are on, naming five, saying to publish another where it is the only one not withdrawn", async () => {
      await published("wd-many", 1);
      for (const id of ["m1", "m2", "m3", "m4", "m5", "m6", "m7"])
        expect(await createCycle(id, "wd-many", 1)).toMatchObject({ __typename: "Cycle" });
      expect(await withdraw({ schemeId: "wd-many", version: 1, reason: "superseded" })).toEqual(
        refusal(
          "input.version",
          "cycles 'm1', 'm2', 'm3', 'm4', 'm5' and 2 more are on scheme 'wd-many' version 1, the only version of the scheme not withdrawn: publish another first (publishSchemeVersion with basedOn: 1), then move them there (setCycleScheme) and withdraw this one",
        ),
      );
      // The others withdrawn: none to move the cycle to either.
      await published("wd-last", 2);
      expect(await withdraw({ schemeId: "wd-last", version: 1, reason: "superseded" })).toMatchObject({
        __typename: "SchemeVersion",
      });
      expect(await createCycle("wd-last-c", "wd-last", 2)).toMatchObject({ __typename: "Cycle" });
      expect(await withdraw({ schemeId: "wd-last", version: 2, reason: "superseded" })).toEqual(
        refusal(
          "input.version",
          "cycle 'wd-last-c' is on scheme 'wd-last' version 2, the only version of the scheme not withdrawn: publish another first (publishSchemeVersion with basedOn: 2), then move it there (setCycleScheme) and withdraw this one",
        ),
      );
    });

    it("for a version or scheme never published, and without a reason in words", async () => {
      const audit = await t.lastAuditId();
      expect(await withdraw({ schemeId: "wd", version: 9, reason: "typo" })).toEqual(
        refusal("input.version", "scheme 'wd' has no version 9: its latest is 4"),
      );
      expect((await withdraw({ schemeId: "wdd", version: 1, reason: "typo" })).issues[0].message).toMatch(
        /^no scheme 'wdd': the schemes are /,
      );
      expect(await withdraw({ schemeId: "wd", version: 4, reason: "   " })).toEqual(
        refusal("input.reason", "say why the version is withdrawn"),
      );
      expect(await withdraw({ schemeId: "wd", version: 4, reason: " ... " })).toEqual(
        refusal(
          "input.reason",
          "say why the version is withdrawn, in words (punctuation alone says nothing)",
        ),
      );
      expect(await withdraw({ schemeId: "wd", version: 4, reason: ` ${"x".repeat(2001)} ` })).toEqual(
        refusal("input.reason", "has 2001 characters: at most 2,000"),
      );
      expect(await withdraw({ schemeId: "wd", version: 0, reason: "typo" })).toEqual(
        refusal("input.version", "must be a version number (1 or more)"),
      );
      expect(await t.lastAuditId()).toBe(audit);
    });

    it("to anyone but an administrator", async () => {
      const mutation = `mutation { withdrawSchemeVersion(input: { schemeId: "wd", version: 4, reason: "no" }) { __typename } }`;
      for (const role of ["viewer", "analyst"] as const)
        expect((await t.gql(mutation, {}, { as: role })).body.errors?.[0]?.extensions?.code).toBe(
          "FORBIDDEN",
        );
      expect((await t.store.schemes.get("wd", 4)).withdrawn).toBeNull();
    });
  });

  it("leaves a scheme whose every version is withdrawn unusable until a new version is published on the latest", async () => {
    await published("wd-all", 2);
    for (const version of [1, 2])
      expect(await withdraw({ schemeId: "wd-all", version, reason: "the wrong rules" })).toMatchObject({
        __typename: "SchemeVersion",
      });
    const { at } = (await t.store.schemes.get("wd-all", 1)).withdrawn!;
    // The latest withdrawal, after every publication, is when the scheme last changed.
    const schemes = (await t.gql(`{ schemes { schemeId updatedAt } }`, {}, as("ann"))).body.data.schemes;
    expect(schemes.find((s: { schemeId: string }) => s.schemeId === "wd-all").updatedAt).toBe(
      (await t.store.schemes.get("wd-all", 2)).withdrawn!.at.toISOString(),
    );
    expect(await createCycle("wd-all-c", "wd-all", 1)).toEqual(
      refusal(
        "input.schemeVersion",
        `scheme 'wd-all' version 1 was withdrawn by ann at ${at.toISOString()} ("the wrong rules"): no cycle may be put on it; every version of scheme 'wd-all' is withdrawn, so none can take a cycle: publish a new one (publishSchemeVersion with basedOn: 2)`,
      ),
    );
    expect((await t.store.schemes.list()).find((s) => s.schemeId === "wd-all")).toMatchObject({
      latestVersion: 2,
      latestUsableVersion: null,
    });
    // Numbering goes on from the highest version, withdrawn or not.
    const r = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ... on SchemeVersion { version basedOn withdrawn { at } } } }`,
      { i: { schemeId: "wd-all", basedOn: 2, document: scheme(70, "wd-all"), reason: "the right rules" } },
      as("ann"),
    );
    expect(r.body.data.publishSchemeVersion).toEqual({ version: 3, basedOn: 2, withdrawn: null });
    expect(await createCycle("wd-all-c", "wd-all", 3)).toMatchObject({ __typename: "Cycle" });
  });

  it("publishes a withdrawn latest version's rules again as a new version, as a withdrawal leaves to do", async () => {
    // Version 2 withdrawn by mistake (or its rules wanted back after all): the same rules again.
    await published("wd-restore", 2);
    const again = () =>
      publishAs("bob", "wd-restore", { basedOn: 2, outOf: 20, reason: "the rules of version 2" });
    // While version 2 is usable, its rules again are a version that changes nothing.
    expect(await again()).toEqual(
      refusal(
        "input.document",
        "nothing changed from version 2: the rules are those of that version (`version` and `$schema` are not rules), so there is nothing to publish",
      ),
    );
    expect(
      await withdraw({ schemeId: "wd-restore", version: 2, reason: "withdrawn too soon" }),
    ).toMatchObject({
      __typename: "SchemeVersion",
    });
    expect(await again()).toMatchObject({ __typename: "SchemeVersion", version: 3, withdrawn: null });
    expect((await t.store.schemes.get("wd-restore", 3)).document).toMatchObject(scheme(20, "wd-restore"));
    expect(await createCycle("wd-restore-c", "wd-restore", 3)).toMatchObject({ __typename: "Cycle" });
  });

  it("tells a draft based on the latest usable version that every later one is withdrawn, by whom and why, and which basedOn to send", async () => {
    // One cycle back: version 3 had the wrong rules and was withdrawn, version 2 is in use.
    await published("wd-back", 3);
    expect(await withdraw({ schemeId: "wd-back", version: 3, reason: "business out of 300" })).toMatchObject({
      __typename: "SchemeVersion",
    });
    const publish = (basedOn: number) =>
      publishAs("bob", "wd-back", { basedOn, outOf: 25, reason: "out of 25" });
    const at3 = (await t.store.schemes.get("wd-back", 3)).withdrawn!.at.toISOString();
    const audit = await t.lastAuditId();
    expect(await publish(2)).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      message: `scheme 'wd-back' is at version 3, not 2, and version 3 is withdrawn: version 3 by ann at ${at3} ("business out of 300"). A withdrawn version keeps its number: to publish your document as sent, as version 4, pass basedOn: 3 (nothing of a withdrawn version goes into it)`,
    });
    expect(await t.lastAuditId()).toBe(audit);
    // Two withdrawn since, the newest named first.
    await published("wd-back2", 4);
    for (const version of [4, 3])
      expect(await withdraw({ schemeId: "wd-back2", version, reason: `v${version} wrong` })).toMatchObject({
        __typename: "SchemeVersion",
      });
    const [at3b, at4b] = await Promise.all(
      [3, 4].map(async (v) => (await t.store.schemes.get("wd-back2", v)).withdrawn!.at.toISOString()),
    );
    const before = await t.lastAuditId();
    const r = await publishAs("bob", "wd-back2", { basedOn: 2, outOf: 25, reason: "out of 25" });
    expect(r.message).toBe(
      `scheme 'wd-back2' is at version 4, not 2, and versions 3 and 4 are withdrawn: version 4 by ann at ${at4b} ("v4 wrong"); version 3 by ann at ${at3b} ("v3 wrong"). A withdrawn version keeps its number: to publish your document as sent, as version 5, pass basedOn: 4 (nothing of a withdrawn version goes into it)`,
    );
    expect(await t.lastAuditId()).toBe(before);
    // As the refusal says: the document as sent, after the withdrawn version.
    expect(await publish(3)).toMatchObject({ __typename: "SchemeVersion", version: 4, withdrawn: null });
    expect((await t.store.schemes.get("wd-back", 4)).document).toMatchObject(scheme(25, "wd-back"));
  });

  it("tells a draft based on an older version which colleague's version to reapply the edit onto, when a later one is withdrawn, and which basedOn to send", async () => {
    // Bob edits from version 2; meanwhile carol publishes version 3, and ann publishes and withdraws 4.
    await published("wd-mix", 2);
    const publish = (subject: string, basedOn: number, outOf: number, reason: string) =>
      publishAs(subject, "wd-mix", { basedOn, outOf, reason });
    expect(await publish("carol", 2, 30, "out of 30")).toMatchObject({
      __typename: "SchemeVersion",
      version: 3,
    });
    expect(await publish("ann", 3, 40, "out of 40")).toMatchObject({
      __typename: "SchemeVersion",
      version: 4,
    });
    expect(
      await withdraw({ schemeId: "wd-mix", version: 4, reason: "business out of 400" }, "dave"),
    ).toMatchObject({
      __typename: "SchemeVersion",
    });
    const at3 = (await t.store.schemes.get("wd-mix", 3)).createdAt.toISOString();
    const at4 = (await t.store.schemes.get("wd-mix", 4)).withdrawn!.at.toISOString();
    const audit = await t.lastAuditId();
    expect(await publish("bob", 2, 25, "out of 25")).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      message: `scheme 'wd-mix' is at version 4, not 2. Published meanwhile: version 3 by carol at ${at3} ("out of 30"). Withdrawn: version 4 by dave at ${at4} ("business out of 400"). Reload version 3, the latest usable, reapply your edit onto it (schemeDraftDiff shows what your draft changes against it) and publish with basedOn: 4 (a withdrawn version keeps its number; nothing of it goes into yours)`,
    });
    expect(await t.lastAuditId()).toBe(audit);
    // A draft whose rules carol's version holds is still told it is already published.
    expect((await publish("bob", 2, 30, "out of 30 too")).message).toMatch(
      /^your draft is already version 3 of scheme 'wd-mix': carol published it meanwhile .*; the scheme is now at version 4$/,
    );
    // As the refusal says: the edit onto version 3, sent with basedOn: 4.
    expect(await publish("bob", 4, 25, "out of 25")).toMatchObject({
      __typename: "SchemeVersion",
      version: 5,
    });
  });

  it("names an earlier version withdrawn since a draft's base, though the newest is usable, and refuses a draft of its rules as not published", async () => {
    // Bob edits from version 1; meanwhile ann publishes version 2, withdrawn, and carol version 3.
    await published("wd-early", 2);
    expect(await withdraw({ schemeId: "wd-early", version: 2, reason: "public out of 200" })).toMatchObject({
      __typename: "SchemeVersion",
    });
    const publish = (subject: string, basedOn: number, outOf: number, reason: string) =>
      publishAs(subject, "wd-early", { basedOn, outOf, reason });
    expect(await publish("carol", 2, 30, "out of 30")).toMatchObject({
      __typename: "SchemeVersion",
      version: 3,
    });
    const at2 = (await t.store.schemes.get("wd-early", 2)).withdrawn!.at.toISOString();
    const at3 = (await t.store.schemes.get("wd-early", 3)).createdAt.toISOString();
    const audit = await t.lastAuditId();
    const told = `scheme 'wd-early' is at version 3, not 1. Published meanwhile: version 3 by carol at ${at3} ("out of 30"). Withdrawn: version 2 by ann at ${at2} ("public out of 200"). Reload version 3, the latest usable, reapply your edit onto it (schemeDraftDiff shows what your draft changes against it) and publish with basedOn: 3`;
    expect(await publish("bob", 1, 25, "out of 25")).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      message: told,
    });
    // A draft of version 2's rules is not "already version 2": those rules were withdrawn.
    expect((await publish("bob", 1, 20, "out of 20 too")).message).toBe(told);
    expect(await t.lastAuditId()).toBe(audit);
    expect(await publish("bob", 3, 25, "out of 25")).toMatchObject({
      __typename: "SchemeVersion",
      version: 4,
    });
  });

  it("refuses a publication sent again once the version it made is withdrawn, not answering that version as published", async () => {
    // Bob publishes version 3 and his answer is lost; dave withdraws it; bob's client sends it again.
    await published("wd-again", 2);
    const publish = (subject: string, basedOn: number, outOf: number, reason: string) =>
      publishAs(subject, "wd-again", { basedOn, outOf, reason });
    expect(await publish("bob", 2, 25, "r2 test")).toMatchObject({ __typename: "SchemeVersion", version: 3 });
    // Not withdrawn, the version it made answers the request sent again.
    expect(await publish("bob", 2, 25, "r2 test")).toMatchObject({
      __typename: "SchemeVersion",
      version: 3,
      withdrawn: null,
    });
    expect(
      await withdraw({ schemeId: "wd-again", version: 3, reason: "business out of 25 not agreed" }, "dave"),
    ).toMatchObject({ __typename: "SchemeVersion" });
    const v3 = await t.store.schemes.get("wd-again", 3);
    const at3 = v3.createdAt.toISOString();
    const out3 = v3.withdrawn!.at.toISOString();
    const made = `you published this document as version 3 of scheme 'wd-again' at ${at3} ("r2 test"), and version 3 was withdrawn since, so nothing was published now.`;
    const audit = await t.lastAuditId();
    expect(await publish("bob", 2, 25, "r2 test")).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      message: `${made} Scheme 'wd-again' is at version 3, not 2, and version 3 is withdrawn: version 3 by dave at ${out3} ("business out of 25 not agreed"). A withdrawn version keeps its number: to publish your document as sent, as version 4, pass basedOn: 3 (nothing of a withdrawn version goes into it)`,
    });
    // A colleague's version since: the edit goes onto it.
    expect(await publish("carol", 3, 30, "out of 30")).toMatchObject({
      __typename: "SchemeVersion",
      version: 4,
    });
    const at4 = (await t.store.schemes.get("wd-again", 4)).createdAt.toISOString();
    const audit4 = await t.lastAuditId();
    expect((await publish("bob", 2, 25, "r2 test")).message).toBe(
      `${made} Scheme 'wd-again' is at version 4, not 2. Published meanwhile: version 4 by carol at ${at4} ("out of 30"). Withdrawn: version 3 by dave at ${out3} ("business out of 25 not agreed"). Reload version 4, the latest usable, reapply your edit onto it (schemeDraftDiff shows what your draft changes against it) and publish with basedOn: 4`,
    );
    expect(await t.lastAuditId()).toBe(audit4);
    expect(audit4).not.toBe(audit);
    expect((await t.store.schemes.list()).find((s) => s.schemeId === "wd-again")?.latestVersion).toBe(4);
  });

  it("refuses a new scheme's first publication sent again once its version is withdrawn", async () => {
    const first = async () =>
      (
        await t.gql(
          `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { ${VERSION} } }`,
          {
            i: {
              schemeId: "wd-first",
              basedOn: null,
              document: scheme(10, "wd-first"),
              reason: "first rules",
              newScheme: true,
            },
          },
          as("bob"),
        )
      ).body.data.publishSchemeVersion;
    expect(await first()).toMatchObject({ __typename: "SchemeVersion", version: 1 });
    expect(await withdraw({ schemeId: "wd-first", version: 1, reason: "wrong scheme" })).toMatchObject({
      __typename: "SchemeVersion",
    });
    const v1 = await t.store.schemes.get("wd-first", 1);
    const audit = await t.lastAuditId();
    expect(await first()).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      message: `you published this document as version 1 of scheme 'wd-first' at ${v1.createdAt.toISOString()} ("first rules"), and version 1 was withdrawn since, so nothing was published now. Scheme 'wd-first' is at version 1, and version 1 is withdrawn: version 1 by ann at ${v1.withdrawn!.at.toISOString()} ("wrong scheme"). A withdrawn version keeps its number: to publish your document as sent, as version 2, pass basedOn: 1 (nothing of a withdrawn version goes into it)`,
    });
    expect(await t.lastAuditId()).toBe(audit);
  });

  /**
   * A withdrawal and a move onto the same version at once: exactly one wins, and the other says
   * why. On PostgreSQL both wait on the version's row, held by the test, `first` queued first,
   * which wins; PGlite runs one transaction at a time, whichever came first.
   */
  describe.each(["withdraw", "move"] as const)("a withdrawal racing a move, the %s sent first", (first) => {
    it("lets exactly one through, the other saying why", async () => {
      const id = `race-${first}`;
      await published(id, 2);
      expect(await createCycle(`${id}-c`, id, 1)).toMatchObject({ __typename: "Cycle" });
      const withdrawing = () => withdraw({ schemeId: id, version: 2, reason: "points wrong" });
      const moving = () => setScheme(`${id}-c`, id, 2);
      const send = () => {
        const a = first === "withdraw" ? withdrawing() : moving();
        return { a, b: () => (first === "withdraw" ? moving() : withdrawing()) };
      };
      let sent: [Promise<any>, Promise<any>];
      if (backend !== "postgres") {
        const { a, b } = send();
        sent = [a, b()];
      } else {
        const waiting = async (n: number) => {
          for (let i = 0; i < 400; i++) {
            const [w] = await t.db.query<{ n: string }>(
              "SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            );
            if (Number(w?.n) >= n) return;
            await new Promise((r) => setTimeout(r, 25));
          }
          throw new Error(`${n} requests never waited on the version's row`);
        };
        sent = await t.db.transaction(async (tx) => {
          await tx.query("SELECT 1 FROM scheme_versions WHERE scheme_id = $1 AND version = 2 FOR UPDATE", [
            id,
          ]);
          const { a, b } = send();
          await waiting(1);
          const later = b();
          await waiting(2);
          return [a, later] as [Promise<any>, Promise<any>];
        });
      }
      const answers = await Promise.all(sent);
      const [withdrawn, moved] = first === "withdraw" ? answers : [answers[1], answers[0]];
      const winner = withdrawn.__typename === "SchemeVersion" ? "withdraw" : "move";
      if (backend === "postgres") expect(winner).toBe(first);
      const version = await t.store.schemes.get(id, 2);
      const cycle = await t.store.cycles.get(`${id}-c`);
      if (winner === "withdraw") {
        expect(withdrawn).toMatchObject({ withdrawn: { by: "ann", reason: "points wrong" } });
        expect(moved).toEqual(
          refusal(
            "version",
            `scheme '${id}' version 2 was withdrawn by ann at ${version.withdrawn!.at.toISOString()} ("points wrong"): no cycle may be put on it; use version 1, the latest not withdrawn`,
          ),
        );
        expect(cycle.schemeVersion).toBe(1);
      } else {
        expect(moved).toMatchObject({ __typename: "Cycle", schemeVersion: 2 });
        expect(withdrawn).toEqual(
          refusal(
            "input.version",
            `cycle '${id}-c' is on scheme '${id}' version 2: move it to another version first (setCycleScheme), then withdraw it`,
          ),
        );
        expect(version.withdrawn).toBeNull();
      }
    });
  });
});
