import { forget, forgetAll, keep, recall } from "./session-store";

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
  keep(PREFIX + schemeId, draft);
}

export function forgetDraft(schemeId: string): void {
  forget(PREFIX + schemeId);
}

/** On signing out: the next person to sign in in this tab does not inherit the drafts. */
export function forgetAllDrafts(): void {
  forgetAll(PREFIX);
}
