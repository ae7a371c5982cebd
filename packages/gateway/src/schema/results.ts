/** The engine's result types, exposed as they are: the gateway does not re-compute anything. */
import type { AdjustmentResult, CategoryResult, TraceStep, UnitComparison, UnitResult } from "@pingyi/engine";
import { builder } from "../builder.js";
import { unitKey } from "../context.js";
import { UnitRef } from "./refs.js";

export const TraceStepRef = builder.objectRef<TraceStep>("TraceStep").implement({
  description: "One step of the engine's explanation, as a person would check it by hand.",
  fields: (t) => ({ step: t.exposeString("step"), text: t.exposeString("text") }),
});

const KeyValue = builder.objectRef<[string, string]>("KeyValue").implement({
  fields: (t) => ({ key: t.string({ resolve: (p) => p[0] }), value: t.string({ resolve: (p) => p[1] }) }),
});

export const CategoryResultRef = builder.objectRef<CategoryResult>("CategoryResult").implement({
  description: "A unit's points in one category; decimals are strings, exactly as published.",
  fields: (t) => ({
    category: t.exposeString("category"),
    name: t.exposeString("name"),
    status: t.exposeString("status", { description: "scored | insufficient" }),
    points: t.exposeString("points", { nullable: true }),
    maxPoints: t.exposeString("maxPoints"),
    methodPoints: t.exposeString("methodPoints", {
      nullable: true,
      description: "Exact (may be a fraction n/d).",
    }),
    deducted: t.exposeString("deducted"),
    reason: t.exposeString("reason", { nullable: true }),
    // Explanations (who voted what, which findings) need a token even when rankings are public;
    // anonymous readers of a public ranking get empty lists.
    details: t.field({
      type: [KeyValue],
      authScopes: { viewer: true },
      unauthorizedResolver: () => [],
      resolve: (c) => Object.entries(c.details),
    }),
    trace: t.field({
      type: [TraceStepRef],
      authScopes: { viewer: true },
      unauthorizedResolver: () => [],
      resolve: (c) => c.trace,
    }),
  }),
});

const AdjustmentRef = builder.objectRef<AdjustmentResult>("Adjustment").implement({
  fields: (t) => ({
    kind: t.exposeString("kind", { description: "deduction | bonus" }),
    record: t.exposeString("record"),
    type: t.exposeString("type"),
    level: t.exposeString("level"),
    category: t.exposeString("category", { nullable: true }),
    points: t.exposeString("points", { description: "Signed, exact." }),
    basis: t.exposeString("basis"),
  }),
});

const GradeRef = builder.objectRef<{ id: string; name: string }>("Grade").implement({
  fields: (t) => ({ id: t.exposeString("id"), name: t.exposeString("name") }),
});

type Reason = UnitResult["eligibility"]["reasons"][number];
const EligibilityReasonRef = builder.objectRef<Reason>("EligibilityReason").implement({
  fields: (t) => ({
    kind: t.exposeString("kind", { description: "veto | last-ranked | insufficient" }),
    record: t.exposeString("record", {
      nullable: true,
      description: "The veto event's id; an earlier year's is shown as `<cycle>/<event id>`.",
    }),
    yearsAgo: t.int({
      nullable: true,
      description:
        "For a veto recorded in an earlier year's cycle (which this one follows): how many years before. Null otherwise.",
      resolve: (r) => r.yearsAgo ?? null,
    }),
    text: t.exposeString("text"),
  }),
});

export const EligibilityRef = builder.objectRef<UnitResult["eligibility"]>("Eligibility").implement({
  fields: (t) => ({
    excellence: t.exposeBoolean("excellence"),
    award: t.exposeBoolean("award"),
    reasons: t.field({
      type: [EligibilityReasonRef],
      authScopes: { viewer: true },
      unauthorizedResolver: () => [],
      resolve: (e) => e.reasons,
    }),
  }),
});

/** A result in its cycle, so `unit` can be fetched (batched) from the store. */
export interface CycleUnitResult {
  cycleId: string;
  result: UnitResult;
}

export const Flag = builder.enumType("Flag", {
  description: "Conditions a reader of a ranking table should see next to the unit.",
  values: {
    INSUFFICIENT: { description: "No total: a category lacked quorum or sample." },
    VETO: { description: "A veto (一票否决) made the unit ineligible for excellence." },
    LAST_RANKED: { description: "Last in its group: loses award eligibility." },
    NOT_ELIGIBLE_FOR_EXCELLENCE: {},
    NOT_ELIGIBLE_FOR_AWARD: {},
    DEDUCTED: { description: "Has deductions from findings." },
    BONUS: { description: "Has counted bonuses." },
  } as const,
});
type FlagValue = (typeof Flag)["$inferType"];

