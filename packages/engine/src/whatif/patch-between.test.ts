import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directScheme, issueLines } from "../_test-schemes.js";
import { shuffledSets, withEveryList } from "../_test-unordered.js";
import type { Dataset } from "../dataset/dataset.js";
import { InputError } from "../input-error.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import { type SchemeChange, schemeChanges } from "../scheme/scheme-changes.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { scenarioArb, scenarioOf, yearArb, yearOf } from "./_test-scenarios.js";
import { loadSeed2018, loadSeed2019, shuffled, standingView } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { compareBaselines } from "./compare-baselines.js";
import { patchBetween } from "./patch-between.js";
import { patchEdits } from "./patch-edits.js";
import type { SchemePatch } from "./scenario.js";

const seed2018 = await loadSeed2018();
const seed2019 = await loadSeed2019();
const rules = { units: [] };
const paths = (changes: readonly SchemeChange[]) => changes.map((c) => c.path);
const applied = (from: unknown, patch: SchemePatch) =>
  applyScenario(from, rules, { name: "patched", patch }).compiled.scheme;

describe("patchBetween on the seed years", () => {
  // The hand-written patch of docs/what-if.md's year-on-year split.
  const back = {
    categories: { organ: { points: 30 }, public: { points: 40, method: { weighting: { type: "pooled" } } } },
    vetoTypes: { "major-incident": { yearsInForce: 1 } },
  } as const;
  const organMethod = (c: SchemeChange) => c.path.startsWith("categories[id=organ].method");

  it("takes 2019's rules back to 2018's as the hand-written patch does, the organ vote kept", () => {
    const { patch, kept } = patchBetween(seed2019.scheme, seed2018.scheme);
    expect(patch).toEqual(back);
    // The scheme's own name and description, and organ construction's method: the data half's.
    expect(paths(kept)).toEqual([
      "name",
      "description",
      "categories[id=organ].method.kind",
      "categories[id=organ].method.ballot",
      "categories[id=organ].method.aggregation",
      "categories[id=organ].method.quorum",
      "categories[id=organ].method.validity",
      "categories[id=organ].method.outOf",
    ]);
    expect(kept.filter((c) => !organMethod(c)).map((c) => c.path)).toEqual(["name", "description"]);
  });

  it("gives the middle year of the hand-written patch, total for total", () => {
    const mine = applyScenario(seed2019.scheme, seed2019.dataset, {
      name: "mine",
      patch: patchBetween(seed2019.scheme, seed2018.scheme).patch,
    });
    const hand = applyScenario(seed2019.scheme, seed2019.dataset, { name: "hand", patch: back });
    const c = compareBaselines(
      createBaseline(hand.compiled, hand.dataset),
      createBaseline(mine.compiled, mine.dataset),
    );
    expect(c.units.length).toBe(29);
    expect(c.units.every((u) => u.totalDelta === "0" && u.rankDelta === 0)).toBe(true);
    expect(c.changes).toEqual([]);
  });

  it("takes 2018's rules forward, the leader's organ score kept with its scale", () => {
    const { patch, kept } = patchBetween(seed2018.scheme, seed2019.scheme);
    expect(patch).toEqual({
      categories: {
        organ: { points: 20 },
        public: {
          points: 50,
          method: {
            weighting: {
              type: "group-weighted",
              weights: { "service-recipients": 0.4, enterprises: 0.2, deputies: 0.2, residents: 0.2 },
            },
          },
        },
      },
      vetoTypes: { "major-incident": { yearsInForce: 2 } },
    });
    expect(paths(kept.filter(organMethod))).toEqual([
      "categories[id=organ].method.kind",
      "categories[id=organ].method.outOf",
      "categories[id=organ].method.ballot",
      "categories[id=organ].method.aggregation",
      "categories[id=organ].method.quorum",
      "categories[id=organ].method.validity",
    ]);
  });
});

