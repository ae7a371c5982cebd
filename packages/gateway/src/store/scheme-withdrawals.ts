import type { Db } from "./db.js";
import { finalisedAtText, NotFoundError, ValidationError } from "./errors.js";
import {
  MAX_INT,
  optionalReason,
  quotedReason,
  requireActor,
  requireText,
  VERSIONS,
  writeAudit,
} from "./internal.js";
import type { SchemeWithdrawal, WithdrawSchemeInput } from "./types.js";

interface WithdrawalRow {
  withdrawn_at: Date;
  withdrawn_by: string;
  withdrawn_reason: string;
}

interface Target {
  schemeId: string;
  version: number;
}

/** What a withdrawal's reason says, as its refusals name it. */
const WITHDRAWN = "the version is withdrawn";

/** Cycles a refusal names, at most: enough to find them, not a page of ids. */
const NAMED_CYCLES = 5;

/**
 * Whether the version is stored, locked until the transaction ends: FOR UPDATE by a withdrawal,
 * FOR SHARE by a write putting a cycle on it. Each waits for the other, so a withdrawal either
 * sees the cycle put on the version or is seen by that write, never neither.
 */
async function lockVersion(tx: Db, target: Target, lock: "FOR UPDATE" | "FOR SHARE"): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 FROM scheme_versions WHERE scheme_id = $1 AND version = $2 ${lock}`, [
    target.schemeId,
    target.version,
  ]);
  return rows.length > 0;
}

/** Read in its own statement, after the lock: under READ COMMITTED it sees a withdrawal committed while waiting. */
async function withdrawalOf(tx: Db, target: Target): Promise<WithdrawalRow | undefined> {
  const [row] = await tx.query<WithdrawalRow>(
    `SELECT withdrawn_at, withdrawn_by, withdrawn_reason FROM scheme_version_withdrawals
     WHERE scheme_id = $1 AND version = $2`,
    [target.schemeId, target.version],
  );
  return row;
}

const toWithdrawal = (w: WithdrawalRow): SchemeWithdrawal => ({
  at: w.withdrawn_at,
  by: w.withdrawn_by,
  reason: w.withdrawn_reason,
});

const label = (t: Target) => `scheme '${t.schemeId}' version ${t.version}`;
/** Who withdrew it ("you" to the same actor), when and why. */
const when = (w: WithdrawalRow, actor?: string) =>
  `by ${w.withdrawn_by === actor ? "you" : w.withdrawn_by} at ${new Date(w.withdrawn_at).toISOString()} (${quotedReason(w.withdrawn_reason)})`;

/**
 * The version a cycle is to be created on or moved onto (at `path`), held FOR SHARE until the
 * write commits; refused, naming who withdrew it and why and the version to use instead, when it
 * was withdrawn. A version never published is the store's NotFoundError, as before.
 */
export async function requireUsableVersion(tx: Db, target: Target, path: string): Promise<void> {
  if (!(await lockVersion(tx, target, "FOR SHARE")))
    throw new NotFoundError("scheme version", `${target.schemeId}@${target.version}`);
  const withdrawn = await withdrawalOf(tx, target);
  if (!withdrawn) return;
  const scheme = await versionsBeside(tx, target);
  const instead =
    scheme.usable === null
      ? `every version of scheme '${target.schemeId}' is withdrawn, so none can take a cycle: publish a new one (publishSchemeVersion with basedOn: ${scheme.latest})`
      : `use version ${scheme.usable}, the latest not withdrawn`;
  throw new ValidationError([
    {
      path,
      message: `${label(target)} was withdrawn ${when(withdrawn)}: no cycle may be put on it; ${instead}`,
    },
  ]);
}

/**
 * Withdraws a version for good (see SchemesApi.withdraw), in `tx`, a transaction the caller
 * commits: the checks run under the version's FOR UPDATE lock, held until then, in the
 * transaction that writes the withdrawal and its audit entry, so what the caller reads of the
 * version after this, in `tx`, is what the withdrawal left. A version never published is a
 * NotFoundError, for the caller to say what there is.
 */
export async function withdrawSchemeVersion(
  tx: Db,
  actor: string,
  input: WithdrawSchemeInput,
): Promise<void> {
  // Its lock is held until the caller commits, which a handle outside a transaction would not do.
  if (!tx.inTransaction) throw new Error("withdrawSchemeVersion takes a transaction's handle");
  requireActor(actor);
  const schemeId = requireText(input.schemeId, "schemeId");
  const reason = withdrawalReason(input.reason);
  if (!Number.isInteger(input.version) || input.version < 1 || input.version > MAX_INT)
    throw new ValidationError([{ path: "version", message: "must be a version number (1 or more)" }]);
  const target = { schemeId, version: input.version };
  if (!(await lockVersion(tx, target, "FOR UPDATE")))
    throw new NotFoundError("scheme version", `${schemeId}@${target.version}`);
  const done = await withdrawalOf(tx, target);
  // Sent again (a lost answer, a second click): the withdrawal as it was made, nothing written.
  if (done?.withdrawn_by === actor && done.withdrawn_reason === reason) return;
  if (done)
    throw new ValidationError([
      {
        path: "version",
        message: `${label(target)} was already withdrawn ${when(done, actor)}: nothing to withdraw`,
      },
    ]);
  await refuseIfOnCycles(tx, target);
  const [row] = await tx.query<WithdrawalRow>(
    `INSERT INTO scheme_version_withdrawals (scheme_id, version, withdrawn_by, withdrawn_reason)
     VALUES ($1, $2, $3, $4) RETURNING withdrawn_at, withdrawn_by, withdrawn_reason`,
    [schemeId, target.version, actor, reason],
  );
  await writeAudit(tx, {
    actor,
    action: "withdraw",
    entity: "scheme_version",
    entityId: `${schemeId}@${target.version}`,
    before: { schemeId, version: target.version, withdrawn: null },
    after: { schemeId, version: target.version, withdrawn: toWithdrawal(row!) },
    reason,
  });
}

/**
 * The one check of a withdrawal's reason, the GraphQL input's and any caller's: trimmed, said in
 * words, at most 2,000 characters, as a change's reason is (optionalReason), and required.
 */
function withdrawalReason(reason: unknown): string {
  const text = optionalReason(reason, WITHDRAWN);
  if (text === null) throw new ValidationError([{ path: "reason", message: `say why ${WITHDRAWN}` }]);
  return text;
}

/**
 * A version a cycle is on is not withdrawn: an open cycle is moved off it first, and a finalised
 * one keeps it for good, so that no ranking, published or not, is left scored under a version
 * withdrawn. Read under the version's lock: no cycle is put on it meanwhile.
 */
async function refuseIfOnCycles(tx: Db, target: Target): Promise<void> {
  const cycles = await tx.query<{ id: string; status: "open" | "finalised"; finalised_at: Date | null }>(
    `SELECT id, status, finalised_at FROM cycles WHERE scheme_id = $1 AND scheme_version = $2
     ORDER BY id COLLATE "C"`,
    [target.schemeId, target.version],
  );
  if (cycles.length === 0) return;
  const finalised = cycles.filter((c) => c.status === "finalised");
  if (finalised.length > 0)
    throw new ValidationError([
      {
        path: "version",
        message: `${named(finalised.map((c) => `'${c.id}' (finalised at ${finalisedAtText(c.finalised_at)})`))} ${finalised.length === 1 ? "was" : "were"} scored under ${label(target)}: a version a finalised ranking was scored under cannot be withdrawn`,
      },
    ]);
  const them = cycles.length === 1 ? "it" : "them";
  const onIt = `${named(cycles.map((c) => `'${c.id}'`))} ${cycles.length === 1 ? "is" : "are"} on ${label(target)}`;
  const { latest, others } = await versionsBeside(tx, target);
  // "Another version" where there is none would send the administrator looking for one.
  const message =
    others > 0
      ? `${onIt}: move ${them} to another version first (setCycleScheme), then withdraw it`
      : `${onIt}, the only version of the scheme not withdrawn: publish another first (publishSchemeVersion with basedOn: ${latest}), then move ${them} there (setCycleScheme) and withdraw this one`;
  throw new ValidationError([{ path: "version", message }]);
}

/**
 * The scheme's latest version, its latest not withdrawn (null when every one is), and how many of
 * its versions but `target` are not withdrawn. Read with `target` locked: it is published.
 */
async function versionsBeside(
  tx: Db,
  target: Target,
): Promise<{ latest: number; usable: number | null; others: number }> {
  const [row] = await tx.query<{ latest: number; usable: number | null; others: number }>(
    `SELECT max(version) AS latest, max(version) FILTER (WHERE withdrawn_at IS NULL) AS usable,
            (count(*) FILTER (WHERE withdrawn_at IS NULL AND version <> $2))::int AS others
     FROM ${VERSIONS} WHERE scheme_id = $1`,
    [target.schemeId, target.version],
  );
  return row!;
}

/** `cycle 'a'`, `cycles 'a', 'b'`, `cycles 'a', …, 'e' and 3 more`. */
function named(ids: readonly string[]): string {
  const shown = ids.slice(0, NAMED_CYCLES).join(", ");
  const more = ids.length > NAMED_CYCLES ? ` and ${ids.length - NAMED_CYCLES} more` : "";
  return `${ids.length === 1 ? "cycle" : "cycles"} ${shown}${more}`;
}
