import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { ApiError } from "./api";
import {
  CORRECT_PATHS,
  CREATE_PATHS,
  type CreateCycleForm,
  type CycleRow,
  chosenTarget,
  createCycle,
  createCycleInput,
  cycleCorrection,
  cycleFieldProblems,
  cycleGone,
  cycleLabel,
  defaultFollows,
  defaultTarget,
  deleteCycle,
  FINALISE_PATHS,
  finaliseCycle,
  firstToFinalise,
  firstToMove,
  followable,
  followedCycle,
  followedStillOpen,
  followsValue,
  LINK_PATHS,
  loadSchemeChoices,
  MOVE_PATHS,
  moveRefusals,
  nextYear,
  noUnitHasTotal,
  readFollows,
  readReason,
  readYear,
  type SchemeChoice,
  setCycleScheme,
  setPreviousCycle,
  updateCycle,
} from "./cycles-api";

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A gateway answering with `answer(query, variables)`; returns every request's query and variables. */
function gateway(answer: (query: string, variables: Record<string, unknown>) => unknown) {
  const sent: { query: string; variables: Record<string, unknown>; body: string }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const { query, variables } = JSON.parse(init.body);
      sent.push({ query, variables, body: init.body });
      return new Response(JSON.stringify({ data: answer(query, variables) }));
    }),
  );
  return sent;
}

const cycle = (id: string, year: number, previous: CycleRow | null = null): CycleRow => ({
  id,
  year,
  name: `${year}年度考评`,
  status: "OPEN",
  schemeId: "city-review",
  schemeVersion: 2,
  previousCycle: previous && { id: previous.id, year: previous.year },
});
const y2018 = cycle("2018", 2018);
const y2019 = cycle("2019", 2019);
const y2019b = cycle("2019-pilot", 2019);

const form = (follows: CreateCycleForm["follows"], copyUnitsFrom = "2019"): CreateCycleForm => ({
  id: "2020",
  year: 2020,
  name: "2020年度考评",
  schemeId: "city-review",
  schemeVersion: 2,
  copyUnitsFrom,
  follows,
});

describe("what a new cycle follows", () => {
  it("defaults, as the gateway does, to the cycle its units are copied from when that is of an earlier year", () => {
    expect(defaultFollows(y2019, 2020)).toBe(y2019);
    // A copy within one year (a pilot beside the official cycle) does not follow it.
    expect(defaultFollows(y2019, 2019)).toBeNull();
    expect(defaultFollows(null, 2020)).toBeNull();
    // A year not yet read says nothing (the gateway refuses the year anyway).
    expect(defaultFollows(y2019, null)).toBeNull();
  });

  it("names the cycle the form will create it following: the default's, none, or the one chosen", () => {
    const cycles = [y2019, y2019b, y2018];
    expect(followedCycle({ kind: "default" }, y2019, 2020, cycles)).toBe(y2019);
    expect(followedCycle({ kind: "none" }, y2019, 2020, cycles)).toBeNull();
    expect(followedCycle({ kind: "cycle", id: "2018" }, y2019, 2020, cycles)).toBe(y2018);
    // One gone from the list since it was read is still named, by id.
    expect(followedCycle({ kind: "cycle", id: "2017" }, null, 2020, cycles)).toEqual({ id: "2017" });
  });

  it("reads the follows box's value back as it was offered, whatever a cycle's id spells", () => {
    for (const f of [
      { kind: "default" },
      { kind: "none" },
      { kind: "cycle", id: "none" },
      { kind: "cycle", id: "default" },
      { kind: "cycle", id: "cycle:x" },
    ] as const)
      expect(readFollows(followsValue(f))).toEqual(f);
  });

  it("offers an open cycle only cycles of an earlier year to follow, newest first", () => {
    expect(followable([y2018, y2019b, y2019, cycle("2021", 2021)], 2020).map((c) => c.id)).toEqual([
      "2019",
      "2019-pilot",
      "2018",
    ]);
    expect(followable([y2019, y2018], 2018)).toEqual([]);
  });
});

