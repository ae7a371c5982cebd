/**
 * A seeded, province-scale evaluation year for benchmarks: by default 10,000 units in 50
 * groups (bureaus with sub-units and a 10% roll-up), 2,000,000 raw survey forms,
 * 200,000 score ballots, 300,000 inspection findings, bonuses, vetoes and quota grades.
 *
 * Deterministic from the seed (own PRNG, never Math.random), and small sizes work, so
 * tests use it too. Memory-lean: every repeated string (unit ids, categories, groups,
 * answers, ballot scores) is one shared instance, and every record of a kind is built by
 * one object literal so V8 gives them all one hidden class.
 */
import type {
  Ballot,
  BonusEvent,
  Dataset,
  DirectScore,
  Finding,
  Rectification,
  SchemeInput,
  SurveyForm,
  Unit,
  VetoEvent,
} from "../src/index.js";

export interface ProvinceOptions {
  seed: number;
  /** Default 10,000. */
  units?: number;
  /** Comparability groups; the last tenth are evaluated but not ranked. Default 50. */
  groups?: number;
  /** Raw survey forms (one answer about one unit each). Default 2,000,000. */
  forms?: number;
  /** Score ballots, voter by voter, each voter scoring every unit in turn. Default 200,000. */
  ballots?: number;
  /** Daily-inspection findings. Default 300,000. */
  findings?: number;
  /** Bonus events. Default units / 2. */
  bonuses?: number;
  /** Veto events. Default units / 200, at least 1. */
  vetoes?: number;
  /** Vote aggregation: trimmed mean (default) or role-weighted with a trimmed mean within roles. */
  vote?: "trimmed-mean" | "role-weighted";
}

export interface Province {
  scheme: SchemeInput;
  dataset: Dataset;
}

export const PROVINCE_DEFAULTS = {
  units: 10_000,
  groups: 50,
  forms: 2_000_000,
  ballots: 200_000,
  findings: 300_000,
} as const;

