import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answering } from "./_test-answering-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import { loadDiff, previewImpact, sameRules, withdrawVersion } from "./rules-api";

beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("loadDiff", () => {
  it("asks which removed and added entries are likely one renamed, and hands the guess on", async () => {
    const removed = { path: "categories[id=public]", kind: "REMOVED", before: { id: "public" }, after: null };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const { query } = JSON.parse(init.body) as { query: string };
        const asked = /renamedTo\s+renamedFrom/.test(query);
        const changes = [asked ? { ...removed, renamedTo: "pubilc", renamedFrom: null } : removed];
        return new Response(JSON.stringify({ data: { schemeDiff: { __typename: "SchemeDiff", changes } } }));
      }),
    );
    expect(await loadDiff("city-review", 1, 2)).toEqual([
      { ...removed, renamedTo: "pubilc", renamedFrom: null },
    ]);
  });
});

describe("withdrawVersion", () => {
  const withdrawn = { at: "2026-12-07T09:00:00.000Z", by: "admin", reason: "wrong points for public" };

  it("sends the version and the reason, and answers who withdrew it, when and why", async () => {
    const sent = answering({ withdrawSchemeVersion: { __typename: "SchemeVersion", withdrawn } });
    const input = { schemeId: "city-review", version: 2, reason: "wrong points for public" };
    expect(await withdrawVersion(input)).toEqual(withdrawn);
    expect(sent).toEqual([{ input }]);
  });

  it("rejects with the gateway's refusal as it comes: the cycles a version is on are named", async () => {
    const message = "cycle '2019' is on scheme 'city-review' version 2: move it to another version first";
    answering({
      withdrawSchemeVersion: {
        __typename: "ValidationError",
        code: "VALIDATION",
        message: `input.version: ${message}`,
        issues: [{ path: "input.version", message }],
      },
    });
    await expect(
      withdrawVersion({ schemeId: "city-review", version: 2, reason: "x1" }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [{ path: "input.version", message }],
    });
  });
});

describe("previewImpact", () => {
  it("asks for the scheme's maximum before and after, and hands it on with the movements", async () => {
    const sent: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const { query } = JSON.parse(init.body) as { query: string };
        sent.push(query);
        const impact = { __typename: "RankMovements", movements: { totalCount: 0, edges: [] } };
        const maximum = { before: "100", after: "112.5" };
        return new Response(
          JSON.stringify({
            data: {
              previewSchemeImpact: /maximum\s*\{\s*before\s+after\s*\}/.test(query)
                ? { ...impact, maximum }
                : impact,
            },
          }),
        );
      }),
    );
    expect(await previewImpact("2019", { id: "city-review" })).toEqual({
      movements: [],
      movementCount: 0,
      maximum: { before: "100", after: "112.5" },
      noBefore: null,
      secrecyLifted: [],
    });
    expect(sent).toHaveLength(1);
  });

  it("asks which secret votes moving the cycle to the draft would lift, and hands them on", async () => {
    const secrecyLifted = [
      {
        path: "dataset.ballots",
        message: 'the secret vote "organ" (203 ballots) would name its voters to every reader, …',
      },
    ];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const { query } = JSON.parse(init.body) as { query: string };
        const asked = /secrecyLifted\s*\{\s*path\s+message\s*\}/.test(query);
        const impact = {
          __typename: "RankMovements",
          maximum: { before: "100", after: "100" },
          noBefore: null,
          movements: { totalCount: 0, edges: [] },
          ...(asked ? { secrecyLifted } : {}),
        };
        return new Response(JSON.stringify({ data: { previewSchemeImpact: impact } }));
      }),
    );
    expect((await previewImpact("2019", { id: "city-review" })).secrecyLifted).toEqual(secrecyLifted);
  });

  it("asks why there is no before, and hands it on for a cycle its current version cannot score", async () => {
    const noBefore = {
      message: "cycle '2025' cannot be scored as its records stand (1 problem): …",
      issues: [{ path: "dataset.scores[0].value", message: "…" }],
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const { query } = JSON.parse(init.body) as { query: string };
        const asked = /noBefore\s*\{\s*message\s+issues\s*\{\s*path\s+message\s*\}\s*\}/.test(query);
        const impact = {
          __typename: "RankMovements",
          maximum: { before: "100", after: "100" },
          movements: { totalCount: 0, edges: [] },
          ...(asked ? { noBefore } : {}),
        };
        return new Response(JSON.stringify({ data: { previewSchemeImpact: impact } }));
      }),
    );
    expect((await previewImpact("2025", { id: "city-review" })).noBefore).toEqual(noBefore);
  });
});

describe("sameRules", () => {
  const v3 = {
    $schema: "./scheme.schema.json",
    id: "city-review",
    version: 3,
    categories: [
      { id: "business", points: 30 },
      { id: "public", points: 50 },
    ],
  };

  it("leaves out version and $schema, as the gateway does, and the order of members", () => {
    const { $schema: _s, ...draft } = structuredClone(v3);
    expect(sameRules({ ...draft, version: 4 }, v3)).toBe(true);
    expect(sameRules({ categories: v3.categories, version: "next", id: "city-review" }, v3)).toBe(true);
    expect(sameRules(v3, { ...v3, $schema: "other" })).toBe(true);
  });

  it("sees any change of the rules, down to the order of a list", () => {
    const changed = structuredClone(v3);
    changed.categories[1]!.points = 45;
    expect(sameRules(changed, v3)).toBe(false);
    expect(sameRules({ ...v3, categories: [...v3.categories].reverse() }, v3)).toBe(false);
    expect(sameRules({ ...v3, bonusCap: null }, v3)).toBe(false);
    expect(sameRules({ ...v3, categories: v3.categories.slice(1) }, v3)).toBe(false);
    // "50" is not 50: the engine reads them alike, but the gateway compares the JSON.
    const quoted = structuredClone(v3) as unknown as { categories: { points: unknown }[] };
    quoted.categories[1]!.points = "50";
    expect(sameRules(quoted, v3)).toBe(false);
    expect(sameRules([v3], v3)).toBe(false);
    expect(sameRules(null, v3)).toBe(false);
  });
});