describe("createCycleInput", () => {
  it("leaves previousCycle out for the default, sends null to follow none, and the id of one chosen", () => {
    // JSON has no undefined: a key left out and a null are what the gateway tells apart.
    const sent = (f: CreateCycleForm) => JSON.parse(JSON.stringify(createCycleInput(f)));
    expect(sent(form({ kind: "default" }))).not.toHaveProperty("previousCycle");
    expect(sent(form({ kind: "none" }))).toHaveProperty("previousCycle", null);
    expect(sent(form({ kind: "cycle", id: "2018" }))).toHaveProperty("previousCycle", "2018");
  });

  it("leaves copyUnitsFrom out when no cycle's units are copied", () => {
    expect(createCycleInput(form({ kind: "default" }, ""))).toEqual({
      id: "2020",
      year: 2020,
      name: "2020年度考评",
      schemeId: "city-review",
      schemeVersion: 2,
    });
  });
});

describe("readYear", () => {
  it("takes a whole year within the gateway's limits, and names what is wrong with any other", () => {
    expect(readYear(" 2020 ")).toEqual({ value: 2020 });
    expect(readYear("")).toEqual({ problem: "required" });
    expect(readYear("2020.5")).toEqual({ problem: "notInteger" });
    expect(readYear("二〇二〇")).toEqual({ problem: "notNumber" });
    // Past a GraphQL Int the request would be refused whole, at no field.
    expect(readYear("99999999999")).toEqual({ problem: "outOfRange" });
    expect(readYear("1989")).toEqual({ problem: "outOfRange" });
  });
});

describe("firstToFinalise", () => {
  it("starts on the oldest open cycle, which follows none still open", () => {
    expect(firstToFinalise([y2019, y2019b, y2018])?.id).toBe("2018");
    expect(firstToFinalise([y2019b, y2019])?.id).toBe("2019");
    expect(firstToFinalise([{ ...y2018, status: "FINALISED" }, y2019])?.id).toBe("2019");
    expect(firstToFinalise([{ ...y2018, status: "FINALISED" }])).toBeUndefined();
  });
});

describe("nextYear", () => {
  it("proposes the year after the newest cycle's", () => {
    expect(nextYear([y2018, y2019])).toBe(2020);
    expect(nextYear([], new Date(2031, 5, 1))).toBe(2031);
  });
});

describe("cycleLabel", () => {
  it("names a cycle by year, name and id, and one not listed by what is known of it", () => {
    expect(cycleLabel({ id: "2019", year: 2019 }, [y2019])).toBe("2019 · 2019年度考评 (2019)");
    expect(cycleLabel({ id: "2017", year: 2017 }, [y2019])).toBe("2017 (2017)");
    expect(cycleLabel({ id: "2017" }, [])).toBe("2017");
  });
});

describe("cycleFieldProblems", () => {
  it("puts createCycle's problems at the fields it named, and the rest above the form", () => {
    const error = new ApiError("refused", "VALIDATION", [
      { path: "input.previousCycle", message: "cycle '2020' is of 2020" },
      { path: "input.name", message: "must not be empty" },
      { path: "input.name", message: "second" },
      { path: "previousCycleId", message: "not this form's" },
    ]);
    expect(cycleFieldProblems(error, CREATE_PATHS)).toEqual({
      fields: { previousCycle: "cycle '2020' is of 2020", name: "must not be empty; second" },
      elsewhere: true,
    });
  });

  it("puts setPreviousCycle's refusal at the link form's follows box", () => {
    const error = new ApiError("refused", "VALIDATION", [
      { path: "previousCycleId", message: "cycle '2021' is of 2021" },
    ]);
    expect(cycleFieldProblems(error, LINK_PATHS)).toEqual({
      fields: { previousCycle: "cycle '2021' is of 2021" },
      elsewhere: false,
    });
  });

  it("shows a refusal that names no field (an id taken, a lost connection) whole", () => {
    const taken = new ApiError("cycle '2019' already exists", "CONFLICT");
    expect(cycleFieldProblems(taken, CREATE_PATHS)).toEqual({ fields: {}, elsewhere: true });
    // A path that is an object's own property name is no field of the form.
    const odd = new ApiError("x", "VALIDATION", [{ path: "constructor", message: "x" }]);
    expect(cycleFieldProblems(odd, CREATE_PATHS)).toEqual({ fields: {}, elsewhere: true });
    expect(cycleFieldProblems(null, CREATE_PATHS)).toEqual({ fields: {}, elsewhere: false });
  });
});

