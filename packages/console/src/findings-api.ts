import { ERROR_FIELDS, gql, unwrap } from "./api";
import { type CycleList, loadListPage, type PageRequest } from "./cycle-list-page";
import { everyPage, PAGE_INFO, type Page } from "./pages";

/** A finding's rectification (整改), as the gateway names it; null on a finding: not recorded. */
export const RECTIFICATIONS = ["PENDING", "NOT_RECTIFIED", "ON_TIME", "LATE"] as const;
export type Rectification = (typeof RECTIFICATIONS)[number];
export const isRectification = (v: string | null | undefined): v is Rectification =>
  (RECTIFICATIONS as readonly string[]).includes(v ?? "");
/** The states that are a rectification done, and so have the day it was done. */
export const isRectified = (r: Rectification | null | undefined): boolean => r === "ON_TIME" || r === "LATE";

/** A daily-inspection finding (日常考核) and its rectification (整改), as the gateway keeps it. */
export interface Finding {
  id: string;
  unitId: string;
  type: string;
  level: string;
  rectification: Rectification | null;
  repeated: boolean;
  note: string | null;
  /** YYYY-MM-DD. */
  deadline: string | null;
  /** YYYY-MM-DD. */
  rectifiedOn: string | null;
}

/** What the list is narrowed to; null: not narrowed by it. */
export interface FindingFilter {
  unitId: string | null;
  type: string | null;
  rectification: Rectification | null;
}

const FINDING_FIELDS = "id unitId type level rectification repeated note deadline rectifiedOn";

/** Cycle.findings, read a page at a time: a province year has 300,000 findings. */
export const FINDINGS_LIST: CycleList<FindingFilter> = {
  operation: "Findings",
  field: "findings",
  filters: { unitId: "ID", type: "String", rectification: "Rectification" },
  node: FINDING_FIELDS,
};

/** The page of a cycle's findings asked for (loadListPage). */
export const loadFindingsPage = (req: PageRequest<FindingFilter>, signal?: AbortSignal) =>
  loadListPage<FindingFilter, Finding>(FINDINGS_LIST, req, signal);

export interface FindingType {
  id: string;
  name: string;
  /** Deductions by level id, as the scheme declares them; only the level ids are shown. */
  levels: Record<string, unknown>;
}
export interface FindingChoices {
  findingTypes: FindingType[];
  units: { id: string; name: string }[];
}

/** What a finding may name: the cycle's units, and the finding types of its scheme version. */
export async function loadFindingChoices(cycleId: string, signal?: AbortSignal): Promise<FindingChoices> {
  const options = signal ? { signal } : {};
  const data = await gql<{
    cycle: { __typename: string; scheme: { document: { findingTypes?: FindingType[] } } };
  }>(
    `query FindingTypes($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS} ... on Cycle { scheme { document } } } }`,
    { id: cycleId },
    options,
  );
  const { document } = unwrap(data.cycle, "Cycle").scheme;
  const units = await everyPage(
    async (after) =>
      (
        await gql<{ units: Page<FindingChoices["units"][number]> }>(
          `query Units($cycleId: ID!, $after: String) { units(cycleId: $cycleId, first: 500, after: $after) {
            ${PAGE_INFO} edges { node { id name } } } }`,
          { cycleId, after },
          options,
        )
      ).units,
  );
  return { findingTypes: document.findingTypes ?? [], units };
}

/** What the row's editor holds: dates as typed, "" for none. */
export interface RectificationEdit {
  rectification: Rectification;
  deadline: string;
  rectifiedOn: string;
}

/** The editor's starting values: the finding as stored (a state not recorded starts as pending). */
export const editOf = (f: Finding): RectificationEdit => ({
  rectification: f.rectification ?? "PENDING",
  deadline: f.deadline ?? "",
  rectifiedOn: f.rectifiedOn ?? "",
});

/**
 * setRectification's input from an edit of `stored`. A date is sent only when the edit changed
 * it (an emptied box as null, which clears it): an omitted date keeps what is stored, so a
 * colleague's change of a date this edit did not touch is not undone. A finding set back to
 * pending or not rectified has no day it was rectified on, so a stored one is cleared.
 */
