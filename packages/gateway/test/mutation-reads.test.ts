import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * A mutation document's fields each see what the fields before it wrote: the request's loaders
 * are fresh for every root mutation field and for its answer (schema/mutation-reads.ts).
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  let year = 2150;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const createCycle = (id: string) =>
    `createCycle(input: { id: "${id}", year: ${++year}, name: "${id}", schemeId: "city-review", schemeVersion: 2 }) { __typename ... on Error { message } }`;

  it("takes a unit created earlier in the document as a later unit's parent, by its name as renamed", async () => {
    const r = await t.gql(
      `mutation {
        cycle: ${createCycle("reads-parent")}
        bureau: upsertUnit(cycleId: "reads-parent", input: { id: "P1", name: "City bureau", group: "law-enforcement" }) { __typename }
        renamed: upsertUnit(cycleId: "reads-parent", input: { id: "P1", name: "City public security bureau", group: "law-enforcement" }) { __typename ... on Unit { name } }
        station: upsertUnit(cycleId: "reads-parent", input: { id: "S1", name: "Station", group: "law-enforcement", parent: "P1" }) {
          __typename ... on Unit { parentId parent { id name } } ... on ValidationError { issues { path message } } }
      }`,
      {},
      { as: "admin" },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.renamed).toEqual({ __typename: "Unit", name: "City public security bureau" });
    // Read before the bureau existed, P1 stayed "not found in cycle" for the rest of the request.
    expect(r.body.data.station).toEqual({
      __typename: "Unit",
      parentId: "P1",
      parent: { id: "P1", name: "City public security bureau" },
    });
  });

  it("answers a cycle created again under a deleted one's id without the deleted one's previous scheme", async () => {
    const id = "reads-again";
    expect(
      (await t.gql(`mutation { ${createCycle(id)} }`, {}, { as: "admin" })).body.data.createCycle,
    ).toEqual({
      __typename: "Cycle",
    });
    const r = await t.gql(
      `mutation {
        moved: setCycleScheme(cycleId: "${id}", schemeId: "city-review", version: 1) {
          __typename ... on Cycle { previousScheme { version } } ... on Error { message } }
        deleteCycle(cycleId: "${id}", reason: "made on the wrong scheme") { __typename ... on Error { message } }
        again: createCycle(input: { id: "${id}", year: ${++year}, name: "${id}", schemeId: "city-review", schemeVersion: 2 }) {
          __typename ... on Cycle { schemeVersion previousScheme { version } } ... on Error { message } }
      }`,
      {},
      { as: "admin" },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.moved).toEqual({ __typename: "Cycle", previousScheme: { version: 2 } });
    expect(r.body.data.deleteCycle.__typename).toBe("DeletedCycle");
    // Never moved: the new cycle has no version to compare with.
    expect(r.body.data.again).toEqual({ __typename: "Cycle", schemeVersion: 2, previousScheme: null });
  });
});
