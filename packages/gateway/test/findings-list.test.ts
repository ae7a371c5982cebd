import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** A cycle's findings and assessed scores, listed and filtered for the administrator who follows them up. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const dataset = JSON.parse(readFileSync(join(EXAMPLE_DIR, "dataset-2019.json"), "utf8"));
  const seeded = dataset.findings as { id: string; unit: string; type: string; rectification?: string }[];
  const byId = [...seeded].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const findings = async (args: string, as: "viewer" | "admin" = "viewer") => {
    const r = await t.gql(
      `{ cycle(id: "2019") { ... on Cycle { findings${args} { totalCount
        edges { cursor node { id unitId type rectification } } pageInfo { hasNextPage endCursor } } } } }`,
      {},
      { as },
    );
    return { data: r.body.data?.cycle?.findings, errors: r.body.errors };
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  it("lists every finding by id, in pages, with how many there are", async () => {
    const first = await findings("(first: 5)");
    expect(first.errors).toBeUndefined();
    expect(first.data.totalCount).toBe(seeded.length);
    expect(first.data.edges.map((e: any) => e.node.id)).toEqual(byId.slice(0, 5).map((f) => f.id));
    expect(first.data.pageInfo.hasNextPage).toBe(true);
    const rest = await findings(`(first: 100, after: "${first.data.pageInfo.endCursor}")`);
    expect(rest.data.edges.map((e: any) => e.node.id)).toEqual(byId.slice(5).map((f) => f.id));
    expect(rest.data.pageInfo.hasNextPage).toBe(false);
    // From the end, as every list pages.
    const last = await findings("(last: 2)");
    expect(last.data.edges.map((e: any) => e.node.id)).toEqual(byId.slice(-2).map((f) => f.id));
  });

  it("narrows to a unit, a finding type and a rectification state, together or alone", async () => {
    const open = await findings("(rectification: NOT_RECTIFIED)");
    const notRectified = byId.filter((f) => f.rectification === "not-rectified");
    expect(notRectified.length).toBeGreaterThan(0);
    expect(open.data.totalCount).toBe(notRectified.length);
    expect(open.data.edges.map((e: any) => e.node)).toEqual(
      notRectified.map((f) => ({ id: f.id, unitId: f.unit, type: f.type, rectification: "NOT_RECTIFIED" })),
    );
    const complaints = await findings('(type: "public-complaint")');
    expect(complaints.data.edges.map((e: any) => e.node.id)).toEqual(
      byId.filter((f) => f.type === "public-complaint").map((f) => f.id),
    );
    const u07 = await findings('(unitId: "U07", type: "unannounced-visit")');
    const expected = byId.filter((f) => f.unit === "U07" && f.type === "unannounced-visit").map((f) => f.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(u07.data.edges.map((e: any) => e.node.id)).toEqual(expected);
    expect(u07.data.totalCount).toBe(expected.length);
  });

  it("refuses a unit or finding type the cycle does not have, rather than answering 'none'", async () => {
    const unit = await findings('(unitId: "U99")');
    expect(unit.data ?? null).toBeNull();
    expect(unit.errors![0]).toMatchObject({
      message: expect.stringContaining('unknown unit "U99"'),
      extensions: {
        code: "VALIDATION",
        issues: [{ path: "unitId", message: "unknown unit \"U99\" in cycle '2019'" }],
      },
    });
    const type = await findings('(type: "unanounced-visit")');
    expect(type.errors![0]!.extensions!.issues).toEqual([
      {
        path: "type",
        message: expect.stringMatching(
          /^unknown finding type "unanounced-visit"; did you mean "unannounced-visit"\?, in scheme city-review v\d+, which cycle '2019' uses$/,
        ),
      },
    ]);
  });

  it("shows a rectification once it is recorded, and refuses the older cursors as stale", async () => {
    const before = await findings("(first: 1, rectification: NOT_RECTIFIED)");
    const id = before.data.edges[0].node.id;
    const set = await t.gql(
      `mutation { setRectification(cycleId: "2019", findingId: "${id}", input: { rectification: LATE, rectifiedOn: "2019-12-20" }) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(set.body.data.setRectification.__typename).toBe("Finding");
    const after = await findings("(rectification: NOT_RECTIFIED)");
    expect(after.data.totalCount).toBe(before.data.totalCount - 1);
    expect(after.data.edges.map((e: any) => e.node.id)).not.toContain(id);
    const stale = await findings(`(rectification: NOT_RECTIFIED, after: "${before.data.edges[0].cursor}")`);
    expect(stale.errors![0]!.message).toContain("the list changed since this cursor was issued");
  });

  it("lists assessed scores by unit, then category, and narrows to one category", async () => {
    const q = async (args: string) =>
      (
        await t.gql(
          `{ cycle(id: "2019") { ... on Cycle { scores${args} { totalCount edges { node { unitId category value } } } } } }`,
          {},
          { as: "viewer" },
        )
      ).body;
    const scores = dataset.scores as { unit: string; category: string; value: string }[];
    const all = await q("(first: 2000)");
    expect(all.data.cycle.scores.totalCount).toBe(scores.length);
    const key = (s: { unitId?: string; unit?: string; category: string }) =>
      `${s.unitId ?? s.unit}\u0000${s.category}`;
    const sorted = [...scores].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(all.data.cycle.scores.edges.map((e: any) => key(e.node))).toEqual(sorted.map(key));
    const category = sorted[0]!.category;
    const one = await q(`(category: "${category}")`);
    expect(one.data.cycle.scores.edges.every((e: any) => e.node.category === category)).toBe(true);
    expect(one.data.cycle.scores.totalCount).toBe(scores.filter((s) => s.category === category).length);
    const unknown = await q('(category: "publik")');
    expect(unknown.errors![0]!.message).toContain('unknown category "publik"');
  });
});
