import { describe, expect, it } from "vitest";
import { directScheme } from "../_test-schemes.js";
import { shuffledSets, withEveryList } from "../_test-unordered.js";
import { evaluate } from "../evaluation/evaluate.js";
import { syntheticYear } from "../whatif/_test-synthetic.js";
import { DECIMAL_KEYS, schemeChanges } from "./scheme-changes.js";
import { schemeJsonSchema } from "./scheme-json-schema.js";
import type { SchemeInput } from "./scheme-schema.js";
import { UNORDERED_LISTS } from "./unordered-lists.js";

const structuredCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("schemeChanges", () => {
  const rules = [
    { id: "excellent", quota: 30 },
    { id: "good", minTotal: 75 },
    { id: "pass", minTotal: 60 },
  ];

  it("lists a reordering of an id-keyed array (order decides grades)", () => {
    const after = { grades: { rules: [rules[1], rules[0], rules[2]] } };
    expect(schemeChanges({ grades: { rules } }, after)).toEqual([
      {
        path: "grades.rules[ids]",
        kind: "changed",
        before: ["excellent", "good", "pass"],
        after: ["good", "excellent", "pass"],
      },
    ]);
  });

  it("lists an insertion in the middle as an addition and an order change", () => {
    const after = [rules[0], { id: "fair", minTotal: 70 }, rules[1], rules[2]];
    expect(schemeChanges(rules, after).map((c) => c.path)).toEqual(["[ids]", "[id=fair]"]);
  });

  it("lists removals and additions at the end without an order change", () => {
    const after = [rules[0], rules[2], { id: "fair", minTotal: 70 }];
    expect(schemeChanges(rules, after)).toEqual([
      { path: "[id=good]", kind: "removed", before: rules[1], after: null },
      { path: "[id=fair]", kind: "added", before: null, after: { id: "fair", minTotal: 70 } },
    ]);
  });

  it('reads a key named like what objects inherit (a level "constructor") as any other key', () => {
    const before = { levels: { city: 1 } };
    const after = { levels: { city: 1, constructor: 2 } };
    expect(schemeChanges(before, after)).toEqual([
      { path: "levels.constructor", kind: "added", before: null, after: 2 },
    ]);
    expect(schemeChanges(after, before)).toEqual([
      { path: "levels.constructor", kind: "removed", before: 2, after: null },
    ]);
  });

  it("lists nothing for equal documents, nor for version and $schema", () => {
    const scheme = directScheme();
    expect(schemeChanges(scheme, JSON.parse(JSON.stringify(scheme)) as typeof scheme)).toEqual([]);
    expect(schemeChanges(scheme, { ...scheme, version: 7, $schema: "https://example.org/s.json" })).toEqual(
      [],
    );
  });

  it("lists no change for inLaterYears effects equal to the incident year's, and one that differs", () => {
    const veto = { id: "fatal", name: "fatal incident", forceLast: true, yearsInForce: 2 };
    const before = directScheme({ vetoTypes: [veto] });
    const withTypes = (inLaterYears: object) => directScheme({ vetoTypes: [{ ...veto, inLaterYears }] });
    expect(schemeChanges(before, withTypes({}))).toEqual([]);
    expect(schemeChanges(before, withTypes({ forceLast: true, ineligibleForExcellence: true }))).toEqual([]);
    expect(schemeChanges(before, withTypes({ forceLast: false })).map((c) => c.path)).toEqual([
      "vetoTypes[id=fatal].inLaterYears",
    ]);
  });

  it("reads decimals by value: 30, '30' and '30.0' are the same points", () => {
    const scheme = directScheme();
    const written = JSON.parse(JSON.stringify(scheme)) as typeof scheme;
    written.categories[0]!.points = "30.0";
    written.categories[2]!.points = "40";
    expect(schemeChanges(scheme, written)).toEqual([]);
    written.categories[0]!.points = "30.01";
    expect(schemeChanges(scheme, written)).toEqual([
      { path: "categories[id=business].points", kind: "changed", before: 30, after: "30.01" },
    ]);
  });

  it("reads a value left out as its default, and shows the default when it changes", () => {
    const scheme = directScheme();
    const explicit = directScheme({ groups: [{ id: "g1", name: "group 1", ranked: true }] });
    expect(schemeChanges(scheme, explicit)).toEqual([]);
    const unranked = directScheme({ groups: [{ id: "g1", name: "group 1", ranked: false }] });
    expect(schemeChanges(scheme, unranked)).toEqual([
      { path: "groups[id=g1].ranked", kind: "changed", before: true, after: false },
    ]);
  });

  it("reads a default the engine derives, written on one side only, as no change", () => {
    const scheme = directScheme();
    const implicit = structuredCopy(scheme);
    // directScheme writes outOf equal to the points for business and organ.
    for (const c of implicit.categories) if (c.id !== "public") c.method = { kind: "direct" };
    expect(schemeChanges(scheme, implicit)).toEqual([]);
    expect(schemeChanges(implicit, scheme)).toEqual([]);
    // Written on both sides, it stays as written: new points are not also a new scale.
    const more = structuredCopy(scheme);
    more.categories[0]!.points = 35;
    expect(schemeChanges(scheme, more)).toEqual([
      { path: "categories[id=business].points", kind: "changed", before: 30, after: 35 },
    ]);
    // Left out on one side, the derived scale is compared by its value: 30 read as 30 is no
    // change; a scale that follows new points (30 → 40) is one, though only the points were edited.
    const rescaled = structuredCopy(implicit);
    rescaled.categories[0]!.points = 40;
    rescaled.categories[1]!.points = 20;
    rescaled.categories[1]!.method = { kind: "direct", outOf: 30 };
    expect(
      schemeChanges(scheme, rescaled).map((c) => `${c.path} ${String(c.before)} → ${String(c.after)}`),
    ).toEqual([
      "categories[id=business].points 30 → 40",
      "categories[id=business].method.outOf 30 → 40",
      "categories[id=organ].points 30 → 20",
    ]);
    // A scale that is not the default is a change.
    const other = structuredCopy(implicit);
    other.categories[0]!.method = { kind: "direct", outOf: 100 };
    // From the scale it had (the points, 30) to the one written.
    expect(schemeChanges(implicit, other)).toEqual([
      { path: "categories[id=business].method.outOf", kind: "changed", before: 30, after: 100 },
    ]);
  });

  it("reads a ballot's or survey's max equal to its highest points, and a quota from the top of the ranked, as no change", () => {
    const methods = (over: { vote?: object; survey?: object; quota?: object }) =>
      directScheme({
        categories: [
          {
            id: "organ",
            name: "organ",
            points: 30,
            method: { kind: "vote", ballot: { type: "grade", points: { good: 100, ok: 70 }, ...over.vote } },
          },
          {
            id: "public",
            name: "public",
            points: 70,
            method: {
              kind: "survey",
              options: { sat: 100, dis: 30, unknown: null },
              respondentGroups: ["r"],
              ...over.survey,
            },
          },
        ],
        grades: {
          rules: [{ id: "excellent", name: "excellent", quota: { percent: 20, ...over.quota } } as never],
        },
      });
    const plain = methods({});
    expect(schemeChanges(plain, methods({ vote: { max: 100 }, survey: { max: "100.0" } }))).toEqual([]);
    expect(
      schemeChanges(
        plain,
        methods({ quota: { from: "top", of: "ranked", rounding: "down", ties: "share" } }),
      ),
    ).toEqual([]);
    expect(schemeChanges(plain, methods({ survey: { max: 120 } })).map((c) => c.path)).toEqual([
      "categories[id=public].method.max",
    ]);
    expect(schemeChanges(plain, methods({ quota: { from: "bottom" } })).map((c) => c.path)).toEqual([
      "grades.rules[id=excellent].quota.from",
    ]);
    // A percent rounded otherwise than down gives other places: a change, from the default.
    expect(schemeChanges(plain, methods({ quota: { rounding: "half-up" } }))).toEqual([
      { path: "grades.rules[id=excellent].quota.rounding", kind: "added", before: null, after: "half-up" },
    ]);
    expect(schemeChanges(plain, methods({ quota: { ties: "exclude" } })).map((c) => c.path)).toEqual([
      "grades.rules[id=excellent].quota.ties",
    ]);
  });

  it("compares ids and references to them as text: categories '01' and '1' are two", () => {
    const two = directScheme();
    two.categories = [
      { id: "01", name: "first", points: 50, method: { kind: "direct", outOf: 50 } },
      { id: "1", name: "second", points: 50, method: { kind: "direct", outOf: 50 } },
    ];
    const first = { ...two, ranking: { tieBreakers: [{ category: "01" }] } };
    const second = { ...two, ranking: { tieBreakers: [{ category: "1" }] } };
    expect(schemeChanges(first, second)).toEqual([
      { path: "ranking.tieBreakers[0].category", kind: "changed", before: "01", after: "1" },
    ]);
  });

  it("reads the rounded stages as a set: their order changes nothing, a stage more does", () => {
    const scheme = directScheme();
    const reordered = { ...scheme, rounding: { stages: ["total", "category"] } };
    expect(schemeChanges(scheme, reordered)).toEqual([]);
    const more = { ...scheme, rounding: { stages: ["total", "category", "adjustment"] } };
    expect(schemeChanges(scheme, more)).toEqual([
      {
        path: "rounding.stages",
        kind: "changed",
        before: ["category", "total"],
        after: ["total", "category", "adjustment"],
      },
    ]);
  });

  it("compares names as text, even when they look like numbers", () => {
    const scheme = directScheme({ groups: [{ id: "g1", name: "1" }] });
    const renamed = directScheme({ groups: [{ id: "g1", name: "1.0" }] });
    expect(schemeChanges(scheme, renamed)).toEqual([
      { path: "groups[id=g1].name", kind: "changed", before: "1", after: "1.0" },
    ]);
  });

  it("shows an added entry as written, without the defaults it leaves out", () => {
    const scheme = directScheme();
    const added = directScheme({ groups: [...scheme.groups!, { id: "g2", name: "group 2" }] });
    expect(schemeChanges(scheme, added)).toEqual([
      { path: "groups[id=g2]", kind: "added", before: null, after: { id: "g2", name: "group 2" } },
    ]);
  });

  it("compares a document that does not compile as written", () => {
    const scheme = directScheme();
    const broken = { ...scheme, categories: "none" };
    expect(schemeChanges(scheme, broken)).toEqual([
      { path: "categories", kind: "changed", before: scheme.categories, after: "none" },
    ]);
  });
});