describe("writes", () => {
  it("creates a cycle with the input as the form built it, and throws the gateway's refusal by field", async () => {
    const sent = gateway(() => ({
      createCycle: {
        __typename: "ValidationError",
        code: "VALIDATION",
        message: "input.previousCycle: cycle '2020' is of 2020",
        issues: [{ path: "input.previousCycle", message: "cycle '2020' is of 2020" }],
      },
    }));
    const refused = await createCycle(form({ kind: "none" })).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(cycleFieldProblems(refused as Error, CREATE_PATHS).fields).toEqual({
      previousCycle: "cycle '2020' is of 2020",
    });
    expect(sent[0]!.body).toContain('"previousCycle":null');
    expect(sent[0]!.query).toContain("previousCycle { id year }");
  });

  it("unlinks with a null, and says why finalising was refused", async () => {
    const sent = gateway((query, vars) =>
      query.includes("setPreviousCycle")
        ? { setPreviousCycle: { __typename: "Cycle", ...y2019, id: vars.cycleId } }
        : {
            finaliseCycle: {
              __typename: "ValidationError",
              code: "VALIDATION",
              message: "previousCycleId: cycle '2018', which this one follows, is still open",
              issues: [
                { path: "previousCycleId", message: "cycle '2018', which this one follows, is still open" },
              ],
            },
          },
    );
    await setPreviousCycle("2019", null);
    expect(sent[0]!.body).toContain('"previousCycleId":null');
    await expect(finaliseCycle("2019")).rejects.toMatchObject({
      code: "VALIDATION",
      message: "previousCycleId: cycle '2018', which this one follows, is still open",
    });
  });
});

describe("readReason", () => {
  it("takes a reason as the gateway keeps it, trimmed, and none for an empty box", () => {
    expect(readReason("")).toEqual({ value: undefined });
    expect(readReason("  \n ")).toEqual({ value: undefined });
    expect(readReason("  录入错误，重复建立 ")).toEqual({ value: "录入错误，重复建立" });
    expect(readReason("改革")).toEqual({ value: "改革" });
    expect(readReason("v2")).toEqual({ value: "v2" });
    // A digit alone says something (a meeting's number, say), as the gateway reads it.
    expect(readReason("7")).toEqual({ value: "7" });
  });

  it("names a reason of punctuation alone, which the gateway refuses", () => {
    for (const text of [".", "…", "——", "？！", "- / -"])
      expect(readReason(text)).toEqual({ problem: "noWords" });
  });

  it("takes 2,000 characters and names 2,001, counted after trimming as the gateway counts them", () => {
    const most = "理".repeat(2000);
    expect(readReason(` ${most} `)).toEqual({ value: most });
    expect(readReason(`${most}a`)).toEqual({ problem: "tooLong", chars: 2001 });
  });
});

describe("readReason, required", () => {
  it("names an empty box, or one of spaces, as the gateway refuses a forced move without a reason", () => {
    expect(readReason("", { required: true })).toEqual({ problem: "required" });
    expect(readReason(" \t\n ", { required: true })).toEqual({ problem: "required" });
    expect(readReason(" 新版本重命名了问题类型 ", { required: true })).toEqual({
      value: "新版本重命名了问题类型",
    });
    // The other rules hold as without it.
    expect(readReason("。", { required: true })).toEqual({ problem: "noWords" });
    expect(readReason("理".repeat(2001), { required: true })).toEqual({ problem: "tooLong", chars: 2001 });
    expect(readReason("", { required: false })).toEqual({ value: undefined });
  });
});

