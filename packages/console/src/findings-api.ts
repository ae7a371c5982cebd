import { ApiError, ERROR_FIELDS, gql, unwrap } from "./api";
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

/** The page sizes offered; a province year has 300,000 findings, so the list is never read whole. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** The gateway's largest page: how far one step of a walk to a page skips ahead. */
const MAX_PAGE = 2000;

/** As everyPage (pages.ts): a list changing under every read is being written faster than it is read. */
const FRESH_STARTS = 3;

const FINDING_FIELDS = "id unitId type level rectification repeated note deadline rectifiedOn";

/**
 * One read of the list: `first` rows after the cursor, with the cycle's status and how many rows
 * pass the filters; `fields` is what is asked of the connection (a skip asks for its end only).
 */
export function findingsQuery(fields: string): string {
  return `query Findings($id: ID!, $unitId: ID, $type: String, $rectification: Rectification, $first: Int!, $after: String) {
  cycle(id: $id) { __typename ${ERROR_FIELDS}
    ... on Cycle { status findings(unitId: $unitId, type: $type, rectification: $rectification, first: $first, after: $after) { ${fields} } } } }`;
}

/** The variables of one read; a filter not set is left out, as the gateway reads "any". */
export function findingsVariables(
  cycleId: string,
  filter: FindingFilter,
  first: number,
  after: string | null,
): Record<string, unknown> {
  return {
    id: cycleId,
    ...(filter.unitId ? { unitId: filter.unitId } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.rectification ? { rectification: filter.rectification } : {}),
    first,
    after,
  };
}

/** One page of a cycle's findings, as the page shows it. */
export interface FindingsPage {
  /** OPEN or FINALISED, as read with the page: a finalised cycle's findings no longer change. */
  status: string;
  /** Findings that pass the filters, on every page together. */
  totalCount: number;
  findings: Finding[];
  /** Which page this is (0: the first); less than asked for when the list got shorter. */
  index: number;
  /**
   * Cursors known from this read, by page index: the one this page was read after, and the next
   * page's when there is one. Of the data as it now stands, until the next write.
   */
  cursors: Map<number, string | null>;
  hasNextPage: boolean;
}

export interface PageRequest {
  cycleId: string;
  filter: FindingFilter;
  size: number;
  /** The page asked for (0: the first). */
  index: number;
  /** The cursor it starts after, when known (a Next or Previous click); undefined: not known. */
  after: string | null | undefined;
}

type Connection = Page<Finding> & { totalCount?: number };

async function read(
  req: PageRequest,
  fields: string,
  first: number,
  after: string | null,
  signal: AbortSignal | undefined,
): Promise<{ status: string; list: Connection }> {
  const data = await gql<{ cycle: { __typename: string; status: string; findings: Connection } }>(
    findingsQuery(fields),
    findingsVariables(req.cycleId, req.filter, first, after),
    signal ? { signal } : {},
  );
  const cycle = unwrap(data.cycle, "Cycle");
  return { status: cycle.status, list: cycle.findings };
}

const PAGE_FIELDS = `totalCount ${PAGE_INFO} edges { node { ${FINDING_FIELDS} } }`;

async function readPage(
  req: PageRequest,
  index: number,
  after: string | null,
  signal: AbortSignal | undefined,
): Promise<FindingsPage> {
  const { status, list } = await read(req, PAGE_FIELDS, req.size, after, signal);
  const cursors = new Map<number, string | null>([[index, after]]);
  if (list.pageInfo.hasNextPage && list.pageInfo.endCursor) cursors.set(index + 1, list.pageInfo.endCursor);
  return {
    status,
    totalCount: list.totalCount ?? 0,
    findings: list.edges.map((e) => e.node),
    index,
    cursors,
    hasNextPage: list.pageInfo.hasNextPage,
  };
}

const isStale = (err: unknown) => err instanceof ApiError && err.code === "STALE_CURSOR";

