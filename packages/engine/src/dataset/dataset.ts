/** A decimal as a record gives it: a number or a decimal string, both read exactly. */
export type DecimalValue = number | string;

export interface Unit {
  id: string;
  name: string;
  /** Comparability group (可比组); rankings, grades and quotas apply within it. */
  group: string;
  /** The parent unit for sub-units (e.g. a district branch of a city bureau). */
  parent?: string | undefined;
  /** The unit's kind, used where weights differ by kind of unit (e.g. law enforcement vs. service). */
  kind?: string | undefined;
}

/** An assessed raw score for a `direct` category. */
export interface DirectScore {
  unit: string;
  category: string;
  value: DecimalValue;
}

/** One voter's ballot for one unit in a `vote` category (票决). */
export interface Ballot {
  category: string;
  voter: string;
  /** The voter's role, for role-weighted aggregation (e.g. mayor, vice-mayor, member). */
  role?: string | undefined;
  unit: string;
  /** For score ballots. */
  score?: DecimalValue | undefined;
  /** For grade ballots: a key of the scheme's grade → points table. */
  grade?: string | undefined;
}

/** One survey form's answer about one unit (开门评议问卷). */
export interface SurveyForm {
  category: string;
  unit: string;
  respondentGroup: string;
  answer: string;
}

/** A pre-counted tally of survey forms; gives exactly the result the same forms give. */
export interface SurveyTally {
  category: string;
  unit: string;
  respondentGroup: string;
  answer: string;
  count: number;
}

/** A named per-unit value for `formula` categories. */
export interface FormulaInput {
  unit: string;
  name: string;
  value: DecimalValue;
}

export type Rectification = "on-time" | "late" | "not-rectified" | "pending";

/** A daily-inspection finding (日常考核): unannounced visit, special inspection, complaint, … */
export interface Finding {
  id: string;
  unit: string;
  type: string;
  /** The level of the team that found it (e.g. city, district, bureau). */
  level: string;
  /** Whether it was rectified by the deadline (整改). "pending": deadline not yet passed. */
  rectification?: Rectification | undefined;
  /** The same problem was notified again (e.g. twice in a row). */
  repeated?: boolean | undefined;
  note?: string | undefined;
}

export interface BonusEvent {
  id: string;
  unit: string;
  type: string;
  level: string;
  note?: string | undefined;
}

export interface VetoEvent {
  id: string;
  unit: string;
  type: string;
  /** Why, in words a reader of the ranking understands. */
  reason: string;
  /**
   * 0 or absent: an incident of the evaluated year. n > 0: one n years earlier, which counts only
   * while its type's `yearsInForce` exceeds n; its unit and type are then read in this year's
   * units and scheme, and one this year no longer has is simply out of force.
   */
  yearsAgo?: number | undefined;
}

/** The dataset's record lists beside `units`, each optional. */
export const RECORD_LISTS = [
  "scores",
  "ballots",
  "surveyForms",
  "surveyTallies",
  "inputs",
  "findings",
  "bonusEvents",
  "vetoEvents",
] as const;

/**
 * The year's records for one evaluation cycle: plain data, as a store or a JSON file
 * delivers them. Decimal values may be numbers or decimal strings; both are read exactly.
 *
 * Record arrays are unordered as far as scoring goes: scores, ranks, grades, eligibility and
 * every other figure never depend on the order of any array's rows. The order of `units` is
 * kept only where a list is documented as "in dataset order" (a scenario's `gradeChanges`,
 * `eligibilityChanges` and `standings`, Monte-Carlo's and a sweep's `units`): those lists
 * follow it.
 */
export interface Dataset {
  units: readonly Unit[];
  scores?: readonly DirectScore[] | undefined;
  ballots?: readonly Ballot[] | undefined;
  surveyForms?: readonly SurveyForm[] | undefined;
  surveyTallies?: readonly SurveyTally[] | undefined;
  inputs?: readonly FormulaInput[] | undefined;
  findings?: readonly Finding[] | undefined;
  bonusEvents?: readonly BonusEvent[] | undefined;
  vetoEvents?: readonly VetoEvent[] | undefined;
}
