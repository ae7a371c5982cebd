/**
 * The Store's public contract, per area. The GraphQL layer codes against these; keep them stable.
 *
 * Conventions:
 * - Every method that changes data takes `actor` first and writes an audit record in the same
 *   transaction.
 * - Cycle-scoped writes throw CycleFinalisedError once the cycle is finalised (the database's
 *   triggers enforce the same, for raw SQL too).
 * - Missing things throw NotFoundError; bad input ValidationError; lost races ConflictError.
 * - Lists are returned in a deterministic order (documented per method).
 */
import type { Db } from "./db.js";
import type { WithProvenance } from "./provenance.js";
import type {
  AuditFilter,
  AuditRecord,
  Ballot,
  BallotCount,
  BallotInput,
  BallotKey,
  BonusEvent,
  BonusEventInput,
  CreateCycleInput,
  CreateScenarioInput,
  Cycle,
  Dataset,
  DeletedCycle,
  DirectScore,
  Evaluation,
  FindingRecord,
  FormulaInput,
  Group,
  GroupInput,
  ImportRecord,
  Page,
  PublishSchemeInput,
  RectificationInput,
  Scenario,
  SchemeSummary,
  SchemeVersion,
  SchemeVersionInfo,
  SurveyFilter,
  SurveyForm,
  SurveyFormSet,
  SurveyTally,
  UnitRecord,
  UpdateScenarioInput,
  VetoEvent,
  WithdrawSchemeInput,
} from "./types.js";

export interface CyclesApi {
  /** Newest year first, then id. */
  list(): Promise<Cycle[]>;
  get(cycleId: string): Promise<Cycle>;
  /**
   * `list`, read of the cycle, as it is; NotFoundError when it is empty and there is no such
   * cycle (a query only then), so that a mistyped id is not answered as a cycle holding nothing.
   */
  knownList<T>(cycleId: string, list: T[]): Promise<T[]>;
  create(actor: string, input: CreateCycleInput): Promise<Cycle>;
  /**
   * Renames an open cycle or changes its year (audited as "update"); a year is refused that
   * would turn a link round (the cycle it follows must stay of an earlier year, those following
   * it of a later one). `changed` is false when both were already so: nothing was written.
   */
  update(
    actor: string,
    cycleId: string,
    patch: { name?: string; year?: number },
  ): Promise<{ cycle: Cycle; changed: boolean }>;
  /**
   * Links an open cycle to the cycle of an earlier year it follows (null: none), whose vetoes
   * may still count in it. Audited as "set-previous-cycle". `changed` is false when the cycle
   * already followed that one: nothing was written, and no ranking moved.
   */
  setPrevious(
    actor: string,
    cycleId: string,
    previousCycleId: string | null,
  ): Promise<{ cycle: Cycle; changed: boolean }>;
  /**
   * Points an open cycle at another scheme version; `beforeChange` runs in the transaction, under
   * the cycle's row lock. `forced` (a move without the check) is audited as "set-scheme-forced",
   * and needs a `reason` (ValidationError at `reason` without one); a plain move may give one.
   */
  setScheme(
    actor: string,
    cycleId: string,
    target: { schemeId: string; version: number },
    options?: { beforeChange?: (tx: Db) => Promise<void>; forced?: boolean; reason?: string | null },
  ): Promise<Cycle>;
  /**
   * Deletes an open cycle that holds no records, no imports and no saved scenarios, and that no
   * other cycle follows; its groups and units go with it, listed whole in the audit record
   * ("delete", entity "cycle"). Otherwise ValidationError (path `cycleId`) saying what it still
   * holds and how to take it out, and nothing is deleted. A finalised cycle: CycleFinalisedError.
   */
  delete(actor: string, cycleId: string, options?: { reason?: string | null }): Promise<DeletedCycle>;
  /**
   * Freezes the cycle: every later write to it or its records is rejected. Not reversible.
   * `reason` goes in its audit entry, and `expectedUnscoredUnits`, when given, in its `after`.
   */
  finalise(
    actor: string,
    cycleId: string,
    options?: {
      beforeFreeze?: (tx: Db) => Promise<void>;
      reason?: string | null;
      expectedUnscoredUnits?: number | null;
    },
  ): Promise<Cycle>;
}