describe("moving a cycle to another scheme version", () => {
  const schemes: SchemeChoice[] = [
    {
      schemeId: "city-review",
      versions: [3, 2, 1].map((version) => ({ version, reason: `r${version}`, withdrawn: null })),
      latestUsable: 3,
    },
    { schemeId: "pilot", versions: [{ version: 1, reason: "p1", withdrawn: null }], latestUsable: 1 },
  ];

  const moved = (vars: Record<string, unknown>) => ({
    setCycleScheme: { __typename: "Cycle", ...y2019, schemeId: vars.schemeId, schemeVersion: vars.version },
  });

  it("sends the cycle and the version, and force and a reason only when given", async () => {
    const sent = gateway((_q, vars) => moved(vars));
    const plain = await setCycleScheme("2019", { schemeId: "city-review", version: 3 });
    await setCycleScheme("2019", { schemeId: "city-review", version: 3 }, { reason: "委员会 2020-07 决定" });
    await setCycleScheme(
      "2019",
      { schemeId: "city-review", version: 4 },
      { force: true, reason: "v4 renames the finding types" },
    );
    await setCycleScheme("2019", { schemeId: "pilot", version: 1 }, { force: false, reason: undefined });
    expect(sent.map((s) => s.variables)).toEqual([
      { cycleId: "2019", schemeId: "city-review", version: 3 },
      { cycleId: "2019", schemeId: "city-review", version: 3, reason: "委员会 2020-07 决定" },
      {
        cycleId: "2019",
        schemeId: "city-review",
        version: 4,
        force: true,
        reason: "v4 renames the finding types",
      },
      { cycleId: "2019", schemeId: "pilot", version: 1 },
    ]);
    expect(sent[0]!.query).toContain(
      "setCycleScheme(cycleId: $cycleId, schemeId: $schemeId, version: $version, force: $force, reason: $reason)",
    );
    expect(sent[0]!.query).toContain("... on ValidationError { issues { path message } }");
    // The cycle as moved, for the row to show its new version.
    expect(plain).toMatchObject({ id: "2019", schemeId: "city-review", schemeVersion: 3 });
  });

  it("puts the gateway's refusal at the reason, version and scheme boxes, and the records it cannot score whole", async () => {
    const records = [
      {
        path: "dataset.scores[0].score",
        message: 'score for unit "U01" in category "business": 27.1 is outside 0–10',
      },
      { path: "dataset.findings[3].type", message: "unknown finding type 'late-report'" },
    ];
    gateway(() => ({
      setCycleScheme: {
        __typename: "ValidationError",
        code: "VALIDATION",
        message:
          "scheme city-review v3 cannot score cycle '2019' as its records stand — correct the records first",
        issues: records,
      },
    }));
    const refused = await setCycleScheme("2019", { schemeId: "city-review", version: 3 }).catch(
      (e: Error) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(cycleFieldProblems(refused as Error, MOVE_PATHS)).toEqual({ fields: {}, elsewhere: true });
    expect(moveRefusals(refused as Error)).toEqual(["records"]);

    const at = (path: string, message: string) => new ApiError(message, "VALIDATION", [{ path, message }]);
    expect(cycleFieldProblems(at("reason", "say why the cycle is moved past the check"), MOVE_PATHS)).toEqual(
      {
        fields: { reason: "say why the cycle is moved past the check" },
        elsewhere: false,
      },
    );
    expect(
      cycleFieldProblems(at("version", "scheme 'city-review' has no version 9: its latest is 3"), MOVE_PATHS),
    ).toEqual({
      fields: { schemeVersion: "scheme 'city-review' has no version 9: its latest is 3" },
      elsewhere: false,
    });
    expect(cycleFieldProblems(at("schemeId", "no scheme 'x'"), MOVE_PATHS)).toEqual({
      fields: { schemeId: "no scheme 'x'" },
      elsewhere: false,
    });
  });

  it("tells records the version cannot score from units that would lose their total, a secret vote's secrecy lifted, and a check too costly to run", () => {
    const refusal = (issues: { path: string; message: string }[]) =>
      new ApiError(issues[0]!.message, "VALIDATION", issues);
    // A unit record the version cannot read is at one of its fields; a unit losing its total, at the unit.
    expect(
      moveRefusals(refusal([{ path: "dataset.units[2].group", message: 'unit "U03": unknown group "g9"' }])),
    ).toEqual(["records"]);
    const lost = [
      { path: "dataset.units[0]", message: "unit U01: not scored (innovation: no records for this unit)" },
      { path: "dataset.units[17]", message: "unit U18: not scored (innovation: no records for this unit)" },
    ];
    expect(moveRefusals(refusal(lost))).toEqual(["totals"]);
    // A unit the gateway could not place in the records is at `units[?]`.
    expect(moveRefusals(refusal([{ path: "dataset.units[?]", message: "unit U99: no total" }]))).toEqual([
      "totals",
    ]);
    expect(
      moveRefusals(
        refusal([
          {
            path: "version",
            message:
              "checking the records under scheme city-review v3 is too large for one request (estimated 2,400,000 work units, 1,000,000 left of 1,000,000): pass force: true, with a reason, to move the cycle without the check",
          },
        ]),
      ),
    ).toEqual(["budget"]);
    // A version it does not have is at the version's box too, with nothing force would help.
    expect(
      moveRefusals(refusal([{ path: "version", message: "scheme 'city-review' has no version 9" }])),
    ).toEqual([]);
    expect(
      moveRefusals(refusal([{ path: "reason", message: "say why the cycle is moved past the check" }])),
    ).toEqual([]);
    // A secret vote's secrecy lifted is at the vote's ballots as a whole, no ballot of it: no record to correct.
    const lifted = {
      path: "dataset.ballots",
      message:
        'the secret vote "organ" (203 ballots) would name its voters to every reader, in its ballot lists and each unit\'s breakdown',
    };
    expect(moveRefusals(refusal([lifted]))).toEqual(["secrecy"]);
    // Checked before the cost of the records' check, so a check too large to run names it too.
    const costly = {
      path: "version",
      message:
        "checking the records under scheme city-review v3 is too large for one request (estimated 2,400,000 work units, 1,000,000 left of 1,000,000): pass force: true, with a reason, to move the cycle without the check",
    };
    expect(moveRefusals(refusal([costly, lifted]))).toEqual(["budget", "secrecy"]);
    // Beside the records or totals a version refuses too, both are said.
    const ballot = { path: "dataset.ballots[4].vote", message: 'ballot 5: unknown vote "club"' };
    expect(moveRefusals(refusal([ballot, lifted]))).toEqual(["records", "secrecy"]);
    expect(moveRefusals(refusal([...lost, lifted]))).toEqual(["totals", "secrecy"]);
    expect(moveRefusals(refusal([ballot]))).toEqual(["records"]);
    // A version dropping a vote (secret or named) lifts no secrecy: it refuses each of the vote's
    // ballots for its category, which no correction mends, so they are not records to correct.
    const dropped = {
      path: "dataset.ballots[7].category",
      message: 'ballot of voter "mayor" for unit "U01": unknown category "organ"',
    };
    const rescored = {
      path: "dataset.ballots[8].category",
      message: 'ballot of voter "mayor" for unit "U02": category "organ" is scored by "direct", not "vote"',
    };
    expect(moveRefusals(refusal([dropped, rescored]))).toEqual(["voteGone"]);
    // Beside other records, both hints; beside a lifted secrecy, that too.
    expect(moveRefusals(refusal([dropped, ballot]))).toEqual(["records", "voteGone"]);
    expect(moveRefusals(refusal([ballot, dropped, lifted]))).toEqual(["records", "voteGone", "secrecy"]);
    expect(moveRefusals(refusal([dropped, lifted]))).toEqual(["voteGone", "secrecy"]);
    expect(moveRefusals(new ApiError("cycle '2018' is finalised", "CYCLE_FINALISED"))).toEqual([]);
    expect(moveRefusals(new Error("dataset.units[0]"))).toEqual([]);
  });

  it("names the version two boxes choose, the scheme's latest when the one kept is not its, and none for a scheme not read", () => {
    expect(chosenTarget(schemes, "city-review", "2")).toEqual({ schemeId: "city-review", version: 2 });
    expect(chosenTarget(schemes, "city-review", null)).toEqual({ schemeId: "city-review", version: 3 });
    // Version 2 was chosen of city-review, then the scheme changed: pilot has no version 2.
    expect(chosenTarget(schemes, "pilot", "2")).toEqual({ schemeId: "pilot", version: 1 });
    expect(chosenTarget(schemes, "retired", null)).toBeNull();
    expect(chosenTarget([{ schemeId: "empty", versions: [], latestUsable: null }], "empty", null)).toBeNull();
  });

  it("never names a withdrawn version: the latest not withdrawn instead, and none when each is", () => {
    const withdrawn = { at: "2026-12-07T09:00:00.000Z", by: "admin", reason: "wrong points for public" };
    const [v3, v2, v1] = schemes[0]!.versions;
    const reviewed = (versions: SchemeChoice["versions"], latestUsable: number | null): SchemeChoice[] => [
      { schemeId: "city-review", versions, latestUsable },
    ];
    const v3Withdrawn = reviewed([{ ...v3!, withdrawn }, v2!, v1!], 2);
    // The gateway's latestUsableVersion, where the scheme's latest is withdrawn.
    expect(chosenTarget(v3Withdrawn, "city-review", null)).toEqual({ schemeId: "city-review", version: 2 });
    // A withdrawn version kept in a box (a draft from before, a choice made before a colleague withdrew it).
    expect(chosenTarget(v3Withdrawn, "city-review", "3")).toEqual({ schemeId: "city-review", version: 2 });
    expect(chosenTarget(v3Withdrawn, "city-review", "1")).toEqual({ schemeId: "city-review", version: 1 });
    // Version 3 withdrawn after latestUsableVersion was read, before the versions were: the list's
    // newest usable one, not none.
    expect(chosenTarget(reviewed(v3Withdrawn[0]!.versions, 3), "city-review", null)).toEqual({
      schemeId: "city-review",
      version: 2,
    });
    expect(defaultTarget(y2019, v3Withdrawn)).toEqual({ schemeId: "city-review", version: 2 });
    // A cycle on the latest version not withdrawn is not behind.
    expect(firstToMove([y2019, { ...y2018, schemeVersion: 1 }], v3Withdrawn)?.id).toBe("2018");
    const each = reviewed(
      [v3!, v2!, v1!].map((v) => ({ ...v, withdrawn })),
      null,
    );
    expect(chosenTarget(each, "city-review", "3")).toBeNull();
    expect(defaultTarget(y2019, each)).toBeNull();
  });

  it("starts on the cycle's own scheme at its latest version", () => {
    expect(defaultTarget(y2019, schemes)).toEqual({ schemeId: "city-review", version: 3 });
    expect(defaultTarget({ ...y2019, schemeId: "pilot", schemeVersion: 1 }, schemes)).toEqual({
      schemeId: "pilot",
      version: 1,
    });
    expect(defaultTarget({ ...y2019, schemeId: "gone" }, schemes)).toBeNull();
  });

  it("starts on the newest open cycle behind its scheme's latest version, else the newest open one", () => {
    const onLatest = (c: CycleRow): CycleRow => ({ ...c, schemeVersion: 3 });
    // The list's order: newest year first.
    expect(firstToMove([onLatest(y2019), y2019b, y2018], schemes)?.id).toBe("2019-pilot");
    expect(firstToMove([{ ...y2019, status: "FINALISED" }, y2018], schemes)?.id).toBe("2018");
    expect(firstToMove([onLatest(y2019), onLatest(y2018)], schemes)?.id).toBe("2019");
    expect(firstToMove([{ ...y2019, status: "FINALISED" }], schemes)).toBeUndefined();
  });
});

describe("finalising and deleting a cycle with a reason", () => {
  it("sends the reason given for the audit entry, and leaves it out when none is", async () => {
    const sent = gateway((query, vars) =>
      query.includes("finaliseCycle")
        ? { finaliseCycle: { __typename: "Cycle", ...y2019, id: vars.cycleId, status: "FINALISED" } }
        : { deleteCycle: { __typename: "DeletedCycle", cycleId: vars.cycleId, units: 0, groups: 0 } },
    );
    await finaliseCycle("2019", "市政府常务会议决定");
    await deleteCycle("2019-pilot", "录入错误");
    await finaliseCycle("2018");
    // The number of units without a total, once the administrator was shown it.
    await finaliseCycle("2019-trial", undefined, 19);
    expect(sent.map((s) => s.variables)).toEqual([
      { cycleId: "2019", reason: "市政府常务会议决定" },
      { cycleId: "2019-pilot", reason: "录入错误" },
      { cycleId: "2018" },
      { cycleId: "2019-trial", expectedUnscoredUnits: 19 },
    ]);
    expect(sent[0]!.query).toContain(
      "finaliseCycle(cycleId: $cycleId, reason: $reason, expectedUnscoredUnits: $expectedUnscoredUnits)",
    );
    expect(sent[1]!.query).toContain("deleteCycle(cycleId: $cycleId, reason: $reason)");
  });

  it("puts the gateway's refusal of a reason at the reason box of either form, and the rest whole", async () => {
    const said = { path: "reason", message: "say why in words (punctuation alone says nothing)" };
    const refusal = { __typename: "ValidationError", code: "VALIDATION", message: `reason: ${said.message}` };
    gateway((query) =>
      query.includes("finaliseCycle")
        ? { finaliseCycle: { ...refusal, issues: [said] } }
        : {
            deleteCycle: {
              ...refusal,
              issues: [said, { path: "cycleId", message: "it still holds 1 import" }],
            },
          },
    );
    const finalising = await finaliseCycle("2019", "x").catch((e: Error) => e);
    expect(cycleFieldProblems(finalising as Error, FINALISE_PATHS)).toEqual({
      fields: { reason: said.message },
      elsewhere: false,
    });
    const deleting = await deleteCycle("2019", "x").catch((e: Error) => e);
    expect(cycleFieldProblems(deleting as Error, CORRECT_PATHS)).toEqual({
      fields: { reason: said.message },
      elsewhere: true,
    });
    // Finalise's other refusals name no box of its form.
    const open = new ApiError("x", "VALIDATION", [{ path: "previousCycleId", message: "still open" }]);
    expect(cycleFieldProblems(open, FINALISE_PATHS)).toEqual({ fields: {}, elsewhere: true });
  });
});

describe("cycleCorrection", () => {
  it("sends only what differs from the cycle as listed, a name compared as the gateway stores it", () => {
    expect(cycleCorrection(y2019, "2019年度考评", 2019)).toEqual({});
    expect(cycleCorrection(y2019, " 2019年度考评 ", 2019)).toEqual({});
    expect(cycleCorrection(y2019, "2019年度绩效考评", 2019)).toEqual({ name: "2019年度绩效考评" });
    // A year alone leaves the name out, so a colleague's rename meanwhile is not undone.
    expect(cycleCorrection(y2019, "2019年度考评", 2018)).toEqual({ year: 2018 });
    expect(cycleCorrection(y2019, "新名称", 2020)).toEqual({ name: "新名称", year: 2020 });
    // An emptied name is sent, for the gateway to refuse at its box.
    expect(cycleCorrection(y2019, "  ", 2019)).toEqual({ name: "  " });
  });
});

describe("correcting and deleting a cycle", () => {
  const refusal = (path: string, message: string) => ({
    __typename: "ValidationError",
    code: "VALIDATION",
    message: `${path}: ${message}`,
    issues: [{ path, message }],
  });

  it("sends the cycle and only what changes, and returns the cycle as corrected", async () => {
    const sent = gateway((_q, vars) => ({
      updateCycle: { __typename: "Cycle", ...y2019, ...(vars.input as object) },
    }));
    const corrected = await updateCycle("2019", { year: 2018 });
    expect(sent[0]!.variables).toEqual({ cycleId: "2019", input: { year: 2018 } });
    expect(sent[0]!.query).toContain("updateCycle(cycleId: $cycleId, input: $input)");
    expect(corrected).toMatchObject({ id: "2019", year: 2018, name: "2019年度考评" });
  });

  it("puts updateCycle's refusals at the name and year boxes, and one at `input` above the form", async () => {
    gateway(() => ({
      updateCycle: refusal(
        "input.year",
        "cycle '2020' of 2020 follows this one: its year must stay before 2020",
      ),
    }));
    const year = await updateCycle("2019", { year: 2021 }).catch((e: Error) => e);
    expect(cycleFieldProblems(year as Error, CORRECT_PATHS)).toEqual({
      fields: { year: "cycle '2020' of 2020 follows this one: its year must stay before 2020" },
      elsewhere: false,
    });
    gateway(() => ({ updateCycle: refusal("input.name", "must not be empty") }));
    const name = await updateCycle("2019", { name: " " }).catch((e: Error) => e);
    expect(cycleFieldProblems(name as Error, CORRECT_PATHS)).toEqual({
      fields: { name: "must not be empty" },
      elsewhere: false,
    });
    gateway(() => ({ updateCycle: refusal("input", "give a new name or year (or both)") }));
    const nothing = await updateCycle("2019", {}).catch((e: Error) => e);
    expect(cycleFieldProblems(nothing as Error, CORRECT_PATHS)).toEqual({ fields: {}, elsewhere: true });
  });

  it("deletes a cycle by id, saying what went with it", async () => {
    const sent = gateway(() => ({
      deleteCycle: { __typename: "DeletedCycle", cycleId: "2019-pilot", units: 3, groups: 1 },
    }));
    expect(await deleteCycle("2019-pilot")).toEqual({ cycleId: "2019-pilot", units: 3, groups: 1 });
    expect(sent[0]!.variables).toEqual({ cycleId: "2019-pilot" });
    expect(sent[0]!.query).toContain("... on DeletedCycle { cycleId units groups }");
  });

  it("throws a refused delete with the gateway's message whole, at no box of the form", async () => {
    const holds =
      "cycle '2019' was not deleted, as nothing stored may be lost: it still holds 1 import (imp-1), each taken out with removeImport";
    gateway(() => ({ deleteCycle: refusal("cycleId", holds) }));
    const refused = await deleteCycle("2019").catch((e: Error) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: "VALIDATION", message: `cycleId: ${holds}` });
    expect(cycleFieldProblems(refused as Error, CORRECT_PATHS)).toEqual({ fields: {}, elsewhere: true });
    gateway(() => ({
      deleteCycle: {
        __typename: "CycleFinalisedError",
        code: "CYCLE_FINALISED",
        message: "cycle '2018' is finalised",
      },
    }));
    await expect(deleteCycle("2018")).rejects.toMatchObject({
      code: "CYCLE_FINALISED",
      message: "cycle '2018' is finalised",
    });
  });
});

