/**
 * compareCycles: two cycles (each as published, or under a scenario) compared row by row by the
 * engine's compareBaselines, shown as a WhatIf whose baseline is `before` and scenario `after`.
 */
import {
  type Baseline,
  type CompareBaselinesOptions,
  type CompiledScheme,
  compareBaselines,
  compileScheme,
  InputError,
  type InputIssue,
  patchBetween,
  type SchemeChange,
} from "@pingyi/engine";
import { builder } from "../builder.js";
import type { Context } from "../context.js";
import { engineCall } from "../errors.js";
import type { Scored } from "../evaluations.js";
import { cost, spendOnRun } from "../limits.js";
import { type Cycle, NotFoundError, type Scenario, ValidationError } from "../store/index.js";
import { unitsOf } from "./analysis-common.js";
import { READ_ERRORS } from "./common.js";
import { comparedAsScenario } from "./movements.js";
import { type OneSided, OneSidedUnitRef } from "./one-sided-unit.js";
import {
  appliedScenario,
  baselineOfApplied,
  baselineUnder,
  documentRevision,
  inlineDocument,
  inlineRevision,
  loadSaved,
  savedDocument,
  savedRevision,
  spendOnApplying,
} from "./scenario-runs.js";
import { SchemeChangeRef } from "./scheme-change.js";
import { WhatIfRef, type WhatIfShape } from "./whatif.js";

type SideName = "before" | "after";
type Units = NonNullable<CompareBaselinesOptions["units"]>;

/** One side of a comparison: a cycle's baseline, as published or under a scenario. */
interface Side {
  scored: Scored;
  baseline: Baseline;
  saved: Scenario | null;
  /** The scenario's document (saved, inline or derived by `rulesOf`); null for the cycle as published. */
  document: unknown;
  /**
   * The cycle whose rules this side is under, the scheme version it was on when this ran (it may
   * move to another since), and what a patch could not take across.
   */
  rulesOf: {
    cycleId: string;
    schemeId: string;
    schemeVersion: number;
    patch: unknown;
    kept: SchemeChange[];
  } | null;
  /** Tells this side apart in a cursor's owner, and its data in the cursor's revision. */
  owner: unknown[];
  revision: string;
  /** How messages name it: "cycle '2019' under scenario \"…\"". */
  label: string;
}

interface ComparedCycle {
  scored: Scored;
  scenarioId: string | null;
  scenarioName: string | null;
  rulesOf: Side["rulesOf"];
}

interface CycleComparison {
  before: ComparedCycle;
  after: ComparedCycle;
  analysis: WhatIfShape;
  onlyBefore: OneSided[];
  onlyAfter: OneSided[];
}

const ComparedUnits = builder.enumType("ComparedUnits", {
  description: "Which units `compareCycles` compares.",
  values: {
    SAME: {
      value: "same",
      description:
        "Both sides must hold the same units: refused at `after.cycleId`, each unit only one side has named.",
    },
    COMMON: {
      value: "common",
      description:
        "The units both sides hold, each with its rank as its side published it; the others are listed in `onlyBefore` and `onlyAfter`.",
    },
  } as const,
});

const CycleSideInput = builder.inputType("CycleSideInput", {
  description:
    "A cycle as published, or under a scenario: as `whatIf(cycleId, scenario, scenarioId)` reads them, or under another cycle's rules (`rulesOf`); at most one of `scenario`, `scenarioId` and `rulesOf`.",
  fields: (t) => ({
    cycleId: t.id({ required: true }),
    scenario: t.field({
      type: "JSON",
      description:
        "A scenario document, as `whatIf`'s `scenario` (docs/what-if.md): the cycle's scheme and records as it changes them.",
    }),
    scenarioId: t.id({ description: "A saved scenario of this cycle (yours or shared)." }),
    rulesOf: t.id({
      description:
        "Another cycle: this cycle's records under that cycle's rules (its scheme version), as far as a scenario patch can take them " +
        "(the engine's patchBetween, run as an inline scenario and priced as one). What no patch can take across (a method's kind, an entry only one scheme has) " +
        'stays as this cycle\'s, listed in `ComparedCycle.rulesKept`. The middle of a year-on-year split: `{ cycleId: "2019", rulesOf: "2018" }`.',
    }),
  }),
});

