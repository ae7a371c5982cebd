/**
 * @pingyi/engine — pure, deterministic scoring for annual performance evaluation (评议).
 * Everything public is listed here; nothing else is part of the API. Exports are sorted by module
 * path (the linter keeps them so), and the folder names the area: dataset/, evaluation/, explain/,
 * methods/, ranking/, scheme/, whatif/.
 */

// The parts of an ExactUnit (evaluateExact, compose), named for an embedder's own code over them.
export type { BonusLine } from "./adjustments/bonuses.js";
export type { DeductionCap, DeductionLine } from "./adjustments/deductions.js";
export type { EligibilityReason } from "./adjustments/vetoes.js";
export type {
  Ballot,
  BonusEvent,
  Dataset,
  DecimalValue,
  DirectScore,
  Finding,
  FormulaInput,
  Rectification,
  SurveyForm,
  SurveyTally,
  Unit,
  VetoEvent,
} from "./dataset/dataset.js";
export { datasetIssues, validateDataset } from "./dataset/validate-dataset.js";
export { plainIssues, type ZodIssues } from "./document-issues.js";
export type { ComposeOptions, ExactCategory, ExactEvaluation, ExactUnit } from "./evaluation/compose.js";
export { compose } from "./evaluation/compose.js";
export {
  type AdjustmentResult,
  type CategoryResult,
  type DecimalString,
  type EligibilityReasonResult,
  type EligibilityResult,
  type EvaluateOptions,
  type Evaluation,
  type EvaluationGroup,
  evaluate,
  evaluateExact,
  type GradeResult,
  toEvaluation,
  type UnitResult,
} from "./evaluation/evaluate.js";
export type { RollupCount } from "./evaluation/rollup.js";
export { type MethodOutcomes, scoreRecords } from "./evaluation/score-records.js";
// The exact-arithmetic helpers check their arguments; the engine's own code calls rational.ts.
export {
  add,
  cmp,
  div,
  mul,
  ratio,
  round,
  sub,
  toExactString,
  toFixed,
  toNumber,
} from "./exact-arithmetic.js";
export {
  type CategoryDifference,
  type ComparedUnit,
  compareUnits,
  type UnitComparison,
} from "./explain/compare-units.js";
export {
  type EffectiveWeightAdjustment,
  type EffectiveWeightLine,
  type EffectiveWeights,
  type EffectiveWeightsOptions,
  effectiveWeights,
  type GroupEffectiveWeights,
} from "./explain/effective-weights.js";
export {
  type CategoryStanding,
  type StrengthsOptions,
  strengthsAndWeaknesses,
  type UnitStrengths,
} from "./explain/strengths.js";
export { InputError, type InputIssue, type InputSubject } from "./input-error.js";
// A formula editor checks an expression (compileFormula) and shows what it gives for sample
// values (evaluateFormula, substituteFormula) without a whole scheme.
export {
  type CompiledExpression,
  compileFormula,
  describeProblem as describeFormulaProblem,
  type FormulaCompilation,
  type FormulaEvaluation,
  type FormulaNames,
  type FormulaProblem,
  type FormulaScope,
} from "./methods/formula/formula-compiler.js";
// Checked: the engine's own per-unit calls go to formula-compiler.ts's, unchecked.
export { evaluateFormula, substituteFormula } from "./methods/formula/formula-public.js";
export type { MethodOutcome } from "./methods/scoring-method.js";
export {
  type CountedSurvey,
  countSurveyForms,
  type SurveyCountInput,
  type SurveyCounts,
  toSurveyTallies,
} from "./methods/survey/survey-tally.js";
export {
  type BallotsRefused,
  countRefusedBallots,
  countSecretBallots,
  isSecretVote,
  type SecretBallotsRefused,
} from "./methods/vote/secret-ballots.js";
export { competitionRanking, type RankEntry } from "./ranking/competition-ranking.js";
export type { GradeAward } from "./ranking/grades.js";
export type { Rational, RoundingMode } from "./rational.js";
export { MAX_DECIMAL_DIGITS, parseDecimal } from "./rational.js";
export { type CompiledScheme, compileScheme } from "./scheme/compile-scheme.js";
export { decimalSchema, nonNegativeDecimalSchema } from "./scheme/decimal-schema.js";
export { schemePublishingIssues } from "./scheme/publishing-issues.js";
export { type SchemeChange, schemeChanges } from "./scheme/scheme-changes.js";
export { schemeJsonSchema } from "./scheme/scheme-json-schema.js";
export type {
  BonusType,
  Category,
  DirectParams,
  FindingType,
  FormulaParams,
  GradeRule,
  Method,
  Rollup,
  RoundingRule,
  Scheme,
  SchemeInput,
  SurveyParams,
  VetoType,
  VoteAggregation,
  VoteParams,
} from "./scheme/scheme-schema.js";
export { MAX_VETO_YEARS_IN_FORCE, schemeSchema } from "./scheme/scheme-schema.js";
export type { TraceStep } from "./trace.js";
export { VERSION } from "./version.js";
export type { AppliedWeights, CategoryRange } from "./whatif/applied-weights.js";
export { type AppliedScenario, applyScenario, parseScenario } from "./whatif/apply-scenario.js";
export { type Baseline, createBaseline } from "./whatif/baseline.js";
export {
  type CompareBaselinesOptions,
  compareBaselines,
  type OneSidedUnit,
} from "./whatif/compare-baselines.js";
export type {
  DeltaPart,
  EligibilityChange,
  GradeChange,
  GroupAgreement,
  RankAgreement,
  StandingComparison,
  Swap,
  UnitChange,
  UnitChangeFilter,
  UnitChanges,
  UnitSnapshot,
} from "./whatif/compare-standings.js";
// Exact values of a scenario's `standings` and of a sweep: named so that an embedder's own
// declarations over them are portable.
export type { Frac } from "./whatif/frac.js";
export {
  type LeaveOneOutOptions,
  type LeftOutCategory,
  leaveOneOut,
  type RankShift,
} from "./whatif/leave-one-out.js";
export {
  checkAlternatives,
  type MonteCarloOptions,
  type MonteCarloResult,
  type MonteCarloUnit,
  monteCarlo,
} from "./whatif/monte-carlo.js";
// A what-if row's reasons beyond its parts and swaps (`ScenarioResult.moveReasons`).
export type { MoveReason, MoveReasons } from "./whatif/move-reasons.js";
export { type PatchBetween, patchBetween } from "./whatif/patch-between.js";
export {
  kendallTauB,
  meanAbsoluteRankShift,
  midRanks,
  rankCorrelations,
  spearman,
} from "./whatif/rank-statistics.js";
// What a what-if row's sub-units put into its parts (`ScenarioResult.rollupParts`).
export type { RollupPart, RollupParts, RollupPartValues } from "./whatif/rollup-parts.js";
export {
  runScenario,
  type ScenarioReport,
  type ScenarioResult,
  scenarioReport,
} from "./whatif/run-scenario.js";
export { samplerDefaults } from "./whatif/sampler-defaults.js";
export {
  DATA_PATCH_FIELDS,
  type DataPatch,
  SCHEME_PATCH_FIELDS,
  type Scenario,
  type ScenarioInput,
  type SchemePatch,
  scenarioSchema,
} from "./whatif/scenario.js";
// The reader a scenario's (and compareBaselines') `eligibility` is: embedders type their own
// helpers over it to show why a unit may not be rated excellent, without composing again.
export type { ScenarioEligibility } from "./whatif/scenario-eligibility.js";
export type { ScenarioRules } from "./whatif/scenario-rules.js";
// The type of a scenario's `standings`, for the same reason as Frac.
export type { Standing } from "./whatif/standing.js";
export { breakpointCount, exactToNumber } from "./whatif/sweep-figures.js";
export {
  type SweepNotLinearDetail,
  SweepNotLinearError,
  type SweepNotLinearReason,
} from "./whatif/sweep-not-linear-error.js";
export { sweepDefaults, type WeightSweepOptions } from "./whatif/sweep-options.js";
export { type SweepWalks, sweepWalks } from "./whatif/sweep-walks.js";
// A sweep's work estimated before it runs (crossings counted, not found), for a host that
// bounds the work of one request; each walk's figures are a WalkWork.
export { type SweepWork, sweepWork } from "./whatif/sweep-work.js";
export type { OthersMode } from "./whatif/unit-functions.js";
export type { WalkWork } from "./whatif/walk-work.js";
export type { WeightSampler } from "./whatif/weight-sampler.js";
export {
  type ExactInterval,
  type RankSegment,
  type UnitSweep,
  type WeightSweepResult,
  weightSweep,
} from "./whatif/weight-sweep.js";
// Checked: the engine's own modules call input-error.ts's, unknown-field.ts's and exact-id.ts's.
export { closestField, formatPath, unknownId } from "./wording-public.js";
