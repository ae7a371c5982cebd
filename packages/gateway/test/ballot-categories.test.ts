import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import {
  cycleWithImportedBallots,
  organBallots,
  publishCityReview,
  readExample,
} from "./imported-ballots.js";

/** city-review's 2019 rules with a second vote, "council", beside "organ". */
const TWO_VOTES = 3;
/** TWO_VOTES without the organ vote: a forced move there leaves its ballots behind. */
const DROPPED = 4;
/** TWO_VOTES with the organ vote secret (无记名投票). */
const SECRET = 5;

type Role = "viewer" | "analyst" | "admin";

/**
 * Cycle.ballotCategories: where a cycle's ballots are, by category, and which of those categories
 * its scheme version declares a vote; below admin, only the named votes' are counted.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const organ = organBallots();
  // The council's members are the organ vote's mayors: one ballot a unit.
  const council = organ.filter((b) => b.voter === "mayor").map((b) => ({ ...b, category: "council" }));
  let years = 2060;

  const publish = async (version: number, change: (categories: Record<string, any>[]) => void) => {
    const document = readExample("scheme-2019.json");
    const organVote = document.categories.find((c: { id: string }) => c.id === "organ");
    organVote.points = 10;
    document.categories.push({ ...structuredClone(organVote), id: "council", name: "council" });
    change(document.categories);
    await publishCityReview(t, version, document);
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    await publish(TWO_VOTES, () => {});
    await publish(DROPPED, (categories) => {
      categories.splice(
        categories.findIndex((c) => c.id === "organ"),
        1,
      );
    });
    await publish(SECRET, (categories) => {
      categories.find((c) => c.id === "organ")!.method.secret = true;
    });
  });
  afterAll(() => t?.close());

  /** A new open cycle with the 2019 units under `version` of city-review, with `ballots` imported. */
  const cycleWith = (version: number, ballots: typeof organ) =>
    cycleWithImportedBallots(t, `tally-${++years}`, years, version, ballots);

  const categories = async (cycleId: string, as: Role) => {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { ballotCategories { category ballots declared } } } }`,
      { c: cycleId },
      { as },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.cycle.ballotCategories;
  };

  const both = [
    { category: "council", ballots: council.length, declared: true },
    { category: "organ", ballots: organ.length, declared: true },
  ];

  it("counts the ballots of each category, in category order, for every role", async () => {
    const c = await cycleWith(TWO_VOTES, [...organ, ...council]);
    expect(council.length).toBeGreaterThan(1);
    for (const as of ["admin", "analyst", "viewer"] as const) expect(await categories(c, as)).toEqual(both);
  });

  it("shows an admin the ballots a forced move left in a category the version drops, and no one else", async () => {
    const c = await cycleWith(TWO_VOTES, [...organ, ...council]);
    const moved = await t.gql(
      `mutation($c: ID!) { setCycleScheme(cycleId: $c, schemeId: "city-review", version: ${DROPPED}, force: true, reason: "organ vote abolished") {
        __typename ... on Error { message } } }`,
      { c },
      { as: "admin" },
    );
    expect(moved.body.data.setCycleScheme).toEqual({ __typename: "Cycle" });
    expect(await categories(c, "admin")).toEqual([
      { category: "council", ballots: council.length, declared: true },
      { category: "organ", ballots: organ.length, declared: false },
    ]);
    // Leftovers may have been a secret vote's: below admin they are neither listed nor counted.
    for (const as of ["analyst", "viewer"] as const)
      expect(await categories(c, as)).toEqual([
        { category: "council", ballots: council.length, declared: true },
      ]);

    // Deleted, they are gone from the list, and the category with them.
    const deleted = await t.gql(
      `mutation($c: ID!, $n: Int!) { deleteBallots(cycleId: $c, category: "organ", expectedBallots: $n) { __typename } }`,
      { c, n: organ.length },
      { as: "admin" },
    );
    expect(deleted.body.data.deleteBallots).toEqual({ __typename: "DeletedBallots" });
    expect(await categories(c, "admin")).toEqual([
      { category: "council", ballots: council.length, declared: true },
    ]);
  });

  it("counts a secret vote's ballots for an admin only", async () => {
    const c = await cycleWith(SECRET, [...organ, ...council]);
    expect(await categories(c, "admin")).toEqual(both);
    for (const as of ["analyst", "viewer"] as const)
      expect(await categories(c, as)).toEqual([
        { category: "council", ballots: council.length, declared: true },
      ]);
  });

  it("is empty for a cycle with no ballots", async () => {
    const c = await cycleWith(TWO_VOTES, []);
    for (const as of ["admin", "viewer"] as const) expect(await categories(c, as)).toEqual([]);
  });
});