type SideInput = typeof CycleSideInput.$inferInput;

/**
 * A side's refusals at its own arguments: the scenario helpers name `scenario` and `scenarioId`,
 * which here are `before.scenario`, `after.scenarioId`, ….
 */
async function atSide<T>(name: SideName, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ValidationError) || err.constructor !== ValidationError) throw err;
    throw new ValidationError(
      err.issues.map((i) => (/^scenario(Id)?(\W|$)/.test(i.path) ? { ...i, path: `${name}.${i.path}` } : i)),
    );
  }
}

/**
 * What a side's argument names and is not found (a cycle, a saved scenario), refused at that
 * argument (`before.cycleId`, `after.scenarioId`, `after.rulesOf`): the two sides may name the
 * same kind of thing.
 */
async function named<T>(path: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(err.entity, err.id, `${path}: ${err.message}`);
    throw err;
  }
}

const loadCycle = (ctx: Context, name: SideName, cycleId: string): Promise<Scored> =>
  named(`${name}.cycleId`, () => ctx.loaders.evaluation.load(cycleId));

/**
 * The rules a side is put under (`rulesOf`): that cycle's current scheme version, compiled. Its
 * records are neither read nor scored: nothing here uses them, and on a cold cache scoring them
 * was an evaluation of a whole cycle (seconds at province scale) no price counted. Compiling a
 * scheme of at most MAX_SCHEME_CATEGORIES is not priced, as no other scheme read is. So the
 * rules of a cycle whose records its scheme refuses serve as any other's.
 */
async function rulesOfCycle(
  ctx: Context,
  cycleId: string,
): Promise<{ cycle: Cycle; compiled: CompiledScheme }> {
  const cycle = await ctx.store.cycles.get(cycleId);
  const version = await ctx.store.schemes.get(cycle.schemeId, cycle.schemeVersion);
  return { cycle, compiled: engineCall(() => compileScheme(version.document)) };
}

/**
 * A side under another cycle's rules: the engine's patch from this cycle's scheme to that
 * cycle's, as an inline scenario.
 */
async function underRulesOf(
  ctx: Context,
  scored: Scored,
  { name, rulesOf }: { name: SideName; rulesOf: string },
): Promise<Side> {
  const path = `${name}.rulesOf`;
  const rules = await named(path, () => rulesOfCycle(ctx, rulesOf));
  const { patch, kept } = engineCall(() => patchBetween(scored.compiled, rules.compiled), {
    argument: path,
  });
  const cycle = `cycle '${scored.cycle.id}'`;
  const label = `${cycle} under the rules of cycle '${rules.cycle.id}'`;
  const document = { name: label, patch };
  const { schemeId, schemeVersion } = rules.cycle;
  return {
    scored,
    baseline: await underScenario(ctx, scored, document, { name, path }),
    saved: null,
    document,
    rulesOf: { cycleId: rules.cycle.id, schemeId, schemeVersion, patch, kept },
    owner: [scored.cycle.id, "rulesOf", rules.cycle.id, [schemeId, schemeVersion]],
    revision: scored.key,
    label,
  };
}

/**
 * A side's baseline under an inline scenario (written, or derived by `rulesOf`), refused at `path`.
 * Kept beside the cycle's own baselines by the document's content, and charged on a miss only: a
 * year-on-year split pages its rows and reads each unit's reasons in requests of their own, and
 * each would otherwise evaluate the cycle again (seconds at province scale). The scenario is
 * applied on every request, outside the cache, so its refusal names this request's argument.
 */