describe("patchBetween's choices", () => {
  const noScale = (points: number): SchemeInput =>
    directScheme({
      categories: [
        { id: "business", name: "business work", points: 30, method: { kind: "direct", outOf: 30 } },
        { id: "organ", name: "organ construction", points, method: { kind: "direct" } },
        { id: "public", name: "public evaluation", points: 100 - 30 - points, method: { kind: "direct" } },
      ],
    });

  it("never patches a direct scale: the records keep theirs, and the outOf line is kept", () => {
    const { patch, kept } = patchBetween(noScale(30), noScale(20));
    expect(patch).toEqual({ categories: { organ: { points: 20 }, public: { points: 50 } } });
    expect(kept).toEqual([
      { path: "categories[id=organ].method.outOf", kind: "changed", before: 30, after: 20 },
      { path: "categories[id=public].method.outOf", kind: "changed", before: 40, after: 50 },
    ]);
    // Nor when `to` writes another scale out.
    const tenths = directScheme();
    tenths.categories[0]!.method = { kind: "direct", outOf: 10 };
    expect(patchBetween(directScheme(), tenths)).toEqual({
      patch: {},
      kept: [{ path: "categories[id=business].method.outOf", kind: "changed", before: 30, after: 10 }],
    });
  });

  it("gives a category only `from` has 0 points: its weight moves with the rules, the maximum is `to`'s", () => {
    const from = directScheme();
    from.categories[0]!.points = 20;
    from.categories.push({
      id: "innovation",
      name: "innovation",
      points: 10,
      method: { kind: "direct", outOf: 10 },
    });
    const { patch, kept } = patchBetween(from, directScheme());
    expect(patch).toEqual({ categories: { business: { points: 30 }, innovation: { points: 0 } } });
    expect(paths(kept)).toEqual(["categories[id=innovation]"]);
    const middle = compileScheme(applied(from, patch));
    expect(middle.maxTotal).toEqual(compileScheme(directScheme()).maxTotal);
    // Its records are scored at 0 points: a unit's total is the categories `to` has.
    const dataset = {
      units: [{ id: "U1", name: "U1", group: "g1" }],
      scores: [
        { unit: "U1", category: "business", value: 15 },
        { unit: "U1", category: "organ", value: 30 },
        { unit: "U1", category: "public", value: 50 },
        { unit: "U1", category: "innovation", value: 2 },
      ],
    };
    const scenario = applyScenario(from, dataset, { name: "middle", patch });
    const total = createBaseline(scenario.compiled, scenario.dataset).standings[0]!.total!;
    expect(Number(total.n) / Number(total.d)).toBe(65);
    // Already weightless: nothing to write.
    from.categories[3]!.points = 0;
    from.categories[0]!.points = 30;
    expect(patchBetween(from, directScheme()).patch).toEqual({});
  });

  it("leaves out an edit applyScenario refuses and keeps its line", () => {
    const from = directScheme({
      bonusTypes: [{ id: "award", name: "award", levels: { city: 1 } }],
      bonusCap: 3,
    });
    // A tie-breaker on a category only `to` has; no cap where `from` has bonus types.
    const to = directScheme({
      categories: [
        ...directScheme().categories,
        { id: "innovation", name: "innovation", points: 5, method: { kind: "direct" } },
      ],
      ranking: { tieBreakers: [{ category: "innovation" }], lastLosesExcellence: true },
    });
    const { patch, kept } = patchBetween(from, to);
    expect(patch).toEqual({ ranking: { lastLosesExcellence: true } });
    expect(paths(kept)).toEqual([
      "categories[id=innovation]",
      "bonusTypes[id=award]",
      "bonusCap",
      "ranking.tieBreakers[0]",
    ]);
  });

  it("names the argument a bad scheme was given as", () => {
    const bad = { ...directScheme(), categories: [] };
    expect(issueLines(() => patchBetween(bad, directScheme()))).toEqual([
      "from.categories: must have at least 1 item",
    ]);
    expect(issueLines(() => patchBetween(directScheme(), "scheme.json"))).toEqual([
      'to: expected a scheme document or a compiled scheme; got text "scheme.json"',
    ]);
    const baseline = createBaseline(directScheme(), { units: [] });
    const both = issueLines(() => patchBetween(baseline, bad));
    expect(both).toEqual([
      "from: expected a scheme document or a compiled scheme; got a baseline from createBaseline()",
      "to.categories: must have at least 1 item",
    ]);
    const refusal = (() => {
      try {
        patchBetween(bad, bad);
      } catch (e) {
        return e;
      }
    })();
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as InputError).subject).toBe("argument");
  });

  it("accepts compiled schemes as documents", () => {
    const compiled = patchBetween(compileScheme(seed2019.scheme), compileScheme(seed2018.scheme));
    expect(compiled.patch).toEqual(patchBetween(seed2019.scheme, seed2018.scheme).patch);
  });
});

