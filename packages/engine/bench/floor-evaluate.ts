/**
 * "The floor" for a full evaluation: the least work that scores a province-scale year from
 * raw records. One pass over each record array into typed arrays, floating point, no
 * validation, no traces, no explanations; the same rules as the province scheme (direct
 * business, trimmed-mean vote with uniform ballots void, group-weighted survey with a
 * minimum sample, capped deductions floored at zero, bonuses, roll-up, vetoes, ranking per
 * group, quota and threshold grades). It is a yardstick, not an alternative: its totals
 * are floating point and nothing in it can be explained to a unit.
 */
import type { Dataset, SchemeInput } from "../src/index.js";

type Levels = Record<string, { perFinding: number; late?: number; notRectified?: number; repeated?: number }>;

export interface FloorResult {
  total: Float64Array;
  rank: Int32Array;
  grade: Int8Array;
}

export function floorEvaluate(schemeInput: SchemeInput, dataset: Dataset): FloorResult {
  const scheme = schemeInput as unknown as {
    categories: { id: string; points: number; method: Record<string, unknown> }[];
    findingTypes: { id: string; category?: string; levels: Levels; cap?: number }[];
    bonusTypes: { id: string; levels: Record<string, number>; count: string; cap?: number }[];
    bonusCap: number;
    groups: { id: string; ranked: boolean }[];
  };
  const units = dataset.units;
  const U = units.length;
  const index = new Map<string, number>();
  for (let i = 0; i < U; i++) index.set(units[i]!.id, i);
  const catIndex = new Map(scheme.categories.map((c, i) => [c.id, i]));
  const C = scheme.categories.length;
  const points = new Float64Array(U * C).fill(Number.NaN);

  // Business: direct score out of the category's points.
  for (const s of dataset.scores ?? [])
    points[index.get(s.unit)! * C + catIndex.get(s.category)!] = Number(s.value);

  // Organ: trimmed mean of valid ballots (counting sort by unit; uniform voters void).
  const ballots = dataset.ballots ?? [];
  const B = ballots.length;
  const bUnit = new Int32Array(B);
  const bValue = new Float64Array(B);
  const voterFirst = new Map<string, number>();
  const voterUniform = new Map<string, boolean>();
  for (let i = 0; i < B; i++) {
    const b = ballots[i]!;
    bUnit[i] = index.get(b.unit)!;
    const v = Number(b.score);
    bValue[i] = v;
    const first = voterFirst.get(b.voter);
    if (first === undefined) {
      voterFirst.set(b.voter, v);
      voterUniform.set(b.voter, true);
    } else if (first !== v) voterUniform.set(b.voter, false);
  }
  const n = new Int32Array(U);
  const sum = new Float64Array(U);
  const lo = new Float64Array(U).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(U).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < B; i++) {
    if (voterUniform.get(ballots[i]!.voter)) continue;
    const u = bUnit[i]!;
    const v = bValue[i]!;
    n[u]!++;
    sum[u]! += v;
    if (v < lo[u]!) lo[u] = v;
    if (v > hi[u]!) hi[u] = v;
  }
  const organ = catIndex.get("organ")!;
  const organMax = scheme.categories[organ]!.points;
  for (let u = 0; u < U; u++) {
    if (n[u]! < 5) continue;
    const mean = n[u]! > 5 ? (sum[u]! - lo[u]! - hi[u]!) / (n[u]! - 2) : sum[u]! / n[u]!;
    points[u * C + organ] = (mean / 100) * organMax;
  }

  // Public: counts per unit × group × option, group means, kind weights, minimum sample.
  const pub = catIndex.get("public")!;
  const survey = scheme.categories[pub]!.method as {
    options: Record<string, number | null>;
    respondentGroups: string[];
    weighting: { weights: Record<string, number>; byUnitKind: Record<string, Record<string, number>> };
    minValidForms: number;
  };
  const options = Object.keys(survey.options);
  const optPoints = options.map((o) => survey.options[o] ?? Number.NaN);
  const O = options.length;
  const G = survey.respondentGroups.length;
  const optIndex = new Map(options.map((o, i) => [o, i]));
  const grpIndex = new Map(survey.respondentGroups.map((g, i) => [g, i]));
  const cells = new Float64Array(U * G * O);
  let lastUnit = "";
  let lastBase = 0;
  for (const f of dataset.surveyForms ?? []) {
    if (f.unit !== lastUnit) {
      lastUnit = f.unit;
      lastBase = index.get(f.unit)! * G;
    }
    cells[(lastBase + grpIndex.get(f.respondentGroup)!) * O + optIndex.get(f.answer)!]!++;
  }
  const weightsFor = (kind: string | undefined) => {
    const table = (kind && survey.weighting.byUnitKind[kind]) || survey.weighting.weights;
    return survey.respondentGroups.map((g) => table[g] ?? 0);
  };
  const pubMax = scheme.categories[pub]!.points;
  for (let u = 0; u < U; u++) {
    const w = weightsFor(units[u]!.kind);
    let acc = 0;
    let wsum = 0;
    let ok = true;
    for (let g = 0; g < G && ok; g++) {
      let valid = 0;
      let pts = 0;
      for (let o = 0; o < O; o++) {
        const c = cells[(u * G + g) * O + o]!;
        if (!Number.isNaN(optPoints[o]!)) {
          valid += c;
          pts += c * optPoints[o]!;
        }
      }
      if (w[g] === 0) continue;
      if (valid < survey.minValidForms) ok = false;
      else {
        acc += (w[g]! * pts) / valid;
        wsum += w[g]!;
      }
    }
    if (ok && wsum > 0) points[u * C + pub] = (acc / wsum / 100) * pubMax;
  }

  // Deductions: per unit × type sums, capped, floored at zero in their category.
  const types = scheme.findingTypes;
  const T = types.length;
  const typeIndex = new Map(types.map((t, i) => [t.id, i]));
  const perType = new Float64Array(U * T);
  for (const f of dataset.findings ?? []) {
    const t = typeIndex.get(f.type)!;
    const table = types[t]!.levels[f.level]!;
    const not = table.notRectified ?? table.perFinding;
    const amount =
      f.repeated && table.repeated !== undefined
        ? table.repeated
        : f.rectification === "not-rectified"
          ? not
          : f.rectification === "late"
            ? (table.late ?? not)
            : table.perFinding;
    perType[index.get(f.unit)! * T + t]! += amount;
  }
  const totalDeducted = new Float64Array(U);
  for (let u = 0; u < U; u++)
    for (let t = 0; t < T; t++) {
      const type = types[t]!;
      const amount = Math.min(perType[u * T + t]!, type.cap ?? Number.POSITIVE_INFINITY);
      if (type.category === undefined) totalDeducted[u]! += amount;
      else {
        const cell = u * C + catIndex.get(type.category)!;
        points[cell] = Math.max(0, points[cell]! - amount);
      }
    }

  // Bonuses: highest or sum per type, per-type cap, overall cap.
  const bonusTypes = new Map(scheme.bonusTypes.map((t) => [t.id, t]));
  const bonusKey = new Map<string, number>();
  for (const e of dataset.bonusEvents ?? []) {
    const type = bonusTypes.get(e.type)!;
    const key = e.unit + "\u0000" + e.type;
    const v = type.levels[e.level]!;
    const prev = bonusKey.get(key) ?? 0;
    bonusKey.set(key, type.count === "sum" ? prev + v : Math.max(prev, v));
  }
  const bonus = new Float64Array(U);
  for (const [key, v] of bonusKey) {
    const [unit, type] = key.split("\u0000") as [string, string];
    bonus[index.get(unit)!]! += Math.min(v, bonusTypes.get(type)!.cap ?? v);
  }

  // Totals (rounded to 2 places), roll-up from sub-units' public share, deepest first.
  const r2 = (x: number) => Math.round(x * 100 + 1e-9) / 100;
  const total = new Float64Array(U).fill(Number.NaN);
  // A total roll-up scales the sub-units' share by the categories' maximum (bonuses are not part of it).
  const maxTotal = scheme.categories.reduce((s, c) => s + c.points, 0);
  const kidsSum = new Float64Array(U);
  const kidsN = new Int32Array(U);
  for (let u = 0; u < U; u++) {
    const p = units[u]!.parent;
    const share = points[u * C + pub]! / pubMax;
    if (p !== undefined && !Number.isNaN(share)) {
      const pi = index.get(p)!;
      kidsSum[pi]! += share;
      kidsN[pi]!++;
    }
  }
  for (let u = 0; u < U; u++) {
    let t = 0;
    for (let c = 0; c < C; c++) t += r2(points[u * C + c]!);
    t = Math.max(0, t + Math.min(bonus[u]!, scheme.bonusCap) - totalDeducted[u]!);
    if (kidsN[u]! > 0) t = 0.9 * t + 0.1 * (kidsSum[u]! / kidsN[u]!) * maxTotal;
    total[u] = r2(t);
  }

  // Vetoes, ranking per ranked group (ties share the better rank), grades.
  const vetoed = new Uint8Array(U);
  const last = new Uint8Array(U);
  for (const v of dataset.vetoEvents ?? []) {
    const u = index.get(v.unit)!;
    if (v.type === "serious-violation") last[u] = 1;
    else vetoed[u] = 1;
  }
  const rank = new Int32Array(U);
  const grade = new Int8Array(U).fill(-1);
  const members = new Map<string, number[]>();
  for (let u = 0; u < U; u++) {
    if (Number.isNaN(total[u]!)) continue;
    const g = units[u]!.group;
    const list = members.get(g);
    if (list) list.push(u);
    else members.set(g, [u]);
  }
  for (const g of scheme.groups) {
    const list = members.get(g.id) ?? [];
    list.sort(
      (a, b) =>
        last[a]! - last[b]! || total[b]! - total[a]! || r2(points[b * C + pub]!) - r2(points[a * C + pub]!),
    );
    const quota = Math.floor((list.length * 20) / 100);
    let excellent = 0;
    for (let i = 0; i < list.length; i++) {
      const u = list[i]!;
      const prev = list[i - 1];
      const tied =
        prev !== undefined &&
        total[prev] === total[u] &&
        last[prev] === last[u] &&
        r2(points[prev * C + pub]!) === r2(points[u * C + pub]!);
      if (g.ranked) rank[u] = tied ? rank[prev!]! : i + 1;
      if (g.ranked && !vetoed[u] && excellent < quota) {
        grade[u] = 0;
        excellent++;
      } else grade[u] = total[u]! >= 80 ? 1 : total[u]! >= 60 ? 2 : 3;
    }
  }
  return { total, rank, grade };
}