export function rectificationInput(
  stored: Finding,
  edit: RectificationEdit,
): { rectification: Rectification; deadline?: string | null; rectifiedOn?: string | null } {
  const input: { rectification: Rectification; deadline?: string | null; rectifiedOn?: string | null } = {
    rectification: edit.rectification,
  };
  const deadline = edit.deadline.trim();
  if (deadline !== (stored.deadline ?? "")) input.deadline = deadline || null;
  const rectifiedOn = isRectified(edit.rectification) ? edit.rectifiedOn.trim() : "";
  if (rectifiedOn !== (stored.rectifiedOn ?? "")) input.rectifiedOn = rectifiedOn || null;
  return input;
}

export async function setRectification(
  cycleId: string,
  findingId: string,
  input: ReturnType<typeof rectificationInput>,
): Promise<Finding> {
  const data = await gql<{ setRectification: Finding & { __typename: string } }>(
    `mutation SetRectification($cycleId: ID!, $findingId: ID!, $input: RectificationInput!) {
      setRectification(cycleId: $cycleId, findingId: $findingId, input: $input) {
        __typename ${ERROR_FIELDS} ... on Finding { ${FINDING_FIELDS} } } }`,
    { cycleId, findingId, input },
  );
  return unwrap(data.setRectification, "Finding");
}

/**
 * Deletes a finding for good (the audit log keeps what it was): its deduction leaves the cycle's
 * scores at once. Refused as NOT_FOUND when it was deleted meanwhile, CYCLE_FINALISED when the
 * cycle was finalised since the page was read.
 */
export async function deleteFinding(cycleId: string, id: string): Promise<void> {
  const data = await gql<{ deleteFinding: { __typename: string } }>(
    `mutation DeleteFinding($cycleId: ID!, $id: ID!) { deleteFinding(cycleId: $cycleId, id: $id) {
      __typename ${ERROR_FIELDS} ... on Cycle { id } } }`,
    { cycleId, id },
  );
  unwrap(data.deleteFinding, "Cycle");
}

/** A new finding as the form holds it: dates and note as typed, "" for none. */
export interface NewFinding {
  id: string;
  unitId: string;
  type: string;
  level: string;
  rectification: Rectification;
  repeated: boolean;
  deadline: string;
  note: string;
}

export async function recordFinding(cycleId: string, f: NewFinding): Promise<Finding> {
  // Empty optional boxes are left out, not sent as "": the gateway would refuse "" as a date.
  const input = {
    id: f.id,
    unitId: f.unitId,
    type: f.type,
    level: f.level,
    rectification: f.rectification,
    repeated: f.repeated,
    ...(f.deadline.trim() ? { deadline: f.deadline.trim() } : {}),
    ...(f.note.trim() ? { note: f.note } : {}),
  };
  const data = await gql<{ recordFinding: Finding & { __typename: string } }>(
    `mutation RecordFinding($cycleId: ID!, $input: FindingInput!) { recordFinding(cycleId: $cycleId, input: $input) {
      __typename ${ERROR_FIELDS} ... on Finding { ${FINDING_FIELDS} } } }`,
    { cycleId, input },
  );
  return unwrap(data.recordFinding, "Finding");
}

export const FILTER_FIELDS = ["unitId", "type", "rectification"] as const;
export const RECTIFICATION_FIELDS = ["rectification", "deadline", "rectifiedOn"] as const;
export const FORM_FIELDS = [
  "id",
  "unitId",
  "type",
  "level",
  "rectification",
  "repeated",
  "deadline",
  "note",
] as const;

/**
 * Whether a finding passes the list's filters: one just written that does not has left the list
 * (or never shows in it), and the page says so rather than leave the reader looking for it.
 */
export const passes = (
  filter: FindingFilter,
  f: Pick<Finding, "unitId" | "type" | "rectification">,
): boolean =>
  (!filter.unitId || filter.unitId === f.unitId) &&
  (!filter.type || filter.type === f.type) &&
  (!filter.rectification || filter.rectification === f.rectification);
