import { schemeChanges } from "@pingyi/engine";
import type { SchemesApi } from "./api.js";
import type { Db } from "./db.js";
import { ConflictError, NotFoundError, ValidationError } from "./errors.js";
import { MAX_INT, quotedReason, requireActor, requireText, VERSIONS, writeAudit } from "./internal.js";
import { withdrawSchemeVersion } from "./scheme-withdrawals.js";
import type {
  PublishSchemeInput,
  SchemeSummary,
  SchemeVersion,
  SchemeVersionInfo,
  WithdrawSchemeInput,
} from "./types.js";

interface VersionRow {
  scheme_id: string;
  version: number;
  document?: unknown;
  author: string;
  reason: string;
  created_at: Date;
  based_on: number | null;
  /** Null, all three, for a version not withdrawn (and for one just inserted). */
  withdrawn_at?: Date | null;
  withdrawn_by?: string | null;
  withdrawn_reason?: string | null;
}

function toInfo(r: VersionRow): SchemeVersionInfo {
  return {
    schemeId: r.scheme_id,
    version: r.version,
    author: r.author,
    reason: r.reason,
    createdAt: r.created_at,
    basedOn: r.based_on,
    withdrawn: r.withdrawn_at
      ? { at: r.withdrawn_at, by: r.withdrawn_by!, reason: r.withdrawn_reason! }
      : null,
  };
}

function toVersion(r: VersionRow): SchemeVersion {
  return { ...toInfo(r), document: r.document };
}

/** A version's own columns, as an insert returns them. */
const OWN = "scheme_id, version, author, reason, created_at, based_on";
/** A version's columns with its withdrawal's, read FROM `VERSIONS`. */
const INFO = `${OWN}, withdrawn_at, withdrawn_by, withdrawn_reason`;

/** Schemes named when an unknown one is asked for, at most. */
const LISTED_SCHEMES = 10;

/**
 * What to say of a scheme version never published, with what there is: the scheme's latest
 * version when the scheme exists (to correct at `field` "version"), else the schemes there are
 * ("schemeId"). "not found" alone left the caller to look both up.
 */
export function absentSchemeVersion(
  schemes: readonly Pick<SchemeSummary, "schemeId" | "latestVersion">[],
  schemeId: string,
  version: number | undefined,
): { field: "schemeId" | "version"; message: string } {
  const latest = schemes.find((s) => s.schemeId === schemeId)?.latestVersion;
  // The schemes are read after the miss, and versions run from 1 with none deleted: what is
  // there now but was not then was published in between.
  if (latest !== undefined && (version === undefined || (version >= 1 && version <= latest)))
    return {
      field: version === undefined ? "schemeId" : "version",
      message: `scheme '${schemeId}'${version === undefined ? "" : ` version ${version}`} was published meanwhile: ask again`,
    };
  if (latest !== undefined)
    return {
      field: "version",
      message: `scheme '${schemeId}' has no version ${version}: its latest is ${latest}`,
    };
  const ids = schemes.map((s) => s.schemeId);
  const there =
    ids.length === 0
      ? "no scheme has been published yet (publishSchemeVersion)"
      : `the schemes are ${ids.slice(0, LISTED_SCHEMES).join(", ")}${ids.length > LISTED_SCHEMES ? ", …" : ""}`;
  return { field: "schemeId", message: `no scheme '${schemeId}': ${there}` };
}

async function listSchemes(db: Db): Promise<SchemeSummary[]> {
  const rows = await db.query<{ scheme_id: string; latest: number; usable: number | null; updated_at: Date }>(
    `SELECT scheme_id, max(version) AS latest, max(version) FILTER (WHERE withdrawn_at IS NULL) AS usable,
       greatest(max(created_at), max(withdrawn_at)) AS updated_at
     FROM ${VERSIONS} GROUP BY scheme_id ORDER BY scheme_id COLLATE "C"`,
  );
  return rows.map((r) => ({
    schemeId: r.scheme_id,
    latestVersion: r.latest,
    latestUsableVersion: r.usable,
    updatedAt: r.updated_at,
  }));
}