/** The flags a reader of a ranking table sees next to a unit, in the enum's order. */
export function flags(r: UnitResult): FlagValue[] {
  const out: FlagValue[] = [];
  if (r.status === "insufficient") out.push("INSUFFICIENT");
  if (r.eligibility.reasons.some((x) => x.kind === "veto")) out.push("VETO");
  if (r.eligibility.reasons.some((x) => x.kind === "last-ranked")) out.push("LAST_RANKED");
  if (!r.eligibility.excellence) out.push("NOT_ELIGIBLE_FOR_EXCELLENCE");
  if (!r.eligibility.award) out.push("NOT_ELIGIBLE_FOR_AWARD");
  if (r.adjustments.some((a) => a.kind === "deduction")) out.push("DEDUCTED");
  if (r.adjustments.some((a) => a.kind === "bonus" && a.points !== "0")) out.push("BONUS");
  return out;
}

export const UnitResultRef = builder.objectRef<CycleUnitResult>("UnitResult").implement({
  description:
    "One unit's evaluation: total, rank within its group, grade, category points, flags and the trace.",
  fields: (t) => ({
    cycleId: t.exposeID("cycleId"),
    unitId: t.id({ resolve: (p) => p.result.unit }),
    name: t.string({ resolve: (p) => p.result.name }),
    group: t.string({ resolve: (p) => p.result.group }),
    unit: t.field({
      type: UnitRef,
      nullable: true,
      description: "The unit record (batched: one query per cycle however many rows ask).",
      resolve: async (p, _a, ctx) => {
        const unit = await ctx.loaders.unit.load(unitKey(p.cycleId, p.result.unit));
        return unit ? { cycleId: p.cycleId, unit } : null;
      },
    }),
    status: t.string({ description: "scored | insufficient", resolve: (p) => p.result.status }),
    total: t.string({ nullable: true, resolve: (p) => p.result.total }),
    rank: t.int({
      nullable: true,
      description: "Shared by ties (1224); null when not ranked.",
      resolve: (p) => p.result.rank,
    }),
    rankedInGroup: t.int({ resolve: (p) => p.result.rankedInGroup }),
    grade: t.field({ type: GradeRef, nullable: true, resolve: (p) => p.result.grade }),
    flags: t.field({ type: [Flag], resolve: (p) => flags(p.result) }),
    categories: t.field({ type: [CategoryResultRef], resolve: (p) => p.result.categories }),
    adjustments: t.field({
      type: [AdjustmentRef],
      authScopes: { viewer: true },
      unauthorizedResolver: () => [],
      resolve: (p) => p.result.adjustments,
    }),
    caps: t.stringList({
      authScopes: { viewer: true },
      unauthorizedResolver: () => [],
      resolve: (p) => p.result.caps,
    }),
    eligibility: t.field({ type: EligibilityRef, resolve: (p) => p.result.eligibility }),
    trace: t.field({
      type: [TraceStepRef],
      description: "The engine's explanation of the total (empty without a token).",
      authScopes: { viewer: true },
      unauthorizedResolver: () => [],
      resolve: (p) => p.result.trace,
    }),
  }),
});

const CategoryDifferenceRef = builder
  .objectRef<UnitComparison["categories"][number]>("CategoryDifference")
  .implement({
    fields: (t) => ({
      category: t.exposeString("category"),
      name: t.exposeString("name"),
      a: t.exposeString("a", { nullable: true }),
      b: t.exposeString("b", { nullable: true }),
      difference: t.exposeString("difference", { nullable: true, description: "a − b, exact." }),
    }),
  });

const ComparedUnitRef = builder.objectRef<UnitComparison["a"]>("ComparedUnit").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (u) => u.unit }),
    name: t.exposeString("name"),
    total: t.exposeString("total", { nullable: true }),
    rank: t.exposeInt("rank", { nullable: true }),
  }),
});

export const ComparisonRef = builder.objectRef<UnitComparison>("Comparison").implement({
  description: "Why A is above or below B: the total difference split by category.",
  fields: (t) => ({
    a: t.field({ type: ComparedUnitRef, resolve: (c) => c.a }),
    b: t.field({ type: ComparedUnitRef, resolve: (c) => c.b }),
    totalDifference: t.exposeString("totalDifference", { nullable: true }),
    categories: t.field({ type: [CategoryDifferenceRef], resolve: (c) => c.categories }),
    adjustmentDifference: t.exposeString("adjustmentDifference", {
      description:
        "Bonuses minus deductions on the total, after caps and as far as the floor at zero took them, a − b. Exact.",
    }),
    otherDifference: t.exposeString("otherDifference", {
      nullable: true,
      description:
        "What the categories and adjustmentDifference leave of totalDifference: sub-units' roll-ups into the total, rounding (a total floored at zero is in adjustmentDifference: the deductions count as far as the floor took them). Exact; null when either unit has no total.",
    }),
    summary: t.exposeString("summary"),
  }),
});