describe("schemeChanges' decimal positions", () => {
  type Node = Record<string, unknown>;
  const isDecimal = (n: Node) =>
    Array.isArray(n.anyOf) &&
    (n.anyOf as Node[]).some((o) => o.type === "string" && typeof o.pattern === "string");

  it("are every decimal the scheme's JSON Schema declares, and hold nothing but decimals", () => {
    const found: string[] = [];
    const walk = (n: Node, path: string, decimal: boolean) => {
      if (isDecimal(n)) {
        if (!decimal) found.push(`${path}: a decimal compared as text`);
        return;
      }
      if (decimal && n.type === "string") found.push(`${path}: text compared as a decimal`);
      for (const [k, child] of Object.entries((n.properties ?? {}) as Record<string, Node>))
        walk(child, `${path}.${k}`, decimal || DECIMAL_KEYS.has(k));
      if (typeof n.additionalProperties === "object")
        walk(n.additionalProperties as Node, `${path}.*`, decimal);
      if (n.items) walk(n.items as Node, `${path}[]`, decimal);
      for (const k of ["anyOf", "oneOf"] as const)
        for (const child of (n[k] ?? []) as Node[]) walk(child, path, decimal);
    };
    walk(schemeJsonSchema() as Node, "", false);
    expect(found).toEqual([]);
  });
});

