import { ApiError, ERROR_FIELDS, gql, unwrap } from "./api";
import { type NumberProblem, readNumber } from "./number-field";
import { everyPage, PAGE_INFO, type Page } from "./pages";
import { loadHistory, type SchemeWithdrawal } from "./rules-api";

/** A cycle as the cycles page lists it: with the cycle of an earlier year it follows. */
export interface CycleRow {
  id: string;
  year: number;
  name: string;
  /** OPEN or FINALISED. */
  status: string;
  schemeId: string;
  schemeVersion: number;
  previousCycle: { id: string; year: number } | null;
}

/** Every cycle, newest year first (the gateway's order), each with the cycle it follows. */
export function loadCycleRows(signal?: AbortSignal): Promise<CycleRow[]> {
  return everyPage(
    async (after) =>
      (
        await gql<{ cycles: Page<CycleRow> }>(
          `query CycleRows($after: String) { cycles(first: 100, after: $after) {
            ${PAGE_INFO} edges { node { id year name status schemeId schemeVersion previousCycle { id year } } } } }`,
          { after },
          signal ? { signal } : {},
        )
      ).cycles,
  );
}

export interface SchemeChoice {
  schemeId: string;
  /**
   * Newest first: a new cycle is usually scored under the latest rules. A withdrawn one is listed,
   * to say why it is not offered, but no cycle may be put on it.
   */
  versions: { version: number; reason: string; withdrawn: SchemeWithdrawal | null }[];
  /** The gateway's `latestUsableVersion`: the latest version not withdrawn; null when each is. */
  latestUsable: number | null;
}

/** Every scheme with every published version of it, for a new cycle's scheme and version. */
export async function loadSchemeChoices(signal?: AbortSignal): Promise<SchemeChoice[]> {
  const { schemes } = await gql<{ schemes: { schemeId: string; latestUsableVersion: number | null }[] }>(
    "query Schemes { schemes { schemeId latestUsableVersion } }",
    {},
    signal ? { signal } : {},
  );
  return Promise.all(
    schemes.map(async ({ schemeId, latestUsableVersion }) => ({
      schemeId,
      versions: (await loadHistory(schemeId, signal))
        .map(({ version, reason, withdrawn }) => ({ version, reason, withdrawn }))
        .sort((a, b) => b.version - a.version),
      latestUsable: latestUsableVersion,
    })),
  );
}

/**
 * What a new cycle follows, as the form offers it: the gateway's default (left out of the
 * request), none (an explicit null), or one cycle by id.
 */
export type Follows = { kind: "default" } | { kind: "none" } | { kind: "cycle"; id: string };

/** A select's value for a Follows: cycle ids are free text, so a cycle's is prefixed. */
export const followsValue = (f: Follows): string => (f.kind === "cycle" ? `cycle:${f.id}` : f.kind);
export function readFollows(value: string): Follows {
  if (value.startsWith("cycle:")) return { kind: "cycle", id: value.slice("cycle:".length) };
  return value === "none" ? { kind: "none" } : { kind: "default" };
}

/**
 * The cycle a new one of `year` follows when the request leaves `previousCycle` out, as the
 * gateway decides it (createCycle): the cycle its units are copied from, when that is of an
 * earlier year. Null for a year not yet read: then the gateway refuses the year anyway.
 */
export function defaultFollows(copyFrom: CycleRow | null, year: number | null): CycleRow | null {
  return copyFrom && year !== null && copyFrom.year < year ? copyFrom : null;
}

/**
 * The cycle the new one will follow, for the form to say before anything is sent: the default's,
 * nothing, or the chosen one (by id alone when it is not in the list read).
 */
export function followedCycle(
  follows: Follows,
  copyFrom: CycleRow | null,
  year: number | null,
  cycles: readonly CycleRow[],
): CycleRow | { id: string } | null {
  if (follows.kind === "none") return null;
  if (follows.kind === "default") return defaultFollows(copyFrom, year);
  return cycles.find((c) => c.id === follows.id) ?? { id: follows.id };
}