export async function getSchemeVersion(db: Db, schemeId: string, version?: number): Promise<SchemeVersion> {
  const rows =
    version === undefined
      ? await db.query<VersionRow>(
          `SELECT ${INFO}, document FROM ${VERSIONS} WHERE scheme_id = $1 ORDER BY version DESC LIMIT 1`,
          [schemeId],
        )
      : await db.query<VersionRow>(
          `SELECT ${INFO}, document FROM ${VERSIONS} WHERE scheme_id = $1 AND version = $2`,
          [schemeId, version],
        );
  if (!rows[0]) {
    const { message } = absentSchemeVersion(await listSchemes(db), schemeId, version);
    throw new NotFoundError(
      "scheme version",
      version === undefined ? schemeId : `${schemeId}@${version}`,
      message,
    );
  }
  return toVersion(rows[0]);
}

export class SchemeVersions implements SchemesApi {
  constructor(private readonly db: Db) {}

  async list(): Promise<SchemeSummary[]> {
    return listSchemes(this.db);
  }

  async versions(schemeId: string): Promise<SchemeVersionInfo[]> {
    const rows = await this.db.query<VersionRow>(
      `SELECT ${INFO} FROM ${VERSIONS} WHERE scheme_id = $1 ORDER BY version`,
      [schemeId],
    );
    return rows.map(toInfo);
  }

  async get(schemeId: string, version?: number): Promise<SchemeVersion> {
    return getSchemeVersion(this.db, schemeId, version);
  }