export interface GroupsApi {
  /**
   * By id, each with the units import that created it (none once `upsert` changed it); only those
   * still carrying `filter.importId` when given.
   */
  list(cycleId: string, filter?: ImportFilter): Promise<WithProvenance<Group>[]>;
  upsert(actor: string, cycleId: string, group: GroupInput): Promise<Group>;
  /**
   * Fails with ValidationError (path `id`, saying how many units and the first few) while units
   * still belong to it, and deletes nothing then. Under the cycle's write lock, as every write.
   */
  delete(actor: string, cycleId: string, groupId: string): Promise<void>;
}

/** Units of one group, parent (`null`: top-level units only) or import; each left out matches every unit. */
export interface UnitFilter extends ImportFilter {
  group?: string | undefined;
  parent?: string | null | undefined;
}

export interface UnitsApi {
  /** By id, each with the import that added it. */
  list(cycleId: string, filter?: UnitFilter & Page): Promise<WithProvenance<UnitRecord>[]>;
  get(cycleId: string, unitId: string): Promise<UnitRecord>;
  /**
   * Changes when a unit of the cycle is added, removed or moves to another group: whatever moves
   * the rows of `list` under a client paging it (a rename or a score does not).
   */
  revision(cycleId: string): Promise<string>;
  /**
   * Creates the unit's group on the fly if it does not exist yet, with an audit record of its
   * own: named and ranked as `newGroup` says (the scheme's declaration), else by its id, ranked.
   * `keep` names the optional fields an existing unit keeps when `unit` omits them (merged
   * under the unit's row lock); without it an omitted parent or kind is cleared.
   */
  upsert(
    actor: string,
    cycleId: string,
    unit: UnitRecord,
    newGroup?: { name: string; ranked: boolean },
    keep?: { parent?: boolean; kind?: boolean },
  ): Promise<UnitRecord>;
  /** Fails with ValidationError while records or sub-units refer to it. */
  delete(actor: string, cycleId: string, unitId: string): Promise<void>;
  /**
   * Copies groups and units from another cycle (next year's set-up); returns the number of units
   * copied. Copying none writes no audit record.
   */
  copyFrom(actor: string, fromCycleId: string, toCycleId: string): Promise<number>;
}

export interface SchemesApi {
  /** By scheme id. */
  list(): Promise<SchemeSummary[]>;
  /** Oldest version first. */
  versions(schemeId: string): Promise<SchemeVersionInfo[]>;
  /** The latest version when `version` is omitted. */
  get(schemeId: string, version?: number): Promise<SchemeVersion>;
  /** The versions named, in one query, in no particular order; one never published is left out. */
  getMany(keys: readonly { schemeId: string; version: number }[]): Promise<SchemeVersion[]>;
  /**
   * Appends version n+1. Throws ConflictError if `basedOn` is not the latest version any more
   * (someone published meanwhile): exactly one of two concurrent publishers wins. The same request
   * sent again (actor, schemeId, basedOn, document and reason) returns the version it made.
   */
  publish(actor: string, input: PublishSchemeInput): Promise<SchemeVersion>;
  /**
   * Marks a version withdrawn, for good: kept and readable, but no cycle may be created on it or
   * moved onto it. Refused (ValidationError) for a version never published, one already withdrawn
   * (the same request sent again by the same actor answers the version, writing nothing), and one
   * a cycle is on, under the version's lock so that no cycle is put on it meanwhile.
   */
  withdraw(actor: string, input: WithdrawSchemeInput): Promise<SchemeVersion>;
}

/**
 * The records still carrying one import's id (those `ImportsApi.remove` would take out): one
 * edited by hand since no longer carries it. A filter of every list of imported records.
 */
interface ImportFilter {
  importId?: string | undefined;
}

/** Findings of one unit, type, rectification state or import; each left out matches every finding. */
export interface FindingFilter extends ImportFilter {
  unit?: string | undefined;
  type?: string | undefined;
  rectification?: FindingRecord["rectification"] | undefined;
}

export interface ScoreFilter extends ImportFilter {
  unit?: string | undefined;
  category?: string | undefined;
}

/** Veto or bonus events of one unit or import. */
export interface EventFilter extends ImportFilter {
  unit?: string | undefined;
}

/** Ballots of one category, unit, voter or import; each left out matches every ballot. */
export interface BallotFilter extends ImportFilter {
  category?: string | undefined;
  unit?: string | undefined;
  voter?: string | undefined;
  /**
   * The only categories whose ballots are listed (none when empty): for a caller below admin, the
   * named votes of the cycle's scheme version, leaving out a secret vote's and those the version
   * no longer scores as a named vote.
   */
  onlyCategories?: readonly string[] | undefined;
}

export interface RecordsApi {
  // The lists give each record's import (`WithProvenance`); the writes return records as written,
  // by hand, which carry none.

