import { isObject } from "./json-object";
import { forget, forgetAll, keep, keptUnder, recall } from "./session-store";

/**
 * An administrator's unpublished scheme draft, kept in the tab's sessionStorage per scheme: an
 * expired session swaps the page for the sign-in screen, and the draft must survive that.
 */
export interface StoredDraft {
  basedOn: number | null;
  text: string;
  reason: string;
}

const PREFIX = "pingyi.draft.";
/** Apart from the schemes' drafts: a scheme's id may be any text, "events.veto.2019" too. */
const FORM_PREFIX = "pingyi.form.";

export function loadDraft(schemeId: string): StoredDraft | null {
  const d = recall(PREFIX + schemeId) as Partial<StoredDraft> | undefined;
  if (typeof d !== "object" || d === null || typeof d.text !== "string") return null;
  return {
    basedOn: typeof d.basedOn === "number" ? d.basedOn : null,
    text: d.text,
    reason: typeof d.reason === "string" ? d.reason : "",
  };
}

export function saveDraft(schemeId: string, draft: StoredDraft): void {
  keepOwned(PREFIX + schemeId, draft);
}

export function forgetDraft(schemeId: string): void {
  forget(PREFIX + schemeId);
}

/**
 * Fields never kept whatever a form says of them: sessionStorage is readable by every script of
 * the page and outlives the form, and a secret typed again costs less than one left lying there.
 */
const SECRET_NAME = /token|password|passphrase|secret/i;

/**
 * What a form's boxes hold, as its draft keeps it: text, numbers, ticks, and groups of them.
 * `null` in a form's empty state stands for text not typed yet.
 */
export type DraftValue = string | number | boolean | null | { readonly [field: string]: DraftValue };

const secret = (field: string, secrets: readonly string[]) =>
  SECRET_NAME.test(field) || secrets.includes(field);

const MISMATCH = Symbol("mismatch");

/**
 * `stored` read against the form's empty state `initial`: each field as stored where it holds
 * what the field takes (its kind of value; text for a `null`), else as `initial` has it. A form
 * changed since the draft was kept (a field added, renamed or of another kind) so starts from
 * what still fits, and a secret field from empty.
 */
function fit(initial: unknown, stored: unknown, secrets: readonly string[]): unknown {
  if (isObject(initial)) {
    if (!isObject(stored)) return MISMATCH;
    const fitted: Record<string, unknown> = {};
    for (const [field, empty] of Object.entries(initial)) {
      const value = secret(field, secrets) ? MISMATCH : fit(empty, stored[field], secrets);
      fitted[field] = value === MISMATCH ? empty : value;
    }
    return fitted;
  }
  if (initial === null) return stored === null || typeof stored === "string" ? stored : MISMATCH;
  if (typeof stored === "number" && !Number.isFinite(stored)) return MISMATCH;
  return typeof stored === typeof initial ? stored : MISMATCH;
}

/** `value` without its secret fields, at any depth. */
function withoutSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([field]) => !secret(field, secrets))
      .map(([field, v]) => [field, withoutSecrets(v, secrets)]),
  );
}

/** Whether two drafts hold the same in every field, whatever order their fields were set in. */
export function sameDraft(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...fields].every((f) => sameDraft(a[f], b[f]));
  }
  return Object.is(a, b);
}

/**
 * What was typed in one of a page's forms (`form` names it and what it is of: "events.veto.2019"),
 * read against the form's empty state; null when nothing was kept, or nothing the form would not
 * start with anyway. `secrets`: fields of the form that hold one, beside those named as such.
 */
export function loadFormDraft<T extends object>(
  form: string,
  initial: T,
  secrets: readonly string[] = [],
): T | null {
  const fitted = fit(initial, recall(FORM_PREFIX + form), secrets);
  if (fitted === MISMATCH || sameDraft(fitted, initial)) return null;
  return fitted as T;
}

/** Keeps what a form holds now, but for its secrets, in place of what was kept for it before. */
export function saveFormDraft(form: string, value: object, secrets: readonly string[] = []): void {
  keepOwned(FORM_PREFIX + form, withoutSecrets(value, secrets));
}

/** Once the form is saved or its draft discarded: the form starts from its empty state again. */
export function forgetFormDraft(form: string): void {
  forget(FORM_PREFIX + form);
}

/** On signing out: the next person to sign in in this tab does not inherit the drafts. */
export function forgetAllDrafts(): void {
  forgetAll(PREFIX);
  forgetAll(FORM_PREFIX);
  forget(OWNER);
}

/** Whose session the tab's drafts were typed in. */
const OWNER = "pingyi.drafts.owner";

/** Who signed in while the storage refused to record them as the drafts' owner (claimDrafts). */
let unrecorded: string | null = null;

/**
 * Whether a draft may be kept: its owner is recorded, now if it could not be at sign-in. A draft
 * of no recorded owner would be forgotten as nobody's at its owner's next sign-in, or kept under
 * the one before them.
 */
function owned(): boolean {
  if (unrecorded === null) return true;
  if (!keep(OWNER, unrecorded)) return false;
  unrecorded = null;
  return true;
}

/**
 * Keeps what one person typed or chose in the tab (a draft, the What-if settings, the menu's
 * cycle) once its owner is recorded: kept with no owner, it would be handed to whoever signs in
 * next, as claimDrafts cannot tell whose it is. Refused, what was kept there before is forgotten,
 * as keep does: older than what is on screen, it would come back as if it were what was typed.
 * Returns whether `value` was kept.
 */
export function keepOwned(key: string, value: unknown): boolean {
  if (owned()) return keep(key, value);
  forget(key);
  return false;
}

/**
 * On signing in, and on opening the console with a session already in the tab: the drafts are
 * kept for the person whose session expired, and are theirs. Someone else signing in on the
 * sign-in screen an expiry left (another person at the desk, a token of another subject) finds
 * none, and does not send the ballots another typed in their own name. Drafts of no recorded
 * owner (kept by a console from before owners were recorded, or a tab open across that deploy)
 * are nobody's to hand on: forgotten too, with what the caller keeps beside them by keepOwned
 * (`beside`: the keys, or the start of the keys, of the What-if settings and the menu's cycle),
 * which alone, with no draft, are as much another's. Returns whether they were forgotten. An
 * owner the storage will not record (a full quota) keeps no drafts until it does.
 */
export function claimDrafts(subject: string, beside: readonly string[] = []): boolean {
  const owner = recall(OWNER);
  const prefixes = [PREFIX, FORM_PREFIX, ...beside];
  const kept = prefixes.some((prefix) => keptUnder(prefix).length > 0);
  const another = owner !== subject && (owner !== undefined || kept);
  // Another's work goes before the owner is recorded: under a full quota it makes the room.
  if (another) for (const prefix of prefixes) forgetAll(prefix);
  unrecorded = owner === subject || keep(OWNER, subject) ? null : subject;
  return another;
}