/** A new cycle's form, its year read. */
export interface CreateCycleForm {
  id: string;
  year: number;
  name: string;
  schemeId: string;
  schemeVersion: number;
  /** Empty: copy no units. */
  copyUnitsFrom: string;
  follows: Follows;
}

/**
 * The gateway's limits on a year (createCycle), checked here so that a year it would refuse, or
 * one no GraphQL Int holds, is named at its box before anything is sent.
 */
export const YEAR_RULE = { integer: true, min: 1990, max: 2200 } as const;

/** The year as a number, or what is wrong with the box. */
export function readYear(text: string): { value: number } | { problem: NumberProblem } {
  const reading = readNumber(text, YEAR_RULE);
  return "problem" in reading ? reading : { value: reading.value! };
}

/**
 * createCycle's input. `previousCycle` is left out for the default (the gateway picks it from
 * copyUnitsFrom), and sent as null to follow none: the two differ once units are copied from
 * an earlier year.
 */
export function createCycleInput(form: CreateCycleForm): Record<string, unknown> {
  return {
    id: form.id,
    year: form.year,
    name: form.name,
    schemeId: form.schemeId,
    schemeVersion: form.schemeVersion,
    ...(form.copyUnitsFrom ? { copyUnitsFrom: form.copyUnitsFrom } : {}),
    ...(form.follows.kind === "none" ? { previousCycle: null } : {}),
    ...(form.follows.kind === "cycle" ? { previousCycle: form.follows.id } : {}),
  };
}

const CYCLE_FIELDS = "id year name status schemeId schemeVersion previousCycle { id year }";

export async function createCycle(form: CreateCycleForm): Promise<CycleRow> {
  const data = await gql<{ createCycle: CycleRow & { __typename: string } }>(
    `mutation CreateCycle($input: CreateCycleInput!) { createCycle(input: $input) {
      __typename ${ERROR_FIELDS} ... on Cycle { ${CYCLE_FIELDS} } } }`,
    { input: createCycleInput(form) },
  );
  return unwrap(data.createCycle, "Cycle");
}

/** Links an open cycle to the one it follows, or unlinks it (null). */
export async function setPreviousCycle(cycleId: string, previousCycleId: string | null): Promise<CycleRow> {
  const data = await gql<{ setPreviousCycle: CycleRow & { __typename: string } }>(
    `mutation SetPreviousCycle($cycleId: ID!, $previousCycleId: ID) {
      setPreviousCycle(cycleId: $cycleId, previousCycleId: $previousCycleId) {
        __typename ${ERROR_FIELDS} ... on Cycle { ${CYCLE_FIELDS} } } }`,
    { cycleId, previousCycleId },
  );
  return unwrap(data.setPreviousCycle, "Cycle");
}

/**
 * The gateway's rule for the reason a finalisation, a deletion or a move keeps in its audit
 * entry: read trimmed, none when empty, at most 2,000 characters, and said in words, a letter or
 * digit at least ("改革" says something, "." does not). Checked here so that one it would refuse
 * is named at its box before anything is sent.
 */
const MAX_REASON_CHARS = 2000;
const SAYS_SOMETHING = /[\p{L}\p{N}]/u;

export type ReasonReading =
  | { value: string | undefined }
  | { problem: "required" }
  | { problem: "noWords" }
  | { problem: "tooLong"; chars: number };

/**
 * The reason to send (undefined: none given), or what is wrong with the box's text. `required`:
 * an empty box is wrong too, as the gateway has it of a forced move (a box of spaces is empty).
 */