  /**
   * The versions stored among `keys`, in no order. A number no version can have (0, or past the
   * column's 2^31 − 1, as a history edited by hand may name) is one not stored, not a cast error.
   */
  async getMany(keys: readonly { schemeId: string; version: number }[]): Promise<SchemeVersion[]> {
    const storable = keys.filter(
      (k) => Number.isInteger(k.version) && k.version >= 1 && k.version <= MAX_INT,
    );
    if (storable.length === 0) return [];
    const rows = await this.db.query<VersionRow>(
      `SELECT ${INFO}, document FROM ${VERSIONS}
       WHERE (scheme_id, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
      [storable.map((k) => k.schemeId), storable.map((k) => k.version)],
    );
    return rows.map(toVersion);
  }

  async publish(actor: string, input: PublishSchemeInput): Promise<SchemeVersion> {
    requireActor(actor);
    requireText(input.schemeId, "schemeId");
    // Kept as checked: trimmed, as a change's reason is (optionalReason), so the 2,000 characters
    // the gateway allows are the characters kept, and no padding reaches the history.
    const reason = requireText(input.reason, "reason").trim();
    if (input.document === undefined) throw new ValidationError([{ path: "document", message: "required" }]);
    if (input.basedOn !== null && !(Number.isInteger(input.basedOn) && input.basedOn >= 1)) {
      throw new ValidationError([{ path: "basedOn", message: "must be a version number or null" }]);
    }
    const published = this.db.transaction(async (tx) => {
      const newest = await newestVersion(tx, input.schemeId);
      const latest = newest?.version ?? null;
      // A version above the latest was never published (versions are never deleted): no one
      // published meanwhile, the input names a version that does not exist.
      if (input.basedOn !== null && input.basedOn > (latest ?? 0))
        throw new ValidationError([
          {
            path: "basedOn",
            message:
              latest === null
                ? `scheme '${input.schemeId}' has no versions yet, so no version ${input.basedOn}: publish its first with basedOn: null`
                : `scheme '${input.schemeId}' has no version ${input.basedOn}: its latest is ${latest}`,
          },
        ]);
      // basedOn: null means "create": against an existing scheme that is a mistaken id or a
      // missing basedOn, not a race, so the message says how to publish onto it instead.
      if (latest !== input.basedOn) return notLatest(tx, { actor, reason, input, newest: newest! });
      // A concurrent publisher that read the same latest version inserts the same
      // (scheme_id, version) key; the primary key makes exactly one of them fail (→ ConflictError).
      const rows = await tx.query<VersionRow>(
        `INSERT INTO scheme_versions (scheme_id, version, document, author, reason, based_on)
         VALUES ($1, $2, $3::json, $4, $5, $6) RETURNING ${OWN}, document`,
        [input.schemeId, (latest ?? 0) + 1, JSON.stringify(input.document), actor, reason, latest],
      );
      const published = toVersion(rows[0]!);
      await writeAudit(tx, {
        actor,
        action: "publish",
        entity: "scheme_version",
        entityId: `${published.schemeId}@${published.version}`,
        before: latest === null ? null : { schemeId: published.schemeId, version: latest },
        after: { schemeId: published.schemeId, version: published.version, reason: published.reason },
        // In the column too, where a reader of the log looks for every change's why.
        reason: published.reason,
      });
      return published;
    });
    // Two publishers who read the same latest version: the primary key fails the second, after
    // the first committed. Its refusal is the one it would have had a moment later: the winner
    // named, as a refusal on a stale basedOn does, or, for two first versions, the scheme's.
    // The same request sent twice at once (a second click) is answered as one sent after.
    return published.catch(async (err: unknown) => {
      const constraint = (err as { cause?: { constraint?: string } }).cause?.constraint;
      if (!(err instanceof ConflictError) || constraint !== "scheme_versions_pkey") throw err;
      const newest = await newestVersion(this.db, input.schemeId);
      if (!newest) throw err;
      return notLatest(this.db, { actor, reason, input, newest, cause: err });
    });
  }

  async withdraw(actor: string, input: WithdrawSchemeInput): Promise<SchemeVersion> {
    try {
      // Read in the withdrawal's transaction, under its lock: the version as the withdrawal left it.
      return await this.db.transaction(async (tx) => {
        await withdrawSchemeVersion(tx, actor, input);
        return getSchemeVersion(tx, input.schemeId, input.version);
      });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      const { field, message } = absentSchemeVersion(
        await listSchemes(this.db),
        input.schemeId,
        input.version,
      );
      throw new ValidationError([{ path: field, message }]);
    }
  }
}

/** A publication whose basedOn is not the latest version, with what is known of it. */
interface NotLatest {
  actor: string;
  /** As it would be kept: trimmed. */
  reason: string;
  input: PublishSchemeInput;
  newest: Newest;
  cause?: unknown;
}

/**
 * A publication whose basedOn is no longer the latest: the request sent again (a lost answer, a
 * second click) is answered with the version it made, and nothing is written, unless that version
 * was withdrawn since; a draft whose rules some version made since already holds is told so, not
 * to reapply an edit that is there; else it is a conflict naming who published or withdrew since.
 * Sent again means by the same actor, with the same reason and document, onto the same version:
 * the version it made is basedOn + 1.
 */
async function notLatest(db: Db, seen: NotLatest): Promise<SchemeVersion> {
  const { actor, reason, input, newest, cause } = seen;
  const [made] = await db.query<VersionRow>(
    `SELECT ${INFO}, document FROM ${VERSIONS} WHERE scheme_id = $1 AND version = $2`,
    [input.schemeId, (input.basedOn ?? 0) + 1],
  );
  // As stored: a json column keeps the text sent, so the same document reads back the same.
  const sentAgain =
    made?.author === actor && made.reason === reason && sameJson(made.document, input.document);
  // Withdrawn, the version it made is no success to report: a client reading it as one would
  // believe its rules in force. Refused as any draft on that base is, saying it was its own.
  if (sentAgain && made.withdrawn_at === null) return toVersion(made);
  const options = cause === undefined ? undefined : { cause };
  const basedOn = input.basedOn;
  // A first publication sent again has every version after it: the one it made among them.
  const since = basedOn === null && !sentAgain ? [] : await versionsAfter(db, input.schemeId, basedOn ?? 0);
  // A withdrawn version holding the draft's rules does not count: "already published" would hide
  // that those rules were withdrawn.
  if (made && made.withdrawn_at === null && schemeChanges(made.document, input.document).length === 0)
    throw new ConflictError(alreadyPublished(actor, made, newest), options);
  // A version withdrawn since, the newest or an earlier one, is named with those published: the
  // draft is reapplied onto what is usable, knowing what was withdrawn.
  if (since.some((v) => v.withdrawn_at !== null)) {
    const told = withdrawnAmong(input.schemeId, basedOn, since);
    throw new ConflictError(sentAgain ? `${madeAndWithdrawn(made)} ${sentence(told)}` : told, options);
  }
  throw new ConflictError(
    basedOn === null ? alreadyExists(input.schemeId, newest) : raced(input.schemeId, basedOn, newest),
    options,
  );
}

/** Versions since a draft's base, some withdrawn: the refusal that fits, with what to send. */
function withdrawnAmong(schemeId: string, basedOn: number | null, since: readonly Since[]): string {
  // Its rules withdrawn, the newest version is no version to reapply an edit onto.
  return since.every((v) => v.withdrawn_at !== null)
    ? withdrawnSince(schemeId, basedOn, since)
    : usableAndWithdrawn(schemeId, basedOn, since);
}

/** A request sent again whose version was withdrawn since: that it was its own, and not redone. */
function madeAndWithdrawn(made: VersionRow): string {
  const at = new Date(made.created_at).toISOString();
  return `you published this document as version ${made.version} of scheme '${made.scheme_id}' at ${at} (${quotedReason(made.reason)}), and version ${made.version} was withdrawn since, so nothing was published now.`;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** ", not 2" after the version a scheme is at; nothing for a first publication sent again. */
const notBase = (basedOn: number | null) => (basedOn === null ? "" : `, not ${basedOn}`);

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Newest {
  version: number;
  author: string;
  reason: string;
  created_at: Date;
}

async function newestVersion(db: Db, schemeId: string): Promise<Newest | undefined> {
  const [newest] = await db.query<Newest>(
    "SELECT version, author, reason, created_at FROM scheme_versions WHERE scheme_id = $1 ORDER BY version DESC LIMIT 1",
    [schemeId],
  );
  return newest;
}

/** basedOn: null ("create") against a scheme that has versions: how to publish onto it instead. */
function alreadyExists(schemeId: string, newest: Newest): string {
  return `scheme '${schemeId}' already exists, at version ${newest.version}: to publish a new version of it, pass basedOn: ${newest.version}`;
}

/**
 * A publication based on a version no longer the latest: who published the newer one, when and
 * why, so the admin who lost the race can ask them and read their reason.
 */
function raced(schemeId: string, basedOn: number, newest: Newest): string {
  return `scheme '${schemeId}' is at version ${newest.version}, not ${basedOn}: ${newest.author} published version ${newest.version} meanwhile (at ${new Date(newest.created_at).toISOString()}: ${quotedReason(newest.reason)}); reload it and reapply your edit (schemeDraftDiff shows what your draft changes against it)`;
}

/** A version published after the one a draft was based on, with its withdrawal if it has one. */
interface Since extends Newest {
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}

/** The versions of `schemeId` after `basedOn`, newest first. */
function versionsAfter(db: Db, schemeId: string, basedOn: number): Promise<Since[]> {
  return db.query<Since>(
    `SELECT version, author, reason, created_at, withdrawn_at, withdrawn_by, withdrawn_reason FROM ${VERSIONS}
     WHERE scheme_id = $1 AND version > $2 ORDER BY version DESC`,
    [schemeId, basedOn],
  );
}

/** Versions named in a refusal, at most, of each kind; the newest first. */
const NAMED_VERSIONS = 3;

/**
 * A publication based on the latest version still usable, every later one withdrawn: no one
 * published meanwhile, and reapplying the edit onto a withdrawn version would bring its rules
 * back. Still refused, so that the administrator acknowledges the withdrawn versions, whose
 * numbers the new one comes after: their withdrawals named, and the basedOn to send.
 */
function withdrawnSince(schemeId: string, basedOn: number | null, since: readonly Since[]): string {
  const latest = since[0]!.version;
  const which =
    since.length === 1
      ? `version ${latest} is`
      : `versions ${(basedOn ?? 0) + 1} ${since.length === 2 ? "and" : "to"} ${latest} are`;
  return `scheme '${schemeId}' is at version ${latest}${notBase(basedOn)}, and ${which} withdrawn: ${named(since, withdrawal)}. A withdrawn version keeps its number: to publish your document as sent, as version ${latest + 1}, pass basedOn: ${latest} (nothing of a withdrawn version goes into it)`;
}

/**
 * A publication based on a version since which colleagues published usable versions and some
 * were withdrawn: the edit is to be reapplied onto the latest usable one, whose rules the draft
 * lacks, and sent with the newest's number. When the newest is withdrawn, that is not the version
 * to reapply onto (its rules were withdrawn), though its number, which it keeps, is the one to
 * send; when an earlier one is, it is named all the same: the version to reload may hold its
 * rules, published onto it before it was withdrawn. Both kinds named, with who, when and why.
 */
function usableAndWithdrawn(schemeId: string, basedOn: number | null, since: readonly Since[]): string {
  const newest = since[0]!;
  const usable = since.filter((v) => v.withdrawn_at === null);
  const withdrawn = since.filter((v) => v.withdrawn_at !== null);
  const latestUsable = usable[0]!.version;
  const keepsNumber =
    newest.withdrawn_at === null
      ? ""
      : " (a withdrawn version keeps its number; nothing of it goes into yours)";
  return `scheme '${schemeId}' is at version ${newest.version}${notBase(basedOn)}. Published meanwhile: ${named(usable, publication)}. Withdrawn: ${named(withdrawn, withdrawal)}. Reload version ${latestUsable}, the latest usable, reapply your edit onto it (schemeDraftDiff shows what your draft changes against it) and publish with basedOn: ${newest.version}${keepsNumber}`;
}

/** Versions named in a refusal, the newest first, at most NAMED_VERSIONS of them. */
function named(versions: readonly Since[], describe: (v: Since) => string): string {
  const more = versions.length > NAMED_VERSIONS ? ` and ${versions.length - NAMED_VERSIONS} more` : "";
  return versions.slice(0, NAMED_VERSIONS).map(describe).join("; ") + more;
}

const publication = (v: Since) =>
  `version ${v.version} by ${v.author} at ${new Date(v.created_at).toISOString()} (${quotedReason(v.reason)})`;

const withdrawal = (v: Since) =>
  `version ${v.version} by ${v.withdrawn_by} at ${new Date(v.withdrawn_at!).toISOString()} (${quotedReason(v.withdrawn_reason!)})`;

/**
 * A draft whose rules are those of the version it would have made (`made`), published since by
 * `actor` or by a colleague with another reason or document: nothing is left to publish, and
 * "reapply your edit" would send the administrator after an edit that is there.
 */
function alreadyPublished(actor: string, made: VersionRow, newest: Newest): string {
  const at = new Date(made.created_at).toISOString();
  const by =
    made.author === actor
      ? `, published by you at ${at} (${quotedReason(made.reason)})`
      : `: ${made.author} published it meanwhile (at ${at}: ${quotedReason(made.reason)})`;
  const since = newest.version > made.version ? `; the scheme is now at version ${newest.version}` : "";
  return `your draft is already version ${made.version} of scheme '${made.scheme_id}'${by}: nothing more to publish${since}`;
}