/** sfc32: small, fast, good enough for synthetic data, and the same on every platform. */
export function sfc32(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

const RESPONDENT_GROUPS = ["service-recipients", "enterprises", "deputies", "residents"] as const;
const ANSWERS = ["satisfied", "basically-satisfied", "dissatisfied", "dont-know"] as const;
const LEVELS = ["city", "district", "bureau"] as const;
const RECTIFICATIONS: readonly Rectification[] = ["on-time", "late", "not-rectified", "pending"];
const FINDING_TYPES = [
  "unannounced-visit",
  "special-inspection",
  "public-complaint",
  "media-exposure",
] as const;

export function provinceScheme(groups: number, vote: ProvinceOptions["vote"] = "trimmed-mean"): SchemeInput {
  const trimmed = { type: "trimmed-mean" as const, trim: 1, minVoters: 5 };
  const level = (per: number, late: number, not: number, rep: number) => ({
    perFinding: per,
    late,
    notRectified: not,
    repeated: rep,
  });
  const threeLevels = {
    city: level(0.3, 0.6, 1, 2),
    district: level(0.2, 0.3, 0.5, 1),
    bureau: level(0.1, 0.2, 0.3, 0.6),
  };
  const unranked = Math.max(0, Math.floor(groups / 10));
  return {
    id: "province-review",
    version: 1,
    name: "省级绩效考评方案 (synthetic province-scale benchmark)",
    categories: [
      { id: "business", name: "业务工作 business work", points: 30, method: { kind: "direct" } },
      {
        id: "organ",
        name: "机关建设 organ construction",
        points: 20,
        method: {
          kind: "vote",
          ballot: { type: "score", min: 0, max: 100 },
          aggregation:
            vote === "role-weighted"
              ? {
                  type: "role-weighted",
                  roles: { mayor: 0.4, "vice-mayor": 0.3, member: 0.3 },
                  within: { type: "trimmed-mean", trim: 1, minVoters: 4 },
                  missingRole: "renormalize",
                }
              : trimmed,
          quorum: 5,
          validity: { rejectUniform: true },
        },
      },
      {
        id: "public",
        name: "开门评议 public evaluation",
        points: 50,
        method: {
          kind: "survey",
          options: { satisfied: 100, "basically-satisfied": 70, dissatisfied: 30, "dont-know": null },
          satisfiedOptions: ["satisfied", "basically-satisfied"],
          respondentGroups: [...RESPONDENT_GROUPS],
          weighting: {
            type: "group-weighted",
            weights: { "service-recipients": 0.4, enterprises: 0.2, deputies: 0.2, residents: 0.2 },
            byUnitKind: {
              "law-enforcement": {
                "service-recipients": 0.5,
                enterprises: 0.1,
                deputies: 0.2,
                residents: 0.2,
              },
            },
          },
          minValidForms: 10,
        },
      },
    ],
    findingTypes: [
      {
        id: "unannounced-visit",
        name: "明察暗访 unannounced visit",
        category: "business",
        levels: threeLevels,
        cap: 6,
      },
      {
        id: "special-inspection",
        name: "专项督察 special inspection",
        category: "business",
        levels: threeLevels,
        cap: 4,
      },
      {
        id: "public-complaint",
        name: "群众投诉 public complaint",
        category: "organ",
        levels: { city: level(0.3, 0.6, 1, 2), district: level(0.2, 0.3, 0.5, 1) },
        cap: 3,
      },
      {
        id: "media-exposure",
        name: "媒体曝光 media exposure",
        levels: { city: level(0.5, 1, 1.5, 2) },
        cap: 2,
      },
    ],
    bonusTypes: [
      {
        id: "commendation",
        name: "表彰 commendation",
        levels: { national: 3, provincial: 2, city: 1 },
        count: "highest",
        cap: 3,
      },
      {
        id: "innovation",
        name: "创新 innovation",
        levels: { provincial: 1, city: 0.5 },
        count: "sum",
        cap: 1.5,
      },
    ],
    bonusCap: 4,
    vetoTypes: [
      {
        id: "major-incident",
        name: "重大责任事故 major incident",
        ineligibleForExcellence: true,
        ineligibleForAward: true,
      },
      { id: "public-censure", name: "通报批评 public censure", ineligibleForExcellence: true },
      {
        id: "serious-violation",
        name: "严重违纪 serious violation",
        ineligibleForAward: true,
        forceLast: true,
      },
    ],
    rollups: [{ id: "sub-unit-public", source: { category: "public" }, share: 0.1, into: { total: true } }],
    groups: Array.from({ length: groups }, (_, g) => ({
      id: groupId(g),
      name: `第${g + 1}组 group ${g + 1}`,
      ranked: g < groups - unranked,
    })),
    ranking: { tieBreakers: [{ category: "public" }], lastLosesAward: true },
    grades: {
      rules: [
        {
          id: "excellent",
          name: "优秀 excellent",
          quota: { percent: 20, scope: "group" },
          requiresExcellenceEligibility: true,
        },
        { id: "good", name: "良好 good", minTotal: 80 },
        { id: "pass", name: "合格 pass", minTotal: 60 },
      ],
      fallback: { id: "fail", name: "不合格 fail" },
    },
    rounding: { decimals: 2, mode: "half-up", stages: ["category", "total"] },
  };
}

const groupId = (g: number) => `G${String(g + 1).padStart(2, "0")}`;
const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Generates the scheme and the year's records. Pure: the same options give the same JSON. */
export function generateProvince(options: ProvinceOptions): Province {
  const rand = sfc32(options.seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const pick = (n: number) => Math.floor(rand() * n);
  const nUnits = options.units ?? PROVINCE_DEFAULTS.units;
  const nGroups = options.groups ?? PROVINCE_DEFAULTS.groups;
  const nForms = options.forms ?? PROVINCE_DEFAULTS.forms;
  const nBallots = options.ballots ?? PROVINCE_DEFAULTS.ballots;
  const nFindings = options.findings ?? PROVINCE_DEFAULTS.findings;
  const nBonuses = options.bonuses ?? Math.floor(nUnits / 2);
  const nVetoes = options.vetoes ?? Math.max(1, Math.floor(nUnits / 200));
  const scheme = provinceScheme(nGroups, options.vote);
  const groups = Array.from({ length: nGroups }, (_, g) => groupId(g));

  // Units in contiguous group blocks. About one unit in 25 is a bureau whose next 4–16
  // units (same group) are its sub-units: district branches, patrol, traffic police, …
  const width = String(nUnits).length;
  const units: Unit[] = [];
  const quality = new Float64Array(nUnits);
  let subUnitsLeft = 0;
  let parent: string | undefined;
  for (let i = 0; i < nUnits; i++) {
    const id = `U${pad(i + 1, width)}`;
    const group = groups[Math.floor((i * nGroups) / nUnits)]!;
    const kind = rand() < 0.3 ? "law-enforcement" : "service";
    if (subUnitsLeft > 0) {
      subUnitsLeft--;
      units.push({ id, name: `${parent}分局 branch ${id}`, group, parent, kind });
    } else {
      units.push({ id, name: `单位 unit ${id}`, group, parent: undefined, kind });
      if (rand() < 0.04) {
        parent = id;
        subUnitsLeft = 4 + pick(13);
      }
    }
    quality[i] = between(0.6, 0.98);
  }
  const unitIds = units.map((u) => u.id);

  // Business work: an assessed score out of 30, one decimal, as a spreadsheet delivers it.
  const scores: DirectScore[] = units.map((u, i) => ({
    unit: u.id,
    category: "business",
    value: Math.min(30, Math.max(0, quality[i]! * 30 + between(-2, 1))).toFixed(1),
  }));

  // Ballots: voter by voter, each scoring every unit in turn (a ballot sheet). Scores in
  // half points as decimal strings, interned. The last voter of a full round gives every
  // unit the same score: a void ballot under rejectUniform.
  const scoreText = Array.from({ length: 201 }, (_, h) => (h % 2 === 0 ? String(h / 2) : (h / 2).toFixed(1)));
  const voters = Math.ceil(nBallots / Math.max(1, nUnits));
  const voterIds = Array.from({ length: voters }, (_, v) => `V${pad(v + 1, 3)}`);
  const roleOf = (v: number) => (v === 0 ? "mayor" : v <= 5 ? "vice-mayor" : "member");
  const ballots: Ballot[] = [];
  for (let k = 0; k < nBallots; k++) {
    const v = Math.floor(k / nUnits);
    const u = k % nUnits;
    const uniform = v === voters - 1 && voters >= 8 && nBallots % nUnits === 0;
    const half = uniform
      ? 170
      : Math.round(Math.min(100, Math.max(0, quality[u]! * 100 + between(-8, 8))) * 2);
    ballots.push({
      category: "organ",
      voter: voterIds[v]!,
      role: roleOf(v),
      unit: unitIds[u]!,
      score: scoreText[half]!,
    });
  }

  // Survey forms, unit by unit (how a store returns them ORDER BY unit). Each unit gets a
  // share around the mean; one in 200 gets only a handful, below the minimum sample.
  const share = new Float64Array(nUnits);
  let shareSum = 0;
  for (let i = 0; i < nUnits; i++) shareSum += share[i] = rand() < 0.005 ? 0.05 : between(0.6, 1.4);
  const surveyForms: SurveyForm[] = [];
  let assigned = 0;
  for (let i = 0; i < nUnits; i++) {
    const want =
      i === nUnits - 1
        ? nForms - assigned
        : Math.min(nForms - assigned, Math.round((nForms * share[i]!) / shareSum));
    assigned += want;
    const q = quality[i]!;
    const pSat = Math.min(0.9, Math.max(0.05, q - 0.25 + between(-0.1, 0.1)));
    const pBasic = pSat + (1 - pSat) * between(0.4, 0.75);
    const pKnown = between(0.9, 0.98);
    const unit = unitIds[i]!;
    for (let f = 0; f < want; f++) {
      const r = rand();
      const group = r < 0.4 ? 0 : r < 0.6 ? 1 : r < 0.8 ? 2 : 3;
      const a = rand();
      const answer = rand() > pKnown ? 3 : a < pSat ? 0 : a < pBasic ? 1 : 2;
      surveyForms.push({
        category: "public",
        unit,
        respondentGroup: RESPONDENT_GROUPS[group]!,
        answer: ANSWERS[answer]!,
      });
    }
  }

  // Findings in id order, units drawn at random with weaker units found more often.
  const fWidth = String(nFindings).length;
  const findings: Finding[] = [];
  for (let k = 0; k < nFindings; k++) {
    let u = pick(nUnits);
    if (quality[u]! > 0.85 && rand() < 0.4) u = pick(nUnits);
    const t = rand();
    const type = t < 0.45 ? 0 : t < 0.7 ? 1 : t < 0.92 ? 2 : 3;
    const levels = type === 2 ? 2 : type === 3 ? 1 : 3;
    const r = rand();
    findings.push({
      id: `F${pad(k + 1, fWidth)}`,
      unit: unitIds[u]!,
      type: FINDING_TYPES[type]!,
      level: LEVELS[pick(levels)]!,
      rectification: RECTIFICATIONS[r < 0.7 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 3],
      repeated: rand() < 0.04,
    });
  }

  const bonusEvents: BonusEvent[] = [];
  for (let k = 0; k < nBonuses; k++) {
    const innovation = rand() < 0.3;
    bonusEvents.push({
      id: `B${pad(k + 1, 6)}`,
      unit: unitIds[pick(nUnits)]!,
      type: innovation ? "innovation" : "commendation",
      level: innovation
        ? rand() < 0.3
          ? "provincial"
          : "city"
        : (["national", "provincial", "city"] as const)[pick(3)]!,
    });
  }

  const vetoEvents: VetoEvent[] = [];
  for (let k = 0; k < nVetoes; k++) {
    const t = rand();
    vetoEvents.push({
      id: `X${pad(k + 1, 5)}`,
      unit: unitIds[pick(nUnits)]!,
      type: t < 0.5 ? "major-incident" : t < 0.9 ? "public-censure" : "serious-violation",
      reason: "synthetic event for the benchmark",
    });
  }

  return {
    scheme,
    dataset: { units, scores, ballots, surveyForms, findings, bonusEvents, vetoEvents },
  };
}