export function readReason(text: string, options: { required?: boolean } = {}): ReasonReading {
  const trimmed = text.trim();
  if (trimmed === "") return options.required ? { problem: "required" } : { value: undefined };
  // Counted as the gateway counts it: UTF-16 code units of the trimmed text.
  if (trimmed.length > MAX_REASON_CHARS) return { problem: "tooLong", chars: trimmed.length };
  return SAYS_SOMETHING.test(trimmed) ? { value: trimmed } : { problem: "noWords" };
}

/**
 * Freezes an open cycle for good; `reason`, why or on whose decision, goes in its audit entry.
 * `unscoredUnits`, the number of its units without a total the administrator was shown, is sent
 * only then: the gateway refuses a year with some unless it is their number as it freezes it.
 */
export async function finaliseCycle(
  cycleId: string,
  reason?: string,
  unscoredUnits?: number,
): Promise<CycleRow> {
  const data = await gql<{ finaliseCycle: CycleRow & { __typename: string } }>(
    `mutation FinaliseCycle($cycleId: ID!, $reason: String, $expectedUnscoredUnits: Int) {
      finaliseCycle(cycleId: $cycleId, reason: $reason, expectedUnscoredUnits: $expectedUnscoredUnits) {
      __typename ${ERROR_FIELDS} ... on Cycle { ${CYCLE_FIELDS} } } }`,
    {
      cycleId,
      ...(reason === undefined ? {} : { reason }),
      ...(unscoredUnits === undefined ? {} : { expectedUnscoredUnits: unscoredUnits }),
    },
  );
  return unwrap(data.finaliseCycle, "Cycle");
}

/** The scheme version an open cycle is moved onto. */
export interface SchemeTarget {
  schemeId: string;
  version: number;
}

/**
 * Scores an open cycle under another scheme version. Without `force` the gateway refuses a
 * version that cannot score the cycle's records, or that would leave units without the total they
 * have, listing them; with it (a reason required) the cycle moves anyway, and its ranking fails, or
 * leaves those units out, until the records are corrected or completed. `force` is sent only when
 * true and `reason` only when given, so a plain move is the request the API's own examples make.
 */
export async function setCycleScheme(
  cycleId: string,
  target: SchemeTarget,
  options: { force?: boolean; reason?: string | undefined } = {},
): Promise<CycleRow> {
  const data = await gql<{ setCycleScheme: CycleRow & { __typename: string } }>(
    `mutation SetCycleScheme($cycleId: ID!, $schemeId: ID!, $version: Int!, $force: Boolean, $reason: String) {
      setCycleScheme(cycleId: $cycleId, schemeId: $schemeId, version: $version, force: $force, reason: $reason) {
        __typename ${ERROR_FIELDS} ... on Cycle { ${CYCLE_FIELDS} } } }`,
    {
      cycleId,
      schemeId: target.schemeId,
      version: target.version,
      ...(options.force ? { force: true } : {}),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    },
  );
  return unwrap(data.setCycleScheme, "Cycle");
}

/**
 * Where the move form starts for a cycle: its own scheme at that scheme's latest version not
 * withdrawn, the usual step once a version is published. Null when the scheme is not among those
 * read, or every version of it is withdrawn.
 */
export function defaultTarget(cycle: CycleRow, schemes: readonly SchemeChoice[]): SchemeTarget | null {
  return chosenTarget(schemes, cycle.schemeId, null);
}

/**
 * The scheme version a form's two boxes name: the version chosen of the scheme chosen, else that
 * scheme's latest not withdrawn (a version kept from another scheme, or withdrawn since it was
 * chosen, is not offered: the gateway would refuse it). Null when the scheme is not among those
 * read, or has no version a cycle may be put on.
 */
export function chosenTarget(
  schemes: readonly SchemeChoice[],
  schemeId: string,
  version: string | null,
): SchemeTarget | null {
  const scheme = schemes.find((s) => s.schemeId === schemeId);
  const usable = (scheme?.versions ?? []).filter((v) => v.withdrawn === null);
  const chosen =
    usable.find((v) => String(v.version) === version) ??
    usable.find((v) => v.version === scheme?.latestUsable) ??
    // The versions are read after latestUsableVersion: one withdrawn between the two reads leaves
    // the newest version the list still offers.
    usable[0];
  return chosen ? { schemeId, version: chosen.version } : null;
}

