import { ApiError, ERROR_FIELDS, gql, unwrap } from "./api";
import type { CycleList } from "./cycle-list-page";
import { everyPage, PAGE_INFO, type Page } from "./pages";

/** One voter's ballot for one unit in a `vote` category (票决制): a score or a grade. */
export interface Ballot {
  category: string;
  voter: string;
  /** The voter's role (mayor, member …), which a role-weighted category weighs by. */
  role: string | null;
  unitId: string;
  /** A decimal as text, on a score ballot. */
  score: string | null;
  grade: string | null;
}

/** What the list is narrowed to; null: not narrowed by it. */
export interface BallotFilter {
  category: string | null;
  unitId: string | null;
  voter: string | null;
}

const BALLOT_FIELDS = "category voter role unitId score grade";

/** Cycle.ballots, read a page at a time: a province's year has a ballot per voter and unit. */
export const BALLOTS_LIST: CycleList<BallotFilter> = {
  operation: "Ballots",
  field: "ballots",
  filters: { category: "ID", unitId: "ID", voter: "String" },
  node: BALLOT_FIELDS,
};

export const BALLOT_FILTER_FIELDS = ["category", "unitId", "voter"] as const;
/** recordBallot's boxes, as it names them (`input.score`). */
export const BALLOT_FORM_FIELDS = ["category", "unitId", "voter", "role", "score", "grade"] as const;

/** Whether a ballot just written shows under the filters: one that does not is said to have left. */
export const passes = (filter: BallotFilter, b: Pick<Ballot, "category" | "unitId" | "voter">): boolean =>
  (!filter.category || filter.category === b.category) &&
  (!filter.unitId || filter.unitId === b.unitId) &&
  (!filter.voter || filter.voter === b.voter);

/** A vote category of the cycle's scheme version, as its ballots are cast. */
export interface VoteCategory {
  id: string;
  name: string;
  /** A score within the range the scheme gives (when it gives one), or one of its grades. */
  ballot:
    | { type: "score"; min?: string | number; max?: string | number }
    | { type: "grade"; grades: string[] };
  /** The roles a role-weighted category weighs; none for one that does not weigh by role. */
  roles: string[];
  /** A secret vote (无记名投票, `vote.secret`): the gateway lists its ballots to administrators only. */
  secret: boolean;
}

/** A survey category (开门评议): its answers and respondent groups, as the scheme declares them. */
export interface SurveyCategory {
  id: string;
  name: string;
  answers: string[];
  respondentGroups: string[];
}

export interface BallotChoices {
  voteCategories: VoteCategory[];
  surveyCategories: SurveyCategory[];
  units: { id: string; name: string }[];
}

/** A category of the scheme document, as far as the page reads it. */
interface SchemeCategory {
  id: string;
  name: string;
  method: {
    kind: string;
    ballot?: { type: string; min?: string | number; max?: string | number; points?: Record<string, unknown> };
    aggregation?: { type: string; roles?: Record<string, unknown> };
    options?: Record<string, unknown>;
    respondentGroups?: string[];
    secret?: unknown;
  };
}

/** The categories a scheme document declares, vote and survey ones by what their ballots and forms take. */
export function ballotCategories(categories: readonly SchemeCategory[]): Omit<BallotChoices, "units"> {
  const voteCategories: VoteCategory[] = [];
  const surveyCategories: SurveyCategory[] = [];
  for (const c of categories) {
    const m = c.method;
    if (m.kind === "vote" && m.ballot)
      voteCategories.push({
        id: c.id,
        name: c.name,
        ballot:
          m.ballot.type === "grade"
            ? { type: "grade", grades: Object.keys(m.ballot.points ?? {}) }
            : { type: "score", min: m.ballot.min, max: m.ballot.max },
        roles: m.aggregation?.type === "role-weighted" ? Object.keys(m.aggregation.roles ?? {}) : [],
        // As the gateway reads it: only `true` makes a vote secret.
        secret: m.secret === true,
      });
    if (m.kind === "survey")
      surveyCategories.push({
        id: c.id,
        name: c.name,
        answers: Object.keys(m.options ?? {}),
        respondentGroups: m.respondentGroups ?? [],
      });
  }
  return { voteCategories, surveyCategories };
}

