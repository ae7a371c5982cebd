import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** The versions of city-review published here, each with a named vote "council" beside "organ". */
const NAMED = 3;
const SECRET = 4;
/** Secret, and its organ ballots at most 90: the stored ballots of more are refused. */
const REFUSING = 5;
/** Named again, and its organ ballots at most 90: a move from a secret version both refuses and names. */
const NAMED_REFUSING = 6;
/** Without the organ vote (dropped, or renamed: the same to a cycle's records). */
const DROPPED = 7;
/** Its organ category scored directly, not by ballots. */
const DIRECT = 8;
/** Without the organ vote, and the council's ballots at most 50: it refuses those too. */
const DROPPED_REFUSING = 10;
/** Named, with so many more categories that checking the records under it exceeds one request. */
const WIDE = 9;
/** Its organ vote, still secret, renamed "organ-vote": the stored organ ballots are of no category of it. */
const RENAMED = 11;
/** Its organ vote named, and no council vote: a named vote (never secret) dropped. */
const NO_COUNCIL = 12;
/** Its organ vote secret, and no council vote: a version with no named vote at all. */
const NO_NAMED_VOTE = 13;

/**
 * A secret vote (无记名投票): the engine's explanations name no voter, and the gateway lists its
 * ballots to admins only, who record and correct them. Each test starts from the version its
 * describe moves the cycle to, whatever the test before it left.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
  const dataset = read("dataset-2019.json");
  const voters = [...new Set<string>(dataset.ballots.map((b: { voter: string }) => b.voter))];
  const unitIds: string[] = dataset.units.map((u: { id: string }) => u.id);

  const publish = async (
    version: number,
    change: (organ: Record<string, any>, categories: Record<string, any>[]) => void,
  ) => {
    const document = read("scheme-2019.json");
    document.version = version;
    // A second vote, worth no points, whose voters stay named: what a viewer still lists.
    document.categories.push({
      id: "council",
      name: "Council vote",
      points: 0,
      method: { kind: "vote", ballot: { type: "score", min: 0, max: 100 } },
    });
    change(document.categories.find((c: { id: string }) => c.id === "organ").method, document.categories);
    const r = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
      { i: { schemeId: "city-review", basedOn: version - 1, document, reason: `version ${version}` } },
      { as: "admin" },
    );
    expect(r.body.data.publishSchemeVersion).toEqual({ __typename: "SchemeVersion" });
  };
  /**
   * Forced, a move is not refused for what it cannot score, nor for the secret vote it names (with a
   * reason, as a forced move needs): the cycle may be on a secret version when moved to the named one.
   */
  const moveTo = async (version: number, force = version !== SECRET) => {
    const r = await t.gql(
      `mutation($v: Int!, $force: Boolean) { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: $v, force: $force, reason: "test") { __typename ... on Error { message } } }`,
      { v: version, force },
      { as: "admin" },
    );
    expect(r.body.data.setCycleScheme).toEqual({ __typename: "Cycle" });
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    await publish(NAMED, () => {});
    await publish(SECRET, (organ) => {
      organ.secret = true;
    });
    await publish(REFUSING, (organ) => {
      organ.secret = true;
      organ.ballot.max = 90;
    });
    await publish(NAMED_REFUSING, (organ) => {
      organ.ballot.max = 90;
    });
    await publish(DROPPED, (_, categories) => {
      categories.splice(
        categories.findIndex((c) => c.id === "organ"),
        1,
      );
    });
    await publish(DIRECT, (organ) => {
      for (const key of Object.keys(organ)) delete organ[key];
      Object.assign(organ, { kind: "direct", outOf: 30 });
    });
    // Stored without the gateway, whose limit on categories it exceeds.
    const wide = read("scheme-2019.json");
    wide.version = WIDE;
    wide.categories.push(
      ...Array.from({ length: 1_200 }, (_, i) => ({
        id: `z${i}`,
        name: `z${i}`,
        points: 0,
        method: { kind: "direct", outOf: 100 },
      })),
    );
    await t.store.schemes.publish("test", {
      schemeId: "city-review",
      basedOn: DIRECT,
      document: wide,
      reason: "wide",
    });
    await publish(DROPPED_REFUSING, (_, categories) => {
      categories.splice(
        categories.findIndex((c) => c.id === "organ"),
        1,
      );
      categories.find((c) => c.id === "council")!.method.ballot.max = 50;
    });
    await publish(RENAMED, (_, categories) => {
      categories.find((c) => c.id === "organ")!.id = "organ-vote";
    });
    const dropCouncil = (categories: Record<string, any>[]) =>
      categories.splice(
        categories.findIndex((c) => c.id === "council"),
        1,
      );
    await publish(NO_COUNCIL, (_, categories) => dropCouncil(categories));
    await publish(NO_NAMED_VOTE, (organ, categories) => {
      organ.secret = true;
      dropCouncil(categories);
    });
    // Forced: the council's ballots can only be imported once the cycle's version has it.
    await moveTo(NAMED);
    const rows = unitIds.map((u) => `council,mayor,,${u},80`);
    const imported = await t.upload(
      `mutation($file: File!) { importFile(cycleId: "2019", importId: "council", kind: BALLOTS, format: CSV, file: $file) {
        __typename ... on ImportResult { rows } ... on Error { message } } }`,
      {},
      { name: "council.csv", body: `category,voter,role,unit,score\n${rows.join("\n")}\n` },
    );
    expect(imported.body.data.importFile).toEqual({ __typename: "ImportResult", rows: unitIds.length });
  });
  afterAll(() => t?.close());

  const ballots = async (as: "viewer" | "analyst" | "admin", args = "") => {
    const r = await t.gql(
      `{ cycle(id: "2019") { ... on Cycle { ballots${args} { totalCount edges { node { category voter unitId score } } } } } }`,
      {},
      { as },
    );
    return { list: r.body.data?.cycle?.ballots, errors: r.body.errors };
  };
  const breakdown = async (as: "viewer" | "admin") => {
    const r = await t.gql(
      `{ scoreBreakdown(cycleId: "2019", unitId: "U01") { ... on UnitResult { total categories { category points details { key value } trace { step text } } } } }`,
      {},
      { as },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.scoreBreakdown;
  };
  const organTrace = async (as: "viewer" | "admin") =>
    (await breakdown(as)).categories.find((c: { category: string }) => c.category === "organ");

  const unscorable = async (as: "viewer" | "analyst" | "admin") => {
    const r = await t.gql(
      `{ ranking(cycleId: "2019") { __typename ... on ValidationError { code message issues { path message } } }
         scoreBreakdown(cycleId: "2019", unitId: "U01") { __typename ... on ValidationError { message issues { path message } } } }`,
      {},
      { as },
    );
    expect(r.body.errors).toBeUndefined();
    const { ranking, scoreBreakdown } = r.body.data;
    expect(ranking.__typename).toBe("ValidationError");
    expect(scoreBreakdown).toEqual({
      __typename: "ValidationError",
      message: ranking.message,
      issues: ranking.issues,
    });
    return ranking;
  };

  describe("under a version whose organ vote is named", () => {
    beforeEach(() => moveTo(NAMED));

    it("names the voters in its ballots and explanations, to a viewer too", async () => {
      const { list, errors } = await ballots("viewer", `(category: "organ", unitId: "U01")`);
      expect(errors).toBeUndefined();
      expect(list.totalCount).toBe(7);
      const organ = await organTrace("viewer");
      expect(JSON.stringify(organ)).toMatch(/\((mayor|vice-mayor-\d|member-\d+)\)/);
    });
  });

  describe("under a version whose organ vote is secret", () => {
    beforeEach(() => moveTo(SECRET));

    it("refuses a viewer or an analyst the category's ballots by name, and says who may list them", async () => {
      for (const as of ["viewer", "analyst"] as const) {
        const { list, errors } = await ballots(as, `(category: "organ")`);
        expect(list).toBeNull();
        expect(errors).toHaveLength(1);
        const [error] = errors ?? [];
        expect(error?.path).toEqual(["cycle", "ballots"]);
        expect(error?.extensions).toMatchObject({ code: "FORBIDDEN", role: as, needed: "admin" });
        expect(error?.message).toBe(
          `category "organ" is a secret vote (vote.secret in scheme city-review v${SECRET}, which cycle '2019' uses): only an admin lists its ballots; a unit's breakdown gives the values of its ballots`,
        );
      }
    });

    it("leaves a secret vote's ballots out of a viewer's unfiltered list, listing the named vote's", async () => {
      for (const [args, count] of [
        ["", unitIds.length],
        [`(voter: "mayor")`, unitIds.length],
        [`(unitId: "U01")`, 1],
      ] as const) {
        const { list, errors } = await ballots("viewer", args);
        expect(errors).toBeUndefined();
        expect(list.totalCount).toBe(count);
        expect(list.edges).toHaveLength(count);
        for (const { node } of list.edges)
          expect(node).toMatchObject({ category: "council", voter: "mayor" });
      }
    });

    it("reads the cycle's scheme version once for a viewer's list, filter and secrecy alike", async () => {
      const get = vi.spyOn(t.store.schemes, "get");
      const getMany = vi.spyOn(t.store.schemes, "getMany");
      const { list, errors } = await ballots("viewer", `(category: "council", unitId: "U01")`);
      expect(errors).toBeUndefined();
      expect(list.totalCount).toBe(1);
      expect(get).not.toHaveBeenCalled();
      expect(getMany).toHaveBeenCalledTimes(1);
    });

    it("lists them to an admin, as before", async () => {
      const { list, errors } = await ballots("admin", `(category: "organ", unitId: "U01")`);
      expect(errors).toBeUndefined();
      expect(list.totalCount).toBe(7);
      expect((await ballots("admin")).list.totalCount).toBe(dataset.ballots.length + unitIds.length);
    });

    it("explains the unit's organ score by the values of its ballots, naming no voter, with the same score", async () => {
      const secret = await breakdown("viewer");
      const organ = secret.categories.find((c: { category: string }) => c.category === "organ");
      const text = JSON.stringify(organ);
      expect(text).toContain("secret vote: no voter is named");
      expect(organ.details).toContainEqual({
        key: "dropped",
        value: expect.stringMatching(/^highest [\d.]+, lowest [\d.]+$/),
      });
      for (const voter of voters) expect(text).not.toContain(`(${voter})`);
      // The next test's beforeEach moves the cycle back, should this one fail after the move.
      await moveTo(NAMED);
      const named = await breakdown("viewer");
      const namedOrgan = named.categories.find((c: { category: string }) => c.category === "organ");
      expect(organ.points).toMatch(/^\d/);
      expect(organ.points).toBe(namedOrgan.points);
      expect(secret.total).toBe(named.total);
      expect(namedOrgan.details.filter((d: { key: string }) => d.key !== "dropped")).toEqual(
        organ.details.filter((d: { key: string }) => d.key !== "dropped"),
      );
    });
  });

  describe("moving a cycle off its secret vote", () => {
    beforeEach(() => moveTo(SECRET));
    const organBallots = dataset.ballots.filter((b: { category: string }) => b.category === "organ").length;
    const lifted = {
      path: "dataset.ballots",
      message: `the secret vote "organ" (${organBallots} ballots) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
    };
    const sentence = (version: number) =>
      `moving cycle '2019' to scheme city-review v${version} would lift the secrecy its voters were promised: ${lifted.message}`;

    const move = async (version: number, args = "") => {
      const r = await t.gql(
        `mutation($v: Int!) { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: $v${args}) {
          __typename ... on Cycle { schemeVersion } ... on ValidationError { code message issues { path message } } } }`,
        { v: version },
        { as: "admin" },
      );
      expect(r.body.errors).toBeUndefined();
      return r.body.data.setCycleScheme;
    };
    const schemeVersion = async () => {
      const r = await t.gql(`{ cycle(id: "2019") { ... on Cycle { schemeVersion } } }`, {}, { as: "admin" });
      return r.body.data.cycle.schemeVersion;
    };

    it("refuses a move that keeps the vote but no longer secret, counting its ballots, and the cycle stays", async () => {
      expect(organBallots).toBeGreaterThan(1);
      expect(await move(NAMED)).toEqual({
        __typename: "ValidationError",
        code: "VALIDATION",
        message: `${sentence(NAMED)} — delete the vote's ballots with deleteBallots, or pass force: true with a reason to move it anyway, if that is meant`,
        issues: [lifted],
      });
      expect(await schemeVersion()).toBe(SECRET);
      expect((await ballots("viewer", `(category: "organ")`)).list).toBeNull();
    });

    it("refuses it from a cycle its secret version cannot score too", async () => {
      await moveTo(REFUSING);
      expect(await move(NAMED)).toMatchObject({ __typename: "ValidationError", issues: [lifted] });
      expect(await schemeVersion()).toBe(REFUSING);
    });

    it("says so beside the records a version also refuses, whose forced move would name the voters too", async () => {
      const refusal = await move(NAMED_REFUSING);
      expect(refusal.__typename).toBe("ValidationError");
      expect(refusal.issues.at(-1)).toEqual(lifted);
      expect(refusal.issues.slice(0, -1)).not.toHaveLength(0);
      for (const issue of refusal.issues.slice(0, -1))
        expect(issue.path).toMatch(/^dataset\.ballots\[\d+\]\.score$/);
      expect(refusal.message).toContain(
        `; and ${sentence(NAMED_REFUSING)} — correct the records first (that done, the move still lifts the secrecy, which only deleting the secret vote's ballots (deleteBallots), or force: true with a reason, moves past), or pass force: true with a reason to move it anyway`,
      );
      expect(await schemeVersion()).toBe(SECRET);
    });

    for (const [version, what] of [
      [DROPPED, "drops it"],
      [RENAMED, "renames it"],
      [DIRECT, "scores it by another method"],
    ] as const)
      it(`refuses a move to a version that ${what} for its ballots, lifting no secrecy, and says deleting them lets it through`, async () => {
        const refusal = await move(version);
        expect(refusal.__typename).toBe("ValidationError");
        // The vote's ballots, each refused as a record: forced, the move leaves them an admin's.
        const records = refusal.issues;
        // Listed up to the first 100 (recordsError), every one of them the vote's.
        expect(records).toHaveLength(Math.min(organBallots, 100));
        for (const record of records) {
          expect(record.path).toMatch(/^dataset\.ballots\[\d+\]\.category$/);
          const at = Number(/\[(\d+)\]/.exec(record.path)![1]);
          expect(dataset.ballots[at].category).toBe("organ");
        }
        expect(refusal.message).toMatch(
          new RegExp(`^scheme city-review v${version} cannot score cycle '2019' as its records stand`),
        );
        expect(refusal.message).not.toContain("secrecy");
        // Deleting them lets the move through, unless the vote was renamed: then they are recorded again.
        expect(refusal.message).toMatch(
          / — delete the ballots of "organ" first with deleteBallots\(cycleId: "2019", category: "organ", expectedBallots: \d+\) if this version drops or rescores their vote \(no correction makes it read them\), after which the move goes through; if this version renames the vote, pass force: true with a reason, record those ballots again under the new id, then delete them with deleteBallots; or pass force: true with a reason to move it anyway, leaving those ballots in the cycle, listed to admins only: its ranking fails until they are deleted$/,
        );
        expect(await schemeVersion()).toBe(SECRET);
      });

    it("says deleting the dropped vote's ballots among the records to correct clears it, when others are refused too", async () => {
      const refusal = await move(DROPPED_REFUSING);
      expect(refusal.__typename).toBe("ValidationError");
      const paths = refusal.issues.map((i: { path: string }) => i.path);
      expect(paths.filter((p: string) => p.endsWith(".category"))).not.toHaveLength(0);
      expect(paths.filter((p: string) => p.endsWith(".score"))).not.toHaveLength(0);
      expect(paths).not.toContain("dataset.ballots");
      expect(refusal.message).toMatch(
        / — correct the records first, deleting the ballots of "organ" among them with deleteBallots\(cycleId: "2019", category: "organ", expectedBallots: \d+\) if this version drops or rescores their vote \(no correction makes it read them\), after which the move goes through; if this version renames the vote, pass force: true with a reason, record those ballots again under the new id, then delete them with deleteBallots; or pass force: true with a reason to move it anyway, leaving those ballots in the cycle, listed to admins only: its ranking fails until they are deleted and the other records corrected$/,
      );
      expect(await schemeVersion()).toBe(SECRET);
    });

    it("refuses a move dropping a named vote for its ballots too, saying deleting them lets it through", async () => {
      const refusal = await move(NO_NAMED_VOTE);
      expect(refusal.__typename).toBe("ValidationError");
      expect(refusal.issues.length).toBeGreaterThanOrEqual(unitIds.length);
      for (const issue of refusal.issues) expect(issue.path).toMatch(/^dataset\.ballots\[\d+\]\.category$/);
      expect(refusal.message).toMatch(
        / — delete the ballots of "council" first with deleteBallots\(cycleId: "2019", category: "council", expectedBallots: \d+\) if this version drops or rescores their vote \(no correction makes it read them\), after which the move goes through; if this version renames the vote, pass force: true with a reason, record those ballots again under the new id, then delete them with deleteBallots; or pass force: true with a reason to move it anyway, leaving those ballots in the cycle, listed to admins only: its ranking fails until they are deleted$/,
      );
      expect(await schemeVersion()).toBe(SECRET);
    });

    it("says so beside a check too large for one request, as forcing past that lifts it too", async () => {
      const refusal = await move(WIDE);
      expect(refusal).toEqual({
        __typename: "ValidationError",
        code: "VALIDATION",
        message: expect.stringMatching(/to move the cycle without the check; and /),
        issues: [{ path: "version", message: expect.stringContaining("too large for one request") }, lifted],
      });
      expect(refusal.message).toMatch(
        new RegExp(
          `^version: checking the records under scheme city-review v${WIDE} is too large for one request`,
        ),
      );
      expect(refusal.message.endsWith(`without the check; and ${sentence(WIDE)}`)).toBe(true);
      expect(await schemeVersion()).toBe(SECRET);
    });

    it("moves when forced with a reason, which the history keeps, and then lists the ballots by name", async () => {
      expect(await move(NAMED, ", force: true")).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "reason" }],
      });
      const reason = "the council voted to publish the organ vote's ballots";
      expect(await move(NAMED, `, force: true, reason: "${reason}"`)).toEqual({
        __typename: "Cycle",
        schemeVersion: NAMED,
      });
      const r = await t.gql(
        `{ auditLog(cycleId: "2019", actions: ["set-scheme-forced"], first: 1) { edges { node { reason } } } }`,
        {},
        { as: "admin" },
      );
      expect(r.body.data.auditLog.edges).toEqual([{ node: { reason } }]);
      const { list, errors } = await ballots("viewer", `(category: "organ")`);
      expect(errors).toBeUndefined();
      expect(list.totalCount).toBe(organBallots);
    });
  });

  describe("under a secret version that refuses some of the stored ballots (a forced move)", () => {
    beforeEach(() => moveTo(REFUSING));
    const refused = dataset.ballots.filter((b: { score: number }) => b.score > 90);

    const counted = `${refused.length} ballots of the secret vote "organ" cannot be scored as they stand: an admin sees which`;
    const message = `cycle '2019' cannot be scored as its records stand (1 problem): ${counted}`;

    it("tells a viewer or an analyst how many of the secret vote's ballots are refused, not whose", async () => {
      expect(refused.length).toBeGreaterThan(3);
      for (const as of ["viewer", "analyst"] as const)
        expect(await unscorable(as)).toEqual({
          __typename: "ValidationError",
          code: "VALIDATION",
          message,
          issues: [{ path: "dataset.ballots", message: counted }],
        });
    });

    it("names each refused ballot, its voter and value, to an admin", async () => {
      const error = await unscorable("admin");
      expect(error.issues).toHaveLength(refused.length);
      expect(error.issues[0]).toEqual({
        path: expect.stringMatching(/^dataset\.ballots\[\d+\]\.score$/),
        message: expect.stringMatching(
          /^ballot of voter "[^"]+" for unit "U\d+" in category "organ": \d+ is outside 0–90$/,
        ),
      });
      expect(error.message).toMatch(
        new RegExp(
          `^cycle '2019' cannot be scored as its records stand \\(${refused.length} problems\\): ballot of voter "`,
        ),
      );
    });

    it("tells a viewer why a unit has no result in the cycle, naming no voter", async () => {
      const r = await t.gql(
        `{ unit(id: "U01", cycleId: "2019") { ... on Unit { result { total } } } }`,
        {},
        { as: "viewer" },
      );
      expect(r.body.data?.unit?.result ?? null).toBeNull();
      expect(r.body.errors).toHaveLength(1);
      const [error] = r.body.errors ?? [];
      expect(error?.message).toBe(message);
      expect(error?.extensions).toEqual({
        code: "VALIDATION",
        issues: [{ path: "dataset.ballots", message: counted }],
      });
    });

    it("tells a viewer's subscription the same, when the cycle changes", async () => {
      const sub = await t.subscribe(
        `subscription { rankingUpdated(cycleId: "2019") { reason ranking { decimals } } }`,
        "viewer",
      );
      try {
        const next = sub.next();
        const unit = dataset.units.find((u: { id: string }) => u.id === "U01");
        const r = await t.gql(
          `mutation($u: UnitInput!) { upsertUnit(cycleId: "2019", input: $u) { __typename } }`,
          { u: unit },
          { as: "admin" },
        );
        expect(r.body.data.upsertUnit).toEqual({ __typename: "Unit" });
        const event = await next;
        expect(event?.errors).toHaveLength(1);
        expect(event.errors[0].message).toBe(message);
        expect(event.errors[0].extensions).toEqual({
          code: "VALIDATION",
          issues: [{ path: "dataset.ballots", message: counted }],
        });
      } finally {
        sub.close();
      }
    });
  });

  describe("after a forced move to a version that no longer scores the secret vote by named ballots", () => {
    const organBallots = dataset.ballots.filter((b: { category: string }) => b.category === "organ").length;
    const organVoters = [
      ...new Set<string>(
        dataset.ballots
          .filter((b: { category: string }) => b.category === "organ")
          .map((b: { voter: string }) => b.voter),
      ),
    ];

    for (const [version, what, said] of [
      [DROPPED, "drops it", `"organ", which is not in scheme city-review v${DROPPED},`],
      [RENAMED, "renames it", `"organ", which is not in scheme city-review v${RENAMED},`],
      [DIRECT, "scores it by another method", `"organ", a direct category in scheme city-review v${DIRECT},`],
    ] as const)
      describe(`one that ${what}`, () => {
        beforeEach(async () => {
          await moveTo(SECRET);
          await moveTo(version);
        });

        it("leaves its ballots out of a viewer's or an analyst's list, the count agreeing", async () => {
          for (const as of ["viewer", "analyst"] as const)
            for (const [args, count, listed] of [
              ["", unitIds.length, unitIds.length],
              [`(voter: "mayor")`, unitIds.length, unitIds.length],
              [`(unitId: "U01")`, 1, 1],
              [`(first: 3)`, unitIds.length, 3],
            ] as const) {
              const { list, errors } = await ballots(as, args);
              expect(errors).toBeUndefined();
              expect(list.totalCount).toBe(count);
              expect(list.edges).toHaveLength(listed);
              for (const { node } of list.edges)
                expect(node).toMatchObject({ category: "council", voter: "mayor" });
            }
        });

        it("refuses a viewer its category by name, and lists every ballot to an admin, by its name too", async () => {
          const { list, errors } = await ballots("viewer", `(category: "organ")`);
          expect(list).toBeNull();
          expect(errors).toHaveLength(1);
          if (version === DIRECT)
            expect(errors?.[0]).toMatchObject({
              message: `category "organ" is a direct category, not a vote, in scheme city-review v${DIRECT}, which cycle '2019' uses: only an admin lists the ballots a version does not score as a named vote, and corrects them (an earlier version may have declared them secret)`,
              extensions: { code: "FORBIDDEN", role: "viewer", needed: "admin" },
            });
          // A category the version does not declare is unknown to a viewer, as any misspelt one.
          else
            expect(errors?.[0]).toMatchObject({
              message: expect.stringMatching(/^category: unknown category "organ"/),
              extensions: { code: "VALIDATION" },
            });
          const admin = await ballots("admin");
          expect(admin.errors).toBeUndefined();
          expect(admin.list.totalCount).toBe(organBallots + unitIds.length);
          // An admin finds them by name, to delete or correct them, though the version drops it.
          const named = await ballots("admin", `(category: "organ")`);
          expect(named.errors).toBeUndefined();
          expect(named.list.totalCount).toBe(organBallots);
          // A category the cycle has no ballot in is unknown to an admin too.
          const misspelt = await ballots("admin", `(category: "organs")`);
          expect(misspelt.list).toBeNull();
          expect(misspelt.errors?.[0]).toMatchObject({
            message: expect.stringMatching(/^category: unknown category "organs"/),
            extensions: { code: "VALIDATION" },
          });
        });

        it("counts its refused ballots for a viewer, naming no voter, and names each to an admin", async () => {
          const counted = `${organBallots} ballots of ${said} cannot be scored as they stand: an admin sees which`;
          for (const as of ["viewer", "analyst"] as const) {
            const error = await unscorable(as);
            expect(error).toEqual({
              __typename: "ValidationError",
              code: "VALIDATION",
              message: `cycle '2019' cannot be scored as its records stand (1 problem): ${counted}`,
              issues: [{ path: "dataset.ballots", message: counted }],
            });
          }
          const r = await t.gql(
            `{ unit(id: "U01", cycleId: "2019") { ... on Unit { result { total } } } }`,
            {},
            { as: "viewer" },
          );
          expect(r.body.errors?.[0]?.extensions?.issues).toEqual([
            { path: "dataset.ballots", message: counted },
          ]);
          const admin = await unscorable("admin");
          expect(admin.issues).toHaveLength(Math.min(organBallots, 100));
          for (const issue of admin.issues) expect(issue.path).toMatch(/^dataset\.ballots\[\d+\]\.category$/);
          expect(organVoters.some((v) => admin.message.includes(`"${v}"`))).toBe(true);
        });
      });

    it("lists them to every reader once a forced move declares the vote named, its secrecy lifted on purpose", async () => {
      await moveTo(SECRET);
      await moveTo(DROPPED);
      await moveTo(NAMED);
      const { list, errors } = await ballots("viewer");
      expect(errors).toBeUndefined();
      expect(list.totalCount).toBe(organBallots + unitIds.length);
      expect((await ballots("viewer", `(category: "organ")`)).list.totalCount).toBe(organBallots);
      // A named vote's refused ballots are named to every reader.
      await moveTo(NAMED_REFUSING);
      const error = await unscorable("viewer");
      expect(error.issues.length).toBeGreaterThan(1);
      for (const issue of error.issues) {
        expect(issue.path).toMatch(/^dataset\.ballots\[\d+\]\.score$/);
        expect(issue.message).toMatch(/^ballot of voter "[^"]+" for unit "U\d+" in category "organ"/);
      }
    });
  });

  /**
   * Readers list by voter only the current version's named votes' ballots: a vote never declared
   * secret, dropped by a forced move, leaves its ballots an admin's as a secret one's.
   */
  describe("after a forced move to a version that drops a named vote", () => {
    const organBallots = dataset.ballots.filter((b: { category: string }) => b.category === "organ").length;
    const counted = `${unitIds.length} ballots of "council", which is not in scheme city-review v${NO_COUNCIL}, cannot be scored as they stand: an admin sees which`;
    beforeEach(() => moveTo(NO_COUNCIL));

    it("leaves its ballots out of a viewer's list, the count agreeing, and lists them to an admin", async () => {
      const { list, errors } = await ballots("viewer");
      expect(errors).toBeUndefined();
      expect(list.totalCount).toBe(organBallots);
      expect(list.edges).toHaveLength(Math.min(organBallots, 100));
      for (const { node } of list.edges) expect(node.category).toBe("organ");
      // The mayor voted in both: only the organ vote's ballots are listed.
      const mayor = await ballots("viewer", `(voter: "mayor")`);
      const mayorsOrgan = dataset.ballots.filter(
        (b: { category: string; voter: string }) => b.category === "organ" && b.voter === "mayor",
      ).length;
      expect(mayorsOrgan).toBeGreaterThan(0);
      expect(mayor.list.totalCount).toBe(mayorsOrgan);
      expect(mayor.list.edges).toHaveLength(mayorsOrgan);
      for (const { node } of mayor.list.edges) expect(node.category).toBe("organ");
      const admin = await ballots("admin", `(category: "council")`);
      expect(admin.errors).toBeUndefined();
      expect(admin.list.totalCount).toBe(unitIds.length);
    });

    it("counts its refused ballots for a viewer, naming no voter", async () => {
      expect(unitIds.length).toBeGreaterThan(1);
      expect(await unscorable("viewer")).toEqual({
        __typename: "ValidationError",
        code: "VALIDATION",
        message: `cycle '2019' cannot be scored as its records stand (1 problem): ${counted}`,
        issues: [{ path: "dataset.ballots", message: counted }],
      });
      const admin = await unscorable("admin");
      expect(admin.issues).toHaveLength(Math.min(unitIds.length, 100));
      expect(admin.message).toContain('ballot of voter "mayor"');
    });

    it("lists a viewer no ballot under a version with no named vote at all, and an admin every one", async () => {
      await moveTo(NO_NAMED_VOTE);
      for (const args of ["", `(voter: "mayor")`, `(unitId: "U01")`]) {
        const { list, errors } = await ballots("viewer", args);
        expect(errors).toBeUndefined();
        expect(list).toEqual({ totalCount: 0, edges: [] });
      }
      const admin = await ballots("admin");
      expect(admin.errors).toBeUndefined();
      expect(admin.list.totalCount).toBe(organBallots + unitIds.length);
    });
  });
});
