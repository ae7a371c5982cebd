import {
  type Baseline,
  type CompiledScheme,
  compareBaselines,
  compileScheme,
  createBaseline,
  InputError,
  schemeChanges,
  schemePublishingIssues,
  toEvaluation,
  toExactString,
} from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import { type Context, versionKey } from "../context.js";
import { engineCall } from "../errors.js";
import { cost, MAX_SCHEME_CATEGORIES, schemeCategories, spend } from "../limits.js";
import {
  MAX_REASON_CHARS,
  NotFoundError,
  SAYS_SOMETHING,
  type SchemeSummary,
  type SchemeVersion,
  type SchemeVersionInfo,
  ValidationError,
  type ValidationIssue,
} from "../store/index.js";
import { absentSchemeVersion } from "../store/scheme-versions.js";
import { READ_ERRORS, ValidationIssueRef, WRITE_ERRORS } from "./common.js";
import { currentScoring } from "./current-scoring.js";
import { cycleSecretVotes } from "./cycle-secret-votes.js";
import { compiles, scoreUnder } from "./engine-check.js";
import { type HintedChange, withLikelyRenames } from "./likely-renames.js";
import {
  comparedAsScenario,
  type ImpactShape,
  RankMovementsRef,
  rankMovements,
  standingsWithoutBefore,
} from "./movements.js";
import { newSchemeDoubts } from "./new-scheme-doubts.js";
import { arrayConnection } from "./pages.js";
import { SchemeVersionRef } from "./refs.js";
import { SchemeChangeRef } from "./scheme-change.js";
import { secrecyLifted, withLifted } from "./secrecy-lifted.js";
import { check, onArguments } from "./validate.js";

SchemeVersionRef.implement({
  description:
    "One published version of a scheme (评分方案). Versions are append-only: one found wrong is withdrawn (`withdrawn`), never changed or deleted.",
  fields: (t) => ({
    schemeId: t.exposeID("schemeId"),
    version: t.exposeInt("version"),
    basedOn: t.exposeInt("basedOn", { nullable: true, description: "The version its author edited." }),
    author: t.exposeString("author"),
    reason: t.exposeString("reason"),
    createdAt: t.field({ type: "DateTime", resolve: (v) => v.createdAt }),
    document: t.field({
      type: "JSON",
      description: "The scheme JSON.",
      resolve: (v, _a, ctx) => documentOf(v, ctx),
    }),
    maximum: t.string({
      nullable: true,
      description:
        "The most a unit's total can be under this version (its categories' points plus the bonus cap), as an exact decimal, " +
        "as the engine computes it (previewSchemeImpact's `maximum`); null for a version the engine no longer reads.",
      resolve: async (v, _a, ctx) => {
        const compiled = compiles(await documentOf(v, ctx));
        return compiled && maximumOf(compiled);
      },
    }),
  }),
});

/** A version's document: listings leave it out, so a page of them reads theirs in one query. */
async function documentOf(v: SchemeVersion | SchemeVersionInfo, ctx: Context): Promise<unknown> {
  if ("document" in v) return v.document;
  const found = await ctx.loaders.schemeVersion.load(versionKey(v.schemeId, v.version));
  return (found ?? (await ctx.store.schemes.get(v.schemeId, v.version))).document;
}

const SchemeSummaryRef = builder.objectRef<SchemeSummary>("SchemeSummary").implement({
  fields: (t) => ({
    schemeId: t.exposeID("schemeId"),
    latestVersion: t.exposeInt("latestVersion", {
      description:
        "The highest version number, withdrawn or not: the version the next one is published on (`basedOn`).",
    }),
    latestUsableVersion: t.exposeInt("latestUsableVersion", {
      nullable: true,
      description:
        "The latest version not withdrawn, the one to create a cycle on or move one to; null when every version is withdrawn (publish a new one).",
    }),
    updatedAt: t.field({
      type: "DateTime",
      description:
        "When a version of the scheme was last published or withdrawn, whichever came later: a client that refreshes on it sees a withdrawal too.",
      resolve: (s) => s.updatedAt,
    }),
  }),
});