  /** By unit, category. */
  listScores(cycleId: string, filter?: ScoreFilter & Page): Promise<WithProvenance<DirectScore>[]>;
  countScores(cycleId: string, filter?: ScoreFilter): Promise<number>;
  setScore(actor: string, cycleId: string, score: DirectScore): Promise<DirectScore>;
  deleteScore(actor: string, cycleId: string, unit: string, category: string): Promise<void>;

  /** By unit, name. */
  listInputs(cycleId: string, filter?: { unit?: string; name?: string } & Page): Promise<FormulaInput[]>;
  setInput(actor: string, cycleId: string, input: FormulaInput): Promise<FormulaInput>;
  deleteInput(actor: string, cycleId: string, unit: string, name: string): Promise<void>;

  /** By category, unit, voter. */
  listBallots(cycleId: string, filter?: BallotFilter & Page): Promise<WithProvenance<Ballot>[]>;
  countBallots(cycleId: string, filter?: BallotFilter): Promise<number>;
  /**
   * Each category the ballots `filter` finds are in, with how many, by category: the ones a
   * forced move left in a category its scheme version no longer declares among them.
   */
  ballotCategories(cycleId: string, filter?: BallotFilter): Promise<BallotCount[]>;
  /**
   * Inserts or replaces the ballot of (category, voter, unit). With `keepOmitted`, a replacement
   * keeps the stored role when `ballot.role` is undefined (null removes it), merged under the row lock.
   * With `replaceOnly`, a ballot not stored is NotFound and nothing is written.
   */
  putBallot(
    actor: string,
    cycleId: string,
    ballot: BallotInput,
    options?: { keepOmitted?: boolean; replaceOnly?: boolean },
  ): Promise<Ballot>;
  deleteBallot(actor: string, cycleId: string, key: BallotKey): Promise<void>;
  /**
   * Deletes every ballot of `category` in the cycle, or only `voter`'s there, whether or not its
   * scheme version declares the category; returns how many. One audit record ("delete", entity
   * "ballot", entityId the category or "category/voter") keeps them all in `before.ballots`, by
   * unit then voter, with `reason` (optional, as a cycle's deletion takes one). None stored:
   * ValidationError at `category` (the cycle has no ballots in it) or else at `voter`; another
   * number than `expected` (the count the caller confirmed): ValidationError at
   * `expectedBallots`, nothing deleted.
   */
  deleteBallots(
    actor: string,
    cycleId: string,
    which: { category: string; voter?: string | undefined },
    options: { expected: number; reason?: string | null },
  ): Promise<number>;
  /**
   * Sets (null removes) the role on every ballot of one voter in one category, with an audit
   * record per ballot it changes; returns the voter's ballots of the category by unit (one whose
   * role was already that still its import's). NotFound when the voter has none there.
   */
  setVoterRole(
    actor: string,
    cycleId: string,
    voter: Omit<BallotKey, "unit">,
    role: string | null,
  ): Promise<WithProvenance<Ballot>[]>;

  /**
   * Adds individual forms (bulk uploads go through importFile). Returns how many were added; adding
   * none writes no audit record, so the cycle's revision and its cached evaluations stay.
   */
  addSurveyForms(actor: string, cycleId: string, forms: readonly SurveyForm[]): Promise<number>;
  countSurveyForms(cycleId: string, filter?: SurveyFilter): Promise<number>;
  /**
   * Deletes the cycle's forms of `set.category`, or only a unit's there, or a respondent group's,
   * or both, whether or not its scheme version declares the category; returns how many. One
   * audit record ("delete", entity "survey_forms", entityId the category) keeps them all as
   * tallies in `before.tallies`, by unit, group, answer and import, with `reason` (optional). None
   * stored: ValidationError at `category` (the cycle has no forms in it), else at `unitId`, else
   * at `respondentGroup`; another number than `expected` (the count the caller confirmed):
   * ValidationError at `expectedForms`, nothing deleted.
   */
  deleteSurveyForms(
    actor: string,
    cycleId: string,
    set: SurveyFormSet,
    options: { expected: number; reason?: string | null },
  ): Promise<number>;
  /**
   * Counted in SQL; by category, unit, respondent group, answer. Every tally when no page is
   * given (an evaluation reads them all), else the page asked for.
   */
  surveyTallies(cycleId: string, filter?: SurveyFilter & Page): Promise<SurveyTally[]>;
  /** How many tallies `surveyTallies` gives: one per (category, unit, respondent group, answer). */
  countSurveyTallies(cycleId: string, filter?: SurveyFilter): Promise<number>;