function underScenario(
  ctx: Context,
  scored: Scored,
  document: unknown,
  { name, path }: { name: SideName; path: string },
): Promise<Baseline> {
  const applied = engineCall(() => appliedScenario(scored, document), { scenario: path });
  return ctx.baselines.baselineUnder(scored, inlineRevision(document), {
    beforeRun: () => spendOnApplying(ctx, scored, path, `this comparison's ${name} side`),
    compute: () => engineCall(() => baselineOfApplied(applied), { scenario: path }),
  });
}

/** The baseline of a side: the cached one of a cycle as published, or one evaluation more. */
async function sideOf(ctx: Context, name: SideName, input: SideInput): Promise<Side> {
  if (input.scenario != null && input.scenarioId != null)
    throw new ValidationError([
      { path: `${name}.scenario`, message: "give scenario or scenarioId, not both" },
    ]);
  if (input.rulesOf != null && (input.scenario != null || input.scenarioId != null))
    throw new ValidationError([
      {
        path: `${name}.rulesOf`,
        message: `give rulesOf or ${input.scenario != null ? "scenario" : "scenarioId"}, not both: rulesOf is a scenario, the patch to that cycle's rules`,
      },
    ]);
  const cycleId = String(input.cycleId);
  const scored = await loadCycle(ctx, name, cycleId);
  if (input.rulesOf != null) return underRulesOf(ctx, scored, { name, rulesOf: String(input.rulesOf) });
  const cycle = `cycle '${scored.cycle.id}'`;
  if (input.scenarioId != null) {
    return atSide(name, async () => {
      const saved = await named(`${name}.scenarioId`, () =>
        loadSaved(ctx, scored.cycle.id, String(input.scenarioId)),
      );
      const revision = documentRevision(saved);
      const what = `this comparison's ${name} side`;
      return {
        scored,
        baseline: await baselineUnder(ctx, scored, saved, revision, what),
        saved,
        document: savedDocument(saved),
        rulesOf: null,
        owner: [scored.cycle.id, "saved", saved.id],
        revision: savedRevision(scored, saved),
        label: `${cycle} under saved scenario ${JSON.stringify(saved.name)}`,
      };
    });
  }
  if (input.scenario == null)
    return {
      scored,
      baseline: await ctx.baselines.get(scored),
      saved: null,
      document: null,
      rulesOf: null,
      owner: [scored.cycle.id, "published"],
      revision: scored.key,
      label: `${cycle} as published`,
    };
  const document = inlineDocument(input.scenario);
  return {
    scored,
    baseline: await underScenario(ctx, scored, document, { name, path: `${name}.scenario` }),
    saved: null,
    document,
    rulesOf: null,
    owner: [scored.cycle.id, "inline", document],
    revision: scored.key,
    label: `${cycle} under scenario ${JSON.stringify(nameOf(document))}`,
  };
}