/** What the page's filters and form may name: the cycle's units, and its scheme version's categories. */
export async function loadBallotChoices(cycleId: string, signal?: AbortSignal): Promise<BallotChoices> {
  const options = signal ? { signal } : {};
  const data = await gql<{
    cycle: { __typename: string; scheme: { document: { categories?: SchemeCategory[] } } };
  }>(
    `query BallotCategories($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS} ... on Cycle { scheme { document } } } }`,
    { id: cycleId },
    options,
  );
  const { document } = unwrap(data.cycle, "Cycle").scheme;
  const units = await everyPage(
    async (after) =>
      (
        await gql<{ units: Page<BallotChoices["units"][number]> }>(
          `query Units($cycleId: ID!, $after: String) { units(cycleId: $cycleId, first: 500, after: $after) {
            ${PAGE_INFO} edges { node { id name } } } }`,
          { cycleId, after },
          options,
        )
      ).units,
  );
  return { ...ballotCategories(document.categories ?? []), units };
}

/** A ballot as the form holds it: text as typed, "" for none. */
export interface BallotEdit {
  category: string;
  unitId: string;
  voter: string;
  role: string;
  /** The score or the grade, as the category takes. */
  value: string;
}

/**
 * The value a ballot being written keeps when its category changes: a score stays a score, a grade
 * stays while the new category has it; anything else is cleared rather than offered as what the
 * new category does not take ("80" as a grade).
 */
export function valueAcross(
  value: string,
  from: VoteCategory | undefined,
  to: VoteCategory | undefined,
): string {
  if (!from || !to || from.ballot.type !== to.ballot.type) return "";
  if (to.ballot.type === "grade" && !to.ballot.grades.includes(value)) return "";
  return value;
}

/**
 * recordBallot's input for a new ballot (or one replaced by its voter and unit) from the form: the
 * value as the score or the grade its category takes (an empty one left out, for the gateway to
 * say it is missing at its box). An empty role box is left out, so that a ballot already stored
 * for that voter and unit keeps its role, as the gateway does for an omitted one.
 */
export function ballotInput(edit: BallotEdit, takes: "score" | "grade"): Record<string, string | null> {
  const value = edit.value.trim();
  const role = edit.role.trim();
  return {
    category: edit.category,
    unitId: edit.unitId,
    voter: edit.voter,
    ...(value ? { [takes]: value } : {}),
    ...(role ? { role } : {}),
  };
}

/**
 * recordBallot's input correcting a stored ballot's score or grade only: its role is left out, and
 * kept. A voter's role is theirs on every ballot of the category (setVoterRole), not one ballot's.
 */
export function correctionInput(
  stored: Pick<Ballot, "category" | "unitId" | "voter">,
  takes: "score" | "grade",
  value: string,
): Record<string, string> {
  const v = value.trim();
  return {
    category: stored.category,
    unitId: stored.unitId,
    voter: stored.voter,
    ...(v ? { [takes]: v } : {}),
  };
}

/**
 * Records a ballot. `replaceOnly`: a correction, refused as NOT_FOUND, nothing written, when the
 * ballot is no longer stored (deleted in another tab or by someone else), rather than made again.
 */
export async function recordBallot(
  cycleId: string,
  input: Record<string, string | null>,
  options: { replaceOnly?: boolean } = {},
): Promise<Ballot> {
  const data = await gql<{ recordBallot: Ballot & { __typename: string } }>(
    `mutation RecordBallot($cycleId: ID!, $input: BallotInput!, $replaceOnly: Boolean) {
      recordBallot(cycleId: $cycleId, input: $input, replaceOnly: $replaceOnly) {
      __typename ${ERROR_FIELDS} ... on Ballot { ${BALLOT_FIELDS} } } }`,
    { cycleId, input, replaceOnly: options.replaceOnly ?? false },
  );
  return unwrap(data.recordBallot, "Ballot");
}

/** How many ballots a voter has in a category: what a change of their role applies to. */
export async function countVoterBallots(
  cycleId: string,
  category: string,
  voter: string,
  signal?: AbortSignal,
): Promise<number> {
  const data = await gql<{ cycle: { __typename: string; ballots: { totalCount: number } } }>(
    `query VoterBallots($id: ID!, $category: ID!, $voter: String!) { cycle(id: $id) {
      __typename ${ERROR_FIELDS} ... on Cycle { ballots(category: $category, voter: $voter, first: 1) { totalCount } } } }`,
    { id: cycleId, category, voter },
    signal ? { signal } : {},
  );
  return unwrap(data.cycle, "Cycle").ballots.totalCount;
}