describe("schemeChanges' unordered lists", () => {
  const year = withEveryList(
    syntheticYear(12, 2, 3, { rollup: "category", subUnitsWithoutResult: true, bonuses: true }),
  );
  const reversed = (s: SchemeInput): SchemeInput => {
    const out = structuredCopy(s);
    for (const c of out.categories) {
      if (c.method.kind === "survey") c.method.satisfiedOptions?.reverse();
      if (c.method.kind === "formula") c.method.inputs?.reverse();
    }
    for (const r of out.rollups ?? []) r.parents?.reverse();
    for (const list of [out.findingTypes, out.bonusTypes, out.vetoTypes, out.rounding?.stages])
      list?.reverse();
    return out;
  };
  const survey = (s: SchemeInput) => {
    const m = s.categories.find((c) => c.id === "public")!.method;
    if (m.kind !== "survey") throw new Error("public is a survey");
    return m;
  };

  it("reads a list whose order is never read in any order as no change", () => {
    const scheme = year.scheme;
    expect(survey(scheme).satisfiedOptions?.length).toBeGreaterThan(1);
    expect(scheme.rollups?.[0]?.parents?.length).toBeGreaterThan(1);
    expect(schemeChanges(scheme, reversed(scheme))).toEqual([]);
    for (let seed = 1; seed < 20; seed++)
      expect(schemeChanges(scheme, shuffledSets(scheme, seed))).toEqual([]);
  });

  it("reads a member listed twice as once where the engine does, and as a change where it refuses it", () => {
    const twice = structuredCopy(year.scheme);
    survey(twice).satisfiedOptions = ["satisfied", "basically-satisfied", "satisfied"];
    twice.rollups![0]!.parents = [...twice.rollups![0]!.parents!, twice.rollups![0]!.parents![0]!];
    expect(schemeChanges(year.scheme, twice)).toEqual([]);
    const formula = twice.categories.find((c) => c.id === "innovation")!.method;
    if (formula.kind !== "formula") throw new Error("innovation is a formula");
    formula.inputs = [...formula.inputs!, { name: "a" }];
    expect(schemeChanges(year.scheme, twice)).toEqual([
      {
        path: "categories[id=innovation].method.inputs[name=a]",
        kind: "added",
        before: null,
        after: { name: "a" },
      },
    ]);
  });

  it("lists other members as it lists any list's, with no order line", () => {
    const other = reversed(year.scheme);
    survey(other).satisfiedOptions = ["satisfied"];
    other.findingTypes = other.findingTypes!.filter((t) => t.id !== "complaint");
    other.findingTypes.push({
      id: "inspection",
      name: "special inspection",
      levels: { city: { perFinding: 1 } },
    });
    // satisfiedOptions member by member; finding types by id, without `[ids]`.
    expect(schemeChanges(year.scheme, other).map((c) => `${c.kind} ${c.path}`)).toEqual([
      'removed categories[id=public].method.satisfiedOptions["basically-satisfied"]',
      "removed findingTypes[id=complaint]",
      "added findingTypes[id=inspection]",
    ]);
  });

  it("lists the members removed and added, each named, not every later place changed", () => {
    const lines = (edit: (s: SchemeInput) => void) => {
      const after = structuredCopy(year.scheme);
      edit(after);
      return schemeChanges(year.scheme, after).map((c) => [c.kind, c.path, c.before, c.after]);
    };
    const path = "categories[id=public].method.satisfiedOptions";
    const options = (list: string[]) => (s: SchemeInput) => {
      survey(s).satisfiedOptions = list;
    };
    // [satisfied, basically-satisfied]: by index, "[0] satisfied → basically-satisfied, [1] removed".
    expect(lines(options(["basically-satisfied"]))).toEqual([
      ["removed", `${path}["satisfied"]`, "satisfied", null],
    ]);
    expect(lines(options(["basically-satisfied", "satisfied", "dissatisfied"]))).toEqual([
      ["added", `${path}["dissatisfied"]`, null, "dissatisfied"],
    ]);
    const parents = year.scheme.rollups![0]!.parents!;
    expect(
      lines((s) => {
        s.rollups![0]!.parents = ["U99", ...parents.slice(1).reverse()];
      }),
    ).toEqual([
      ["removed", `rollups[id=sub-units].parents["${parents[0]}"]`, parents[0], null],
      ["added", 'rollups[id=sub-units].parents["U99"]', null, "U99"],
    ]);
    // An input of the same name described anew is that input changed.
    expect(
      lines((s) => {
        const m = s.categories.find((c) => c.id === "innovation")!.method;
        if (m.kind === "formula") m.inputs = [{ name: "b", description: "the other measure" }, { name: "a" }];
      }),
    ).toEqual([
      [
        "changed",
        "categories[id=innovation].method.inputs[name=b].description",
        "the second measure",
        "the other measure",
      ],
    ]);
  });

  it("reads another order of a survey's respondentGroups as a change: a unit's trace and details follow it", () => {
    const flipped = structuredCopy(year.scheme);
    survey(flipped).respondentGroups.reverse();
    const [first, , last] = survey(year.scheme).respondentGroups;
    expect(schemeChanges(year.scheme, flipped)).toEqual([
      {
        path: "categories[id=public].method.respondentGroups[0]",
        kind: "changed",
        before: first,
        after: last,
      },
      {
        path: "categories[id=public].method.respondentGroups[2]",
        kind: "changed",
        before: last,
        after: first,
      },
    ]);
    const published = (s: SchemeInput) => JSON.stringify(evaluate(s, year.dataset));
    expect(published(flipped)).not.toBe(published(year.scheme));
  });

  it("keeps the order of every list whose order is read", () => {
    const scheme = structuredCopy(year.scheme);
    scheme.ranking = { ...scheme.ranking, tieBreakers: [{ category: "public" }, { category: "organ" }] };
    scheme.rollups = [...scheme.rollups!, { ...scheme.rollups![0]!, id: "second", share: 0.05 }];
    const flipped = structuredCopy(scheme);
    for (const list of [
      flipped.categories,
      flipped.groups,
      flipped.grades!.rules!,
      flipped.ranking!.tieBreakers!,
      flipped.rollups!,
    ])
      list.reverse();
    const paths = schemeChanges(scheme, flipped).map((c) => c.path);
    expect(paths.filter((p) => p.endsWith("[ids]"))).toEqual([
      "categories[ids]",
      "rollups[ids]",
      "groups[ids]",
      "grades.rules[ids]",
    ]);
    expect(paths).toContain("ranking.tieBreakers[0].category");
  });
});

