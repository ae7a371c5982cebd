import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * A secret vote (无记名投票): the engine's explanations name no voter, and the gateway lists its
 * ballots to admins only, who record and correct them.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
  const voters = [
    ...new Set<string>(read("dataset-2019.json").ballots.map((b: { voter: string }) => b.voter)),
  ];

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const document = read("scheme-2019.json");
    document.categories.find((c: { id: string }) => c.id === "organ").method.secret = true;
    const published = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
      {
        i: { schemeId: "city-review", basedOn: 2, document, reason: "the government members vote in secret" },
      },
      { as: "admin" },
    );
    expect(published.body.data.publishSchemeVersion).toEqual({ __typename: "SchemeVersion" });
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
  const organTrace = async (as: "viewer" | "admin") => {
    const r = await t.gql(
      `{ scoreBreakdown(cycleId: "2019", unitId: "U01") { ... on UnitResult { categories { category details { key value } trace { step text } } } } }`,
      {},
      { as },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.scoreBreakdown.categories.find((c: { category: string }) => c.category === "organ");
  };
  const moveTo = async (version: number) => {
    const r = await t.gql(
      `mutation($v: Int!) { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: $v) { __typename ... on Error { message } } }`,
      { v: version },
      { as: "admin" },
    );
    expect(r.body.data.setCycleScheme).toEqual({ __typename: "Cycle" });
  };

  it("a named vote's ballots and explanations name the voters, to a viewer too", async () => {
    const { list, errors } = await ballots("viewer", `(category: "organ", unitId: "U01")`);
    expect(errors).toBeUndefined();
    expect(list.totalCount).toBe(7);
    const organ = await organTrace("viewer");
    expect(JSON.stringify(organ)).toMatch(/\((mayor|vice-mayor-\d|member-\d+)\)/);
  });

  describe("under a version whose organ vote is secret", () => {
    beforeAll(() => moveTo(3));
    afterAll(() => moveTo(2));

    it("refuses a viewer or an analyst the category's ballots by name, and says who may list them", async () => {
      for (const as of ["viewer", "analyst"] as const) {
        const { list, errors } = await ballots(as, `(category: "organ")`);
        expect(list).toBeNull();
        expect(errors).toHaveLength(1);
        const [error] = errors ?? [];
        expect(error?.path).toEqual(["cycle", "ballots"]);
        expect(error?.extensions).toMatchObject({ code: "FORBIDDEN", role: as, needed: "admin" });
        expect(error?.message).toBe(
          `category "organ" is a secret vote (vote.secret in scheme city-review v3, which cycle '2019' uses): only an admin lists its ballots; a unit's breakdown gives the values of its ballots`,
        );
      }
    });

    it("leaves a secret vote's ballots out of a viewer's unfiltered list, with a voter filter too", async () => {
      for (const args of ["", `(voter: "mayor")`, `(unitId: "U01")`]) {
        const { list, errors } = await ballots("viewer", args);
        expect(errors).toBeUndefined();
        expect(list).toEqual({ totalCount: 0, edges: [] });
      }
    });

    it("lists them to an admin, as before", async () => {
      const { list, errors } = await ballots("admin", `(category: "organ", unitId: "U01")`);
      expect(errors).toBeUndefined();
      expect(list.totalCount).toBe(7);
      expect((await ballots("admin")).list.totalCount).toBe(203);
    });

    it("explains the unit's organ score by the values of its ballots, naming no voter, with the same score", async () => {
      const organ = await organTrace("viewer");
      const text = JSON.stringify(organ);
      expect(text).toContain("secret vote: no voter is named");
      expect(organ.details).toContainEqual({
        key: "dropped",
        value: expect.stringMatching(/^highest [\d.]+, lowest [\d.]+$/),
      });
      for (const voter of voters) expect(text).not.toContain(`(${voter})`);
      await moveTo(2);
      const named = await organTrace("viewer");
      expect(named.details.filter((d: { key: string }) => d.key !== "dropped")).toEqual(
        organ.details.filter((d: { key: string }) => d.key !== "dropped"),
      );
      await moveTo(3);
    });
  });
});