describe("loadSchemeChoices", () => {
  it("lists every scheme's every version, newest first, read page by page, withdrawn ones marked", async () => {
    const withdrawn = { at: "2024-02-01T00:00:00Z", by: "admin", reason: "wrong points for public" };
    const node = (version: number) => ({
      version,
      author: "a",
      reason: `r${version}`,
      basedOn: null,
      createdAt: "2024-01-01T00:00:00Z",
      withdrawn: version === 2 ? withdrawn : null,
    });
    gateway((query, { schemeId, after }) => {
      if (query.includes("schemes {"))
        return {
          schemes: [
            { schemeId: "city-review", latestUsableVersion: 3 },
            { schemeId: "pilot", latestUsableVersion: 1 },
          ],
        };
      const [nodes, next] =
        schemeId === "pilot" ? [[node(1)], null] : after ? [[node(3)], null] : [[node(1), node(2)], "c1"];
      return {
        schemeVersions: {
          pageInfo: { hasNextPage: next !== null, endCursor: next },
          edges: (nodes as ReturnType<typeof node>[]).map((n) => ({ node: n })),
        },
      };
    });
    expect(await loadSchemeChoices()).toEqual([
      {
        schemeId: "city-review",
        versions: [
          { version: 3, reason: "r3", withdrawn: null },
          { version: 2, reason: "r2", withdrawn },
          { version: 1, reason: "r1", withdrawn: null },
        ],
        latestUsable: 3,
      },
      { schemeId: "pilot", versions: [{ version: 1, reason: "r1", withdrawn: null }], latestUsable: 1 },
    ]);
  });
});

