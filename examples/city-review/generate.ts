/**
 * Regenerates the seed year's data files (dataset-2018.json, dataset-2019.json) from a
 * fixed seed. The files are committed; this script documents how they were made.
 *
 * The anchor is the real unit from the published report: 26.4 + 26.94 + 30.86 = 84.20
 * under the 2018 scheme (30/30/40), ranked 9th of 29. Its 2019 records express the same
 * performance (organ construction 89.8% by the leader in 2018, 89.8 by trimmed vote in
 * 2019; public evaluation 77.15 in every respondent group), so the reform moves it only
 * through the new maxima: 26.40 + 17.96 + 38.58 = 82.94.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Ballot,
  type Dataset,
  evaluate,
  type Finding,
  type SurveyForm,
  type SurveyTally,
  type Unit,
} from "@pingyi/engine";
import scheme2018 from "./scheme-2018.json" with { type: "json" };

const here = import.meta.dirname;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20181231);
const between = (lo: number, hi: number) => lo + (hi - lo) * rand();

const NAMES = [
  "市公安局",
  "市交通运输局",
  "市城市管理局",
  "市生态环境局",
  "市住房和城乡建设局",
  "市自然资源局",
  "市应急管理局",
  "市卫生健康委员会",
  "市市场监督管理局",
  "市税务局",
  "市人力资源和社会保障局",
  "市民政局",
  "市教育局",
  "市农业农村局",
  "市水利局",
  "市文化广电旅游局",
  "市商务局",
  "市司法局",
  "市医疗保障局",
  "市退役军人事务局",
  "市林业局",
  "市统计局",
  "市审计局",
  "市住房公积金中心",
  "市不动产登记中心",
  "市行政审批服务局",
  "市烟草专卖局",
  "市消防救援支队",
  "市气象局",
];
const ANCHOR = "市市场监督管理局";
const GROUPS = ["service-recipients", "enterprises", "deputies", "residents"] as const;
const VOTERS = [
  { voter: "mayor", role: "mayor" },
  { voter: "vice-mayor-1", role: "vice-mayor" },
  { voter: "vice-mayor-2", role: "vice-mayor" },
  { voter: "vice-mayor-3", role: "vice-mayor" },
  { voter: "member-1", role: "member" },
  { voter: "member-2", role: "member" },
  { voter: "member-3", role: "member" },
];

interface Candidate {
  unit: Unit;
  business: string;
  organ: string;
  votes: number[];
  tallies: SurveyTally[];
  findings: Omit<Finding, "id">[];
}

function anchorCandidate(unit: Unit): Candidate {
  // Per group 200 valid forms: (101 × 100 + 59 × 70 + 40 × 30) / 200 = 77.15, plus a few "don't know".
  const tallies = GROUPS.flatMap((g, i) => [
    { category: "public", unit: unit.id, respondentGroup: g, answer: "satisfied", count: 101 },
    { category: "public", unit: unit.id, respondentGroup: g, answer: "basically-satisfied", count: 59 },
    { category: "public", unit: unit.id, respondentGroup: g, answer: "dissatisfied", count: 40 },
    { category: "public", unit: unit.id, respondentGroup: g, answer: "dont-know", count: 3 + i },
  ]);
  // Trimmed mean drops 95 and 80: (91 + 91 + 90 + 89 + 88) / 5 = 89.8 = 26.94 / 30.
  return {
    unit,
    business: "26.4",
    organ: "26.94",
    votes: [95, 91, 91, 90, 89, 88, 80],
    tallies,
    findings: [],
  };
}

function randomCandidate(unit: Unit): Candidate {
  const quality = between(0.72, 0.97);
  const business = (Math.round(between(quality - 0.08, quality + 0.03) * 300) / 10).toFixed(1);
  const organShare = Math.min(0.99, between(quality - 0.06, quality + 0.04));
  const organ = (Math.round(organShare * 3000) / 100).toFixed(2);
  const votes = VOTERS.map(() => Math.max(55, Math.min(98, Math.round(organShare * 100 + between(-6, 6)))));
  const pSat = between(0.35, 0.75);
  const tallies: SurveyTally[] = GROUPS.flatMap((g) => {
    const valid = Math.round(between(55, 80));
    const sat = Math.round(valid * Math.min(0.95, pSat + between(-0.08, 0.08)));
    const basic = Math.round((valid - sat) * between(0.4, 0.8));
    return [
      { category: "public", unit: unit.id, respondentGroup: g, answer: "satisfied", count: sat },
      { category: "public", unit: unit.id, respondentGroup: g, answer: "basically-satisfied", count: basic },
      {
        category: "public",
        unit: unit.id,
        respondentGroup: g,
        answer: "dissatisfied",
        count: valid - sat - basic,
      },
      {
        category: "public",
        unit: unit.id,
        respondentGroup: g,
        answer: "dont-know",
        count: Math.round(between(0, 6)),
      },
    ];
  });
  const findings: Omit<Finding, "id">[] = [];
  const n = rand() < 0.45 ? Math.floor(between(1, 4)) : 0;
  for (let i = 0; i < n; i++) {
    const r = rand();
    findings.push({
      unit: unit.id,
      type: rand() < 0.7 ? "unannounced-visit" : "public-complaint",
      level: "city",
      rectification: r < 0.6 ? "on-time" : r < 0.8 ? "late" : "not-rectified",
      repeated: rand() < 0.1,
    });
  }
  return { unit, business, organ, votes, tallies, findings };
}

function dataset2018(cands: Candidate[]): Dataset {
  return {
    units: cands.map((c) => c.unit),
    scores: cands.flatMap((c) => [
      { unit: c.unit.id, category: "business", value: c.business },
      { unit: c.unit.id, category: "organ", value: c.organ },
    ]),
    surveyTallies: cands.flatMap((c) => c.tallies),
    findings: cands
      .flatMap((c) => c.findings)
      .map((f, i) => ({ id: `F2018-${String(i + 1).padStart(3, "0")}`, ...f })),
    vetoEvents: [],
  };
}

function totalOf(c: Candidate): number {
  const r = evaluate(scheme2018, dataset2018([c]));
  return Number(r.units[0]!.total);
}

const units: Unit[] = NAMES.map((name, i) => ({
  id: `U${String(i + 1).padStart(2, "0")}`,
  name,
  group: "law-enforcement",
}));
const anchor = units.find((u) => u.name === ANCHOR)!;
const accepted: Candidate[] = [anchorCandidate(anchor)];
let above = 0;
let below = 0;
for (const unit of units) {
  if (unit === anchor) continue;
  // Keep 8 units above the anchor and 20 below, clear of it, so it ranks 9th of 29 as reported.
  for (;;) {
    const c = randomCandidate(unit);
    const t = totalOf(c);
    if (t > 84.5 && above < 8) {
      above++;
      accepted.push(c);
      break;
    }
    if (t < 83.9 && t > 62 && below < 20 && (above >= 8 || rand() < 0.7)) {
      below++;
      accepted.push(c);
      break;
    }
  }
}
accepted.sort((a, b) => (a.unit.id < b.unit.id ? -1 : 1));

const d2018 = dataset2018(accepted);
// A major incident in the best-scoring unit: it keeps its score and rank but cannot be excellent.
const best = evaluate(scheme2018, d2018).units[0]!;
d2018.vetoEvents = [
  {
    id: "V2018-001",
    unit: best.unit,
    type: "major-incident",
    reason: "2018年较大安全生产责任事故 a serious work-safety accident",
  },
];

const ballots: Ballot[] = accepted.flatMap((c) =>
  VOTERS.map((v, i) => ({
    category: "organ",
    voter: v.voter,
    role: v.role,
    unit: c.unit.id,
    score: c.votes[i]!,
  })),
);
const forms: SurveyForm[] = accepted.flatMap((c) =>
  c.tallies.flatMap((t) =>
    Array.from({ length: t.count }, () => ({
      category: "public",
      unit: t.unit,
      respondentGroup: t.respondentGroup,
      answer: t.answer,
    })),
  ),
);
const d2019: Dataset = {
  units: d2018.units,
  scores: d2018.scores!.filter((s) => s.category === "business"),
  ballots,
  surveyForms: forms,
  // 2019's own inspections, finding what 2018's found (the same performance, as above): the same
  // cases under this year's ids, not 2018's records deducted a second time.
  findings: d2018.findings!.map((f) => ({ ...f, id: f.id.replace(/^F2018-/, "F2019-") })),
  // Last year's incident, still in force under the 2019 rules (this year and next, yearsInForce 2):
  // 2019's own register has none.
  vetoEvents: d2018.vetoEvents!.map((v) => ({ ...v, yearsAgo: 1 })),
};
writeFileSync(join(here, "dataset-2018.json"), `${JSON.stringify(d2018, null, 1)}\n`);
writeFileSync(join(here, "dataset-2019.json"), `${JSON.stringify(d2019)}\n`);
console.log(`wrote ${d2018.units.length} units, ${ballots.length} ballots, ${forms.length} survey forms`);
