import { ERROR_FIELDS, gql, unwrap } from "./api";
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

/** The form's starting values for correcting a stored ballot. */
export const editOf = (b: Ballot): BallotEdit => ({
  category: b.category,
  unitId: b.unitId,
  voter: b.voter,
  role: b.role ?? "",
  value: b.score ?? b.grade ?? "",
});

/**
 * recordBallot's input from the form: the value as the score or the grade its category takes (an
 * empty one left out, for the gateway to say it is missing at its box). The role is sent only when
 * it says something: a correction of `stored` sends it when the edit changed it (emptied, as null,
 * which removes it); a new ballot's empty role box is left out, so that a ballot already stored for
 * that voter and unit keeps its role, as the gateway does for an omitted one.
 */
export function ballotInput(
  edit: BallotEdit,
  takes: "score" | "grade",
  stored: Ballot | null,
): Record<string, string | null> {
  const value = edit.value.trim();
  const role = edit.role.trim();
  const changedRole = stored ? role !== (stored.role ?? "") : role !== "";
  return {
    category: edit.category,
    unitId: edit.unitId,
    voter: edit.voter,
    ...(value ? { [takes]: value } : {}),
    ...(changedRole ? { role: role || null } : {}),
  };
}

export async function recordBallot(cycleId: string, input: Record<string, string | null>): Promise<Ballot> {
  const data = await gql<{ recordBallot: Ballot & { __typename: string } }>(
    `mutation RecordBallot($cycleId: ID!, $input: BallotInput!) { recordBallot(cycleId: $cycleId, input: $input) {
      __typename ${ERROR_FIELDS} ... on Ballot { ${BALLOT_FIELDS} } } }`,
    { cycleId, input },
  );
  return unwrap(data.recordBallot, "Ballot");
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