describe("schemeChanges' lists", () => {
  type Node = Record<string, unknown>;
  /** Lists whose order the engine reads, and where. */
  const ORDERED: Record<string, string> = {
    categories: "a result's category columns, a standing's points",
    groups: "a result's sections",
    "grades.rules": "tried in order",
    "ranking.tieBreakers": "break ties in order",
    rollups: "blend one after another",
    "categories.*.method.respondentGroups":
      "a unit's survey trace (group steps, the terms of a weighted score and rate), its details keys, a short group's reason",
  };

  it("are each read in order or unordered, the scheme's JSON Schema's every one", () => {
    const lists: string[] = [];
    const walk = (n: Node, path: string[]) => {
      if (n.type === "array") lists.push(path.join("."));
      for (const [k, child] of Object.entries((n.properties ?? {}) as Record<string, Node>))
        walk(child, [...path, k]);
      if (typeof n.additionalProperties === "object") walk(n.additionalProperties as Node, [...path, "?"]);
      if (n.items) walk(n.items as Node, [...path, "*"]);
      for (const k of ["anyOf", "oneOf"] as const)
        for (const child of (n[k] ?? []) as Node[]) walk(child, path);
    };
    walk(schemeJsonSchema() as Node, []);
    const unordered = UNORDERED_LISTS.map((l) => l.shape.join("."));
    expect([...new Set(lists)].sort()).toEqual([...unordered, ...Object.keys(ORDERED)].sort());
  });
});
