import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * Before removing an import, an administrator sees which of the cycle's records it loaded and
 * still holds (removeImport takes those out) and which were edited by hand since (it keeps them).
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const admin = { as: "admin" as const };
  const FILES = {
    UNITS: "id,name,group\nU1,一,law-enforcement\nU2,二,law-enforcement\nU3,三,law-enforcement\n",
    SCORES: "unit,category,value\nU1,business,28\nU2,business,25\nU3,business,20\n",
    FINDINGS:
      "id,unit,type,level,rectification\nf1,U1,unannounced-visit,city,pending\nf2,U2,unannounced-visit,city,pending\nf3,U3,unannounced-visit,city,pending\n",
    BALLOTS: "category,voter,unit,score\norgan,v1,U1,80\norgan,v1,U2,70\norgan,v1,U3,60\n",
    VETOES: "id,unit,type,reason\nV1,U1,major-incident,事故\nV2,U2,major-incident,事故\n",
  };
  const upload = async (kind: keyof typeof FILES) => {
    const r = await t.upload(
      `mutation($file: File!, $i: ID!) { importFile(cycleId: "prov", importId: $i, kind: ${kind}, format: CSV, file: $file) {
        __typename ... on ImportResult { rows } ... on ImportError { bad: rows { line column message } } ... on Error { message } } }`,
      { i: `prov-${kind.toLowerCase()}` },
      { name: `${kind.toLowerCase()}.csv`, body: FILES[kind] },
    );
    return r.body.data.importFile;
  };
  const hand = async (mutation: string, selected = "") => {
    const r = await t.gql(
      `mutation { ${mutation} { __typename ${selected} ... on Error { message } } }`,
      {},
      admin,
    );
    expect(r.body.errors).toBeUndefined();
    return Object.values(r.body.data as object)[0];
  };
  const RECORDS = `query($i: ID) {
    cycle(id: "prov") { ... on Cycle {
      imports { id recordsHeld }
      scores(importId: $i) { edges { node { unitId importId } } }
      findings(importId: $i) { edges { node { id importId } } }
      ballots(importId: $i) { edges { node { unitId importId } } }
      vetoEvents(importId: $i) { edges { node { id importId } } }
      groups { id importId } } }
    units(cycleId: "prov", importId: $i) { edges { node { id importId } } } }`;
  const nodes = (list: { edges: { node: Record<string, string | null> }[] }) =>
    Object.fromEntries(list.edges.map(({ node }) => [node.id ?? node.unitId, node.importId]));

  beforeAll(async () => {
    await hand(
      `createCycle(input: { id: "prov", year: 2061, name: "provenance", schemeId: "city-review", schemeVersion: 2 })`,
    );
    expect(await upload("UNITS")).toEqual({ __typename: "ImportResult", rows: 3 });
    for (const kind of ["SCORES", "FINDINGS", "BALLOTS", "VETOES"] as const)
      expect(await upload(kind)).toEqual({ __typename: "ImportResult", rows: kind === "VETOES" ? 2 : 3 });
    // Each import's U2 record is corrected by hand; U4 is entered by hand.
    await hand(`upsertUnit(cycleId: "prov", input: { id: "U2", name: "二局", group: "law-enforcement" })`);
    await hand(`upsertUnit(cycleId: "prov", input: { id: "U4", name: "四", group: "law-enforcement" })`);
    await hand(`setScore(cycleId: "prov", unitId: "U2", category: "business", value: "26")`);
    await hand(`setRectification(cycleId: "prov", findingId: "f2", input: { rectification: ON_TIME })`);
    await hand(
      `recordBallot(cycleId: "prov", input: { category: "organ", voter: "v1", unitId: "U2", score: "75" })`,
    );
    await hand(
      `recordVetoEvent(cycleId: "prov", input: { id: "V2", unitId: "U2", type: "major-incident", reason: "事故（更正）" })`,
    );
  });

  it("names each record's import, none for one entered or edited by hand, and counts what each import still holds", async () => {
    const r = await t.gql(RECORDS, {}, admin);
    expect(r.body.errors).toBeUndefined();
    const { cycle, units } = r.body.data;
    expect(nodes(units)).toEqual({ U1: "prov-units", U2: null, U3: "prov-units", U4: null });
    expect(cycle.groups).toEqual([{ id: "law-enforcement", importId: "prov-units" }]);
    expect(nodes(cycle.scores)).toEqual({ U1: "prov-scores", U2: null, U3: "prov-scores" });
    expect(nodes(cycle.findings)).toEqual({ f1: "prov-findings", f2: null, f3: "prov-findings" });
    expect(nodes(cycle.ballots)).toEqual({ U1: "prov-ballots", U2: null, U3: "prov-ballots" });
    expect(nodes(cycle.vetoEvents)).toEqual({ V1: "prov-vetoes", V2: null });
    expect(Object.fromEntries(cycle.imports.map((i: any) => [i.id, i.recordsHeld]))).toEqual({
      "prov-units": 2,
      "prov-scores": 2,
      "prov-findings": 2,
      "prov-ballots": 2,
      "prov-vetoes": 1,
    });
    // A voter's role set to what it was changes none of their ballots: each keeps its import.
    const voter = await hand(
      `setVoterRole(cycleId: "prov", category: "organ", voter: "v1", role: null)`,
      "... on MutationSetVoterRoleSuccess { data { unitId importId } }",
    );
    expect(voter).toEqual({
      __typename: "MutationSetVoterRoleSuccess",
      data: [
        { unitId: "U1", importId: "prov-ballots" },
        { unitId: "U2", importId: null },
        { unitId: "U3", importId: "prov-ballots" },
      ],
    });
  });

  it("lists only the records an import still holds", async () => {
    const r = await t.gql(
      `query($i: ID) { cycle(id: "prov") { ... on Cycle { findings(importId: $i) { edges { node { id importId } } } } }
        units(cycleId: "prov", importId: "prov-units") { edges { node { id importId } } } }`,
      // Trimmed, as importFile stored it.
      { i: " prov-findings " },
      admin,
    );
    expect(r.body.errors).toBeUndefined();
    expect(nodes(r.body.data.cycle.findings)).toEqual({ f1: "prov-findings", f3: "prov-findings" });
    expect(nodes(r.body.data.units)).toEqual({ U1: "prov-units", U3: "prov-units" });

    const unknown = await t.gql(
      `{ cycle(id: "prov") { ... on Cycle { findings(importId: "prov-findngs") { edges { node { id } } } } } }`,
      {},
      admin,
    );
    expect(unknown.body.data.cycle.findings).toBeNull();
    expect(unknown.body.errors?.[0]).toMatchObject({
      path: ["cycle", "findings"],
      message: expect.stringContaining("unknown import 'prov-findngs' in cycle 'prov'"),
    });
  });

  it("lists only the groups a units import created and that still carry it", async () => {
    // A scheme of two groups: one made by the import, the other by hand.
    const scheme = {
      id: "prov-groups",
      name: "prov-groups",
      categories: [{ id: "business", name: "B", points: 100, method: { kind: "direct", outOf: 10 } }],
      groups: [
        { id: "g", name: "G" },
        { id: "h", name: "H" },
      ],
    };
    const published = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
      {
        i: {
          schemeId: "prov-groups",
          basedOn: null,
          newScheme: true,
          reason: "two groups",
          document: scheme,
        },
      },
      admin,
    );
    expect(published.body.data.publishSchemeVersion).toEqual({ __typename: "SchemeVersion" });
    await hand(
      `createCycle(input: { id: "prov-g", year: 2062, name: "groups", schemeId: "prov-groups", schemeVersion: 1 })`,
    );
    await hand(`upsertUnit(cycleId: "prov-g", input: { id: "H1", name: "h1", group: "h" })`);
    const imported = await t.upload(
      `mutation($file: File!) { importFile(cycleId: "prov-g", importId: "prov-g-units", kind: UNITS, format: CSV, file: $file) {
        __typename ... on ImportResult { rows } ... on Error { message } } }`,
      {},
      { name: "units.csv", body: "id,name,group\nG1,g1,g\n" },
    );
    expect(imported.body.data.importFile).toEqual({ __typename: "ImportResult", rows: 1 });
    const GROUPS = `query($i: ID) { groups(cycleId: "prov-g", importId: $i) { id importId } }`;
    const all = await t.gql(GROUPS, {}, admin);
    expect(all.body.data.groups).toEqual([
      { id: "g", importId: "prov-g-units" },
      { id: "h", importId: null },
    ]);
    // Trimmed, as importFile stored it.
    const filtered = await t.gql(GROUPS, { i: " prov-g-units " }, admin);
    expect(filtered.body.errors).toBeUndefined();
    expect(filtered.body.data.groups).toEqual([{ id: "g", importId: "prov-g-units" }]);
    // Another kind, another cycle's, none such, or a viewer's: refused, not an empty list.
    for (const [importId, message] of [
      ["prov-findings", "import 'prov-findings' is cycle 'prov''s, not cycle 'prov-g''s"],
      ["prov-g-unit", "unknown import 'prov-g-unit' in cycle 'prov-g'"],
    ] as const) {
      const r = await t.gql(GROUPS, { i: importId }, admin);
      expect(r.body.data.groups).toBeNull();
      expect(r.body.errors?.[0]).toMatchObject({
        path: ["groups"],
        message: expect.stringContaining(message),
      });
    }
    const kind = await t.gql(`{ groups(cycleId: "prov", importId: "prov-findings") { id } }`, {}, admin);
    expect(kind.body.errors?.[0]?.message).toContain(
      "import 'prov-findings' is a findings import, not a units one: its records are listed by Cycle.findings",
    );
    const viewer = await t.gql(GROUPS, { i: "prov-g-units" }, { as: "viewer" });
    expect(viewer.body.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", needed: "admin" });
  });

  it("refuses an import of another kind than the list's, naming the list its kind loads", async () => {
    const r = await t.gql(
      `{ cycle(id: "prov") { ... on Cycle { scores(importId: "prov-ballots") { edges { node { unitId } } } } }
        units(cycleId: "prov", importId: "prov-findings") { edges { node { id } } } }`,
      {},
      admin,
    );
    expect(r.body.data).toEqual({ cycle: { scores: null }, units: null });
    const messages = Object.fromEntries((r.body.errors ?? []).map((e) => [e.path?.join("."), e.message]));
    expect(messages).toEqual({
      "cycle.scores": expect.stringContaining(
        "import 'prov-ballots' is a ballots import, not a scores one: its records are listed by Cycle.ballots",
      ),
      units: expect.stringContaining(
        "import 'prov-findings' is a findings import, not a units one: its records are listed by Cycle.findings",
      ),
    });
  });

  it("refuses a survey-forms import in a list, saying survey forms are tallied, not listed", async () => {
    const imported = await t.upload(
      `mutation($file: File!) { importFile(cycleId: "prov", importId: "prov-forms", kind: SURVEY_FORMS, format: CSV, file: $file) {
        __typename ... on ImportResult { rows } ... on Error { message } } }`,
      {},
      { name: "forms.csv", body: "category,unit,respondent_group,answer\npublic,U4,residents,satisfied\n" },
    );
    expect(imported.body.data.importFile).toEqual({ __typename: "ImportResult", rows: 1 });
    try {
      const r = await t.gql(
        `{ units(cycleId: "prov", importId: "prov-forms") { edges { node { id } } } }`,
        {},
        admin,
      );
      expect(r.body.data).toEqual({ units: null });
      expect(r.body.errors?.[0]?.message).toContain(
        "import 'prov-forms' is a survey-forms import, not a units one: survey forms are tallied, not listed (Cycle.surveyTallies), and its recordsHeld counts them",
      );
    } finally {
      // The other tests count this cycle's imports without it.
      expect(
        await hand(`removeImport(importId: "prov-forms")`, "... on RemovedImport { removedRows }"),
      ).toEqual({
        __typename: "RemovedImport",
        removedRows: 1,
      });
    }
  });

  it("answers a cycle that does not exist as not found, before the import", async () => {
    const r = await t.gql(
      `{ units(cycleId: "nosuch", importId: "prov-units") { edges { node { id } } } }`,
      {},
      admin,
    );
    expect(r.body.data.units).toBeNull();
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps import ids to administrators, as the list of imports", async () => {
    const read = await t.gql(
      `{ cycle(id: "prov") { ... on Cycle { findings { edges { node { id importId } } } } } }`,
      {},
      { as: "viewer" },
    );
    expect(read.body.errors?.[0]?.message).toBe("viewer may not read Finding.importId: it needs admin");
    const filtered = await t.gql(
      `{ cycle(id: "prov") { ... on Cycle { findings(importId: "prov-findings") { edges { node { id } } } } } }`,
      {},
      { as: "viewer" },
    );
    expect(filtered.body.data.cycle.findings).toBeNull();
    expect(filtered.body.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", needed: "admin" });
  });

  it("removes, import by import, as many records as it said each held", async () => {
    const held = Object.fromEntries(
      (await t.gql(RECORDS, {}, admin)).body.data.cycle.imports.map((i: any) => [i.id, i.recordsHeld]),
    );
    // The units last: the others' records refer to its units.
    for (const id of ["prov-scores", "prov-findings", "prov-ballots", "prov-vetoes", "prov-units"]) {
      const removed = await hand(`removeImport(importId: "${id}")`, "... on RemovedImport { removedRows }");
      expect(removed).toEqual({ __typename: "RemovedImport", removedRows: held[id] });
    }
    const after = (await t.gql(RECORDS, {}, admin)).body.data;
    expect(nodes(after.units)).toEqual({ U2: null, U4: null });
    expect(nodes(after.cycle.scores)).toEqual({ U2: null });
    expect(nodes(after.cycle.findings)).toEqual({ f2: null });
    expect(nodes(after.cycle.ballots)).toEqual({ U2: null });
    expect(nodes(after.cycle.vetoEvents)).toEqual({ V2: null });
    // U2 and U4 are still in the group: it stays, no longer the import's.
    expect(after.cycle.groups).toEqual([{ id: "law-enforcement", importId: null }]);
  });
});
