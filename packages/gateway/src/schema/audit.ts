import { builder } from "../builder.js";
import { auditFilterIssues } from "../store/audit.js";
import { type AuditRecord, NotFoundError, ValidationError, type ValidationIssue } from "../store/index.js";
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from "../store/types.js";
import { READ_ERRORS } from "./common.js";
import { keysetConnection } from "./pages.js";
import { CycleRef } from "./refs.js";

// From the lists the filter checks against, so the reference names every value it accepts.
const listed = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(", ");

const AuditEntryRef = builder.objectRef<AuditRecord>("AuditEntry").implement({
  description:
    "One change, as the audit log recorded it in the transaction that made it. Entries are never changed or removed.",
  fields: (t) => ({
    id: t.id({
      description:
        "Drawn when the entry is written: a larger id was written later, but on a PostgreSQL server transactions commit in their own order, so one with a smaller id can appear afterwards (graphql.md says how to follow the log).",
      resolve: (e) => String(e.id),
    }),
    at: t.field({
      type: "DateTime",
      description:
        "When the transaction that made the change began (a long import's entries carry its start).",
      resolve: (e) => e.at,
    }),
    actor: t.exposeString("actor", {
      description:
        "Who made it: the token's subject; `cli:<user>` for `pingyi import`, `pingyi remove-import` and `pingyi move-database`, `system:seed` for the example year.",
    }),
    action: t.exposeString("action", {
      description: `What was done: one of ${listed(AUDIT_ACTIONS)}.`,
    }),
    entity: t.exposeString("entity", {
      description: `What it changed: one of ${listed(AUDIT_ENTITIES)}. A \`database\` entry is the move of an embedded database into this one, written after the entries it copied.`,
    }),
    entityId: t.exposeString("entityId", {
      description:
        "Which one: its id (`city-review@3` for a scheme version; ballots deleted together by `deleteBallots`: their category, or `category/voter`; survey forms, which have none: the cycle for those added, the category for those `deleteSurveyForms` deleted).",
    }),
    cycleId: t.exposeID("cycleId", {
      nullable: true,
      description:
        "The cycle it belongs to; null for a scheme version's publication or withdrawal and a database's move.",
    }),
    before: t.field({
      type: "JSON",
      nullable: true,
      description:
        "The record as it was (a publication: the version it followed; a withdrawal: the version, `withdrawn: null`; a saved scenario: its id, name, owner and sharing, and `patchSha256`, a digest of its patch rather than the patch; ballots deleted together by `deleteBallots`: their `category`, the `voter` if one was named, their `count` and each of them in `ballots`; survey forms deleted together by `deleteSurveyForms`: their `category`, the `unit` and `respondentGroup` if named, their `count` and in `tallies` each unit, respondent group, answer and `importId` with how many forms); null for a record that did not exist before.",
      resolve: (e) => e.before ?? null,
    }),
    after: t.field({
      type: "JSON",
      nullable: true,
      description:
        "The record as it became (an import: its kind, format, rows and file hash; a publication: the version and its reason; a withdrawal: the version and its `withdrawn` (`at`, `by`, `reason`); a finalisation: the cycle, with the `expectedUnscoredUnits` its admin confirmed when given; a move: the data directory it came from, the target, and each table's rows; a saved scenario: as `before` has it); null for a record deleted.",
      resolve: (e) => e.after ?? null,
    }),
    reason: t.exposeString("reason", {
      nullable: true,
      description:
        "Why, as the admin said: given with a cycle's move to another scheme version (required with `force`: `set-scheme-forced`), its finalisation or its deletion, ballots or survey forms deleted together (`deleteBallots`, `deleteSurveyForms`), and a publication's (its version's `reason`, also in `after`); null where none was given.",
    }),
  }),
});

const text = (v: string | null | undefined) => (v == null ? undefined : v);

/** An entry's id as auditLog gives it: a whole number from 1, within what a JS number holds exactly. */
function entryId(id: string): number {
  const n = /^[0-9]+$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ValidationError([
      {
        path: "id",
        message: `must be an entry's id as auditLog gives it, a whole number from 1 (got ${JSON.stringify(id)})`,
      },
    ]);
  return n;
}

