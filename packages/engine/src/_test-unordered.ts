// Schemes with every list whose order the engine never reads, and those lists shuffled, for
// schemeChanges' and patchBetween's properties. Excluded from the build by the `_test-` prefix.
import type { SchemeInput } from "./scheme/scheme-schema.js";
import type { SyntheticYear } from "./whatif/_test-synthetic.js";
import { shuffled } from "./whatif/_test-whatif.js";

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * A synthetic year with each list whose order is never read holding two members or more, and
 * records that reach them: a formula category over two inputs, a second finding, veto and bonus
 * type with events, a roll-up into named parents. Its survey weights a third respondent group
 * (deputies, with enough forms from some units, too few or none from others) beside the two, so
 * that its traces and details show each group, whose order is read.
 */
export function withEveryList(year: SyntheticYear): SyntheticYear {
  const scheme = copy(year.scheme);
  const dataset = copy(year.dataset);
  const units = dataset.units;
  for (const c of scheme.categories)
    if (c.method.kind === "survey") {
      c.method.respondentGroups = [...c.method.respondentGroups, "deputies"];
      c.method.weighting = {
        type: "group-weighted",
        weights: { "service-recipients": 0.5, residents: 0.3, deputies: 0.2 },
        missingGroup: "renormalize",
      };
    }
  const surveyed = [...new Set((dataset.surveyTallies ?? []).map((t) => t.unit))];
  dataset.surveyTallies = [
    ...(dataset.surveyTallies ?? []),
    ...surveyed
      .filter((_, i) => i % 3 !== 2)
      .flatMap((unit, i) => [
        {
          category: "public",
          unit,
          respondentGroup: "deputies",
          answer: "satisfied",
          count: 4 + (i % 5) * 2,
        },
        { category: "public", unit, respondentGroup: "deputies", answer: "dissatisfied", count: 1 + (i % 3) },
      ]),
  ];
  scheme.categories.push({
    id: "innovation",
    name: "innovation",
    points: 5,
    method: {
      kind: "formula",
      expression: "a + b",
      inputs: [{ name: "a" }, { name: "b", description: "the second measure" }],
      max: 10,
    },
  });
  dataset.inputs = units.flatMap((u, i) => [
    { unit: u.id, name: "a", value: i % 5 },
    { unit: u.id, name: "b", value: (i * 3) % 6 },
  ]);
  scheme.findingTypes = [
    ...(scheme.findingTypes ?? []),
    { id: "complaint", name: "public complaint", levels: { city: { perFinding: 0.2 } } },
  ];
  dataset.findings = [
    ...(dataset.findings ?? []),
    ...units
      .filter((_, i) => i % 3 === 1)
      .map((u) => ({ id: `${u.id}-C`, unit: u.id, type: "complaint", level: "city" })),
  ];
  scheme.vetoTypes = [
    ...(scheme.vetoTypes ?? []),
    { id: "censure", name: "public censure", ineligibleForExcellence: true },
  ];
  dataset.vetoEvents = [
    ...(dataset.vetoEvents ?? []),
    { id: "censure-1", unit: units[1 % units.length]!.id, type: "censure", reason: "censured" },
  ];
  if (scheme.bonusTypes?.length) {
    scheme.bonusTypes = [
      ...scheme.bonusTypes,
      { id: "commendation", name: "commendation", levels: { city: 0.5 } },
    ];
    dataset.bonusEvents = [
      ...(dataset.bonusEvents ?? []),
      { id: "commendation-1", unit: units[0]!.id, type: "commendation", level: "city" },
    ];
  }
  // Every parent but the last: a list that says something, where all of them is the default.
  const parents = [...new Set(units.flatMap((u) => (u.parent ? [u.parent] : [])))];
  const named = parents.length > 1 ? parents.slice(0, -1) : parents;
  if (named.length > 0) scheme.rollups = scheme.rollups?.map((r) => ({ ...r, parents: named }));
  return { scheme, dataset };
}

/**
 * The scheme with each list whose order the engine never reads in another order. The lists are
 * named here rather than read from UNORDERED_LISTS, so that a list dropped from there is caught.
 */
export function shuffledSets(s: SchemeInput, seed: number): SchemeInput {
  const out = copy(s);
  const mix = <T>(rows: T[] | undefined, k: number): T[] | undefined => shuffled(rows, seed + k);
  out.categories = out.categories.map((c, i) => {
    const m = c.method;
    if (m.kind === "survey" && m.satisfiedOptions)
      return { ...c, method: { ...m, satisfiedOptions: mix(m.satisfiedOptions, i + 1) } };
    if (m.kind === "formula" && m.inputs) return { ...c, method: { ...m, inputs: mix(m.inputs, i) } };
    return c;
  });
  if (out.rollups)
    out.rollups = out.rollups.map((r, i) => (r.parents ? { ...r, parents: mix(r.parents, i)! } : r));
  if (out.findingTypes) out.findingTypes = mix(out.findingTypes, 1);
  if (out.bonusTypes) out.bonusTypes = mix(out.bonusTypes, 2);
  if (out.vetoTypes) out.vetoTypes = mix(out.vetoTypes, 3);
  if (out.rounding?.stages) out.rounding = { ...out.rounding, stages: mix(out.rounding.stages, 4) };
  return out;
}
