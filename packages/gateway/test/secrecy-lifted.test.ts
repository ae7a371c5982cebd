import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import { schemeHistory } from "../src/store/cycles.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** The versions of city-review published here; the seed's 2019 cycle is on v2, its organ vote named. */
const SECRET = 3;
/** Without the organ vote (dropped, or renamed: the same to a cycle's records). */
const DROPPED = 4;
/** The organ vote back, named. */
const NAMED = 5;
/** Its organ category scored directly, not by ballots. */
const DIRECT = 6;
/** Without the organ vote too, and another category renamed in words: a second version that drops it. */
const DROPPED_AGAIN = 7;
/** Named, and another category renamed in words: a second version that names it. */
const NAMED_AGAIN = 8;
/** The organ vote's id renamed: its ballots are in no category the version declares. */
const RENAMED = 9;
/** The organ vote named, its ballots' scale lowered below some of them. */
const NAMED_REFUSING = 10;

/**
 * A secret vote's secrecy is the one the latest of the cycle's versions to declare it a vote gave
 * it: a forced move that drops it breaks no promise, and a version naming it again is refused
 * unless forced, as a move from the secret version itself is. Each test starts on the secret
 * version, whatever the test before it left.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
  const dataset = read("dataset-2019.json");
  const organBallots = dataset.ballots.filter((b: { category: string }) => b.category === "organ").length;
  let latest = 2;

  /** The 2019 rules with `change` made to them, as a draft to preview or publish. */
  const draft = (change: (organ: Record<string, any>, categories: Record<string, any>[]) => void) => {
    const document = read("scheme-2019.json");
    change(document.categories.find((c: { id: string }) => c.id === "organ").method, document.categories);
    return document;
  };
  const drop = (_: unknown, categories: Record<string, any>[]) => {
    categories.splice(
      categories.findIndex((c) => c.id === "organ"),
      1,
    );
  };
  /** The organ vote's ballots scored out of 90: those above it are refused. */
  const lowered = (organ: Record<string, any>) => {
    organ.ballot.max = 90;
  };
  const refusedBallots = dataset.ballots.filter(
    (b: { category: string; score: number }) => b.category === "organ" && b.score > 90,
  ).length;
  const renameAnother = (categories: Record<string, any>[], as = "renamed") => {
    const other = categories.find((c) => c.id !== "organ")!;
    other.name = `${other.name} (${as})`;
  };
  const publish = async (document: unknown) => {
    const r = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on SchemeVersion { version } ... on Error { message } } }`,
      { i: { schemeId: "city-review", basedOn: latest, document, reason: `after v${latest}` } },
      { as: "admin" },
    );
    expect(r.body.data.publishSchemeVersion).toEqual({ __typename: "SchemeVersion", version: latest + 1 });
    latest++;
  };

  const move = async (version: number, args = "") => {
    const r = await t.gql(
      `mutation($v: Int!) { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: $v${args}) {
        __typename ... on Cycle { schemeVersion } ... on ValidationError { message issues { path message } } } }`,
      { v: version },
      { as: "admin" },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.setCycleScheme;
  };
  const forced = `, force: true, reason: "test"`;
  /** Moved by force: the records a version cannot score, and any secrecy, do not stop it. */
  const moveTo = async (version: number) =>
    expect(await move(version, forced)).toEqual({ __typename: "Cycle", schemeVersion: version });
  const schemeVersion = async () => {
    const r = await t.gql(`{ cycle(id: "2019") { ... on Cycle { schemeVersion } } }`, {}, { as: "admin" });
    return r.body.data.cycle.schemeVersion;
  };

  /** The issue of the organ vote, secret under the cycle's current version, that a version naming it lifts. */
  const liftedNow = {
    path: "dataset.ballots",
    message: `the secret vote "organ" (${organBallots} ballots) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
  };
  /** The issue of the organ vote, declared secret by SECRET, that a version naming it again lifts. */
  const liftedEarlier = (now: string) => ({
    path: "dataset.ballots",
    message: `the secret vote "organ" (${organBallots} ballots, secret under scheme city-review v${SECRET}; ${now} scheme city-review v${DROPPED}, the cycle's current version) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
  });

  beforeAll(async () => {
    t = await startTestServer({ backend });
    await publish(
      draft((organ) => {
        organ.secret = true;
      }),
    );
    await publish(draft(drop));
    await publish(draft(() => {}));
    await publish(
      draft((organ) => {
        for (const key of Object.keys(organ)) delete organ[key];
        Object.assign(organ, { kind: "direct", outOf: 30 });
      }),
    );
    await publish(
      draft((organ, categories) => {
        drop(organ, categories);
        renameAnother(categories);
      }),
    );
    await publish(draft((_, categories) => renameAnother(categories)));
    await publish(
      draft((_, categories) => {
        categories.find((c) => c.id === "organ")!.id = "organ-x";
      }),
    );
    await publish(draft(lowered));
    expect(latest).toBe(NAMED_REFUSING);
  });
  afterAll(() => t?.close());

  beforeEach(() => moveTo(SECRET));

  describe("a move after a forced one dropped the secret vote", () => {
    it("is refused when the version names the vote again, saying which version declared it secret", async () => {
      expect(organBallots).toBeGreaterThan(1);
      await moveTo(DROPPED);
      const issue = liftedEarlier("not in");
      expect(await move(NAMED)).toEqual({
        __typename: "ValidationError",
        message: `moving cycle '2019' to scheme city-review v${NAMED} would lift the secrecy its voters were promised: ${issue.message} — delete the vote's ballots with deleteBallots, or pass force: true with a reason to move it anyway, if that is meant`,
        issues: [issue],
      });
      expect(await schemeVersion()).toBe(DROPPED);
    });

    it("goes through forced, with its reason in the history", async () => {
      await moveTo(DROPPED);
      expect(await move(NAMED, `, force: true, reason: "the council publishes the organ vote"`)).toEqual({
        __typename: "Cycle",
        schemeVersion: NAMED,
      });
      const [entry] = await t.store.audit.list({ cycleId: "2019", entity: "cycle", limit: 1 });
      expect(entry).toMatchObject({
        action: "set-scheme-forced",
        reason: "the council publishes the organ vote",
      });
    });

    it("is refused after a vote scored by another method too, and after further versions that drop it", async () => {
      await moveTo(DIRECT);
      await moveTo(DROPPED);
      // Still no vote: nothing a reader reads changes, and the ballots were refused already.
      expect(await move(DROPPED_AGAIN)).toEqual({ __typename: "Cycle", schemeVersion: DROPPED_AGAIN });
      const refusal = await move(NAMED);
      expect(refusal.__typename).toBe("ValidationError");
      expect(refusal.issues).toEqual([
        {
          path: "dataset.ballots",
          message: liftedEarlier("not in").message.replace(`v${DROPPED},`, `v${DROPPED_AGAIN},`),
        },
      ]);
      expect(await schemeVersion()).toBe(DROPPED_AGAIN);
    });

    it("says what the current version makes of a vote it scores by another method", async () => {
      await moveTo(DIRECT);
      const refusal = await move(NAMED);
      expect(refusal.issues).toEqual([
        {
          path: "dataset.ballots",
          message: liftedEarlier("a direct category in").message.replace(`v${DROPPED},`, `v${DIRECT},`),
        },
      ]);
    });

    it("is not refused for secrecy when the version declares the vote secret again", async () => {
      await moveTo(DROPPED);
      expect(await move(SECRET)).toEqual({ __typename: "Cycle", schemeVersion: SECRET });
    });
  });

  describe("a move back and forth", () => {
    it("is refused naming the vote after a forced drop and a move back to the secret version", async () => {
      await moveTo(DROPPED);
      expect(await move(SECRET)).toEqual({ __typename: "Cycle", schemeVersion: SECRET });
      expect(await move(NAMED)).toMatchObject({ __typename: "ValidationError", issues: [liftedNow] });
      expect(await schemeVersion()).toBe(SECRET);
    });

    it("is refused naming the vote again after a forced lift and a move back to the secret version", async () => {
      await moveTo(NAMED);
      expect(await move(SECRET)).toEqual({ __typename: "Cycle", schemeVersion: SECRET });
      expect(await move(NAMED)).toMatchObject({ __typename: "ValidationError", issues: [liftedNow] });
      expect(await schemeVersion()).toBe(SECRET);
    });

    it("is refused for the records and the history's secrecy both, after a version renamed the vote away", async () => {
      await moveTo(RENAMED);
      const refusal = await move(NAMED_REFUSING);
      expect(refusal.__typename).toBe("ValidationError");
      const lifted = {
        path: "dataset.ballots",
        message: liftedEarlier("not in").message.replace(`v${DROPPED},`, `v${RENAMED},`),
      };
      expect(refusal.issues).toHaveLength(refusedBallots + 1);
      expect(refusal.issues.at(-1)).toEqual(lifted);
      for (const issue of refusal.issues.slice(0, -1))
        expect(issue.path).toMatch(/^dataset\.ballots\[\d+\]\.score$/);
      expect(refusal.message).toMatch(
        new RegExp(`^scheme city-review v${NAMED_REFUSING} cannot score cycle '2019' as its records stand `),
      );
      expect(
        refusal.message.endsWith(
          `; and moving cycle '2019' to scheme city-review v${NAMED_REFUSING} would lift the secrecy its voters were promised: ${lifted.message} — correct the records first (that done, the move still lifts the secrecy, which only deleting the secret vote's ballots (deleteBallots), or force: true with a reason, moves past), or pass force: true with a reason to move it anyway`,
        ),
      ).toBe(true);
      expect(await schemeVersion()).toBe(RENAMED);
    });
  });

  describe("a move after a forced one lifted the secrecy on purpose", () => {
    it("is not refused for secrecy while the vote stays named, nor after a drop in between", async () => {
      await moveTo(NAMED);
      expect(await move(NAMED_AGAIN)).toEqual({ __typename: "Cycle", schemeVersion: NAMED_AGAIN });
      await moveTo(DROPPED);
      // The latest version to declare the vote named it: its voters were told so then.
      expect(await move(NAMED)).toEqual({ __typename: "Cycle", schemeVersion: NAMED });
    });
  });

  describe("previewSchemeImpact", () => {
    const preview = async (document: unknown) => {
      const r = await t.gql(
        `mutation($d: JSON!) { previewSchemeImpact(cycleId: "2019", document: $d) {
          __typename ... on RankMovements { noBefore { message } secrecyLifted { path message } }
          ... on ValidationError { message issues { path message } } } }`,
        { d: document },
        { as: "admin" },
      );
      expect(r.body.errors).toBeUndefined();
      return r.body.data.previewSchemeImpact;
    };

    it("lists the secret votes a draft would lift, as the move to it once published is refused", async () => {
      const naming = draft((_, categories) => renameAnother(categories, "previewed"));
      const next = latest + 1;
      const impact = await preview(naming);
      expect(impact).toEqual({
        __typename: "RankMovements",
        noBefore: null,
        secrecyLifted: [
          {
            path: "dataset.ballots",
            message: `the secret vote "organ" (${organBallots} ballots) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
          },
        ],
      });
      await publish(naming);
      expect(await move(next)).toMatchObject({ __typename: "ValidationError", issues: impact.secrecyLifted });
    });

    it("refuses a draft dropping the vote for its ballots alone, lifting no secrecy, as the move to it is refused", async () => {
      const dropping = draft(drop);
      const next = latest + 1;
      const refusal = await preview(dropping);
      expect(refusal.__typename).toBe("ValidationError");
      expect(refusal.issues).toHaveLength(Math.min(organBallots, 100));
      for (const issue of refusal.issues) expect(issue.path).toMatch(/^dataset\.ballots\[\d+\]\.category$/);
      expect(refusal.message).not.toContain("secrecy");
      await publish(dropping);
      const moved = await move(next);
      expect(moved.issues).toEqual(refusal.issues);
      expect(moved.message).not.toContain("secrecy");
    });

    it("refuses a draft that cannot score the records and lifts the secrecy, naming it one way in both", async () => {
      const refusal = await preview(draft(lowered));
      const candidate = `the candidate (scheme city-review v${latest + 1})`;
      expect(refusal.__typename).toBe("ValidationError");
      expect(refusal.issues).toHaveLength(refusedBallots + 1);
      for (const issue of refusal.issues.slice(0, -1))
        expect(issue.path).toMatch(/^dataset\.ballots\[\d+\]\.score$/);
      expect(refusal.issues.at(-1)).toEqual(liftedNow);
      expect(refusal.message).toMatch(
        new RegExp(
          `^the candidate \\(scheme city-review v${latest + 1}\\) cannot score cycle '2019' as its records stand \\(${refusedBallots} problems\\): `,
        ),
      );
      expect(
        refusal.message.endsWith(
          `; and moving cycle '2019' to ${candidate} would lift the secrecy its voters were promised: ${liftedNow.message}`,
        ),
      ).toBe(true);
    });

    it("lists none for a draft that keeps the vote secret", async () => {
      const harmless = draft((organ, categories) => {
        organ.secret = true;
        renameAnother(categories);
      });
      expect(await preview(harmless)).toMatchObject({ __typename: "RankMovements", secrecyLifted: [] });
    });

    it("reads the cycle's history, and says it on a cycle its current version cannot score", async () => {
      await moveTo(DROPPED);
      const impact = await preview(draft(() => {}));
      expect(impact.noBefore?.message).toEqual(expect.any(String));
      expect(impact.secrecyLifted).toEqual([liftedEarlier("not in")]);
    });
  });

  describe("the cycle's scheme history", () => {
    it("is the versions it has been on since it was created, newest first, each once", async () => {
      const cycle = { id: "history", year: 2030, name: "history", schemeId: "city-review" };
      await t.store.cycles.create("test", { ...cycle, schemeVersion: SECRET });
      await t.store.cycles.setScheme("test", "history", { schemeId: "city-review", version: DROPPED });
      await t.store.cycles.setScheme("test", "history", { schemeId: "city-review", version: SECRET });
      expect(await schemeHistory(t.store.db, "history")).toEqual([
        { schemeId: "city-review", version: SECRET },
        { schemeId: "city-review", version: DROPPED },
      ]);
      // A cycle created again under a deleted one's id has none of its history.
      await t.store.cycles.delete("test", "history");
      await t.store.cycles.create("test", { ...cycle, schemeVersion: NAMED });
      expect(await schemeHistory(t.store.db, "history")).toEqual([
        { schemeId: "city-review", version: NAMED },
      ]);
      // A history without its `create` entry (the audit log is append-only, but a database may be
      // assembled by hand): the deleted predecessor's `delete` entry bounds it.
      const entry = (action: string, from: number | null, to: number | null) =>
        t.store.db.query(
          `INSERT INTO audit_log (actor, action, entity, entity_id, cycle_id, before, after)
           VALUES ('test', $1, 'cycle', 'orphan', 'orphan', $2::jsonb, $3::jsonb)`,
          [
            action,
            ...[from, to].map((v) =>
              v === null ? null : JSON.stringify({ schemeId: "city-review", schemeVersion: v }),
            ),
          ],
        );
      await entry("set-scheme", SECRET, DROPPED);
      await entry("delete", DROPPED, null);
      await entry("set-scheme-forced", NAMED, DIRECT);
      expect(await schemeHistory(t.store.db, "orphan")).toEqual([
        { schemeId: "city-review", version: DIRECT },
        { schemeId: "city-review", version: NAMED },
      ]);
    });

    it("takes a version it names that is no longer stored, or could not be, for one that declared the vote secret", async () => {
      await moveTo(DROPPED);
      // The newest entry a move from a version the database lost (edited by hand), then one past
      // the version column's range: neither read, each taken as perhaps secret, the newest first.
      for (const lost of [999, 3_000_000_000]) {
        await t.store.db.query(
          `INSERT INTO audit_log (actor, action, entity, entity_id, cycle_id, before, after)
           VALUES ('test', 'set-scheme', 'cycle', '2019', '2019', $1::jsonb, $2::jsonb)`,
          [
            JSON.stringify({ schemeId: "city-review", schemeVersion: lost }),
            JSON.stringify({ schemeId: "city-review", schemeVersion: DROPPED }),
          ],
        );
        const refusal = await move(NAMED);
        expect(refusal.__typename).toBe("ValidationError");
        expect(refusal.issues).toEqual([
          {
            path: "dataset.ballots",
            message: `the vote "organ" (${organBallots} ballots, perhaps secret under scheme city-review v${lost}, no longer stored; not in scheme city-review v${DROPPED}, the cycle's current version) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
          },
        ]);
      }
      expect(await schemeVersion()).toBe(DROPPED);
    });
  });
});