/**
 * The open cycle the move form starts on: the newest one behind its scheme's latest version (the
 * one a version just published leaves to move), else the newest open one.
 */
export function firstToMove(
  cycles: readonly CycleRow[],
  schemes: readonly SchemeChoice[],
): CycleRow | undefined {
  const open = cycles.filter((c) => c.status === "OPEN");
  const behind = open.find((c) => {
    const target = defaultTarget(c, schemes);
    return target !== null && target.version !== c.schemeVersion;
  });
  return behind ?? open[0];
}

/**
 * Why the gateway refused a move, where the page has a hint of its own: `records`, the version
 * cannot score the cycle's records (each at its `dataset.<list>[i]…` path); `totals`, it scores
 * them but units that have a total now would have none, as when it adds a category they have no
 * records in (each such unit at `dataset.units[i]`, the unit itself and no field of it, which no
 * record's problem is at); `secrecy`, it declares a secret vote with ballots in the cycle a named
 * vote (kept but no longer secret, or named again after a forced move dropped it), so every reader
 * would read its voters by name (at `dataset.ballots` itself, the whole vote and no ballot of it,
 * which no record's problem is at; a version dropping the vote only refuses its ballots, each a
 * record's problem); `budget`, the check costs more
 * than one request may spend (at `version`, where an absent version is refused too, so told by
 * the gateway's words).
 */
export type MoveRefusal = "records" | "voteGone" | "totals" | "secrecy" | "budget";

const UNIT_LOST = /^dataset\.units\[(\d+|\?)\]$/;
const SECRECY_LIFTED = "dataset.ballots";
/**
 * A ballot the version refuses for its category: it has no vote of that id (it drops, renames
 * or rescores the vote). No correction makes it read the ballot: deleting it does, or, for a
 * renamed vote, recording it again under the new id after a forced move. The gateway lists one
 * such ballot of each vote even past the first 100 records, so a long refusal still shows it.
 */
const VOTE_GONE = /^dataset\.ballots\[\d+\]\.category$/;

/**
 * Each kind of a move's refusal the page has a hint for, records or totals before secrecy, as
 * the gateway says the secrecy beside them (a move forced past them would lift it as well).
 * Ballots of a vote the version no longer has (`voteGone`) are told apart from records to
 * correct, both kinds said when both are refused. Empty for any other refusal.
 */
export function moveRefusals(error: Error): MoveRefusal[] {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION") return [];
  const paths = error.issues.map((i) => i.path);
  const secrecy: MoveRefusal[] = paths.includes(SECRECY_LIFTED) ? ["secrecy"] : [];
  // The secrecy is checked before the cost, so a check too large to run says it too.
  const costly = error.issues.some(
    (i) => i.path === "version" && i.message.includes("too large for one request"),
  );
  if (costly) return ["budget", ...secrecy];
  if (paths.some((p) => UNIT_LOST.test(p))) return ["totals", ...secrecy];
  const records = paths.filter((p) => p.startsWith("dataset.") && p !== SECRECY_LIFTED);
  const gone: MoveRefusal[] = records.some((p) => VOTE_GONE.test(p)) ? ["voteGone"] : [];
  const others: MoveRefusal[] = records.some((p) => !VOTE_GONE.test(p)) ? ["records"] : [];
  return [...others, ...gone, ...secrecy];
}

/**
 * Whether a write to a cycle was refused because the cycle is no longer open since the page read
 * it (finalised or deleted in another tab, or by a colleague): CYCLE_FINALISED, or NOT_FOUND. Each
 * cycle write names one cycle, and refuses any other absent thing at a field (a scheme version, a
 * followed cycle), so NOT_FOUND is the cycle's. Null for any other refusal.
 */