builder.queryFields((t) => ({
  auditLog: t.connection({
    type: AuditEntryRef,
    nullable: true,
    description:
      "Every change to rules and data, newest first (admins only): who made it, when, and what it was before and after. " +
      "Filters left out (or null) leave entries in; those given must all hold. Paged by entry: entries recorded meanwhile shift no page, and no cursor goes stale. " +
      "Default 100 entries, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused (an action or entity the log never records among them).",
    authScopes: { admin: true },
    args: {
      cycleId: t.arg.id({
        description:
          "Entries of this cycle (a deleted cycle's too). Scheme publications and a database's move belong to none.",
      }),
      schemeId: t.arg.id({
        description:
          "Entries of this scheme: its versions' publications, and every cycle created on it, moved onto or off it (`set-scheme`, `set-scheme-forced`) or deleted while on it.",
      }),
      actor: t.arg.string({ description: "Entries made by this actor (the token's subject)." }),
      actions: t.arg.stringList({
        description:
          "Entries of any of these actions (those `AuditEntry.action` lists). An unknown one is refused rather than matching nothing, with the action meant when it is a slip away (`finalize`: `finalise`).",
      }),
      entity: t.arg.string({
        description:
          "Entries of this kind of record (one `AuditEntry.entity` lists: `unit`, `scheme_version`, …). An unknown one is refused rather than matching nothing, as `actions` are.",
      }),
      entityId: t.arg.string({ description: "Entries of the record with this id." }),
      since: t.arg({ type: "DateTime", description: "Entries recorded at or after this instant." }),
      until: t.arg({ type: "DateTime", description: "Entries recorded before this instant." }),
    },
    resolve: (_r, args, ctx, info) => {
      const issues: ValidationIssue[] = [];
      if (args.actions != null && args.actions.length === 0)
        issues.push({ path: "actions", message: "name at least one action, or leave actions out" });
      issues.push(...auditFilterIssues({ actions: args.actions ?? undefined, entity: text(args.entity) }));
      if (args.since != null && args.until != null && args.until <= args.since)
        issues.push({ path: "until", message: "must be later than since" });
      if (issues.length) throw new ValidationError(issues);
      return keysetConnection({ args, info }, (range) =>
        ctx.store.audit.list({
          cycleId: args.cycleId == null ? undefined : String(args.cycleId),
          schemeId: args.schemeId == null ? undefined : String(args.schemeId),
          actor: text(args.actor),
          actions: args.actions ?? undefined,
          entity: text(args.entity),
          entityId: text(args.entityId),
          since: args.since ?? undefined,
          until: args.until ?? undefined,
          beforeId: range.belowId,
          afterId: range.aboveId,
          limit: range.limit,
          oldestFirst: range.oldestFirst,
        }),
      );
    },
  }),
}));

builder.queryField("auditEntry", (t) =>
  t.field({
    type: AuditEntryRef,
    description:
      "One entry of the audit log by its id, with its `before` and `after` (admins only): a list that leaves those out opens the one it needs, since an entry of ballots deleted together holds every one of them. A `NotFoundError` when no entry has the id; a `ValidationError` at `id` when it is not a whole number from 1.",
    authScopes: { admin: true },
    errors: { types: READ_ERRORS },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const id = entryId(String(args.id));
      // The list's own bounds, exclusive: no other read of the store is needed for one entry.
      const [entry] = await ctx.store.audit.list({ afterId: id - 1, beforeId: id + 1, limit: 1 });
      if (!entry) throw new NotFoundError("audit entry", String(args.id));
      return entry;
    },
  }),
);

builder.objectField(CycleRef, "finalisedBy", (t) =>
  t.string({
    nullable: true,
    description:
      "Who finalised the cycle (the actor of its `finalise` entry in the audit log); null while it is open.",
    authScopes: { viewer: true },
    resolve: (c, _a, ctx) => (c.status === "finalised" ? ctx.loaders.finaliser.load(c.id) : null),
  }),
);