describe("cycleGone", () => {
  it("knows a write refused as its cycle was finalised or deleted since the list was read", () => {
    expect(
      cycleGone(new ApiError("cycle '2019' is finalised and cannot be changed", "CYCLE_FINALISED")),
    ).toBe("finalised");
    expect(cycleGone(new ApiError("cycle '2019' not found", "NOT_FOUND"))).toBe("deleted");
    expect(cycleGone(new ApiError("name: must not be empty", "VALIDATION", []))).toBeNull();
    expect(cycleGone(new ApiError("Failed to fetch", "NETWORK"))).toBeNull();
    expect(cycleGone(new Error("CYCLE_FINALISED"))).toBeNull();
  });
});

describe("noUnitHasTotal", () => {
  it("knows finalise's refusal of a year with no unit's total by its path, `cycleId`", () => {
    const refused = (issues: { path: string; message: string }[], code = "VALIDATION") =>
      noUnitHasTotal(new ApiError("refused", code, issues));
    expect(refused([{ path: "cycleId", message: "none of the 3 units of cycle '2020' has a total" }])).toBe(
      true,
    );
    // The cycle it follows still open, records the scheme cannot score, or no path: other refusals.
    expect(refused([{ path: "previousCycleId", message: "still open" }])).toBe(false);
    expect(refused([{ path: "dataset.ballots[0].scores[1].score", message: "out of range" }])).toBe(false);
    expect(refused([])).toBe(false);
    expect(refused([{ path: "cycleId", message: "x" }], "NOT_FOUND")).toBe(false);
    expect(noUnitHasTotal(new Error("cycleId"))).toBe(false);
  });
});

describe("followedStillOpen", () => {
  it("knows the refusal by the path the gateway puts it at, not by its words", () => {
    const still = (message: string, issues: { path: string; message: string }[], code = "VALIDATION") =>
      followedStillOpen(new ApiError(message, code, issues));
    expect(still("reworded", [{ path: "previousCycleId", message: "reworded" }])).toBe(true);
    // The same words at no path, or another refusal: no hint, the refusal is shown as it is.
    expect(still("cycle '2018', which this one follows, is still open", [])).toBe(false);
    expect(still("cycle '2019' is finalised", [], "CYCLE_FINALISED")).toBe(false);
    expect(still("2 problems", [{ path: "cycleId", message: "required" }])).toBe(false);
    expect(followedStillOpen(new Error("previousCycleId"))).toBe(false);
  });
});
