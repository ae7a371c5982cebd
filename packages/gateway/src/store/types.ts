import type {
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
} from "@pingyi/engine";

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
};

/** Offset pagination for list methods; lists are always in a stable, documented order. */
export interface Page {
  limit?: number | undefined;
  offset?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Cycles, groups, units (units and groups belong to a cycle, so a finalised year never changes)

export type CycleStatus = "open" | "finalised";

export interface Cycle {
  id: string;
  year: number;
  name: string;
  schemeId: string;
  schemeVersion: number;
  status: CycleStatus;
  createdAt: Date;
  finalisedAt: Date | null;
  /** The cycle of an earlier year this one follows: its vetoes may still count here. */
  previousCycleId: string | null;
}

/** A cycle deleted, as it was, with how many units and groups (its set-up) went with it. */
export interface DeletedCycle {
  cycle: Cycle;
  units: number;
  groups: number;
}

export interface CreateCycleInput {
  id: string;
  year: number;
  name: string;
  schemeId: string;
  schemeVersion: number;
  previousCycleId?: string | null;
}

export interface Group {
  id: string;
  name: string;
  /** Evaluated but not ranked when false (e.g. groups 4–5 in one city). */
  ranked: boolean;
}

export interface GroupInput {
  id: string;
  name?: string | undefined;
  ranked?: boolean | undefined;
}

/** A unit as the engine sees it; optional fields are absent (not undefined) when unset. */
export type UnitRecord = Unit;

// ---------------------------------------------------------------------------------------------
// Scheme versions (append-only)

export interface SchemeVersion {
  schemeId: string;
  version: number;
  /** The scheme JSON, opaque to the store (the engine validates it). */
  document: unknown;
  author: string;
  reason: string;
  createdAt: Date;
  /** The version the author edited; null for version 1. */
  basedOn: number | null;
  /** Who withdrew it, when and why; null while cycles may be put on it. */
  withdrawn: SchemeWithdrawal | null;
}

/** A version withdrawn: kept and readable, but no cycle is created on it or moved onto it again. */
export interface SchemeWithdrawal {
  at: Date;
  by: string;
  reason: string;
}

export type SchemeVersionInfo = Omit<SchemeVersion, "document">;

export interface SchemeSummary {
  schemeId: string;
  latestVersion: number;
  /** The latest version not withdrawn; null when every version is. */
  latestUsableVersion: number | null;
  /** When a version was last published or withdrawn. */
  updatedAt: Date;
}

export interface PublishSchemeInput {
  schemeId: string;
  document: unknown;
  reason: string;
  /** The version the edit started from; null when creating the scheme. Must still be the latest. */
  basedOn: number | null;
}

export interface WithdrawSchemeInput {
  schemeId: string;
  version: number;
  /** Why no cycle may be put on it any more; kept trimmed. */
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Records

export interface FindingRecord extends Finding {
  /** Rectification deadline, ISO date (YYYY-MM-DD). */
  deadline?: string | undefined;
  /** When it was rectified, ISO date. */
  rectifiedOn?: string | undefined;
}

export interface RectificationInput {
  rectification: Rectification;
  deadline?: string | null | undefined;
  rectifiedOn?: string | null | undefined;
}

/** A bonus event to write: `note: null` removes a stored note (see putBonusEvent's keepOmitted). */
export interface BonusEventInput extends Omit<BonusEvent, "note"> {
  note?: string | null | undefined;
}

/** A ballot to write: `role: null` removes a stored role (see putBallot's keepOmitted). */
export interface BallotInput extends Omit<Ballot, "role"> {
  role?: string | null | undefined;
}

export interface BallotKey {
  category: string;
  voter: string;
  unit: string;
}

/** How many ballots a cycle has in one category. */
export interface BallotCount {
  category: string;
  ballots: number;
}

export interface SurveyFilter {
  category?: string | undefined;
  unit?: string | undefined;
  respondentGroup?: string | undefined;
  importId?: string | undefined;
}

/**
 * Which of a cycle's forms deleteSurveyForms takes: a category's, or a unit's there, or a
 * respondent group's, or both. Not an import's: removeImport takes those.
 */
export interface SurveyFormSet {
  category: string;
  unit?: string | undefined;
  respondentGroup?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

export interface Scenario {
  id: string;
  cycleId: string;
  owner: string;
  name: string;
  /** A JSON patch (opaque to the store) applied to the scheme/dataset for what-if runs. */
  patch: unknown;
  shared: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateScenarioInput {
  cycleId: string;
  name: string;
  patch: unknown;
  shared?: boolean | undefined;
}

export interface UpdateScenarioInput {
  name?: string | undefined;
  patch?: unknown;
  shared?: boolean | undefined;
}

// ---------------------------------------------------------------------------------------------
// Imports and audit

/**
 * Every import kind, in the order a year is loaded (units first), as help texts list them. A
 * value here, not only a type, so the command line can name them without loading the importers.
 */
export const IMPORT_KINDS = [
  "units",
  "survey-forms",
  "ballots",
  "findings",
  "scores",
  "vetoes",
  "bonuses",
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
/** The file formats an import reads; a value, as IMPORT_KINDS is, for the command line. */
export const IMPORT_FORMATS = ["csv", "xlsx", "json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportRecord {
  id: string;
  cycleId: string;
  kind: ImportKind;
  format: ImportFormat;
  rowCount: number;
  /** SHA-256 of the file bytes, hex. */
  fileHash: string;
  actor: string;
  createdAt: Date;
}

/**
 * Every action the gateway writes to the audit log, and below every kind of record, so that
 * `auditLog` refuses a misspelt filter (`finalize`) instead of answering that nothing was
 * finalised. The writers pass literals; test/audit-log.test.ts finds them in the source and
 * fails when one is missing here (or listed here and no longer written).
 */
export const AUDIT_ACTIONS = [
  "create",
  "update",
  "delete",
  "rectify",
  "copy-units",
  "import",
  "publish",
  "withdraw",
  "set-scheme",
  "set-scheme-forced",
  "set-previous-cycle",
  "finalise",
  "move",
] as const;

export const AUDIT_ENTITIES = [
  "cycle",
  "group",
  "unit",
  "score",
  "input",
  "ballot",
  "survey_forms",
  "finding",
  "veto_event",
  "bonus_event",
  "import",
  "scenario",
  "scheme_version",
  "database",
] as const;

export interface AuditRecord {
  id: number;
  at: Date;
  actor: string;
  /** One of AUDIT_ACTIONS; a string, as read: a database edited by hand may hold any. */
  action: string;
  /** One of AUDIT_ENTITIES, likewise. */
  entity: string;
  entityId: string;
  cycleId: string | null;
  before: unknown;
  after: unknown;
  /**
   * Why, as the admin said: required for a cycle moved past the scheme check
   * (`set-scheme-forced`), optional for a move, a finalisation or a deletion of a cycle, and for
   * ballots or survey forms deleted together (`deleteBallots`, `deleteSurveyForms`); null where
   * none was given (and on every other change, whose record says enough).
   */
  reason: string | null;
}

export interface AuditFilter extends Page {
  cycleId?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  actor?: string | undefined;
  /** Records of any of these actions. */
  actions?: readonly string[] | undefined;
  /**
   * Records of the scheme: its versions' publications, and the cycles put on it, moved onto or
   * off it (a cycle's create, set-scheme, set-scheme-forced or delete naming it).
   */
  schemeId?: string | undefined;
  /** Records made at or after this instant. */
  since?: Date | undefined;
  /** Records made before this instant. */
  until?: Date | undefined;
  /** Only records with an id below this (newest-first paging). */
  beforeId?: number | undefined;
  /** Only records with an id above this (paging back towards the newest). */
  afterId?: number | undefined;
  /** Oldest first instead (of the records the other filters leave): a last page. */
  oldestFirst?: boolean | undefined;
}

/** Everything the engine needs to score one cycle. */
export interface Evaluation {
  cycle: Cycle;
  scheme: SchemeVersion;
  dataset: Dataset;
}