/**
 * Sets a voter's role on every one of their ballots in a category (null removes it): the engine
 * weighs a voter by one role per category. Returns all the voter's ballots in the category, by
 * unit: how many the new role now applies to.
 */
export async function setVoterRole(
  cycleId: string,
  category: string,
  voter: string,
  role: string | null,
): Promise<Ballot[]> {
  const data = await gql<{ setVoterRole: { __typename: string; data: Ballot[] } }>(
    `mutation SetVoterRole($cycleId: ID!, $category: String!, $voter: String!, $role: String) {
      setVoterRole(cycleId: $cycleId, category: $category, voter: $voter, role: $role) {
      __typename ${ERROR_FIELDS} ... on MutationSetVoterRoleSuccess { data { ${BALLOT_FIELDS} } } } }`,
    { cycleId, category, voter, role },
  );
  return unwrap(data.setVoterRole, "MutationSetVoterRoleSuccess").data;
}

/**
 * Deletes one voter's ballot for one unit for good (the audit log keeps what it was): the unit's
 * vote result is computed again without it. Refused as NOT_FOUND when it was deleted meanwhile,
 * CYCLE_FINALISED when the cycle was finalised since the page was read.
 */
export async function deleteBallot(cycleId: string, b: Pick<Ballot, "category" | "voter" | "unitId">) {
  const data = await gql<{ deleteBallot: { __typename: string } }>(
    `mutation DeleteBallot($cycleId: ID!, $category: String!, $voter: String!, $unitId: ID!) {
      deleteBallot(cycleId: $cycleId, category: $category, voter: $voter, unitId: $unitId) {
        __typename ${ERROR_FIELDS} ... on Cycle { id } } }`,
    { cycleId, category: b.category, voter: b.voter, unitId: b.unitId },
  );
  unwrap(data.deleteBallot, "Cycle");
}

/** A category the cycle has ballots in (Cycle.ballotCategories). */
export interface HeldCategory {
  category: string;
  ballots: number;
  /** The cycle's scheme version declares it a vote; false: a forced move left these ballots. */
  declared: boolean;
}

/**
 * The categories the cycle has ballots in, each with how many. An administrator's include those
 * a forced move left in a category the version no longer declares a vote, which no list of the
 * version's categories names; anyone else's, only the named votes'.
 */
export async function loadHeldCategories(cycleId: string, signal?: AbortSignal): Promise<HeldCategory[]> {
  const data = await gql<{ cycle: { __typename: string; ballotCategories: HeldCategory[] } }>(
    `query HeldCategories($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS} ... on Cycle {
      ballotCategories { category ballots declared } } } }`,
    { id: cycleId },
    signal ? { signal } : {},
  );
  return unwrap(data.cycle, "Cycle").ballotCategories;
}

/**
 * Deletes every ballot of a category, or only `voter`'s there, in one step (the audit log keeps
 * them all, with `reason`); returns how many. `expected` is the number the page showed: another
 * number stored (a ballot written meanwhile) is refused at `expectedBallots`, nothing deleted. The
 * gateway refuses deleting nothing at `category` or `voter`: from a page that counted them, they
 * were deleted meanwhile, so that refusal is NOT_FOUND here, as a single ballot deleted meanwhile
 * is, keeping the gateway's issues.
 */
export async function deleteBallots(
  cycleId: string,
  which: { category: string; voter: string | null; expected: number },
  reason?: string,
): Promise<number> {
  const data = await gql<{ deleteBallots: { __typename: string; ballots: number } }>(
    `mutation DeleteBallots($cycleId: ID!, $category: String!, $voter: String, $expectedBallots: Int!, $reason: String) {
      deleteBallots(cycleId: $cycleId, category: $category, voter: $voter, expectedBallots: $expectedBallots, reason: $reason) {
        __typename ${ERROR_FIELDS} ... on DeletedBallots { ballots } } }`,
    {
      cycleId,
      category: which.category,
      voter: which.voter,
      expectedBallots: which.expected,
      ...(reason === undefined ? {} : { reason }),
    },
  );
  try {
    return unwrap(data.deleteBallots, "DeletedBallots").ballots;
  } catch (e) {
    throw noneLeft(e as ApiError) ?? e;
  }
}

const WHICH = new Set(["category", "voter"]);

function noneLeft(e: ApiError): ApiError | null {
  const gone = e.code === "VALIDATION" && e.issues.length > 0 && e.issues.every((i) => WHICH.has(i.path));
  return gone ? new ApiError(e.message, "NOT_FOUND", e.issues) : null;
}