const nameOf = (document: unknown): string | null => {
  const name = (document as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : null;
};

const descriptionOf = (document: unknown): string | null => {
  const description = (document as { description?: unknown } | null)?.description;
  return typeof description === "string" ? description : null;
};

/** A unit list a province could send in full: the first ones named, the rest counted. */
const LISTED_UNITS = 100;

/**
 * The engine's refusal of two sides that hold different units (SAME) or none in common (COMMON),
 * at `after.cycleId`, naming both sides: its "baseline" is `before`.
 */
function compared(before: Side, after: Side, units: Units) {
  try {
    return compareBaselines(before.baseline, after.baseline, { units });
  } catch (err) {
    if (!(err instanceof InputError) || err.subject !== "dataset") throw err;
    const head = `${after.label} (after) against ${before.label} (before, the baseline)`;
    const issues = err.issues
      .slice(0, LISTED_UNITS)
      .map((i: InputIssue) => ({ path: "after.cycleId", message: `${head}: ${i.message}` }));
    const more = err.issues.length - LISTED_UNITS;
    if (more > 0)
      issues.push({
        path: "after.cycleId",
        message: `${head}: and ${more.toLocaleString("en")} more units only one side has`,
      });
    // The way on, where the refusal is SAME's: two cycles a year apart rarely hold the same units.
    if (units === "same")
      issues.push({
        path: "units",
        message:
          "SAME (the default) compares two sides that hold the same units: units: COMMON compares the units both hold and lists the others in onlyBefore and onlyAfter",
      });
    throw new ValidationError(issues);
  }
}

/**
 * What the comparison of two sides is priced at: a whatIf of the larger side's cycle. whatIf
 * prices a cycle of n units at `cost.scenario(n)` for a comparison that reads n standings on each
 * side; compareBaselines reads every standing of both sides (each side's units gathered and
 * filtered, each compared or one-sided unit's snapshot built), before + after, at most twice the
 * larger, which that price covers (it took 32–101 ms at province scale, reading every row's
 * reasons 127–279 ms, against cost.scenario's 0.45 s). Priced by `before` alone, a COMMON
 * comparison of a small cycle with a large one was charged a small cycle's comparison for the
 * large one's work.
 */
function comparisonPrice(
  before: Pick<Side, "scored">,
  after: Pick<Side, "scored">,
): { amount: number; side: SideName } {
  const [b, a] = [unitsOf(before.scored), unitsOf(after.scored)];
  // A refusal names the side that set the price: "after" for a small cycle's after side read
  // as if it were too large.
  return { amount: cost.scenario(Math.max(b, a)), side: b > a ? "before" : "after" };
}

/**
 * The engine's comparison as a WhatIf: its baseline `before`, its scenario `after`, with the units
 * only one side holds. Priced by `comparisonPrice` and kept among the cycles' analyses by
 * what both sides are (their owners and revisions, as its cursors are) and which units it
 * compares: as a sweep, each alias and page takes the price from its request's budget, and the
 * subject's minute is charged on a miss only, when it is computed.
 */
async function analysisOf(
  ctx: Context,
  { before, after, units }: { before: Side; after: Side; units: Units },
): Promise<Pick<CycleComparison, "analysis" | "onlyBefore" | "onlyAfter">> {
  const owner = {
    kind: "cycle comparison",
    // SAME refuses what COMMON answers: one's kept answer must not serve the other.
    id: JSON.stringify(["compare-cycles", before.owner, after.owner, units]),
    revision: `${before.revision}\u0000${after.revision}`,
  };
  const price = comparisonPrice(before, after);
  const charge = spendOnRun(ctx.work, price.amount, price.side, "this comparison");
  const { result, onlyBefore, onlyAfter } = await ctx.baselines.analysis(
    before.scored,
    owner.kind,
    [owner.id, owner.revision],
    {
      beforeRun: charge,
      compute: () => {
        const comparison = compared(before, after, units);
        return {
          result: comparedAsScenario(comparison, after.baseline, {
            // Both sides: the rule half's after alone ("cycle '2019' as published") reads as a plain look at it.
            name: `${after.label} against ${before.label}`,
            description: descriptionOf(after.document),
          }),
          onlyBefore: comparison.onlyBefore,
          onlyAfter: comparison.onlyAfter,
        };
      },
    },
  );
  const analysis: WhatIfShape = {
    scored: before.scored,
    baseline: before.baseline,
    scenarioId: after.saved?.id ?? null,
    result,
    owner,
    groupIds: after.baseline.compiled.scheme.groups.map((g) => g.id),
    baselineGroupIds: before.baseline.compiled.scheme.groups.map((g) => g.id),
    onlyOneSide: new Map([
      ...onlyBefore.map((u): [string, "before"] => [u.unit, "before"]),
      ...onlyAfter.map((u): [string, "after"] => [u.unit, "after"]),
    ]),
  };
  // Each in its own side's cycle, read as that side of the analysis: `before` its baseline, `after` its scenario.
  const oneSided = (s: Side, side: OneSided["side"]) => (item: OneSided["item"]) => ({
    cycleId: s.scored.cycle.id,
    item,
    side,
    sides: analysis,
  });
  return {
    analysis,
    onlyBefore: onlyBefore.map(oneSided(before, "baseline")),
    onlyAfter: onlyAfter.map(oneSided(after, "scenario")),
  };
}

const side = (s: Side): ComparedCycle => ({
  scored: s.scored,
  scenarioId: s.saved?.id ?? null,
  scenarioName: s.document === null ? null : nameOf(s.document),
  rulesOf: s.rulesOf,
});

const ComparedCycleRef = builder.objectRef<ComparedCycle>("ComparedCycle").implement({
  description: "One side of `compareCycles`: a cycle as published, or under a scenario.",
  fields: (t) => ({
    cycleId: t.id({ resolve: (c) => c.scored.cycle.id }),
    schemeId: t.id({ resolve: (c) => c.scored.scheme.schemeId }),
    schemeVersion: t.int({
      description: "The cycle's scheme version, which a scenario patches.",
      resolve: (c) => c.scored.scheme.version,
    }),
    scenarioId: t.id({
      nullable: true,
      description: "The saved scenario the cycle is under; null when inline or as published.",
      resolve: (c) => c.scenarioId,
    }),
    scenarioName: t.string({
      nullable: true,
      description: "The scenario's name (saved or inline); null when the cycle is as published.",
      resolve: (c) => c.scenarioName,
    }),
    rulesOf: t.id({
      nullable: true,
      description: "The cycle whose rules this side is under (`CycleSideInput.rulesOf`); null otherwise.",
      resolve: (c) => c.rulesOf?.cycleId ?? null,
    }),
    rulesSchemeId: t.id({
      nullable: true,
      description:
        "Under `rulesOf`, the scheme of that cycle's rules when this ran (`rulesOf` may move to another version since); null otherwise.",
      resolve: (c) => c.rulesOf?.schemeId ?? null,
    }),
    rulesSchemeVersion: t.int({
      nullable: true,
      description:
        "Under `rulesOf`, the scheme version of that cycle's rules when this ran, which the `patch` leads to; null otherwise.",
      resolve: (c) => c.rulesOf?.schemeVersion ?? null,
    }),
    rulesKept: t.field({
      type: [SchemeChangeRef],
      description:
        "Under `rulesOf`, the rules no scenario patch can take across, which stay as this cycle's (the engine's patchBetween `kept`, " +
        "this cycle's scheme patched as `before`, that cycle's as `after`, the opposite way round from the data half's `analysis.changes`): in a year-on-year split, the lines that land in the data half. " +
        "The scheme's own `id`, `name` and `description` are listed too when they differ: labels, in no half. " +
        "A category only this cycle's scheme has is listed `removed` with its `before` at 0 points: no patch removes a category, so it stays and its records are still read " +
        "(an insufficient result there still leaves a unit without a total), while the patch sets its points to 0: its weight moves with the rules, into the rule half; that it is still there lands in the data half. Empty otherwise.",
      resolve: (c) => c.rulesOf?.kept ?? [],
    }),
    patch: t.field({
      type: "JSON",
      nullable: true,
      description:
        "Under `rulesOf`, the scenario patch it derived, as a scenario's `patch` (docs/what-if.md): to run or edit it again, save it as a scenario document's `patch` " +
        "(`saveScenario(input: { cycleId, name, patch: { patch: <this> } })`); null otherwise.",
      resolve: (c) => c.rulesOf?.patch ?? null,
    }),
  }),
});

const CycleComparisonRef = builder.objectRef<CycleComparison>("CycleComparison").implement({
  description: "Two cycles compared row by row: `analysis` is the engine's comparison, `before` to `after`.",
  fields: (t) => ({
    before: t.field({ type: ComparedCycleRef, resolve: (c) => c.before }),
    after: t.field({ type: ComparedCycleRef, resolve: (c) => c.after }),
    analysis: t.field({
      type: WhatIfRef,
      description:
        "Read as a what-if whose baseline is `before` and scenario `after`: every `baseline` is `before` and every `scenario` is `after` " +
        "(`totalDelta` = after − before, `maximum`, `parts`, `moveReasons`, `rollupParts`), `changes` lists after's rules against before's, " +
        "`groups` are after's scheme's, then those only before's has (`heldBy: BASELINE`), `name` says both sides (\"cycle '2019' as published against cycle '2019' under the rules of cycle '2018'\"), " +
        "`scenarioId` is after's saved scenario, and " +
        "`cycleId`, `schemeId`, `schemeVersion` and every `unit` link are before's.",
      resolve: (c) => c.analysis,
    }),
    onlyBefore: t.field({
      type: [OneSidedUnitRef],
      description:
        "Under `units: COMMON`, the units only `before` holds (a bureau merged away), in its dataset order, each with its result there as a `WhatIfUnit`'s `baseline`; empty under SAME. " +
        "Not paged: two cycles rarely differ by more than a few units.",
      resolve: (c) => c.onlyBefore,
    }),
    onlyAfter: t.field({
      type: [OneSidedUnitRef],
      description:
        "Under `units: COMMON`, the units only `after` holds (a department set up), in its dataset order, each with its result there as a `WhatIfUnit`'s `scenario`; empty under SAME. " +
        "Not paged, as `onlyBefore`.",
      resolve: (c) => c.onlyAfter,
    }),
  }),
});

builder.queryFields((t) => ({
  compareCycles: t.field({
    type: CycleComparisonRef,
    description:
      "Compares two cycles row by row (analyst+), each as published or under a scenario (inline, or saved on that cycle), with the engine's compareBaselines: " +
      "every unit's total and rank moves, who overtook whom, each change split by category (`parts`), grade and eligibility changes, why a rank or grade moved, and rank statistics. " +
      "`analysis` is a WhatIf whose baseline is `before` and scenario `after`. The year-on-year split (docs/what-if.md): the data half is " +
      '`before: { cycleId: "2018" }, after: { cycleId: "2019", rulesOf: "2018" }` (2019\'s records under the 2018 rules, or a `scenario` written by hand), the rule half that middle against `{ cycleId: "2019" }`. ' +
      "With `units: SAME` (the default) the two sides must hold the same units (refused at `after.cycleId`, each unit only one side has named); " +
      "with `units: COMMON` it compares the units both hold, each ranked as its side published it, and lists the others in `onlyBefore` and `onlyAfter` " +
      "(two sides without a unit in common are refused there too: their ids were most likely renumbered) " +
      "(two cycles a year apart: a bureau merged away, a department set up; a unit that moved only because one left or joined above it says so in its `moveReasons`). " +
      "In the year-on-year split only the data half can need COMMON: the rule half's two sides hold one cycle's units. " +
      "Each side under a scenario costs an evaluation of its cycle, once for its document and the cycle's records (its next page or the split's other half evaluate nothing again); the comparison costs what a `whatIf` of the larger side's cycle does (both sides' units are read), taken from the request for each alias, " +
      "and is kept by what both sides are (cycles, scenarios, the data they read), so its pages and repeats are not computed again.",
    authScopes: { analyst: true },
    errors: { types: READ_ERRORS },
    args: {
      before: t.arg({ type: CycleSideInput, required: true, description: "The baseline side." }),
      after: t.arg({ type: CycleSideInput, required: true, description: "The side compared with it." }),
      units: t.arg({
        type: ComparedUnits,
        defaultValue: "same",
        description: "Which units are compared: SAME (the default; null reads as it) or COMMON.",
      }),
    },
    resolve: async (_r, args, ctx): Promise<CycleComparison> => {
      const before = await sideOf(ctx, "before", args.before);
      const after = await sideOf(ctx, "after", args.after);
      const compared = await analysisOf(ctx, { before, after, units: args.units ?? "same" });
      return { before: side(before), after: side(after), ...compared };
    },
  }),
}));