export function cycleGone(error: Error): "finalised" | "deleted" | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "CYCLE_FINALISED") return "finalised";
  return error.code === "NOT_FOUND" ? "deleted" : null;
}

/** updateCycle's input: what changes of an open cycle. */
export interface CycleCorrection {
  name?: string;
  year?: number;
}

/**
 * What the correction form sends: only what differs from the cycle as the page read it, so that
 * correcting its year leaves its name as stored (a colleague may have just corrected that). A
 * name is compared as the gateway stores it, trimmed; an empty one is sent, for the gateway to
 * refuse at its box. Empty: nothing to correct.
 */
export function cycleCorrection(cycle: CycleRow, name: string, year: number): CycleCorrection {
  return {
    ...(name.trim() === cycle.name ? {} : { name }),
    ...(year === cycle.year ? {} : { year }),
  };
}

/** Renames an open cycle or corrects its year. */
export async function updateCycle(cycleId: string, input: CycleCorrection): Promise<CycleRow> {
  const data = await gql<{ updateCycle: CycleRow & { __typename: string } }>(
    `mutation UpdateCycle($cycleId: ID!, $input: UpdateCycleInput!) { updateCycle(cycleId: $cycleId, input: $input) {
      __typename ${ERROR_FIELDS} ... on Cycle { ${CYCLE_FIELDS} } } }`,
    { cycleId, input },
  );
  return unwrap(data.updateCycle, "Cycle");
}

/** What deleteCycle took away with the cycle: its set-up, counted. */
export interface DeletedCycle {
  cycleId: string;
  units: number;
  groups: number;
}

/**
 * Deletes an open cycle made by mistake; `reason`, the mistake it was, goes in its audit entry.
 * The gateway refuses one that holds anything stored, saying what (at `cycleId`), and deletes
 * nothing then.
 */
export async function deleteCycle(cycleId: string, reason?: string): Promise<DeletedCycle> {
  const data = await gql<{ deleteCycle: DeletedCycle & { __typename: string } }>(
    `mutation DeleteCycle($cycleId: ID!, $reason: String) { deleteCycle(cycleId: $cycleId, reason: $reason) {
      __typename ${ERROR_FIELDS} ... on DeletedCycle { cycleId units groups } } }`,
    { cycleId, ...(reason === undefined ? {} : { reason }) },
  );
  const { cycleId: id, units, groups } = unwrap(data.deleteCycle, "DeletedCycle");
  return { cycleId: id, units, groups };
}

/** The fields of the new cycle's form, as createCycle names them (`input.previousCycle`). */
export type CycleField =
  | "id"
  | "year"
  | "name"
  | "schemeId"
  | "schemeVersion"
  | "copyUnitsFrom"
  | "previousCycle"
  | "reason";

/**
 * The gateway's paths for each field of a form: createCycle's `input.<field>`,
 * setPreviousCycle's `previousCycleId` argument for the field choosing what a cycle follows,
 * updateCycle's `input.<field>` for the correction form's, the `reason` argument of
 * deleteCycle, finaliseCycle and setCycleScheme for their reason boxes, and setCycleScheme's
 * `schemeId` and `version` for the move form's scheme and version.
 */
export const CREATE_PATHS: Record<string, CycleField> = {
  "input.id": "id",
  "input.year": "year",
  "input.name": "name",
  "input.schemeId": "schemeId",
  "input.schemeVersion": "schemeVersion",
  "input.copyUnitsFrom": "copyUnitsFrom",
  "input.previousCycle": "previousCycle",
};
export const LINK_PATHS: Record<string, CycleField> = { previousCycleId: "previousCycle" };
/**
 * updateCycle's, and deleteCycle's `reason` at the delete's reason box: updateCycle's `input`
 * (nothing to change) and deleteCycle's `cycleId` (what the cycle still holds) name no box, and
 * are shown whole.
 */
