import { ApiError, ERROR_FIELDS, gql, unwrap } from "./api";
import { everyPage, everyPageWithHeads, PAGE_INFO, type Page } from "./pages";

/** A veto (一票否决) as the gateway keeps it: the unit is barred as its type declares. */
export interface VetoEvent {
  id: string;
  unitId: string;
  type: string;
  reason: string;
}
/** A bonus (加分): points by type and level, as the scheme declares them. */
export interface BonusEvent {
  id: string;
  unitId: string;
  type: string;
  level: string;
  note: string | null;
}

export interface CycleEvents {
  /** OPEN or FINALISED, as read with the events: a finalised cycle's events no longer change. */
  status: string;
  vetoes: VetoEvent[];
  bonuses: BonusEvent[];
}

/** Every veto and bonus event of a cycle (every page of each list). */
export async function loadCycleEvents(cycleId: string, signal?: AbortSignal): Promise<CycleEvents> {
  const options = signal ? { signal } : {};
  const { heads, rows: vetoes } = await everyPageWithHeads(async (after) => {
    const data = await gql<{
      cycle: { __typename: string; status: string; vetoEvents: Page<VetoEvent> };
    }>(
      `query Vetoes($id: ID!, $after: String) { cycle(id: $id) { __typename ${ERROR_FIELDS}
        ... on Cycle { status vetoEvents(first: 500, after: $after) { ${PAGE_INFO} edges { node { id unitId type reason } } } } } }`,
      { id: cycleId, after },
      options,
    );
    const { status, vetoEvents } = unwrap(data.cycle, "Cycle");
    return { head: status, page: vetoEvents };
  });
  const bonuses = await everyPage(async (after) => {
    const data = await gql<{ cycle: { __typename: string; bonusEvents: Page<BonusEvent> } }>(
      `query Bonuses($id: ID!, $after: String) { cycle(id: $id) { __typename ${ERROR_FIELDS}
        ... on Cycle { bonusEvents(first: 500, after: $after) { ${PAGE_INFO} edges { node { id unitId type level note } } } } } }`,
      { id: cycleId, after },
      options,
    );
    return unwrap(data.cycle, "Cycle").bonusEvents;
  });
  // The last page's status: a cycle finalised while its lists were read is finalised now.
  return { status: heads.at(-1) ?? heads[0], vetoes, bonuses };
}

/**
 * A veto recorded in the cycle of an earlier year that still bars a unit in this cycle ("this year
 * and next"): it is not in this cycle's own register, only in its units' eligibility.
 */
export interface CarriedVeto {
  unitId: string;
  /** The unit's name in this cycle. */
  name: string;
  /** `<earlier cycle id>/<event id>`, as the eligibility reason shows it. */
  record: string;
  /** How many years before this cycle's the veto was recorded (1 for last year's). */
  yearsAgo: number;
  text: string;
}

/** A ranking row with the eligibility reasons carried vetoes are read from. */
export interface EligibilityRow {
  unitId: string;
  name: string;
  eligibility: {
    reasons: { kind: string; record: string | null; yearsAgo: number | null; text: string }[];
  };
}

/**
 * The carried vetoes among ranking rows' eligibility reasons: those with a yearsAgo. The record's
 * form does not tell them: an event of this cycle's own may have an id that reads "2018/V-1" too,
 * and its yearsAgo is null. Nearest year first, then by record and unit.
 */
export function carriedVetoes(rows: readonly EligibilityRow[]): CarriedVeto[] {
  const carried: CarriedVeto[] = [];
  for (const row of rows)
    for (const r of row.eligibility.reasons)
      if (r.yearsAgo !== null && r.yearsAgo !== undefined)
        carried.push({
          unitId: row.unitId,
          name: row.name,
          record: r.record ?? "",
          yearsAgo: r.yearsAgo,
          text: r.text,
        });
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return carried.sort(
    (a, b) => a.yearsAgo - b.yearsAgo || order(a.record, b.record) || order(a.unitId, b.unitId),
  );
}

export interface CarriedVetoes {
  /** The cycle of an earlier year this one follows; null when it follows none. */
  follows: { id: string; year: number } | null;
  vetoes: CarriedVeto[];
}

/**
 * The vetoes of earlier years that count in a cycle, from every page of its ranking's eligibility
 * reasons. A cycle that follows none carries none: its ranking is not read.
 */
export async function loadCarriedVetoes(cycleId: string, signal?: AbortSignal): Promise<CarriedVetoes> {
  const options = signal ? { signal } : {};
  type Follows = CarriedVetoes["follows"];
  const linked = await gql<{ cycle: { __typename: string; previousCycle: Follows } }>(
    `query Follows($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS} ... on Cycle { previousCycle { id year } } } }`,
    { id: cycleId },
    options,
  );
  if (!unwrap(linked.cycle, "Cycle").previousCycle) return { follows: null, vetoes: [] };
  const { heads, rows } = await everyPageWithHeads(async (after) => {
    const data = await gql<{
      ranking: { __typename: string; cycle: { previousCycle: Follows }; entries: Page<EligibilityRow> };
    }>(
      `query CarriedVetoes($cycleId: ID!, $after: String) { ranking(cycleId: $cycleId) { __typename ${ERROR_FIELDS}
        ... on Ranking { cycle { previousCycle { id year } } entries(first: 500, after: $after) { ${PAGE_INFO}
          edges { node { unitId name eligibility { reasons { kind record yearsAgo text } } } } } } } }`,
      { cycleId, after },
      options,
    );
    const { cycle, entries } = unwrap(data.ranking, "Ranking");
    return { head: cycle.previousCycle, page: entries };
  });
  // The link as of the last page read, not the first check's: a cycle unlinked meanwhile shows no
  // section rather than one naming a cycle it no longer follows.
  const follows = heads[heads.length - 1] ?? null;
  return { follows, vetoes: follows ? carriedVetoes(rows) : [] };
}