/**
 * The page asked for. A cursor issued before a write (this page's own, or a colleague's) is
 * refused by the gateway as stale; that is no error to the reader: the same page is found again
 * from the first page of the list as it now stands, skipping ahead up to the gateway's largest
 * page a read and asking only for where each skip ends, so no rows are loaded but the page's.
 * A list that got shorter meanwhile gives its last page. Only a list that changes under every
 * fresh start (an import running) is an error, STALE_CURSOR, which the views word as such.
 */
export async function loadFindingsPage(req: PageRequest, signal?: AbortSignal): Promise<FindingsPage> {
  if (req.index === 0) return readPage(req, 0, null, signal);
  if (req.after !== undefined) {
    try {
      const page = await readPage(req, req.index, req.after, signal);
      // Nothing after the cursor: this page's rows went (the last of them deleted) and the cursor
      // was still taken; the walk gives the list's last page instead, as for a stale one.
      if (page.findings.length > 0) return page;
    } catch (err) {
      if (!isStale(err)) throw err;
    }
  }
  for (let start = 0; ; start++) {
    try {
      return await walkTo(req, signal);
    } catch (err) {
      if (!isStale(err) || start >= FRESH_STARTS) throw err;
    }
  }
}

async function walkTo(req: PageRequest, signal: AbortSignal | undefined): Promise<FindingsPage> {
  const first = await readPage(req, 0, null, signal);
  const last = Math.max(0, Math.ceil(first.totalCount / req.size) - 1);
  const index = Math.min(req.index, last);
  if (index === 0) return first;
  let after: string | null = null;
  for (let skipped = 0; skipped < index * req.size; ) {
    const step = Math.min(MAX_PAGE, index * req.size - skipped);
    const { list } = await read(req, PAGE_INFO, step, after, signal);
    // Shorter than the count said: rows went between the two reads, and the page read after
    // this cursor is the list's last.
    if (!list.pageInfo.endCursor) break;
    after = list.pageInfo.endCursor;
    skipped += step;
    if (!list.pageInfo.hasNextPage) break;
  }
  return readPage(req, index, after, signal);
}

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

/** Why a delete was refused, for the refusals the page words itself; null: shown as the gateway says. */
export type DeleteRefusal = "gone" | "finalised" | "forbidden";

/**
 * The refusals of a delete that come from the page being out of date, or the signed-in role: the
 * gateway's English names the finding or cycle for a developer, the page says it in its language.
 * deleteFinding names only its cycle and finding, so NOT_FOUND is the finding's, or its cycle's
 * (deleted with every record in it): either way the finding is gone.
 */
export function deleteRefusal(error: Error): DeleteRefusal | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "NOT_FOUND") return "gone";
  if (error.code === "CYCLE_FINALISED") return "finalised";
  if (error.code === "FORBIDDEN") return "forbidden";
  return null;
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

/**
 * A refusal split by the boxes of a form (or of the filters): the gateway's messages for each box
 * it named, and whether anything it said names none of them, which is then shown whole. Writes
 * name a box as `input.<field>`; the list's filters, and the store's own checks, by the bare name.
 */
export function fieldProblems<F extends string>(
  error: Error | null,
  fields: readonly F[],
): { fields: Partial<Record<F, string>>; elsewhere: boolean } {
  const found: Partial<Record<F, string>> = {};
  if (!error) return { fields: found, elsewhere: false };
  const issues = error instanceof ApiError ? error.issues : [];
  let elsewhere = issues.length === 0;
  for (const issue of issues) {
    const name = /^(?:input\.)?(\w+)$/.exec(issue.path)?.[1];
    if (name !== undefined && (fields as readonly string[]).includes(name)) {
      const field = name as F;
      found[field] = found[field] ? `${found[field]}; ${issue.message}` : issue.message;
    } else elsewhere = true;
  }
  return { fields: found, elsewhere };
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
