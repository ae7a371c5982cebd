import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directDataset, directScheme, issueLines } from "../_test-schemes.js";
import { evaluate } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import { syntheticYear } from "./_test-synthetic.js";
import { loadSeed2018, loadSeed2019 } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { leaveOneOut } from "./leave-one-out.js";
import { monteCarlo } from "./monte-carlo.js";
import { runScenario } from "./run-scenario.js";
import type { ScenarioInput } from "./scenario.js";
import { weightSweep } from "./weight-sweep.js";

const { scheme, dataset } = await loadSeed2018();
const baseline = createBaseline(scheme, dataset);
const base = baseline.compiled.scheme;

describe("applyScenario", () => {
  it("refuses points that add up to 0 as compileScheme refuses such a scheme written out", () => {
    const direct = compileScheme(directScheme()).scheme;
    const rows = directDataset([["20", "25", "80"]]);
    /** The problems with the categories' points as a whole, "path: message"; none when it passes. */
    const total = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      return [];
    };
    const some = fc.constantFrom(0, 0, 5, 30);
    fc.assert(
      fc.property(fc.tuple(some, some, some), (points) => {
        const ids = direct.categories.map((c) => c.id);
        const written = {
          ...direct,
          categories: direct.categories.map((c, k) => ({ ...c, points: points[k]! })),
        };
        const patch = { categories: Object.fromEntries(ids.map((id, k) => [id, { points: points[k]! }])) };
        const zero = points.every((p) => p === 0);
        const refusal = "the categories' points add up to 0: no unit could score";
        expect(total(() => compileScheme(written))).toEqual(zero ? [`categories: ${refusal}`] : []);
        expect(total(() => applyScenario(direct, rows, { name: "x", patch }))).toEqual(
          zero ? [`patch.categories: ${refusal}`] : [],
        );
      }),
      { seed: 3, numRuns: 60 },
    );
  });

  describe("takes a scheme document as evaluate does", () => {
    // No grades, rounding or ranking section: each has a default, as compileScheme reads it.
    const minimal = directScheme();
    const rows = directDataset([
      ["20", "25", "80"],
      ["21", "24", "70"],
      ["19", "22", "90"],
    ]);
    const reweighted = { name: "x", patch: { categories: { organ: { points: 20 } } } };

    it("patches a document without the sections that have defaults", () => {
      const a = applyScenario(minimal, rows, reweighted);
      expect(a.compiled.scheme.categories.find((c) => c.id === "organ")!.points).toBe(20);
      expect(evaluate(a.compiled, a.dataset).units.map((u) => u.total)).toEqual(
        evaluate(compileScheme({ ...minimal, categories: a.compiled.scheme.categories }), rows).units.map(
          (u) => u.total,
        ),
      );
      const r = applyScenario(minimal, rows, { name: "x", patch: { rounding: { decimals: 1 } } });
      expect(r.compiled.scheme.rounding).toEqual({
        decimals: 1,
        mode: "half-up",
        stages: ["category", "total"],
      });
      const t = applyScenario(minimal, rows, {
        name: "x",
        patch: { ranking: { tieBreakers: [{ category: "public" }] } },
      });
      expect(t.compiled.scheme.ranking).toEqual({
        tieBreakers: [{ category: "public" }],
        lastLosesAward: true,
        lastLosesExcellence: false,
      });
      expect(
        issueLines(() =>
          applyScenario(minimal, rows, { name: "x", patch: { grades: { rules: { ex: {} } } } }),
        ),
      ).toEqual(['patch.grades.rules.ex: unknown grade rule "ex" (there are none)']);
    });

    it("gives what a compiled scheme, its scheme and the document give alike", () => {
      const compiled = compileScheme(minimal);
      const of = (s: unknown) => applyScenario(s, rows, reweighted).compiled.scheme;
      expect(of(compiled)).toEqual(of(minimal));
      expect(of(compiled.scheme)).toEqual(of(minimal));
    });

    it("leaves every analysis of a baseline of such a document working", () => {
      const b = createBaseline(minimal, rows);
      const rounded = { rounding: { decimals: 1 } };
      expect(runScenario(b, { name: "x", patch: rounded }).units).toHaveLength(3);
      expect(weightSweep(b, { category: "organ" }).units).toHaveLength(3);
      const mc = monteCarlo(b, {
        samples: 5,
        seed: 1,
        alternatives: [{ name: "one decimal", patch: rounded }],
      });
      expect(mc.alternatives).toEqual(["nominal", "one decimal"]);
      expect(
        leaveOneOut(b)
          .map((c) => c.category)
          .sort(),
      ).toEqual(["business", "organ", "public"]);
    });

    it("refuses an invalid document as an InputError about the scheme, naming the field", () => {
      let error: unknown;
      try {
        applyScenario({ ...minimal, rounding: { decimals: "2" } }, rows, reweighted);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).subject).toBe("scheme");
      expect((error as InputError).issues.map((i) => i.path)).toEqual([["rounding", "decimals"]]);
    });
  });

  it("leaves the baseline's scheme and dataset untouched", () => {
    const before = JSON.stringify(base);
    applyScenario(base, dataset, {
      name: "x",
      patch: { categories: { public: { points: 50 } }, findingTypes: { "public-complaint": { cap: null } } },
    });
    expect(JSON.stringify(base)).toBe(before);
  });

  it("pins a direct category's scale to its old points when re-weighted", () => {
    const a = applyScenario(base, dataset, { name: "x", patch: { categories: { organ: { points: 20 } } } });
    const organ = a.compiled.scheme.categories.find((c) => c.id === "organ")!;
    expect(organ.points).toBe(20);
    expect(organ.method).toEqual({ kind: "direct", outOf: 30 });
  });

  it("deep-merges tables, removes caps with null, and replaces arrays", () => {
    const a = applyScenario(base, dataset, {
      name: "x",
      patch: {
        findingTypes: { "unannounced-visit": { levels: { city: { notRectified: 1.5 } }, cap: null } },
        categories: { public: { method: { satisfiedOptions: ["satisfied"] } } },
      },
    });
    const t = a.compiled.scheme.findingTypes.find((f) => f.id === "unannounced-visit")!;
    expect(t.levels.city).toEqual({ perFinding: 0.3, notRectified: 1.5, repeated: 2 });
    expect(t.cap).toBeUndefined();
    const pub = a.compiled.scheme.categories.find((c) => c.id === "public")!.method;
    expect(pub.kind === "survey" && pub.satisfiedOptions).toEqual(["satisfied"]);
    expect([...a.restage]).toEqual(["public"]);
    expect(a.adjustmentsChanged).toBe(true);
  });

  it("an unranked group ranks nobody, and grades follow thresholds only", () => {
    const r = runScenario(baseline, {
      name: "unranked",
      patch: { groups: { "law-enforcement": { ranked: false } } },
    });
    expect(r.units.every((u) => u.scenario.rank === null)).toBe(true);
    expect(r.units.some((u) => u.scenario.grade === "excellent")).toBe(false);
    expect(r.groups).toEqual([]);
  });

  it("a quota of 10% gives excellence to the top two eligible units", () => {
    const r = runScenario(baseline, {
      name: "q",
      patch: { grades: { rules: { excellent: { quota: { percent: 10 } } } } },
    });
    expect(r.units.filter((u) => u.scenario.grade === "excellent")).toHaveLength(2);
  });

  it("rejects a method patch the baseline's records no longer fit, naming each record", async () => {
    const issues = (b: ReturnType<typeof createBaseline>, patch: object) => {
      try {
        runScenario(b, { name: "x", patch });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        expect(e.subject).toBe("scenario");
        return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      throw new Error("accepted");
    };
    // Scores of 25–29 read as "of 10" would give business work 70 of its 30 points.
    const scores = issues(baseline, { categories: { business: { method: { outOf: 10 } } } });
    expect(scores).toHaveLength(dataset.scores!.filter((s) => s.category === "business").length);
    expect(scores[0]).toMatch(
      /^baseline\.scores\.0\.value: score for unit "U\d+" in category "business": [\d.]+ is outside 0–10 \(under patch\.categories\.business\.method\)$/,
    );
    // Ballots of 88 on a 0–50 scale: a unit would score above the scheme's maximum.
    const seed2019 = await loadSeed2019();
    const votes = createBaseline(seed2019.scheme, seed2019.dataset);
    expect(issues(votes, { categories: { organ: { method: { ballot: { max: 50 } } } } })[0]).toBe(
      'baseline.ballots.0.score: ballot of voter "mayor" for unit "U01" in category "organ": 88 is outside 0–50 (under patch.categories.organ.method)',
    );
  });

  it("keeps a secret vote secret: a patch may make a vote secret, not lift its secrecy", async () => {
    const seed2019 = await loadSeed2019();
    const organTrace = (applied: ReturnType<typeof applyScenario>) =>
      JSON.stringify(
        evaluate(applied.compiled, applied.dataset)
          .units.find((u) => u.unit === "U01")!
          .categories.find((c) => c.category === "organ")!.trace,
      );
    const made = applyScenario(seed2019.scheme, seed2019.dataset, {
      name: "secret",
      patch: { categories: { organ: { method: { secret: true } } } },
    });
    expect(organTrace(made)).toContain("secret vote: no voter is named");
    for (const lift of [false, null])
      expect(() =>
        applyScenario(made.compiled, seed2019.dataset, {
          name: "named",
          patch: { categories: { organ: { method: { secret: lift } } } },
        }),
      ).toThrow(
        `patch.categories.organ.method.secret: cannot lift the secrecy of "organ"'s vote: a scenario may make a vote secret, not name its voters`,
      );
    // Nor can what would tell whose ballot is whose: the ballots refused or voided under a new
    // range or new validity rules, or a result for a role one voter holds.
    const refused = (method: Record<string, unknown>) => {
      try {
        applyScenario(made.compiled, seed2019.dataset, {
          name: "x",
          patch: { categories: { organ: { method } } },
        });
      } catch (e) {
        if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      throw new Error("accepted");
    };
    expect(refused({ ballot: { min: 99 } })).toEqual([
      `patch.categories.organ.method.ballot: cannot change the ballot of "organ"'s secret vote: the ballots refused or voided under new ones would tell whose ballot is whose`,
    ]);
    expect(refused({ validity: { maxHighScores: { threshold: 95, max: 0 } } })).toEqual([
      `patch.categories.organ.method.validity: cannot change the validity rules of "organ"'s secret vote: the ballots refused or voided under new ones would tell whose ballot is whose`,
    ]);
    const byRole = { type: "role-weighted", roles: { mayor: 1, "vice-mayor": 1, member: 1 } };
    expect(refused({ aggregation: byRole })).toEqual([
      `patch.categories.organ.method.aggregation.type: cannot weigh "organ"'s secret vote by role: its rules give no result per role, and a role one voter holds would have one`,
    ]);
    // Ballots a permitted patch refuses are counted, not named: each refusal would name a voter.
    const byRoles = JSON.parse(JSON.stringify(seed2019.scheme));
    const organ = byRoles.categories.find((c: { id: string }) => c.id === "organ");
    organ.method = { ...organ.method, secret: true, aggregation: { ...byRole, within: { type: "mean" } } };
    const weighed = applyScenario(byRoles, seed2019.dataset, { name: "roles", patch: {} });
    expect(() =>
      applyScenario(weighed.compiled, seed2019.dataset, {
        name: "no members",
        patch: { categories: { organ: { method: { aggregation: { roles: { member: null } } } } } },
      }),
    ).toThrow(
      'invalid scenario (1 problem):\n  patch.categories.organ.method: 87 ballots of "organ", a secret vote, would be refused under this patch; a secret vote\'s ballots are not named',
    );
    // Changed records are checked whole, the ballots too: those are counted as well.
    const score = seed2019.dataset.scores!.find((r) => r.unit === "U01")!;
    expect(() =>
      applyScenario(weighed.compiled, seed2019.dataset, {
        name: "no members, a score",
        patch: { categories: { organ: { method: { aggregation: { roles: { member: null } } } } } },
        data: { scores: [{ unit: score.unit, category: score.category, value: 25 }] },
      }),
    ).toThrow(
      'invalid scenario (1 problem):\n  patch.categories.organ.method: 87 ballots of "organ", a secret vote, would be refused under this patch; a secret vote\'s ballots are not named',
    );
    // Its other parameters may change; it stays secret.
    const mean = applyScenario(made.compiled, seed2019.dataset, {
      name: "mean",
      patch: { categories: { organ: { method: { aggregation: { type: "mean" } } } } },
    });
    expect(organTrace(mean)).toContain("secret vote: no voter is named");
  });

  it("drops a null in a patch value that replaces rather than merges: there is nothing to remove", async () => {
    // "good" has no quota: `count: null` means "no count", as it would on a rule with one.
    const r = runScenario(baseline, {
      name: "good quota",
      patch: { grades: { rules: { good: { quota: { percent: 20, count: null } } } } },
    });
    const patched = JSON.parse(JSON.stringify(base)) as typeof base;
    patched.grades.rules.find((g) => g.id === "good")!.quota = { percent: 20, scope: "group" };
    const expected = new Map(evaluate(patched, dataset).units.map((u) => [u.unit, u.grade?.id]));
    for (const u of r.units) expect(u.scenario.grade).toBe(expected.get(u.unit));
    // An aggregation switched to another type keeps no `trim`; `trim: null` says the same.
    const seed2019 = await loadSeed2019();
    const organ = (aggregation: object) =>
      applyScenario(seed2019.scheme as Parameters<typeof applyScenario>[0], seed2019.dataset, {
        name: "x",
        patch: { categories: { organ: { method: { aggregation } } } },
      }).compiled.scheme.categories.find((c) => c.id === "organ")!.method;
    expect(organ({ type: "mean", trim: null })).toEqual(organ({ type: "mean" }));
  });

  it("names a misspelt id together with the patch's other problems, not on the next try", () => {
    const issues = (patch: unknown) => {
      try {
        // Cast: ill-typed on purpose (a field misspelt, a group's flag as text); checked at run time.
        applyScenario(base, dataset, { name: "x", patch } as ScenarioInput);
      } catch (e) {
        return (e as InputError).issues;
      }
      return [];
    };
    expect(
      issues({
        categories: { publik: { points: 50 }, organ: { pionts: 20 } },
        groups: { nope: { ranked: "yes" } },
      }),
    ).toEqual([
      {
        path: ["patch", "categories", "organ", "pionts"],
        message: 'unknown field (misspelt?); did you mean "points"?',
      },
      { path: ["patch", "groups", "nope", "ranked"], message: expect.stringMatching(/true or false/) },
      {
        path: ["patch", "categories", "publik"],
        message: 'unknown category "publik"; did you mean "public"?',
      },
      { path: ["patch", "groups", "nope"], message: 'unknown group "nope" (known: law-enforcement)' },
    ]);
    // A patch that is no object of entries is the schema's to name, once.
    expect(issues({ categories: [1] }).map((i) => i.path)).toEqual([["patch", "categories"]]);
  });

  it("names a level its deduction or bonus table does not have, instead of adding it unread", () => {
    const issues = (patch: object) => {
      try {
        applyScenario(base, dataset, { name: "x", patch });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      throw new Error("accepted");
    };
    // "citi" for "city": no finding is at that level, so the change would score nothing.
    expect(
      issues({ findingTypes: { "unannounced-visit": { levels: { citi: { perFinding: 1 } } } } }),
    ).toEqual([
      'patch.findingTypes.unannounced-visit.levels.citi: unknown level "citi" of "unannounced-visit" (known: city, district, bureau)',
    ]);
    expect(issues({ findingTypes: { "public-complaint": { levels: { district: { late: 1 } } } } })).toEqual([
      'patch.findingTypes.public-complaint.levels.district: unknown level "district" of "public-complaint" (known: city)',
    ]);
    const awards = syntheticYear(8, 1, 1, { bonuses: true });
    const b = createBaseline(awards.scheme, awards.dataset);
    expect(() =>
      applyScenario(b.compiled.scheme, b.dataset, {
        name: "x",
        patch: { bonusTypes: { award: { levels: { county: 3 } } } },
      }),
    ).toThrow(
      'patch.bonusTypes.award.levels.county: unknown level "county" of "award" (known: city, province)',
    );
  });

  describe("edits only what a patch names", () => {
    // Four units in two groups, totals 70, 65, 60, 55; the best one overall is excellent.
    const twoGroups = directScheme({
      groups: [
        { id: "g1", name: "g1" },
        { id: "g2", name: "g2" },
      ],
      grades: {
        rules: [{ id: "ex", name: "excellent", quota: { count: 1, scope: "overall" } }],
        fallback: { id: "ok", name: "ok" },
      },
      rounding: { decimals: 2, mode: "half-even", stages: ["total"] },
    });
    const rows = directDataset([
      ["30", "30", "25"],
      ["30", "25", "25"],
      ["30", "20", "25"],
      ["30", "15", "25"],
    ]);
    const data = { ...rows, units: rows.units.map((u, i) => ({ ...u, group: i % 2 === 0 ? "g1" : "g2" })) };
    const b = createBaseline(twoGroups, data);
    const gradesOf = (r: ReturnType<typeof runScenario>) =>
      r.units.map((u) => `${u.unit} ${u.scenario.grade}`);
    const evaluated = (scheme: object) => evaluate(scheme, data).units.map((u) => `${u.unit} ${u.grade?.id}`);

    it("keeps an overall quota overall when its count changes", () => {
      const r = runScenario(b, {
        name: "two",
        patch: { grades: { rules: { ex: { quota: { count: 2 } } } } },
      });
      expect(gradesOf(r)).toEqual(["U1 ex", "U2 ex", "U3 ok", "U4 ok"]);
      const patched = {
        ...twoGroups,
        grades: {
          ...twoGroups.grades!,
          rules: [{ id: "ex", name: "excellent", quota: { count: 2, scope: "overall" } }],
        },
      };
      expect(evaluated(patched).sort()).toEqual(gradesOf(r));
    });

    it("turns a count quota into a percent one when the count is removed", () => {
      const r = runScenario(b, {
        name: "half",
        patch: { grades: { rules: { ex: { quota: { percent: 75, count: null } } } } },
      });
      expect(gradesOf(r)).toEqual(["U1 ex", "U2 ex", "U3 ex", "U4 ok"]);
    });

    it("replaces a count quota by a percent one given alone (a quota is one choice)", () => {
      const r = runScenario(b, {
        name: "half",
        patch: { grades: { rules: { ex: { quota: { percent: 75 } } } } },
      });
      expect(gradesOf(r)).toEqual(["U1 ex", "U2 ex", "U3 ex", "U4 ok"]);
    });

    it("keeps the rounding mode and stages when only the decimals change", () => {
      const a = applyScenario(b.compiled.scheme, data, { name: "one", patch: { rounding: { decimals: 1 } } });
      expect(a.compiled.scheme.rounding).toEqual({ decimals: 1, mode: "half-even", stages: ["total"] });
    });
  });
});

describe("a quota patch giving one of count and percent", () => {
  const quotaOf = (quota: object) =>
    applyScenario(baseline.compiled, dataset, {
      name: "quota",
      patch: { grades: { rules: { excellent: { quota } } } },
    }).compiled.scheme.grades.rules.find((r) => r.id === "excellent")!.quota;

  it("makes 10 units excellent on a scheme whose quota is 30 percent", () => {
    expect(quotaOf({ count: 10 })).toEqual({ count: 10, scope: "group" });
  });

  it("replaces the other, whatever else it changes, and keeps what it leaves out", () => {
    const choice = fc.oneof(
      fc.record({ count: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ percent: fc.integer({ min: 0, max: 100 }) }),
    );
    const rest = fc.record(
      { scope: fc.constantFrom("group", "overall"), from: fc.constantFrom("top", "bottom") },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(choice, rest, fc.boolean(), (one, other, nullOther) => {
        const cleared = nullOther ? ("count" in one ? { percent: null } : { count: null }) : {};
        const q = quotaOf({ ...one, ...other, ...cleared });
        expect(q).toEqual({ scope: "group", ...one, ...other });
      }),
    );
  });

  it("drops what only a percent has: a count of a bottom quota of the units admitted, rounded up", () => {
    const base = baseline.compiled.scheme;
    const quota = { percent: 25, scope: "group", from: "bottom", of: "admitted", rounding: "up" } as const;
    const scheme = {
      ...base,
      grades: {
        ...base.grades,
        rules: base.grades.rules.map((r) => (r.id === "excellent" ? { ...r, quota } : r)),
      },
    };
    const patched = applyScenario(scheme, dataset, {
      name: "count",
      patch: { grades: { rules: { excellent: { quota: { count: 1 } } } } },
    });
    expect(patched.compiled.scheme.grades.rules.find((r) => r.id === "excellent")!.quota).toEqual({
      count: 1,
      scope: "group",
      from: "bottom",
    });
  });

  it("still refuses a quota patched to both", () => {
    expect(() => quotaOf({ count: 10, percent: 20 })).toThrow(/count or percent/);
  });

  it("rounds a percent and settles ties as the patch says, and rounds down again when it removes the rounding", () => {
    expect(quotaOf({ rounding: "half-up" })).toEqual({ percent: 30, scope: "group", rounding: "half-up" });
    expect(quotaOf({ percent: 20, rounding: null })).toEqual({ percent: 20, scope: "group" });
    expect(quotaOf({ count: 3, ties: "exclude" })).toEqual({ count: 3, scope: "group", ties: "exclude" });
    // A count has nothing to round: the patch is refused at the rounding it gives.
    expect(issueLines(() => quotaOf({ count: 3, rounding: "up" }))).toEqual([
      "patch.grades.rules.excellent.quota.rounding: applies to a percent quota only: a count has nothing to round",
    ]);
  });
});