export interface VetoType {
  id: string;
  name: string;
}
export interface BonusType {
  id: string;
  name: string;
  /** Points by level id, as the scheme declares them. */
  levels: Record<string, number | string>;
}
export interface EventChoices {
  vetoTypes: VetoType[];
  bonusTypes: BonusType[];
  units: { id: string; name: string; groupId: string }[];
}

/** What an event may name: the cycle's units, and the veto and bonus types of its scheme version. */
export async function loadEventChoices(cycleId: string, signal?: AbortSignal): Promise<EventChoices> {
  const options = signal ? { signal } : {};
  const data = await gql<{
    cycle: { __typename: string; scheme: { document: Partial<Omit<EventChoices, "units">> } };
  }>(
    `query EventTypes($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS} ... on Cycle { scheme { document } } } }`,
    { id: cycleId },
    options,
  );
  const { document } = unwrap(data.cycle, "Cycle").scheme;
  const units = await everyPage(
    async (after) =>
      (
        await gql<{ units: Page<EventChoices["units"][number]> }>(
          `query Units($cycleId: ID!, $after: String) { units(cycleId: $cycleId, first: 500, after: $after) {
            ${PAGE_INFO} edges { node { id name groupId } } } }`,
          { cycleId, after },
          options,
        )
      ).units,
  );
  // A scheme that declares none leaves the list out (the engine's default is empty).
  return { vetoTypes: document.vetoTypes ?? [], bonusTypes: document.bonusTypes ?? [], units };
}

export async function recordVetoEvent(cycleId: string, input: VetoEvent): Promise<VetoEvent> {
  const data = await gql<{ recordVetoEvent: VetoEvent & { __typename: string } }>(
    `mutation RecordVeto($cycleId: ID!, $input: VetoEventInput!) { recordVetoEvent(cycleId: $cycleId, input: $input) {
      __typename ${ERROR_FIELDS} ... on VetoEvent { id unitId type reason } } }`,
    { cycleId, input },
  );
  return unwrap(data.recordVetoEvent, "VetoEvent");
}

export async function recordBonusEvent(cycleId: string, input: BonusEvent): Promise<BonusEvent> {
  // An empty note is sent as null: the gateway keeps a stored note when the input leaves it out,
  // and a note emptied in the form is meant to go.
  const data = await gql<{ recordBonusEvent: BonusEvent & { __typename: string } }>(
    `mutation RecordBonus($cycleId: ID!, $input: BonusEventInput!) { recordBonusEvent(cycleId: $cycleId, input: $input) {
      __typename ${ERROR_FIELDS} ... on BonusEvent { id unitId type level note } } }`,
    { cycleId, input: { ...input, note: input.note?.trim() ? input.note : null } },
  );
  return unwrap(data.recordBonusEvent, "BonusEvent");
}

export async function deleteEvent(kind: "veto" | "bonus", cycleId: string, id: string): Promise<void> {
  const field = kind === "veto" ? "deleteVetoEvent" : "deleteBonusEvent";
  const data = await gql<Record<string, { __typename: string }>>(
    `mutation Delete($cycleId: ID!, $id: ID!) { ${field}(cycleId: $cycleId, id: $id) {
      __typename ${ERROR_FIELDS} ... on Cycle { id } } }`,
    { cycleId, id },
  );
  unwrap(data[field]!, "Cycle");
}

/** The fields of an event's form, as the gateway names them in its refusals (`input.unitId`). */
export type EventField = "id" | "unitId" | "type" | "level" | "reason" | "note";
const FIELDS: readonly string[] = ["id", "unitId", "type", "level", "reason", "note"];

/**
 * A refusal split by the form's fields: the gateway's message for each field it named (an unknown
 * unit, a veto type the scheme does not declare), and whether anything it said names no field of
 * the form, which is then shown above it as the whole refusal.
 */
export function fieldProblems(error: Error | null): {
  fields: Partial<Record<EventField, string>>;
  elsewhere: boolean;
} {
  const fields: Partial<Record<EventField, string>> = {};
  if (!error) return { fields, elsewhere: false };
  const issues = error instanceof ApiError ? error.issues : [];
  let elsewhere = issues.length === 0;
  for (const issue of issues) {
    const name = /^input\.(\w+)$/.exec(issue.path)?.[1];
    if (name !== undefined && FIELDS.includes(name)) {
      const field = name as EventField;
      fields[field] = fields[field] ? `${fields[field]}; ${issue.message}` : issue.message;
    } else elsewhere = true;
  }
  return { fields, elsewhere };
}

/**
 * A new event's id: the prefix and the next number after every id of that form already in the
 * list (V-1, V-2 → V-3), so that recording it adds an event rather than replacing one.
 */
export function nextEventId(prefix: string, taken: readonly string[]): string {
  let next = 1;
  for (const id of taken) {
    const digits = id.startsWith(prefix) ? id.slice(prefix.length) : "";
    if (/^\d{1,15}$/.test(digits) && Number(digits) >= next) next = Number(digits) + 1;
  }
  return `${prefix}${next}`;
}