describe("patchBetween's review findings", () => {
  const seedRules = (points: (id: string) => number, id = "public") => {
    const s = directScheme({ ranking: { tieBreakers: [] } });
    s.categories[2]!.id = id;
    for (const c of s.categories) c.points = points(c.id);
    return s;
  };

  it.each(["constructor", "toString", "valueOf", "hasOwnProperty"])(
    "patches an entry with the id %s as any other, touching no object it inherits from",
    (id) => {
      const from = seedRules((c) => (c === "business" ? 30 : c === "organ" ? 30 : 40), id);
      const to = seedRules((c) => (c === "business" ? 25 : c === "organ" ? 30 : 45), id);
      to.groups = [{ id: "g1", name: "renamed" }];
      const { patch, kept } = patchBetween(from, to);
      expect(JSON.stringify(patch)).toBe(
        JSON.stringify({
          categories: { business: { points: 25 }, [id]: { points: 45 } },
          groups: { g1: { name: "renamed" } },
        }),
      );
      expect(kept).toEqual([]);
      expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("points");
      expect((Object as unknown as Record<string, unknown>).points).toBeUndefined();
    },
  );

  it("keeps an edit at the id __proto__, which a scenario refuses, and writes nothing on Object.prototype", () => {
    const withProto = (minTotal: number) =>
      directScheme({
        grades: {
          rules: [
            { id: "__proto__", name: "excellent", minTotal },
            { id: "pass", name: "pass", minTotal: 60 },
          ],
        },
      });
    const { patch, kept } = patchBetween(withProto(85), withProto(80));
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("minTotal");
    expect(({} as Record<string, unknown>).minTotal).toBeUndefined();
    expect(patch).toEqual({});
    expect(paths(kept)).toEqual(["grades.rules[id=__proto__].minTotal"]);
  });

  it("takes an edit a refusal of the whole list set aside, where it applies alone", () => {
    // Points that total 0 are refused on `categories` as a whole; the rename is not the cause.
    const from = directScheme({
      categories: [
        { id: "a", name: "a", points: 100, method: { kind: "direct" } },
        { id: "b", name: "b", points: 0, method: { kind: "direct", outOf: 10 } },
      ],
      ranking: { tieBreakers: [] },
    });
    const to = directScheme({
      categories: [
        { id: "a", name: "A renamed", points: 0, method: { kind: "direct", outOf: 100 } },
        { id: "b", name: "b", points: 0, method: { kind: "direct", outOf: 10 } },
        { id: "c", name: "c", points: 100, method: { kind: "direct" } },
      ],
      ranking: { tieBreakers: [] },
    });
    const { patch, kept } = patchBetween(from, to);
    expect(patch).toEqual({ categories: { a: { name: "A renamed" } } });
    expect(paths(kept)).toEqual(["categories[id=a].points", "categories[id=c]"]);
  });

  it("takes two edits that apply only together, where a refusal names neither", () => {
    // Rounding to 1 decimal is refused for a bonus cap of 0.25 that a bonus type only `from` has
    // can reach (a line no edit writes): the edits are tried one by one, and the pass band's
    // belowTotal (90 → 70) only fits once minTotal is 60.
    const band = (minTotal: number, belowTotal: number) => ({
      rules: [
        { id: "excellent", name: "excellent", minTotal: 90 },
        { id: "pass", name: "pass", minTotal, belowTotal },
      ],
    });
    const from = directScheme({
      bonusTypes: [{ id: "award", name: "award", levels: { city: 1 } }],
      bonusCap: "0.25",
      grades: band(80, 90),
    });
    const to = directScheme({ bonusCap: "0.25", rounding: { decimals: 1 }, grades: band(60, 70) });
    const { patch, kept } = patchBetween(from, to);
    expect(patch).toEqual({ grades: { rules: { pass: { belowTotal: 70, minTotal: 60 } } } });
    expect(paths(kept)).toEqual(["bonusTypes[id=award]", "rounding.decimals"]);
  });

  it("orders the patch's keys by code unit, whatever the locale's collation", () => {
    const ids = (s: SchemeInput, points: number[], minTotals: number[]) => {
      s.categories.forEach((c, i) => {
        c.id = ["ch", "d", "i"][i]!;
        c.points = points[i]!;
        c.method = { kind: "direct" };
      });
      s.grades = {
        rules: [
          { id: "Z", name: "Z", minTotal: minTotals[0]! },
          { id: "a", name: "a", minTotal: minTotals[1]! },
        ],
      };
      s.ranking = { tieBreakers: [] };
      return s;
    };
    const { patch } = patchBetween(
      ids(directScheme(), [30, 30, 40], [75, 60]),
      ids(directScheme(), [25, 25, 50], [76, 61]),
    );
    // A Czech collator sorts "ch" after "h", and any collator puts "a" before "Z".
    expect(JSON.stringify(patch)).toBe(
      JSON.stringify({
        categories: { ch: { points: 25 }, d: { points: 25 }, i: { points: 50 } },
        grades: { rules: { Z: { minTotal: 76 }, a: { minTotal: 61 } } },
      }),
    );
  });

  it("writes a value `to` adds without the defaults a compiled scheme writes out", () => {
    const from = JSON.parse(JSON.stringify(seed2019.scheme)) as SchemeInput;
    const to = JSON.parse(JSON.stringify(seed2019.scheme)) as SchemeInput;
    const [before, after] = [from.grades!.rules![0]!, to.grades!.rules![0]!];
    delete before.quota;
    before.minTotal = 85;
    after.quota = { percent: 30, scope: "group" };
    const document = patchBetween(from, to);
    expect(document.patch).toEqual({
      grades: { rules: { excellent: { minTotal: null, quota: { percent: 30 } } } },
    });
    expect(patchBetween(from, compileScheme(to))).toEqual(document);
  });

  it("drops a removal another edit implies: a quota's percent once its count is given", () => {
    // applyScenario clears a quota's percent, `of` and rounding when a patch gives its count.
    const quota = (q: NonNullable<NonNullable<SchemeInput["grades"]>["rules"]>[number]["quota"]) =>
      directScheme({
        grades: {
          rules: [
            { id: "excellent", name: "excellent", quota: q },
            { id: "pass", name: "pass", minTotal: 60 },
          ],
        },
      });
    const byCount = { patch: { grades: { rules: { excellent: { quota: { count: 5 } } } } }, kept: [] };
    expect(patchBetween(quota({ percent: 30 }), quota({ count: 5 }))).toEqual(byCount);
    expect(patchBetween(quota({ percent: 30, of: "admitted", rounding: "up" }), quota({ count: 5 }))).toEqual(
      byCount,
    );
  });

  it("shares no object with `to`", () => {
    const to = directScheme({ ranking: { tieBreakers: [{ category: "public" }, { category: "organ" }] } });
    const { patch } = patchBetween(directScheme(), to);
    expect(patch.ranking?.tieBreakers).toEqual(to.ranking?.tieBreakers);
    expect(patch.ranking?.tieBreakers).not.toBe(to.ranking?.tieBreakers);
    expect(patch.ranking?.tieBreakers?.[0]).not.toBe(to.ranking?.tieBreakers?.[0]);
  });

  it("names a dataset or an applied scenario given for a scheme", () => {
    const dataset = { units: [{ id: "U1", name: "unit 1", group: "g1" }] };
    const applied = applyScenario(directScheme(), dataset, { name: "same", patch: {} });
    expect(issueLines(() => patchBetween(dataset, applied))).toEqual([
      "from: expected a scheme document or a compiled scheme; got a dataset",
      "to: expected a scheme document or a compiled scheme; got an applied scenario from applyScenario()",
    ]);
  });
});