export const CORRECT_PATHS: Record<string, CycleField> = {
  "input.name": "name",
  "input.year": "year",
  reason: "reason",
};
/** finaliseCycle's `reason`; its other refusals (at `cycleId`, `previousCycleId`, …) are shown whole. */
export const FINALISE_PATHS: Record<string, CycleField> = { reason: "reason" };
/**
 * setCycleScheme's arguments at the move form's boxes: an unknown scheme, or a version it does not
 * have or too costly to check, at the box to change; the records it cannot score name no box and
 * are shown whole.
 */
export const MOVE_PATHS: Record<string, CycleField> = {
  schemeId: "schemeId",
  version: "schemeVersion",
  reason: "reason",
};

/**
 * A refusal split by the form's fields: the gateway's message for each field it named, and
 * whether anything it said names no field of the form, which is then shown whole above it.
 */
export function cycleFieldProblems(
  error: Error | null,
  paths: Record<string, CycleField>,
): { fields: Partial<Record<CycleField, string>>; elsewhere: boolean } {
  const fields: Partial<Record<CycleField, string>> = {};
  if (!error) return { fields, elsewhere: false };
  const issues = error instanceof ApiError ? error.issues : [];
  let elsewhere = issues.length === 0;
  for (const issue of issues) {
    const field = Object.hasOwn(paths, issue.path) ? paths[issue.path] : undefined;
    if (field) fields[field] = fields[field] ? `${fields[field]}; ${issue.message}` : issue.message;
    else elsewhere = true;
  }
  return { fields, elsewhere };
}

/**
 * Whether a refusal to finalise is that the cycle this one follows is still open. The gateway's
 * ValidationError puts it at `previousCycleId`, the argument of its remedy (setPreviousCycle),
 * whatever its message says; a refusal that names no such path is shown as it is, without a hint.
 */
export function followedStillOpen(error: Error): boolean {
  return (
    error instanceof ApiError &&
    error.code === "VALIDATION" &&
    error.issues.some((i) => i.path === "previousCycleId")
  );
}

/**
 * Whether a refusal to finalise is that no unit of the cycle has a total (no units, no records,
 * a whole category missing): the gateway's ValidationError at `cycleId`, whose message names its
 * API's remedies (importFile, deleteCycle) rather than this console's pages.
 */
export function noUnitHasTotal(error: Error): boolean {
  return (
    error instanceof ApiError && error.code === "VALIDATION" && error.issues.some((i) => i.path === "cycleId")
  );
}

/** The cycles an open cycle of `year` may follow: those of an earlier year, newest first. */
export function followable(cycles: readonly CycleRow[], year: number): CycleRow[] {
  return cycles.filter((c) => c.year < year).sort((a, b) => b.year - a.year || a.id.localeCompare(b.id));
}

/**
 * The open cycle the Finalise box starts on: the oldest, since a cycle is finalised only after
 * the one it follows, so the newest (the list's first) would mostly be refused.
 */
export function firstToFinalise(cycles: readonly CycleRow[]): CycleRow | undefined {
  return cycles
    .filter((c) => c.status === "OPEN")
    .sort((a, b) => a.year - b.year || a.id.localeCompare(b.id))[0];
}

/** A new cycle's year: the year after the newest one's, or this year when there is none. */
export function nextYear(cycles: readonly CycleRow[], now = new Date()): number {
  return cycles.length === 0 ? now.getFullYear() : Math.max(...cycles.map((c) => c.year)) + 1;
}

/** "2019 · 2019年度考评 (2019)": a cycle by year and name, with its id; what is known of one not listed. */
export function cycleLabel(cycle: { id: string; year?: number }, cycles: readonly CycleRow[]): string {
  const known = cycles.find((c) => c.id === cycle.id);
  if (known) return `${known.year} · ${known.name} (${known.id})`;
  return cycle.year === undefined ? cycle.id : `${cycle.year} (${cycle.id})`;
}