/**
 * `$schema` points an editor at the JSON Schema and the engine does not read it, so it is not
 * stored (versions published before it was dropped keep theirs).
 */
function withoutSchemaLink(document: unknown): unknown {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return document;
  return Object.fromEntries(Object.entries(document).filter(([k]) => k !== "$schema"));
}

/**
 * A draft as it is checked and stored as `version`: without `$schema`, and with the version the
 * server assigns, whatever the draft says (or leaves out). Anything but an object is left for the
 * engine to refuse.
 */
function asVersion(draft: unknown, version: number): unknown {
  const doc = withoutSchemaLink(draft);
  return typeof doc === "object" && doc !== null && !Array.isArray(doc) ? { ...doc, version } : doc;
}

/**
 * The version a previewed draft would become if published on its scheme's latest version (1 for a
 * scheme not yet published): publishing sets `version`, so the preview does not read it either.
 */
async function previewVersion(ctx: Context, draft: unknown): Promise<number> {
  const id = (draft as { id?: unknown } | null)?.id;
  if (typeof id !== "string") return 1;
  const summary = (await ctx.store.schemes.list()).find((s) => s.schemeId === id);
  return (summary?.latestVersion ?? 0) + 1;
}

/** Engine issues about a draft compared or previewed point into the argument that carried it. */
const DRAFT = { scheme: "document" };

/**
 * Every problem of a draft as publishing refuses it, at `path` (the argument that carried it): its
 * size, what the engine refuses, and an `id` other than the scheme's. An id the engine already
 * refused (missing, spaced), or a draft that is no object, is not named twice.
 */
function draftIssues(
  draft: unknown,
  schemeId: string | null,
  path: "input.document" | "document",
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  try {
    schemeCategories(draft, path);
    engineCall(() => publishable(draft), { scheme: path });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues.push(...err.issues);
  }
  const id = (draft as { id?: unknown } | null)?.id;
  const said = issues.some((i) => i.path === path || i.path === `${path}.id`);
  if (schemeId !== null && id !== schemeId && !said)
    issues.push({
      path: `${path}.id`,
      message: `must be the schemeId '${schemeId}' (is ${JSON.stringify(id)})`,
    });
  return issues;
}

const SchemeDiffRef = builder
  .objectRef<{ schemeId: string; from: number; to: number; changes: HintedChange[] }>("SchemeDiff")
  .implement({
    fields: (t) => ({
      schemeId: t.exposeID("schemeId"),
      from: t.exposeInt("from"),
      to: t.exposeInt("to"),
      changes: t.field({ type: [SchemeChangeRef], resolve: (d) => d.changes }),
    }),
  });

interface Maximum {
  before: string;
  after: string;
}

/** The engine's maximum of a compiled scheme (category points plus the bonus cap), exact. */
const maximumOf = (compiled: CompiledScheme) => toExactString(compiled.maxTotal);

const SchemeMaximumRef = builder.objectRef<Maximum>("SchemeMaximum").implement({
  description:
    "The most a unit's total can be (its categories' points plus the bonus cap), as exact decimals: points that no longer add up to 100 may be intended, or a slip.",
  fields: (t) => ({
    before: t.exposeString("before", { description: "Under the cycle's current scheme version." }),
    after: t.exposeString("after", { description: "Under the candidate." }),
  }),
});

/**
 * RankMovements is previewSchemeImpact's answer, which also says what became of the maximum and
 * whose secrecy moving the cycle to the candidate would lift.
 */
type SchemeImpact = ImpactShape & { maximum: Maximum; secrecyLifted: ValidationIssue[] };

builder.objectField(RankMovementsRef, "maximum", (t) =>
  t.field({
    type: SchemeMaximumRef,
    description: "The scheme's maximum under the cycle's current scheme and under the candidate.",
    resolve: (m) => (m as SchemeImpact).maximum,
  }),
);