/** A synthetic year's scheme, patched by a drawn scenario where the scheme accepts it. */
const schemeArb = fc
  .tuple(
    yearArb.map((y) => ({ ...y, units: 4 })),
    scenarioArb,
  )
  .map(([y, p]) => {
    const year = yearOf(y);
    try {
      return JSON.parse(JSON.stringify(applied(year.scheme, scenarioOf(year, p).patch))) as SchemeInput;
    } catch (e) {
      if (e instanceof InputError) return year.scheme;
      throw e;
    }
  });

/** What a patch cannot do, drawn onto a scheme: a method's kind, a new category, another scale. */
const twistArb = fc.record({
  organVote: fc.boolean(),
  innovation: fc.boolean(),
  scale: fc.option(fc.constantFrom(10, 30, 100), { nil: undefined }),
});
function twisted(s: SchemeInput, t: typeof twistArb extends fc.Arbitrary<infer T> ? T : never): SchemeInput {
  const categories = s.categories.map((c) => {
    if (c.id === "organ" && t.organVote)
      return { ...c, method: { kind: "vote" as const, ballot: { type: "score" as const } } };
    if (c.id === "business" && t.scale !== undefined)
      return { ...c, method: { kind: "direct" as const, outOf: t.scale } };
    return c;
  });
  if (t.innovation)
    categories.push({ id: "innovation", name: "innovation", points: 5, method: { kind: "direct" } });
  return { ...s, categories };
}