  /** By id. */
  listFindings(cycleId: string, filter?: FindingFilter & Page): Promise<WithProvenance<FindingRecord>[]>;
  countFindings(cycleId: string, filter?: FindingFilter): Promise<number>;
  getFinding(cycleId: string, findingId: string): Promise<FindingRecord>;
  /**
   * Creates or replaces a finding. With `keepOmitted`, an existing finding keeps its stored
   * rectification, repeated, note, deadline and rectifiedOn where `finding` leaves them undefined.
   */
  putFinding(
    actor: string,
    cycleId: string,
    finding: FindingRecord,
    options?: { keepOmitted?: boolean },
  ): Promise<FindingRecord>;
  setRectification(
    actor: string,
    cycleId: string,
    findingId: string,
    input: RectificationInput,
  ): Promise<FindingRecord>;
  deleteFinding(actor: string, cycleId: string, findingId: string): Promise<void>;

  /** By id. */
  listBonusEvents(cycleId: string, filter?: EventFilter & Page): Promise<WithProvenance<BonusEvent>[]>;
  /**
   * Creates or replaces a bonus event. With `keepOmitted`, a replacement keeps the stored note
   * when `event.note` is undefined (null removes it), merged under the row lock.
   */
  putBonusEvent(
    actor: string,
    cycleId: string,
    event: BonusEventInput,
    options?: { keepOmitted?: boolean },
  ): Promise<BonusEvent>;
  deleteBonusEvent(actor: string, cycleId: string, eventId: string): Promise<void>;

  /** By id. */
  listVetoEvents(cycleId: string, filter?: EventFilter & Page): Promise<WithProvenance<VetoEvent>[]>;
  putVetoEvent(actor: string, cycleId: string, event: VetoEvent): Promise<VetoEvent>;
  deleteVetoEvent(actor: string, cycleId: string, eventId: string): Promise<void>;
}

export interface ScenariosApi {
  /**
   * The viewer's own scenarios and everyone's shared ones for the cycle; by name, then id.
   * NotFoundError when there is no such cycle.
   */
  list(cycleId: string, viewer: string): Promise<Scenario[]>;
  /** NotFoundError when it does not exist or is neither the viewer's nor shared. */
  get(scenarioId: string, viewer: string): Promise<Scenario>;
  /** The actor becomes the owner. Names are unique per (cycle, owner): ConflictError otherwise. */
  create(actor: string, input: CreateScenarioInput): Promise<Scenario>;
  /** Only the owner may change or delete (ForbiddenError). Allowed on finalised cycles: what-if never changes them. */
  update(actor: string, scenarioId: string, patch: UpdateScenarioInput): Promise<Scenario>;
  /** As `update`; with `anyOwner` (an administrator's delete) anyone's, private ones included. */
  delete(actor: string, scenarioId: string, options?: { anyOwner?: boolean }): Promise<void>;
}

export interface ImportsApi {
  /** Newest first. */
  list(cycleId: string): Promise<ImportRecord[]>;
  get(importId: string): Promise<ImportRecord>;
  /**
   * How many records of its kind each import still holds, by import id: those still carrying its
   * id, which `remove` would take out now (one edited by hand since no longer does). One statement
   * for all but survey forms, which are counted a cycle at a time, a hundred units a read.
   */
  held(imports: readonly Pick<ImportRecord, "id" | "cycleId" | "kind">[]): Promise<Map<string, number>>;
  /**
   * Removes every row the import added and still holds (and its record, so the id may be imported
   * again); returns how many.
   */
  remove(actor: string, importId: string): Promise<number>;
}

export interface AuditApi {
  /** Newest first (unless `oldestFirst`). */
  list(filter?: AuditFilter): Promise<AuditRecord[]>;
  /** The actor of each finalised cycle's `finalise` record, by cycle id; one query for them all. */
  finalisers(cycleIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Changes with every committed write to the cycle or to a cycle it follows closely enough for
   * its vetoes to count (count and newest id of their audit records).
   */
  revision(cycleId: string): Promise<{ count: number; lastId: number }>;
}

export interface DatasetApi {
  /** The cycle's records as the engine wants them: survey forms arrive as SQL-counted tallies. */
  loadDataset(cycleId: string): Promise<Dataset>;
  /** Cycle, its scheme version and dataset, read in one snapshot. */
  loadEvaluation(cycleId: string): Promise<Evaluation>;
}