builder.objectField(RankMovementsRef, "secrecyLifted", (t) =>
  t.field({
    type: [ValidationIssueRef],
    description:
      "The secret votes (`vote.secret`) with ballots in the cycle that the candidate declares named votes, whose secrecy " +
      "moving the cycle to the candidate, once published, would lift: the issues setCycleScheme would refuse that move " +
      "with unless forced (at `dataset.ballots`, each counting its vote's ballots), worded as that move's are. A vote keeps the secrecy the cycle's latest version to declare it " +
      "a vote gave it, so one a forced move dropped since is listed too if the candidate names it again. Said whether or " +
      "not the cycle scores now (`noBefore`); empty when the move would lift none, as for a candidate that drops a secret " +
      "vote, renames it or scores it by another method. A candidate that cannot score the records (one dropping a secret " +
      "vote refuses its ballots) is refused instead, with these issues, if any, after the records' and in its message, as " +
      "the move's refusal has them.",
    resolve: (m) => (m as SchemeImpact).secrecyLifted,
  }),
);

builder.queryFields((t) => ({
  schemes: t.field({
    type: [SchemeSummaryRef],
    authScopes: { viewer: true },
    resolve: (_r, _a, ctx) => ctx.store.schemes.list(),
  }),
  schemeVersions: t.connection({
    type: SchemeVersionRef,
    nullable: true,
    description:
      "Oldest version first, withdrawn ones too (their `withdrawn` says by whom, when and why). Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or `schemeId` is refused: a scheme never published is named, with the schemes there are.",
    authScopes: { viewer: true },
    args: { schemeId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx, info) => {
      const schemeId = String(args.schemeId);
      let versions = await ctx.store.schemes.versions(schemeId);
      // A scheme is published with its first version, so none means no such scheme (a typo),
      // which answered as an empty list would read as a scheme without history.
      if (versions.length === 0) {
        const schemes = await ctx.store.schemes.list();
        if (!schemes.some((s) => s.schemeId === schemeId))
          throw new ValidationError([
            { path: "schemeId", message: absentSchemeVersion(schemes, schemeId, undefined).message },
          ]);
        // Published between the two reads.
        versions = await ctx.store.schemes.versions(schemeId);
      }
      // The versions at hand are the revision: one published since shifts the pages `last`
      // counts back from the end.
      const revision = JSON.stringify(versions.map((v) => v.version));
      return arrayConnection({ args, info, owner: { kind: "scheme", id: schemeId, revision } }, versions);
    },
  }),
  schemeVersion: t.field({
    type: SchemeVersionRef,
    description: "The latest version when `version` is omitted, withdrawn or not (`withdrawn` says).",
    authScopes: { viewer: true },
    errors: { types: READ_ERRORS },
    args: { schemeId: t.arg.id({ required: true }), version: t.arg.int() },
    resolve: (_r, args, ctx) => ctx.store.schemes.get(String(args.schemeId), args.version ?? undefined),
  }),
  schemeDiff: t.field({
    type: SchemeDiffRef,
    description:
      "What changed in the rules between two versions of a scheme, as the engine reads them: a value left out is its default, and decimals compare by value (`30.0` is `30`). " +
      "An entry renamed is listed as removed and added, each with `renamedTo` / `renamedFrom` naming the other when the rename is likely. " +
      "`from` may be later than `to`, or any version at all: what moving a cycle between two versions (setCycleScheme takes any published one not withdrawn, not only the latest) changes. Withdrawn versions are diffed too.",
    authScopes: { viewer: true },
    errors: { types: READ_ERRORS },
    args: {
      schemeId: t.arg.id({ required: true }),
      from: t.arg.int({ required: true }),
      to: t.arg.int({ required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const schemeId = String(args.schemeId);
      const [a, b] = await Promise.all([
        ctx.store.schemes.get(schemeId, args.from),
        ctx.store.schemes.get(schemeId, args.to),
      ]);
      return {
        schemeId,
        from: args.from,
        to: args.to,
        changes: withLikelyRenames(schemeChanges(a.document, b.document)),
      };
    },
  }),
  schemeDraftDiff: t.field({
    type: SchemeDiffRef,
    description:
      "What a draft would change, field by field, against a published version of its scheme (by default the latest, the one it would be published on), " +
      "as schemeDiff lists it between two versions: attach it to the approval before publishing. `to` is the version the draft would become (the latest plus one). " +
      "The draft is read and checked as publishing reads it (its `id` must be `schemeId`; its `version` and `$schema` are not rules), and nothing is written; " +
      "no changes against the latest means publishing it would be refused as changing nothing. Every problem of the draft is listed at once, as publishing lists them. " +
      "A category (or any entry matched by id) the draft renames is listed as removed and added, with `renamedTo` / `renamedFrom` when the rename is likely.",
    authScopes: { analyst: true },
    errors: { types: READ_ERRORS },
    args: {
      schemeId: t.arg.id({ required: true }),
      document: t.arg({ type: "JSON", required: true }),
      from: t.arg.int({ description: "The version to compare with; the latest when omitted." }),
    },
    resolve: async (_r, args, ctx) => {
      const schemeId = String(args.schemeId);
      const [base, latest] = await Promise.all([
        ctx.store.schemes.get(schemeId, args.from ?? undefined),
        ctx.store.schemes.get(schemeId),
      ]);
      const to = latest.version + 1;
      const draft = asVersion(args.document, to);
      const issues = draftIssues(draft, schemeId, "document");
      if (issues.length > 0) throw new ValidationError(issues);
      return {
        schemeId,
        from: base.version,
        to,
        changes: withLikelyRenames(schemeChanges(base.document, draft)),
      };
    },
  }),
}));

const PublishSchemeInput = builder.inputType("PublishSchemeInput", {
  fields: (t) => ({
    schemeId: t.id({ required: true }),
    basedOn: t.int({
      description:
        "The version you edited (null to create a scheme); publishing fails with ConflictError if it is no longer the latest, " +
        "and with a ValidationError at `input.basedOn` if no such version was ever published.",
    }),
    newScheme: t.boolean({
      description:
        "True confirms that `basedOn: null` creates a scheme beside one it resembles, which is otherwise refused: a `schemeId` " +
        "spelt close to an existing scheme's (case, a letter or two, two letters swapped, one inside the other; at " +
        "`input.schemeId`), or rules those of another scheme's latest version, its id, name and description aside (at " +
        "`input.document`). Versions are never deleted, so a scheme published under a mistyped id would stay on offer for good. " +
        "Only with `basedOn: null`.",
    }),
    document: t.field({ type: "JSON", required: true }),
    reason: t.string({
      required: true,
      description:
        'Why the rules change, kept with the version for good, trimmed: up to 2,000 characters, with at least one letter or digit ("改革" is a reason, "." is not).',
    }),
  }),
});

builder.mutationFields((t) => ({
  publishSchemeVersion: t.field({
    type: SchemeVersionRef,
    description:
      "Validates a scheme with the engine and appends it as version basedOn + 1. The document's `id` must be `schemeId`; its `version` is set to the new version; its `$schema` (for editors) is not stored. A document whose rules are those of version basedOn is refused: nothing would change (unless that version was withdrawn: its rules published again make a usable version). " +
      "A new scheme (`basedOn: null`) whose id is spelt close to an existing scheme's, or whose rules are those of another " +
      "scheme's latest version, is refused unless `newScheme: true` confirms it (versions are never deleted). " +
      "Sent again as it was (a lost answer, a second click: the same `schemeId`, `basedOn`, document and reason, by the " +
      "same administrator) once it has been published, it answers the version it made and writes nothing. A draft whose " +
      "rules are already the version after `basedOn`, published by another administrator or with another reason, is a " +
      "ConflictError saying so: nothing more to publish. " +
      "schemeDraftDiff lists what it changes beforehand, and the answer's `maximum` says the most a total can now be. " +
      `At most ${MAX_SCHEME_CATEGORIES} categories (more is refused at \`input.document.categories\`).`,
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: PublishSchemeInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      // Every problem of the input at once (its fields, the document, the id): an administrator
      // who mends one layer at a time sends a publication four times.
      const issues: ValidationIssue[] = [];
      const collect = (fn: () => unknown) => {
        try {
          fn();
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          issues.push(...err.issues);
        }
      };
      collect(() =>
        check(
          z.object({
            schemeId: z.string().trim().min(1, "must not be empty").max(100),
            // Before the draft is checked as version basedOn + 1, which 0 or less cannot give.
            basedOn: z.number().int().min(1, "must be a version number or null").nullish(),
            // A version is kept for good: its reason is what a reader later has, so "." is none.
            reason: z
              .string()
              .trim()
              .min(1, "say why the rules change")
              .regex(SAYS_SOMETHING, "say why the rules change, in words (punctuation alone says nothing)")
              .max(MAX_REASON_CHARS),
          }),
          input,
          "input",
        ),
      );
      // A new version of a scheme confirmed as a new scheme: one of the two is not what is meant.
      if (input.newScheme === true && input.basedOn != null)
        issues.push({
          path: "input.newScheme",
          message: `confirms a new scheme, which is published with basedOn: null; basedOn: ${input.basedOn} publishes a new version of '${String(input.schemeId)}': leave newScheme out for that`,
        });
      // Stored under schemeId as version basedOn + 1: a document naming another scheme would be
      // read (and diffed, and printed) as something it is not, so that is refused. The version
      // is the server's to assign, so the stored document says the version it is stored as
      // (a stale basedOn is still a conflict, found when the version is appended), and a draft
      // is checked as that version: what it says (or leaves out) is not refused.
      // A basedOn refused above checks the draft as a first version: its version is not a rule.
      const basedOn = Number.isInteger(input.basedOn) && input.basedOn! >= 1 ? input.basedOn! : 0;
      const schemeId = String(input.schemeId);
      const doc = asVersion(input.document, basedOn + 1);
      // An empty schemeId is refused above, so the document's id is not measured against it.
      issues.push(...draftIssues(doc, schemeId.trim() === "" ? null : schemeId, "input.document"));
      if (issues.length > 0) throw new ValidationError(issues);
      // A scheme like one there is, published by mistake, could never be taken back.
      if (input.basedOn == null && input.newScheme !== true) {
        const doubts = await newSchemeDoubts(ctx.store.schemes, schemeId, doc);
        if (doubts.length > 0) throw new ValidationError(doubts);
      }
      // Versions cannot be deleted, so an accidental second publish would stay in the history
      // as a version that changes nothing. Compared with the latest only when it is the one the
      // edit is based on: otherwise appending is a conflict, which says more. Versions never
      // change, so reading it before the publish's transaction is safe. A withdrawn latest
      // version's rules published again are what the withdrawal leaves to do to use them again
      // (docs/administrators.md): a version that changes nothing from a usable one, not from it.
      if (input.basedOn != null) {
        const latest = await ctx.store.schemes.get(schemeId).catch((err: unknown) => {
          if (err instanceof NotFoundError) return null;
          throw err;
        });
        if (
          latest?.version === input.basedOn &&
          latest.withdrawn === null &&
          schemeChanges(latest.document, doc).length === 0
        )
          throw new ValidationError([
            {
              path: "input.document",
              message: `nothing changed from version ${latest.version}: the rules are those of that version (\`version\` and \`$schema\` are not rules), so there is nothing to publish`,
            },
          ]);
      }
      return onArguments(
        {
          schemeId: "input.schemeId",
          basedOn: "input.basedOn",
          reason: "input.reason",
          document: "input.document",
        },
        ctx.store.schemes.publish(ctx.actor, {
          schemeId,
          basedOn: input.basedOn ?? null,
          document: doc,
          reason: input.reason,
        }),
      );
    },
  }),
  previewSchemeImpact: t.field({
    type: RankMovementsRef,
    description:
      "What a candidate scheme would do to a cycle's ranking, before publishing it. Writes nothing. The draft is read as " +
      "publishing reads it: its `version` is the one it would become on its scheme's latest version, whatever it says, and its `$schema` is not read; " +
      "what publishing refuses is refused (a grade line above the most a total can be), and so are records the candidate cannot score, " +
      "with the secret votes the move would lift beside them (as `secrecyLifted` says them); a record naming a category the cycle's " +
      'version has and the candidate drops is said so (`… names category "public", which the cycle\'s version has and this version drops (renamed to "pubilc"?)`), ' +
      "not as a record to correct, as setCycleScheme says it of a version. " +
      "A cycle its current version cannot score is previewed too: the candidate's standings, with `noBefore` saying why there is nothing to compare them with. " +
      "`secrecyLifted` lists the secret votes whose secrecy moving the cycle to the candidate would lift, which setCycleScheme refuses unless forced. Re-scores the cycle: " +
      "its cost is the cycle's units times the candidate's categories (at most 100, refused at `document.categories`), " +
      "and one too large for the request's budget is refused at `document`.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), document: t.arg({ type: "JSON", required: true }) },
    resolve: async (_r, args, ctx): Promise<SchemeImpact> => {
      const categories = schemeCategories(args.document, "document");
      // A cycle its current version cannot score is previewed too: the draft may be what scores it.
      const current = await currentScoring(ctx, String(args.cycleId));
      const { cycle, dataset } = current;
      const draft = asVersion(args.document, await previewVersion(ctx, args.document));
      // Refused as publishing refuses it (a grade line above the most a total can be), before its
      // records are scored: a draft the preview accepts is one publishing accepts. Before its
      // work is spent too: a refused draft scores nothing, and a subject's minute pays for none.
      const candidate = engineCall(() => publishable(draft), DRAFT);
      spend(ctx.work, cost.evaluation(dataset.units.length, categories), "document", "this preview");
      // Named one way in all it says: its records' refusal and the secrecy the move would lift.
      const label = `the candidate (scheme ${candidate.scheme.id} v${candidate.scheme.version})`;
      const move = { label, cycleId: cycle.id };
      // Read outside any transaction, unlike the move's: a preview, and setCycleScheme checks the
      // history again under the cycle's lock.
      const secret = await cycleSecretVotes(ctx.store, cycle, { scheme: current.compiled.scheme, dataset });
      const lifted = secrecyLifted(secret, candidate);
      // Problems of the candidate are the argument's (`document.categories[2].pionts`); records it
      // cannot score are counted and named as setCycleScheme's are, with the secrecy the move would
      // lift beside them, as there: a draft that names a secret vote may refuse records too.
      let after: Baseline;
      try {
        after = scoreUnder(label, cycle.id, () => createBaseline(candidate, dataset), {
          dataset,
          prefix: DRAFT,
          // A record naming a category the draft renamed is the draft's doing, and said so.
          schemes: { from: current.compiled.scheme, to: candidate.scheme },
        });
      } catch (err) {
        throw err instanceof ValidationError ? withLifted(err, { ...move, lifted }) : err;
      }
      const published = toEvaluation(after.exact);
      const owner = {
        kind: "what-if",
        id: JSON.stringify([cycle.id, "scheme", args.document]),
        revision: current.revision,
      };
      // The current version's maximum needs only its rules, which compile even when its records fail.
      const maximum = { before: maximumOf(current.compiled), after: maximumOf(after.compiled) };
      if (current.scored === null)
        return {
          ...standingsWithoutBefore(cycle.id, published, { owner, noBefore: current.unscorable }),
          maximum,
          secrecyLifted: lifted,
        };
      const before = await ctx.baselines.get(current.scored);
      const comparison = compareBaselines(before, after);
      const analysis = {
        scored: current.scored,
        baseline: before,
        groupIds: after.compiled.scheme.groups.map((g) => g.id),
        // A group the draft drops keeps a row, as one a later cycle dissolved does in compareCycles.
        baselineGroupIds: before.compiled.scheme.groups.map((g) => g.id),
        scenarioId: null,
        result: comparedAsScenario(comparison, after, {
          name: `candidate ${after.compiled.scheme.id} v${after.compiled.scheme.version}`,
          description: null,
        }),
        owner,
      };
      return {
        ...rankMovements(cycle.id, current.scored.evaluation, published, analysis),
        maximum,
        secrecyLifted: lifted,
      };
    },
  }),
}));

/**
 * The document compiled, or the engine's InputError: what does not compile, and what compiles but
 * cannot be meant in a published version (a grade line above the most a total can be).
 */
function publishable(document: unknown): CompiledScheme {
  const compiled = compileScheme(document);
  const issues = schemePublishingIssues(compiled);
  if (issues.length > 0) throw new InputError("scheme", issues);
  return compiled;
}