/** The document with every object's keys and every list by id in another order. */
function reordered(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) {
    const rows = v.map((x, i) => reordered(x, seed + i));
    const byId = rows.every((x) => typeof x === "object" && x !== null && "id" in x);
    return byId ? shuffled(rows, seed) : rows;
  }
  if (typeof v !== "object" || v === null) return v;
  const keys = shuffled(Object.keys(v), seed)!;
  return Object.fromEntries(
    keys.map((k) => [k, reordered((v as Record<string, unknown>)[k], seed + k.length)]),
  );
}
/** The paths to a patch's values that are not objects merged key by key. */
function leaves(v: unknown, path: string[] = []): string[][] {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return [path];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
}
const sorted = (changes: readonly SchemeChange[]) =>
  changes.filter((c) => !c.path.endsWith("[ids]")).sort((a, b) => a.path.localeCompare(b.path));

describe("patchBetween's properties", () => {
  it("kept is what still differs once the patch is applied; a scheme with itself gives nothing", () => {
    fc.assert(
      fc.property(schemeArb, schemeArb, twistArb, (from, plain, twist) => {
        const to = twisted(plain, twist);
        const { patch, kept } = patchBetween(from, to);
        expect(schemeChanges(applied(from, patch), to)).toEqual(kept);
        expect(patchBetween(from, from)).toEqual({ patch: {}, kept: [] });
        expect(patchBetween(to, to)).toEqual({ patch: {}, kept: [] });
      }),
      { numRuns: 30 },
    );
  });

  it("takes across everything a patch made, and no edit of it is idle", () => {
    fc.assert(
      fc.property(yearArb, scenarioArb, (y, p) => {
        const year = yearOf({ ...y, units: 4 });
        let to: unknown;
        try {
          to = applied(year.scheme, scenarioOf(year, p).patch);
        } catch (e) {
          if (e instanceof InputError) return;
          throw e;
        }
        const { patch, kept } = patchBetween(year.scheme, to);
        expect(kept).toEqual([]);
        // Without any one of its values, the patch leaves a line or is refused.
        for (const path of leaves(patch)) {
          const fewer = JSON.parse(JSON.stringify(patch));
          let at = fewer;
          for (const k of path.slice(0, -1)) at = at[k];
          delete at[path.at(-1)!];
          let left: SchemeChange[] | "refused";
          try {
            left = schemeChanges(applied(year.scheme, fewer), to);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            left = "refused";
          }
          expect(left, path.join(".")).not.toEqual([]);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("does not depend on the order of the documents' keys and lists", () => {
    fc.assert(
      fc.property(schemeArb, schemeArb, twistArb, fc.nat(), (from, plain, twist, seed) => {
        const to = twisted(plain, twist);
        const once = patchBetween(from, to);
        const again = patchBetween(reordered(from, seed), reordered(to, seed + 1));
        // Key order too: a patch is stored and shown as JSON.
        expect(JSON.stringify(again.patch)).toBe(JSON.stringify(once.patch));
        expect(sorted(again.kept)).toEqual(sorted(once.kept));
      }),
      { numRuns: 20 },
    );
  });
});

describe("patchBetween's unordered lists", () => {
  const year = withEveryList(
    yearOf({
      units: 12,
      groups: 2,
      seed: 5,
      rollup: "total",
      subUnitsWithoutResult: true,
      bonuses: true,
      missingSubUnit: undefined,
      quotaRounding: undefined,
      quotaTies: undefined,
      vetoes: undefined,
      vetoedWithoutResult: false,
    }),
  );

  it("writes no patch for such a list in another order, and `to`'s list where its members differ", () => {
    const reordered = shuffledSets(year.scheme, 7);
    expect(patchBetween(year.scheme, reordered)).toEqual({ patch: {}, kept: [] });
    // Not even an edit to try and drop as idle.
    expect(patchEdits(compileScheme(year.scheme).scheme, compileScheme(reordered).scheme)).toEqual([]);
    const fewer = JSON.parse(JSON.stringify(reordered)) as SchemeInput;
    const survey = fewer.categories.find((c) => c.id === "public")!.method as { satisfiedOptions?: string[] };
    survey.satisfiedOptions = ["basically-satisfied"];
    expect(patchBetween(year.scheme, fewer)).toEqual({
      patch: { categories: { public: { method: { satisfiedOptions: ["basically-satisfied"] } } } },
      kept: [],
    });
  });

  it("writes `to`'s respondentGroups in another order: their order is read", () => {
    const flipped = JSON.parse(JSON.stringify(year.scheme)) as SchemeInput;
    const survey = flipped.categories.find((c) => c.id === "public")!.method as {
      respondentGroups: string[];
    };
    survey.respondentGroups.reverse();
    expect(patchBetween(year.scheme, flipped)).toEqual({
      patch: { categories: { public: { method: { respondentGroups: survey.respondentGroups } } } },
      kept: [],
    });
  });
});

/** A year's standings under a scheme, exact, in dataset order. */
const standingsOf = (scheme: unknown, dataset: Dataset) =>
  createBaseline(scheme, dataset).standings.map(standingView);

/** A synthetic year of up to 12 units with every unordered list, its scheme patched by two drawn scenarios. */
const twoRulesArb = fc.tuple(yearArb, scenarioArb, scenarioArb).map(([y, p, q]) => {
  const year = withEveryList(yearOf({ ...y, units: Math.min(y.units, 12) }));
  const patched = (s: typeof p) => {
    try {
      return JSON.parse(JSON.stringify(applied(year.scheme, scenarioOf(year, s).patch))) as SchemeInput;
    } catch (e) {
      if (e instanceof InputError) return year.scheme;
      throw e;
    }
  };
  return { dataset: year.dataset, from: patched(p), to: patched(q) };
});

describe("patchBetween's properties over unordered lists", () => {
  it("reads a scheme with every unordered list shuffled as the same: no change, no patch, the same standings", () => {
    fc.assert(
      fc.property(twoRulesArb, fc.nat(), ({ dataset, to }, seed) => {
        const shuffledTo = shuffledSets(to, seed);
        expect(schemeChanges(to, shuffledTo)).toEqual([]);
        expect(patchBetween(to, shuffledTo)).toEqual({ patch: {}, kept: [] });
        expect(standingsOf(shuffledTo, dataset)).toEqual(standingsOf(to, dataset));
      }),
      { numRuns: 20 },
    );
  });

  it("applied to `from`, scores as `to` does, whatever the order of either's unordered lists", () => {
    fc.assert(
      fc.property(twoRulesArb, fc.nat(), fc.nat(), ({ dataset, from, to }, i, j) => {
        const [a, b] = [shuffledSets(from, i), shuffledSets(to, j)];
        const { patch, kept } = patchBetween(a, b);
        expect(kept).toEqual([]);
        // The members are what the patch writes: it is the same, lists compared as sets.
        expect(schemeChanges(applied(a, patchBetween(from, to).patch), applied(a, patch))).toEqual([]);
        const middle = applyScenario(a, dataset, { name: "to's rules", patch });
        expect(standingsOf(middle.compiled, middle.dataset)).toEqual(standingsOf(b, dataset));
      }),
      { numRuns: 20 },
    );
  });
});

describe("patchBetween's patch, refused by a year's records", () => {
  type Edit = (s: SchemeInput) => void;
  type Organ = { ballot: Record<string, unknown>; aggregation: object };
  type Survey = { respondentGroups: string[]; options: Record<string, unknown>; weighting: object };
  const method = (s: SchemeInput, id: string) => s.categories.find((c) => c.id === id)!.method as never;
  const organ = (s: SchemeInput): Organ => method(s, "organ");
  const survey = (s: SchemeInput): Survey => method(s, "public");
  const weights = { "service-recipients": 0.4, enterprises: 0.2, deputies: 0.2 };
  const withRollup =
    (parents: string[]): Edit =>
    (s) => {
      s.rollups = [
        { id: "branches", source: { category: "public" }, share: 0.1, into: { total: true }, parents },
      ];
    };
  // Each kind patchBetween's TSDoc lists, on the 2019 records: what both schemes have, the edit
  // `to` makes, and the first refusal.
  const kinds: { kind: string; both?: Edit; edit: Edit; refusal: string }[] = [
    {
      kind: "a ballot above a lowered maximum",
      edit: (s) => {
        organ(s).ballot.max = 50;
      },
      refusal:
        'baseline.ballots.0.score: ballot of voter "mayor" for unit "U01" in category "organ": 88 is outside 0–50',
    },
    {
      kind: "a score ballot under a ballot type changed to grade",
      edit: (s) => {
        organ(s).ballot = { type: "grade", points: { good: 100, fair: 70 } };
      },
      refusal:
        'baseline.ballots.0.grade: ballot of voter "mayor" for unit "U01" in category "organ": grade is missing',
    },
    {
      kind: "a ballot of a role that role weights leave out",
      edit: (s) => {
        organ(s).aggregation = { type: "role-weighted", roles: { mayor: 1, "vice-mayor": 1 } };
      },
      refusal:
        'baseline.ballots.4.role: ballot of voter "member-1" for unit "U01" in category "organ": role "member" is not in the weights table ("mayor", "vice-mayor")',
    },
    {
      kind: "a survey form whose answer is an option dropped",
      edit: (s) => {
        delete survey(s).options.dissatisfied;
      },
      refusal:
        'baseline.surveyForms.49.answer: survey form of respondent group "service-recipients" for unit "U01" in category "public": answer "dissatisfied" is not an option',
    },
    {
      kind: "a survey form of a respondent group renamed",
      edit: (s) => {
        survey(s).respondentGroups[3] = "citizens";
        survey(s).weighting = { type: "group-weighted", weights: { ...weights, citizens: 0.2 } };
      },
      refusal:
        'baseline.surveyForms.192.respondentGroup: survey form for unit "U01" in category "public": respondent group "residents" is not declared',
    },
    {
      kind: "a survey form of a respondent group left out of a shortened respondentGroups",
      edit: (s) => {
        survey(s).respondentGroups.pop();
        survey(s).weighting = { type: "group-weighted", weights };
      },
      refusal:
        'baseline.surveyForms.192.respondentGroup: survey form for unit "U01" in category "public": respondent group "residents" is not declared',
    },
    {
      kind: "a roll-up's parents that are not units of that year",
      both: withRollup(["U01"]),
      edit: withRollup(["U01", "U99"]),
      refusal: 'patch.rollups.branches.parents.1: unknown unit "U99"',
    },
  ];

  it.each(kinds)("$kind", ({ both, edit, refusal }) => {
    const from = JSON.parse(JSON.stringify(seed2019.scheme)) as SchemeInput;
    both?.(from);
    const to = JSON.parse(JSON.stringify(from)) as SchemeInput;
    edit(to);
    const { patch, kept } = patchBetween(from, to);
    // Checked against the rules alone, the edit is in the patch.
    expect(kept).toEqual([]);
    expect(patch).not.toEqual({});
    const lines = issueLines(() => applyScenario(from, seed2019.dataset, { name: "to's rules", patch }));
    expect(lines[0]).toContain(refusal);
  });
});
