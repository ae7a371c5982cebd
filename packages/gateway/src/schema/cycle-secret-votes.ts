import { isSecretVote } from "@pingyi/engine";
import { schemeHistory } from "../store/cycles.js";
import type { Cycle, Dataset, Store } from "../store/index.js";

/** A vote whose voters the cycle promised secrecy (无记名投票), and which version made the promise. */
export interface CycleSecretVote {
  /** Its ballots in the cycle. */
  ballots: number;
  /**
   * Null while the cycle's current version declares it a secret vote. Otherwise an earlier
   * version made the promise (`declaredBy`), and the current one, which a forced move brought,
   * does not declare it a vote (`now`: `not in scheme city-review v3, the cycle's current version`).
   * `unread` when that version is no longer stored, so may have made it (see `secretVotesOf`).
   */
  earlier: { declaredBy: string; now: string; unread?: true } | null;
}

/** The cycle's secret votes with ballots, by category. */
export type CycleSecretVotes = ReadonlyMap<string, CycleSecretVote>;

/** A version as the cycle's history holds it: how messages name it, and its rules. */
export interface DeclaringVersion {
  label: string;
  /** The stored document, or a compiled scheme's `scheme`: both list `categories` with `method`. */
  document: unknown;
  /** False for a version the history names but the database no longer holds (edited by hand). */
  stored?: boolean;
}

type Method = { readonly kind?: unknown; readonly secret?: unknown } | undefined;

/** The categories a version declares, by id, with their methods as written. */
function methodsOf(document: unknown): Map<string, Method> {
  const categories = (document as { categories?: unknown } | null)?.categories;
  const methods = new Map<string, Method>();
  if (!Array.isArray(categories)) return methods;
  for (const c of categories as { id?: unknown; method?: Method }[])
    if (typeof c?.id === "string") methods.set(c.id, c.method);
  return methods;
}

/** What a version that does not declare the category a vote makes of it. */
function nowIn(version: DeclaringVersion, methods: Map<string, Method>, category: string): string {
  const what = methods.has(category) ? `a ${String(methods.get(category)?.kind)} category in` : "not in";
  return `${what} ${version.label}, the cycle's current version`;
}

/**
 * The categories with ballots whose voters were promised secrecy: those the latest version to
 * declare them a vote declared secret (`vote.secret`). `versions` are the ones the cycle has been
 * on, its current version first, then the earlier ones newest first. A version that drops the
 * category, renames it or scores it by another method declares nothing of its ballots, so the
 * promise outlives it: only a version declaring the category a named vote lifts it. A version
 * no longer stored (`stored: false`) that comes before any version settling the category is
 * taken to have declared it secret: what it promised cannot be read, and taking it for no promise
 * would let a move name voters who may have been told their ballots were secret.
 */
export function secretVotesOf(versions: readonly DeclaringVersion[], dataset: Dataset): CycleSecretVotes {
  const ballots = new Map<string, number>();
  for (const b of dataset.ballots ?? []) ballots.set(b.category, (ballots.get(b.category) ?? 0) + 1);
  const declared = versions.map((v) => methodsOf(v.document));
  const secret = new Map<string, CycleSecretVote>();
  for (const [category, n] of ballots) {
    const at = versions.findIndex(
      (v, i) => v.stored === false || declared[i]!.get(category)?.kind === "vote",
    );
    if (at < 0) continue;
    const unread = versions[at]!.stored === false;
    if (!unread && !isSecretVote(declared[at]!.get(category))) continue;
    const earlier =
      at === 0
        ? null
        : {
            declaredBy: versions[at]!.label,
            now: nowIn(versions[0]!, declared[0]!, category),
            ...(unread ? { unread: true as const } : {}),
          };
    secret.set(category, { ballots: n, earlier });
  }
  return secret;
}

const labelOf = (v: { schemeId: string; version: number }) => `scheme ${v.schemeId} v${v.version}`;

/**
 * The cycle's secret votes with ballots, as a move from its current version (`current.scheme`, its
 * document) weighs them: the promise each vote's voters were given, by whichever version last
 * declared it a vote. The earlier versions are read from the cycle's history (one query, then
 * their documents in one more) only when a category with ballots is not a vote of the current
 * one: most cycles never need them. Give it the move's transaction, so that the history read is
 * the one the move appends to.
 */
export async function cycleSecretVotes(
  store: Store,
  cycle: Cycle,
  current: { scheme: unknown; dataset: Dataset },
): Promise<CycleSecretVotes> {
  const now: DeclaringVersion = {
    label: labelOf({ schemeId: cycle.schemeId, version: cycle.schemeVersion }),
    document: current.scheme,
  };
  const methods = methodsOf(current.scheme);
  const unsettled = (current.dataset.ballots ?? []).some((b) => methods.get(b.category)?.kind !== "vote");
  if (!unsettled) return secretVotesOf([now], current.dataset);
  const earlier = (await schemeHistory(store.db, cycle.id)).filter(
    (v) => v.schemeId !== cycle.schemeId || v.version !== cycle.schemeVersion,
  );
  const documents = new Map(
    (await store.schemes.getMany(earlier)).map((v) => [labelOf(v), v.document] as const),
  );
  // A version the history names but the database lost is kept, as one that may have made a promise.
  const versions = earlier.map((v): DeclaringVersion => {
    const label = labelOf(v);
    return documents.has(label)
      ? { label, document: documents.get(label) }
      : { label, document: null, stored: false };
  });
  return secretVotesOf([now, ...versions], current.dataset);
}
